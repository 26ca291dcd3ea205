"""A lint run leaves no reference cycles behind: what it lets go of, reference counting frees at once.

``tlslint.run`` collects only the young generation during a run (a survivor is scanned once, not at every
older generation's pass), so a cycle that outlives one young collection would stay in memory until the
run ends. Each source's parse must therefore let go of its structures without cycles; the nginx tree,
whose blocks point at their parents, is taken apart by ``tree.dismantle`` once its endpoints are built.
"""

from __future__ import annotations

import collections
import gc
from pathlib import Path

from tlslint.policy import load_policy
from tlslint.run import lint

ROOT = Path(__file__).resolve().parents[2]
#: Every engine's shapes: the bundled examples and the real-world fixtures (nginx, Apache, HAProxy,
#: OpenSSL, curl, Mbed TLS, .NET, OCPP device models, certificates and keys).
INPUTS = [ROOT / "examples", ROOT / "tests" / "fixtures"]


def _cyclic_garbage_of_a_run() -> collections.Counter[str]:
    policy = load_policy()
    paths = [str(path) for path in INPUTS]
    lint(paths, policy, jobs=1)  # imports what the run needs first: a module's import makes cycles of its own
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = lint(paths, policy, jobs=1)
        assert result.inputs.files  # the run read something
        del result
        gc.collect()
        return collections.Counter(type(thing).__name__ for thing in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


def test_a_run_leaves_no_reference_cycles() -> None:
    garbage = _cyclic_garbage_of_a_run()
    assert not garbage, f"objects freed only by the cyclic garbage collector: {garbage.most_common(10)}"


def test_the_nginx_tree_is_taken_apart(tmp_path: Path) -> None:
    from tlslint.sources.nginx import tree

    path = tmp_path / "nginx.conf"
    text = "http {\n  server {\n    listen 443 ssl;\n    location / { }\n  }\n}\n"
    root, _diagnostics, _files = tree.build(str(path), text)
    server = root.children[0].children[0]
    assert server.parent is root.children[0]
    tree.dismantle(root)
    blocks = [root]
    seen = 0
    while blocks:
        block = blocks.pop()
        seen += 1
        assert block.parent is None
        blocks.extend(block.children)
    assert seen == 4  # main, http, server, location


def test_the_collector_is_given_back_as_it_was() -> None:
    """A library caller's process goes on after lint(): its collector settings are its own again, nothing
    stays frozen (a frozen object is never collected), and the run's survivors wait in the oldest generation."""
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        result = lint([str(path) for path in INPUTS], load_policy(), jobs=1)
        assert gc.get_threshold() == (700, 10, 10)
        assert gc.get_freeze_count() == 0
        assert not gc.get_objects(generation=1)  # the young collections' survivors: all in the oldest
        assert result.findings
    finally:
        gc.set_threshold(*before)


def test_the_process_entry_point_leaves_nothing_for_the_exit_collection(monkeypatch, capsys) -> None:
    """``tlslint`` and ``python -m tlslint`` end right after ``cli.entry``: what is left is frozen, so the
    interpreter's last collection skips it; ``main`` (called again and again by tests) freezes nothing."""
    from tlslint import cli

    monkeypatch.setattr("sys.argv", ["tlslint", "policies"])
    try:
        assert cli.main(["policies"]) == 0
        assert gc.get_freeze_count() == 0
        assert cli.entry() == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert "secure-defaults" in capsys.readouterr().out
