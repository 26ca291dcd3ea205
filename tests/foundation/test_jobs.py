"""``--jobs``: files parsed in worker processes give the output of one process, byte for byte."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tlslint import parallel
from tlslint.model.subject import Subject
from tlslint.sources import registry

from conftest import REPO, run_subprocess

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="--jobs forks workers (Linux)")

SITE = """\
events {{}}
http {{
    ssl_protocols {protocols};
    server {{
        listen 443 ssl;
        server_name site{n}.example;
        ssl_certificate ../pki/leaf.pem;
        ssl_certificate_key ../pki/leaf.key;
        include snippets/tls-{m}.conf;
    }}
}}
"""


def _mixed_tree(root: Path) -> Path:
    """Every kind of source the repository has fixtures for, plus what makes the read order matter:
    fragments read through the main file that includes them (named before it in the walk), the same
    certificate key in several files, a broken file, a binary one and a file no source reads."""
    tree = root / "repo"
    shutil.copytree(REPO / "tests" / "fixtures", tree / "fixtures")
    shutil.copytree(REPO / "examples", tree / "examples")
    (tree / ".git").mkdir()
    sites = tree / "nginx" / "sites"
    (sites / "snippets").mkdir(parents=True)
    for m in range(3):
        (sites / "snippets" / f"tls-{m}.conf").write_text(f"ssl_ciphers 'HIGH:!aNULL:@SECLEVEL={m}';\n")
    for n in range(60):
        protocols = ["TLSv1.2 TLSv1.3", "TLSv1 TLSv1.2", "TLSv1.3"][n % 3]
        (sites / f"site{n:02d}.conf").write_text(SITE.format(n=n, m=n % 3, protocols=protocols))
    (sites / "broken.conf").write_text("http {\n    server {\n        listen 443 ssl\n")
    (tree / "nginx" / "blob.conf").write_bytes(b"ssl_protocols \x00\x01TLSv1;\n")
    pki = tree / "nginx" / "pki"
    pki.mkdir()
    pems = sorted((REPO / "tests" / "fixtures").rglob("*.pem"))
    for index, pem in enumerate(pems):
        shutil.copy(pem, pki / f"copy{index}.pem")
        shutil.copy(pem, pki / ("leaf.pem" if index == 0 else f"again{index}.pem"))
    (pki / "leaf.key").write_text("not a key\n")
    (tree / "README.txt").write_text("nothing to lint\n")
    return tree


@pytest.mark.parametrize("command", [("check", "--format", "json"), ("check", "--format", "sarif"), ("inspect",)])
def test_two_and_three_workers_print_what_one_process_prints(tmp_path: Path, command: tuple[str, ...]) -> None:
    tree = _mixed_tree(tmp_path)
    common = [*command, "--at", "2026-06-01", "."] if command[0] == "check" else [*command, "."]
    if command[0] == "check":
        common[1:1] = ["--fail-on", "never"]
    one = run_subprocess(*common, "-j", "1", cwd=tree)
    assert one.code in (0, 3), one.err
    assert len(one.out) > 10_000  # a real run with findings, not an empty one
    for jobs in ("2", "3"):
        many = run_subprocess(*common, "-j", jobs, cwd=tree)
        assert (many.code, many.out, many.err) == (one.code, one.out, one.err)


def test_the_table_and_the_exit_code_do_not_depend_on_the_jobs(tmp_path: Path) -> None:
    tree = _mixed_tree(tmp_path)
    one = run_subprocess("check", "--color", "never", "README.txt", "nginx", "fixtures", "-j", "1", cwd=tree)
    two = run_subprocess("check", "--color", "never", "README.txt", "nginx", "fixtures", "-j", "2", cwd=tree)
    assert one.code == 3  # the broken and the binary file
    assert (two.code, two.out, two.err) == (one.code, one.out, one.err)
    assert "broken.conf" in one.err and "README.txt" in one.err


def test_jobs_must_be_a_positive_number() -> None:
    for bad in ("0", "-2", "two"):
        outcome = run_subprocess("check", "-j", bad, str(REPO / "examples"))
        assert outcome.code == 2 and "--jobs" in outcome.err and "Traceback" not in outcome.err


def test_large_trees_use_every_core_and_small_ones_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "cores", lambda: 4)
    monkeypatch.delenv("TLSLINT_DEBUG", raising=False)
    assert parallel.jobs_for(None, parallel.AUTO_MIN_FILES) == 4
    assert parallel.jobs_for(None, parallel.AUTO_MIN_FILES - 1) == 1
    assert parallel.jobs_for(3, 5) == 3  # asked for: taken even for a few files
    monkeypatch.setenv("TLSLINT_DEBUG", "1")
    assert parallel.jobs_for(3, 5000) == 1  # parser bugs raise in the main process


def test_sources_that_keep_state_across_files_are_never_parsed_ahead() -> None:
    """A source module that uses ``context.state`` or has a ``finish`` pass must say so in the registry:
    a worker's copy of that state would be lost (tlslint.parallel)."""
    for entry in registry.SOURCES:
        module = entry.load()
        where = Path(module.__file__)
        files = sorted(where.parent.glob("*.py")) if where.name == "__init__.py" else [where]
        text = "".join(file.read_text(encoding="utf-8") for file in files)
        stateful = hasattr(module, "finish") or re.search(r"\bcontext\.state\b|register_passphrase\(", text)
        if stateful:
            assert entry.shares_state, f"{entry.name} keeps state across files: set shares_state=True"


#: Hashes of group keys that make different keys collide: every key of a rule, or the keys of one file.
_COLLIDING = {"every-key": lambda key: 0, "one-file": lambda key: hash(key[1])}


@pytest.mark.parametrize("collide", [None, *_COLLIDING])
def test_findings_built_in_slices_are_the_findings_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collide: str | None
) -> None:
    """Workers evaluate slices of the subjects and build their findings: the same findings (every field),
    in the same order, with the same counts in the same key order — including findings whose failing
    subjects fall in two slices, which the main process builds again from all of them. Workers send a
    group key's hash: keys that only hash alike (here, with ``collide``: every key of a rule, or of a file) are built
    again and come apart into their own findings, in the order of one process."""
    import datetime

    from tlslint.commands._common import resolve_policy
    from tlslint.findings import build_findings
    from tlslint.rules.evaluate import Evaluation, evaluate_by_rule
    from tlslint.rules.loader import load_packs
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    policy = resolve_policy(None)
    rules = policy.select(load_packs(policy.packs))
    # One http-level line that 20 servers inherit: one finding naming all 20, whatever the slices.
    servers = "".join(f"    server {{ listen {8000 + n} ssl; server_name s{n}.example; }}\n" for n in range(20))
    (tmp_path / "shared.conf").write_text(f"http {{\n    ssl_protocols TLSv1 TLSv1.2;\n{servers}}}\n")
    inputs = parse_inputs(
        [str(REPO / "tests" / "fixtures"), str(REPO / "examples"), str(tmp_path)],
        ParseContext(datetime.date(2026, 6, 1)),
    )
    assert len(inputs.subjects) > 100
    monkeypatch.setattr(parallel, "MIN_SUBJECTS_PER_SLICE", 7)
    if collide is not None:
        monkeypatch.setattr(parallel, "_key_hash", _COLLIDING[collide])
    once = Evaluation()
    one = [build_findings(failures) for failures in evaluate_by_rule(rules, inputs.subjects, policy, once)]
    assert any(one) and once.passes
    rebuilt: list[int] = []
    merge = parallel._merged

    def counting_merge(rules, parts, *rest):  # type: ignore[no-untyped-def]
        slices_of: dict[tuple[int, int], set[int]] = {}  # (rule index, key hash) -> the slices it came from
        for number, (by_rule, _passes, _applicable) in enumerate(parts):
            for index, (hashes, _sizes, _flat, _built) in by_rule.items():
                for digest in hashes:
                    slices_of.setdefault((index, digest), set()).add(number)
        rebuilt.extend(len(slices) for slices in slices_of.values() if len(slices) > 1)
        return merge(rules, parts, *rest)

    monkeypatch.setattr(parallel, "_merged", counting_merge)
    for jobs in (2, 5):
        many = Evaluation()
        by_rule = list(parallel.findings_by_rule(rules, inputs.subjects, policy, many, jobs))
        assert by_rule == one
        assert all(f.references is rule.references for rule, built in zip(rules, by_rule, strict=True) for f in built)
        assert list(many.passes.items()) == list(once.passes.items())
        assert list(many.applicable.items()) == list(once.applicable.items())
    assert rebuilt, "no finding spanned two slices: the merge of such findings went untested"


def _parses_by_process(tree: Path, jobs: int, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, dict[str, list[str]]]:
    """Read ``tree`` with ``jobs`` processes; the inputs, and the nginx files each process parsed (by pid)."""
    import datetime

    from tlslint.run import parse_inputs
    from tlslint.sources import nginx
    from tlslint.sources.base import ParseContext

    log = tree.parent / f"{tree.name}-parsed.log"
    real_parse = nginx.parse

    def logging_parse(path, text, context):  # type: ignore[no-untyped-def]
        with open(log, "a", encoding="utf-8") as handle:  # appended from whichever process parses
            handle.write(f"{os.getpid()} {os.path.basename(path)}\n")
        return real_parse(path, text, context)

    monkeypatch.setattr(nginx, "parse", logging_parse)
    monkeypatch.chdir(tree)
    inputs = parse_inputs(["."], ParseContext(datetime.date(2026, 6, 1)), jobs=jobs)
    by_process: dict[str, list[str]] = {}
    for line in log.read_text().splitlines():
        pid, name = line.split()
        by_process.setdefault(pid, []).append(name)
    return inputs, by_process


def test_a_main_file_that_many_fragments_include_is_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """nginx.conf includes sites-enabled/*: whichever worker meets a fragment, nginx.conf is parsed once
    in all (the workers plan first; the main process then asks for each parse once)."""
    tree = tmp_path / "tree"
    (tree / ".git").mkdir(parents=True)
    sites = tree / "sites-enabled"
    sites.mkdir()
    (tree / "nginx.conf").write_text("events {}\nhttp {\n    include sites-enabled/*.conf;\n}\n")
    for n in range(40):
        (sites / f"s{n:02d}.conf").write_text(f"server {{\n    listen 44{n:02d} ssl;\n    ssl_protocols TLSv1.2;\n}}\n")
    inputs, by_process = _parses_by_process(tree, 3, monkeypatch)
    assert [name for names in by_process.values() for name in names] == ["nginx.conf"]
    assert len([s for s in inputs.subjects if s.kind == "endpoint"]) == 40


def test_the_main_process_parses_the_first_share_itself_and_helpers_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``-j 2`` the main process is one of the two: it parses the first files it needs itself while
    one helper parses the others (taking a parse from a helper costs it a third of parsing it)."""
    tree = tmp_path / "tree"
    (tree / ".git").mkdir(parents=True)
    for n in range(50):
        (tree / f"site{n:02d}.conf").write_text(f"http {{\n server {{\n  listen 44{n:02d} ssl;\n }}\n}}\n")
    inputs, by_process = _parses_by_process(tree, 2, monkeypatch)
    own = round(50 * parallel.main_share(2))
    assert 0 < own < 50
    assert sorted(by_process.pop(str(os.getpid()))) == [f"site{n:02d}.conf" for n in range(own)]
    [helper] = by_process.values()  # one helper: two processes in all
    assert sorted(helper) == [f"site{n:02d}.conf" for n in range(own, 50)]
    assert len([s for s in inputs.subjects if s.kind == "endpoint"]) == 50


def test_a_failing_worker_costs_time_not_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that fails (here: every parse round raises) leaves the work to the main process."""
    import datetime

    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    def failing(keys):  # type: ignore[no-untyped-def]
        raise RuntimeError("a worker that cannot answer")

    trees = [str(REPO / "tests" / "fixtures"), str(REPO / "examples")]
    one = parse_inputs(trees, ParseContext(datetime.date(2026, 6, 1)), jobs=1)
    monkeypatch.setattr(parallel, "_parse_slice", failing)
    two = parse_inputs(trees, ParseContext(datetime.date(2026, 6, 1)), jobs=2)
    assert [s.id for s in two.subjects] == [s.id for s in one.subjects]
    assert [str(d) for d in two.diagnostics] == [str(d) for d in one.diagnostics]
    assert two.internal_errors == one.internal_errors == 0


def test_model_objects_pickle_every_field() -> None:
    """Location, Located and Subject pickle by hand (speed): a field added later must travel too."""
    import pickle

    from tlslint.model.located import Located, Location, Origin
    from tlslint.model.subject import Subject
    from tlslint.records import fields

    def filled(cls, **given):  # type: ignore[no-untyped-def]
        return cls(**{name: given.get(name, f"{name}-value") for name in fields(cls)})

    where = filled(Location, line=3, column=4, end_line=5, end_column=6)
    value = filled(Located, origin=Origin.DEFAULT, location=where, via=(where,), items=(where,))
    subject = filled(Subject, location=where, scope=where, fields={"protocols": value})
    for item in (where, value, subject):
        copy = pickle.loads(pickle.dumps(item))
        assert type(copy) is type(item)
        for name in fields(type(item)):
            assert getattr(copy, name) == getattr(item, name), name


def _killed_worker(bounds: tuple[int, int]) -> None:
    os._exit(1)  # as the system's out-of-memory killer would


def test_a_worker_killed_after_the_settings_were_let_go_of_costs_time_not_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``check`` lets go of the subjects' settings once the workers hold them; if a worker dies after
    that, the run reads and evaluates everything again in one process: the same result, never a pass."""
    from tlslint.commands._common import resolve_policy
    from tlslint.run import lint

    tree = _mixed_tree(tmp_path)
    policy = resolve_policy(None)
    one = lint([str(tree)], policy, jobs=1)
    assert len(one.inputs.subjects) > 4 * parallel.MIN_SUBJECTS_PER_SLICE  # workers evaluate this tree
    monkeypatch.setattr(parallel, "_evaluate_slice", _killed_worker)
    lost = lint([str(tree)], policy, jobs=2, keep_fields=False)
    assert lost.findings == one.findings
    assert [d.message for d in lost.inputs.diagnostics] == [d.message for d in one.inputs.diagnostics]
    assert (lost.passes, lost.applicable) == (one.passes, one.applicable)


def test_check_keeps_the_identity_of_subjects_not_their_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tlslint import run
    from tlslint.commands._common import resolve_policy
    from tlslint.run import lint

    tree = _mixed_tree(tmp_path)
    kept = lint([str(tree)], resolve_policy(None), jobs=2)
    originals: list[Subject] = []
    drop_fields = run._drop_fields

    def kept_alive(subjects: list[Subject]) -> None:
        originals.extend(subjects)
        drop_fields(subjects)

    monkeypatch.setattr(run, "_drop_fields", kept_alive)
    released = lint([str(tree)], resolve_policy(None), jobs=2, keep_fields=False)
    # Released once, all at once, after the workers were forked; what the main process keeps is copies,
    # made before the settings were let go of (tlslint.survivors).
    assert len(originals) == len(released.inputs.subjects)
    assert not any(
        copy is original or copy.id is original.id
        for copy, original in zip(released.inputs.subjects, originals, strict=True)
    )
    assert released.findings == kept.findings
    assert [(s.kind, s.id, s.location, s.engine) for s in released.inputs.subjects] == [
        (s.kind, s.id, s.location, s.engine) for s in kept.inputs.subjects
    ]
    assert all(s.fields for s in kept.inputs.subjects if s.kind == "endpoint")
    assert not any(s.fields for s in released.inputs.subjects)
    assert released.inputs.engine_assumptions() == kept.inputs.engine_assumptions()
