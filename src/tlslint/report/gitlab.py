"""GitLab Code Quality report: a JSON array of issues for ``artifacts:reports:codequality``.

GitLab reads a subset of the Code Climate issue format: ``description``, ``check_name``,
``fingerprint``, ``severity`` (``info``, ``minor``, ``major``, ``critical``, ``blocker``) and
``location.path`` with ``location.lines.begin``. The merge-request widget compares fingerprints between
the source and target branch, so they must ignore line numbers — tlslint's own fingerprints already do.
Paths are repository-relative (GitLab links them into the diff). Suppressed findings are left out, as
GitLab has no notion of them; unreadable inputs become ``blocker`` issues so a broken file is not a
silent pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from tlslint.run import LintResult

#: tlslint severity → GitLab severity. critical findings block; info stays informational.
_SEVERITY = {"critical": "blocker", "high": "critical", "medium": "major", "low": "minor", "info": "info"}


def _location(location) -> dict:
    from tlslint.repo import repo_relative

    return {"path": repo_relative(location.path), "lines": {"begin": location.line or 1}}


def render(result: LintResult) -> str:
    return "".join(render_lines(result))


def render_lines(result: LintResult) -> Iterator[str]:
    """The report as pieces of text, each issue encoded as it is built (see ``indented_array``)."""
    from tlslint.report.json import indented_array

    yield from indented_array(_issues(result), 0)
    yield "\n"


def _issues(result: LintResult) -> Iterator[dict[str, Any]]:
    for diagnostic in result.inputs.diagnostics:
        if diagnostic.severity != "error":
            continue
        where = _location(diagnostic.location)
        key = f"tlslint-input-error\0{where['path']}\0{diagnostic.message}"
        digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
        yield {
            "type": "issue",
            "check_name": "tlslint/input-error",
            "description": f"tlslint could not read this input: {diagnostic.message}",
            "categories": ["Bug Risk"],
            "severity": "blocker",
            "fingerprint": digest,
            "location": where,
        }
    for finding in result.active:
        yield {
            "type": "issue",
            "check_name": finding.rule_id,
            "description": f"{finding.rule_id}: {finding.message}",
            "categories": ["Security"],
            "severity": _SEVERITY[finding.severity],
            "fingerprint": finding.fingerprint,
            "location": _location(finding.location),
        }
