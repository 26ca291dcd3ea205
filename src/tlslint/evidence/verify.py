"""``tlslint report verify`` and ``tlslint report diff``.

verify: check the report's own hash, re-run the evaluation with the recorded invocation (paths, frameworks,
policy, amendments, engine versions and ``--at``) and compare every input file hash and every requirement
result. Exit 0 only when everything matches; 1 with a line per difference otherwise. A report made by
another tlslint version cannot be re-evaluated faithfully and is a difference too (the rule packs and
catalogues it used are recorded by hash, and a different version may evaluate differently).

diff: status changes per requirement between two certification rounds (exit 0 when none, 1 otherwise).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from tlslint.errors import UsageError


def load(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except ValueError as error:
        raise UsageError(f"{path}: not a JSON report ({error})") from None
    if not isinstance(document, dict) or document.get("kind") != "tlslint/evidence-report":
        raise UsageError(f"{path}: not a tlslint evidence report (report.json)")
    return document


def results(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(framework ref, requirement) -> the parts of a result that decide it."""
    return {
        (framework["ref"], item["requirement"]): {"status": item["status"], "basis": item.get("basis")}
        for framework in document["frameworks"]
        for item in framework["requirements"]
    }


def _relocate(recorded: list[str], given: list[str]) -> dict[str, str]:
    """Recorded scan root -> the root given to ``verify`` (positionally), for checking a copy elsewhere."""
    if not given:
        return {}
    if len(given) != len(recorded):
        raise UsageError(f"the report was made from {len(recorded)} path(s); give as many to verify, or none")
    return {
        old: new for old, new in zip(recorded, given, strict=True) if os.path.normpath(old) != os.path.normpath(new)
    }


def _moved(path: str, moves: dict[str, str]) -> str:
    for old, new in moves.items():
        old_norm = os.path.normpath(old)
        if path == old_norm or path.startswith(old_norm + os.sep):
            return os.path.normpath(new + path[len(old_norm) :])
    return path


def verify(report_path: str, paths: list[str]) -> int:
    from tlslint import __version__
    from tlslint.evidence.build import produce
    from tlslint.evidence.document import Invocation, report_hash

    document = load(report_path)
    problems: list[str] = []
    recorded_hash = document.get("integrity", {}).get("report_sha256")
    if recorded_hash != report_hash(document):
        problems.append(
            "the report was modified after it was written: its content does not match integrity.report_sha256"
        )
    head = document["header"]
    if head["tool"]["version"] != __version__:
        problems.append(f"the report was made by tlslint {head['tool']['version']}; this is {__version__}")
    invocation = Invocation.from_json(head["invocation"])
    moves = _relocate(invocation.paths, paths)
    if moves:
        invocation.paths = list(paths)
    fresh = produce(invocation).document
    problems += _compare_files(head["inputs"], fresh["header"]["inputs"], moves, "input")
    problems += _compare_files(head["amendments"], fresh["header"]["amendments"], {}, "amendment file")
    for key in ("policy", "rule_packs", "frameworks", "engine_assumptions"):
        if head.get(key) != fresh["header"].get(key):
            problems.append(f"{key.replace('_', ' ')} differ from the recorded ones")
    old, new = results(document), results(fresh)
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key):
            problems.append(f"{key[0]} {key[1]}: recorded {_show(old.get(key))}, now {_show(new.get(key))}")
    if document.get("findings") != fresh.get("findings") and not moves:
        problems.append("the findings differ from the recorded ones")
    for line in problems:
        print(f"verify: {line}")
    if problems:
        print(f"{report_path}: NOT verified ({len(problems)} difference(s))")
        return 1
    print(f"{report_path}: verified — {len(new)} requirement results and {len(head['inputs'])} input hashes match")
    return 0


def _show(result: dict[str, Any] | None) -> str:
    if result is None:
        return "absent"
    return f"{result['status']} ({result['basis']})" if result.get("basis") else result["status"]


def _compare_files(recorded: list[Any], fresh: list[Any], moves: dict[str, str], what: str) -> list[str]:
    now = {f["path"]: f for f in fresh}
    problems = []
    seen = set()
    for entry in recorded:
        path = _moved(entry["path"], moves)
        seen.add(path)
        current = now.get(path)
        if current is None:
            problems.append(f"{what} {entry['path']} is no longer read")
        elif (current["sha256"], current["size"]) != (entry["sha256"], entry["size"]):
            problems.append(
                f"{what} {entry['path']} changed (SHA-256 {entry['sha256'][:16]}… → {current['sha256'][:16]}…)"
            )
    for path in sorted(set(now) - seen):
        problems.append(f"{what} {path} is read now but was not recorded")
    return problems


def diff(old_path: str, new_path: str, *, as_json: bool = False) -> int:
    old, new = results(load(old_path)), results(load(new_path))
    changes = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before != after:
            changes.append(
                {
                    "framework": key[0],
                    "requirement": key[1],
                    "old": before["status"] if before else None,
                    "new": after["status"] if after else None,
                    "old_basis": before.get("basis") if before else None,
                    "new_basis": after.get("basis") if after else None,
                }
            )
    if as_json:
        sys.stdout.write(json.dumps({"changes": changes}, indent=1, sort_keys=True) + "\n")
    else:
        for change in changes:
            print(
                f"{change['framework']} {change['requirement']}: {change['old'] or 'absent'} → "
                f"{change['new'] or 'absent'}"
                + (f" (basis {change['new_basis']})" if change["new_basis"] and change["new"] else "")
            )
        print(f"{len(changes)} status change(s) between {old_path} and {new_path}")
    return 1 if changes else 0
