"""The README's quick start shows what ``tlslint check examples/charging-station`` really prints.

The README block may leave lines out with a line ``...``; every line it does show must be printed,
in that order, and the block's last line must be the summary line exactly.
"""

from __future__ import annotations

import re

from conftest import EXAMPLE, REPO, run_cli


def _quick_start_block() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"exits with 1 because there are findings:\n\n```\n(.*?)\n```", text, re.DOTALL)
    assert match, "the quick start output block is missing from README.md"
    return match[1].splitlines()


def test_quick_start_output_matches_the_tool(monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("check", str(EXAMPLE.relative_to(REPO)))
    assert result.code == 1, result.err
    printed = result.out.rstrip("\n").splitlines()
    shown = _quick_start_block()
    assert shown[-1] == printed[-1], "the summary line differs"
    position = 0
    for line in shown[:-1]:
        if line == "...":
            continue
        assert line in printed[position:], f"README shows a line the tool does not print (in order): {line!r}"
        position = printed.index(line, position) + 1
