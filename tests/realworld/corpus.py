"""Run tlslint over the real-world-shaped server corpus (tests/fixtures/realworld/servers/).

Each directory there is one case: a configuration tree shaped like a public project's (see
docs/corpus-servers.md for where each construct comes from). :func:`run_case` lints a case the way
a user would (``tlslint check CASE --format json``, from the corpus directory so paths are short)
and reduces the report to what the judgement file pins: each finding as ``RULE file:line``, each
diagnostic as ``severity file:line message``, and the exit code.

``python tests/realworld/corpus.py`` prints every case's findings, to judge them by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "realworld" / "servers"
JUDGED = CORPUS / "judged.yaml"
AT = "2026-11-24"


def cases() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def _short(path: str, name: str) -> str:
    """A path relative to the case directory, however the report spelled it (relative to the working
    directory, to the repository, or absolute)."""
    if path.startswith(name + "/"):
        return path[len(name) + 1 :]
    marker = f"/{name}/"
    return path.split(marker, 1)[1] if marker in path else path


def run_case(name: str, *extra: str) -> dict:
    """``{"exit": int, "findings": ["RULE path:line", ...], "diagnostics": [...], "messages": {...}}``."""
    from conftest import run_cli

    result = run_cli("check", name, "--format", "json", "--at", AT, *extra, cwd=CORPUS)
    report = json.loads(result.out)
    findings, messages = [], {}
    for finding in report["findings"]:
        where = finding["location"]
        key = f"{finding['rule_id']} {_short(where['path'], name)}:{where.get('line')}"
        findings.append(key)
        messages[key] = finding["message"]
    diagnostics = [
        f"{d['severity']} {_short(d['location']['path'], name)}:{d['location'].get('line')} {d['message']}"
        for d in report["diagnostics"]
    ]
    return {"exit": result.code, "findings": sorted(findings), "diagnostics": sorted(diagnostics), "messages": messages}


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    wanted = sys.argv[1:] or cases()
    for name in wanted:
        out = run_case(name)
        print(f"== {name} (exit {out['exit']})")
        for key in out["findings"]:
            print(f"   {key}: {out['messages'][key]}")
        for diagnostic in out["diagnostics"]:
            print(f"   diag {diagnostic}")


if __name__ == "__main__":
    main()
