"""SARIF 2.1.0 for code scanning (ARCHITECTURE §8; the checklist in the peers note §3).

* ``tool.driver.rules[]`` holds every rule the run evaluated — the policy's and the built-in ones of
  the suppression stage — passing or not, with help text and markdown, ``helpUri``, the default level,
  ``security-severity`` (from the severity the policy and configuration give the rule: GitHub reads it
  from the rule only) and tags (``security``, the pack, the control ids).
* Results carry the finding-specific message, the parser's line/column span, related locations (the
  lines a value was inherited through, the endpoints it affects), ``partialFingerprints`` with the
  line-independent fingerprint, and properties (severity, confidence, controls).
* URIs are relative to the repository root (``%SRCROOT%``), percent-encoded, never with a scheme-like
  first segment; files outside the repository get ``file://`` URIs.
* No code snippets: an input line can hold a secret.
* Suppressed findings are left out unless asked for (``--sarif-include-suppressed``): GitHub does not
  reliably honour ``suppressions`` and would show them as open alerts.
* Same input, same output: no timestamps, no absolute paths for files inside the repository.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from tlslint import __version__
from tlslint.findings import Finding
from tlslint.model.located import Location
from tlslint.rules.model import Rule
from tlslint.run import LintResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://tlslint.dev"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "tlslint/v1"

#: GitHub: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.5"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
PRECISION = {"high": "high", "medium": "medium", "low": "low"}
EXIT_DESCRIPTIONS = {
    0: "no unsuppressed finding at or above the fail threshold",
    1: "unsuppressed findings at or above the fail threshold",
    3: "some inputs could not be read or parsed; the others were linted",
    4: "internal error",
}
MAX_TAGS = 20  # GitHub's limit per rule


def uri_of(path: str) -> tuple[str, str | None]:
    """(uri, uriBaseId) for a path: repository-relative under %SRCROOT%, or an absolute file URI."""
    from tlslint.repo import repo_relative

    relative = repo_relative(path)
    if relative.startswith("/") or os.path.isabs(relative):
        from pathlib import Path

        return Path(relative).as_uri(), None
    # quote() percent-encodes ':' and the like, so no segment can look like a scheme.
    # An undecodable byte of a file name is percent-encoded as the byte it is.
    return quote(relative, safe="/-._~", errors="surrogateescape"), SRCROOT


def _pascal(title: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in title).split()
    return "".join(word[:1].upper() + word[1:] for word in words) or "Rule"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _rule(rule: Rule, severity: str) -> dict[str, Any]:
    from tlslint.rules.explain import explain

    controls = [ref.tag for ref in rule.references if ref.is_evidence]
    tags = list(dict.fromkeys(["security", "tls", *rule.tags, f"pack/{rule.pack}", *controls]))[:MAX_TAGS]
    references = "; ".join(str(ref) for ref in rule.references)
    fixes = "".join(f"\n{engine}: {fix.strip()}" for engine, fix in rule.remediation_per_engine.items())
    descriptor = {
        "id": rule.id,
        "name": _pascal(rule.title),
        "shortDescription": {"text": _sentence(rule.title)},
        "fullDescription": {"text": _sentence(rule.rationale)},
        "help": {
            "text": f"{rule.rationale.strip()}\n\nHow to fix it: {rule.remediation.strip()}{fixes}\n\n"
            f"References: {references}",
            "markdown": explain(rule),
        },
        "defaultConfiguration": {"level": LEVEL[severity]},
        "properties": {
            "tags": tags,
            "security-severity": SECURITY_SEVERITY[severity],
            "precision": PRECISION.get(rule.confidence, "medium"),
            "problem.severity": {"error": "error", "warning": "warning", "note": "recommendation"}[LEVEL[severity]],
            "tlslint/severity": severity,
            "tlslint/pack": rule.pack,
        },
    }
    help_uri = rule.help_uri()
    if help_uri:
        descriptor["helpUri"] = help_uri
    return descriptor


class _Artifacts:
    def __init__(self, result: LintResult) -> None:
        self.items: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}
        #: What the run read (digest, line lengths): the renderer never opens an input again —
        #: a file may have become a FIFO or /dev/zero since, and re-reading costs a second pass.
        self._reads = result.inputs.reads
        for file in result.inputs.files:
            self.add(file.path, file.sha256, "analysisTarget")

    def add(self, path: str, sha256: str | None = None, role: str = "userSpecifiedConfiguration") -> int:
        uri, base = uri_of(path)
        if uri in self.index:
            return self.index[uri]
        if sha256 is None:
            read = self._reads.get(os.path.abspath(path))
            sha256 = read.sha256 if read is not None else None
        location: dict[str, Any] = {"uri": uri}
        if base:
            location["uriBaseId"] = base
        artifact: dict[str, Any] = {"location": location, "roles": [role]}
        if sha256:
            artifact["hashes"] = {"sha-256": sha256}
        self.index[uri] = len(self.items)
        self.items.append(artifact)
        return self.index[uri]

    def physical(self, location: Location) -> dict[str, Any]:
        index = self.add(location.path)
        artifact_location = dict(self.items[index]["location"])
        artifact_location["index"] = index
        out: dict[str, Any] = {"artifactLocation": artifact_location}
        region = self.region(location)
        if region is not None:
            out["region"] = region
        return out

    def region(self, location: Location) -> dict[str, Any] | None:
        """A fully expressed line/column region (consumers rely on both ends): the parser's span,
        completed to the end of the line when the parser gave only a start; a whole-file finding
        covers every line."""
        lines = self._lines(location.path)
        if location.line is None:
            return {"startLine": 1, "endLine": max(len(lines), 1)} if lines is not None else None
        start_line = location.line
        start_column = location.column or 1
        end_line = location.end_line if location.end_line and location.end_line >= start_line else start_line
        end_column = location.end_column if location.end_line and location.end_column else None
        if end_column is None or (end_line == start_line and end_column <= start_column):
            end_line = start_line
            length = lines[start_line - 1] if lines is not None and start_line <= len(lines) else 0
            end_column = max(length + 1, start_column + 1)
        return {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}

    def _lines(self, path: str) -> tuple[int, ...] | None:
        """The length of each line of ``path`` as the run read it (``None``: not read)."""
        read = self._reads.get(os.path.abspath(path))
        return read.line_lengths if read is not None else None


def _result(finding: Finding, rule_index: int, artifacts: _Artifacts) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[finding.severity],
        "kind": "fail",
        "message": {"text": _sentence(finding.message)},
        "locations": [{"physicalLocation": artifacts.physical(finding.location)}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "tlslint/severity": finding.severity,
            "tlslint/confidence": finding.confidence,
            "tlslint/controls": [ref.tag for ref in finding.references if ref.is_evidence],
            "tlslint/subjects": list(finding.subjects),
        },
    }
    if finding.field:
        out["properties"]["tlslint/field"] = finding.field
    if finding.origin:
        out["properties"]["tlslint/origin"] = finding.origin
    if finding.related:
        notes = finding.related_notes or ("related location",) * len(finding.related)
        out["relatedLocations"] = [
            {"id": number, "physicalLocation": artifacts.physical(location), "message": {"text": _sentence(note)}}
            for number, (location, note) in enumerate(zip(finding.related, notes, strict=False), start=1)
        ]
    if finding.suppression is not None:
        suppression = finding.suppression
        entry: dict[str, Any] = {
            "kind": "inSource" if suppression.kind == "inline" else "external",
            "status": "accepted",
            "justification": suppression.reason,
            "properties": {"tlslint/kind": suppression.kind},
        }
        if suppression.location is not None and suppression.location.line is not None:
            entry["location"] = {"physicalLocation": artifacts.physical(suppression.location)}
        for name in ("approver", "expires", "waiver_id"):
            value = getattr(suppression, name)
            if value is not None:
                entry["properties"][f"tlslint/{name}"] = value
        out["suppressions"] = [entry]
    return out


def render(result: LintResult, *, exit_code: int, include_suppressed: bool = False, category: str | None = None) -> str:
    return "".join(render_lines(result, exit_code=exit_code, include_suppressed=include_suppressed, category=category))


#: How deep ``results[]`` is nested in the log: log, runs[], the run.
_RESULTS_LEVEL = 3


def render_lines(
    result: LintResult, *, exit_code: int, include_suppressed: bool = False, category: str | None = None
) -> Iterator[str]:
    """The SARIF log as pieces of text — the text :func:`json.dumps` with ``indent=2`` gives for the whole
    log, but never held whole: each result is encoded as it is built and kept in a temporary file (the
    artifacts it names come before the results in the log), then the log is written around them. A
    large repository's SARIF would otherwise hold gigabytes of dictionaries and text at once."""
    import secrets
    import tempfile

    from tlslint.report.json import indented_array

    rules = result.all_rules
    index = {rule.id: number for number, rule in enumerate(rules)}
    artifacts = _Artifacts(result)
    shown = (f for f in result.findings if include_suppressed or f.suppression is None)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for piece in indented_array((_result(f, index[f.rule_id], artifacts) for f in shown), _RESULTS_LEVEL):
            spool.write(piece)
        # The log without its results, with a stand-in nobody can predict (not even a crafted file name):
        # the results are written where it stands.
        stand_in = f"tlslint-results-{secrets.token_hex(16)}"
        head, tail = _log(result, rules, artifacts, stand_in, exit_code, category).split(json.dumps(stand_in))
        yield head
        spool.seek(0)
        while piece := spool.read(1 << 20):
            yield piece
        yield tail


def _log(
    result: LintResult, rules: list[Rule], artifacts: _Artifacts, results: str, exit_code: int, category: str | None
) -> str:
    """The SARIF log as text, with ``results`` (a string) in place of the results array."""
    notifications = []
    for diagnostic in result.inputs.diagnostics:
        notification: dict[str, Any] = {
            "level": "error" if diagnostic.severity == "error" else "warning",
            "message": {"text": _sentence(diagnostic.message)},
            "descriptor": {"id": "TLSLINT-INPUT"},
        }
        if os.path.exists(diagnostic.location.path):
            notification["locations"] = [{"physicalLocation": artifacts.physical(diagnostic.location)}]
        notifications.append(notification)
    invocation: dict[str, Any] = {
        "executionSuccessful": exit_code in (0, 1),
        "exitCode": exit_code,
        "exitCodeDescription": EXIT_DESCRIPTIONS.get(exit_code, "usage or configuration error"),
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "tlslint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rule, result.severity_of(rule)) for rule in rules],
            }
        },
        "automationDetails": {"id": category or f"tlslint/{result.policy.id}/"},
        "invocations": [invocation],
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the repository (the checkout) that was linted."}}
        },
        "artifacts": artifacts.items,
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "tlslint/policy": {
                "id": result.policy.id,
                "edition": result.policy.edition,
                "content_sha256": result.policy.content_hash,
            },
            "tlslint/engines": [e.to_json() for e in result.inputs.engine_assumptions()],
            "tlslint/summary": {
                "findings": len(result.active),
                "suppressed": len(result.suppressed),
                "suppressed_by_kind": result.suppressed_by_kind(),
                "input_errors": result.input_errors,
            },
        },
    }
    from tlslint.report.indented_json import dumps_indented
    from tlslint.report.safe_text import json_safe

    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return dumps_indented(json_safe(log)) + "\n"
