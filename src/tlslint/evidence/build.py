"""Run the pipeline for a report and write the chosen formats.

:func:`produce` is what ``tlslint report`` and ``tlslint report verify`` both call, so a verification
re-evaluates exactly as the report was made.
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from typing import Any

from tlslint.evidence.document import Invocation, file_record, finding_record, header, rule_texts, seal
from tlslint.records import Record

__all__ = ["Invocation", "Produced", "produce", "write_outputs"]

#: Output file of each format.
FILENAMES = {
    "json": "report.json",
    "html": "report.html",
    "oscal-ar": "report.oscal-ar.json",
    "techdoc-csv": "techdoc.csv",
    "cbom": "cbom.cdx.json",
}

STATUSES = ("fail", "manual", "not-covered", "pass", "not-applicable")


class Produced(Record):
    """An evidence document and the lint result it was built from."""

    __slots__ = ("document", "result")

    document: dict[str, Any]
    result: Any  # the LintResult

    def __init__(self, document: dict[str, Any], result: Any) -> None:
        self.document = document
        self.result = result

    def exit_code(self, gate: str) -> int:
        if self.result.inputs.internal_errors:
            return 4
        if self.result.input_errors:
            return 3
        if gate == "never":
            return 0
        gating = {"fail"} if gate == "fail" else {"fail", "manual"}
        for framework in self.document["frameworks"]:
            if any(framework["counts"].get(status) for status in gating):
                return 1
        return 0


def _lint(invocation: Invocation):
    from tlslint.commands.check import lint_with_config

    args = argparse.Namespace(
        paths=invocation.paths,
        policy=invocation.policies or None,
        waivers=invocation.waivers,
        at=invocation.at,
        engine_versions=invocation.engine_versions,
        config=invocation.config,
        no_config=invocation.no_config,
    )
    result, config, _code = lint_with_config(args, ledger=bool(invocation.frameworks))
    return result, config


def _amendment_files(invocation: Invocation) -> list[dict[str, Any]]:
    from tlslint.errors import UsageError

    named = [("profile", invocation.profile)] if invocation.profile else []
    named += [("attestations", p) for p in invocation.attestations]
    named += [("deviations", p) for p in invocation.deviations]
    named += [("waivers", invocation.waivers)] if invocation.waivers else []
    records = []
    for kind, path in named:
        if not os.path.isfile(path):
            raise UsageError(f"{path}: {kind} file not found")
        records.append(file_record(path, kind=kind))
    return records


def produce(invocation: Invocation) -> Produced:
    from tlslint.evidence import frameworks as framework_results
    from tlslint.evidence.inventory import build as inventory

    amendments = _amendment_files(invocation)
    result, config = _lint(invocation)
    evaluated = framework_results.evaluate(invocation, result)
    sections = evaluated.sections
    head = header(invocation, result, config, amendments)
    head["frameworks"] = evaluated.catalogues
    head["product"] = evaluated.product
    referenced = {f.rule_id for f in result.findings}
    for section in sections:
        for requirement in section["requirements"]:
            referenced.update(link["rule"] for link in requirement.get("links", []))
    document = {
        "schema_version": "1.0",
        "kind": "tlslint/evidence-report",
        "header": head,
        "summary": _summary(sections, result),
        "frameworks": sections,
        "findings": [finding_record(f) for f in result.findings],
        "ledger": evaluated.ledger,
        "inventory": inventory(result.inputs.subjects),
        "rules": rule_texts(result.all_rules, referenced),
    }
    return Produced(seal(document), result)


def _summary(sections: list[dict[str, Any]], result: Any) -> dict[str, Any]:
    findings = Counter(f.severity for f in result.active)
    return {
        "frameworks": [{"ref": s["ref"], "counts": s["counts"]} for s in sections],
        "findings": {
            "active": len(result.active),
            "suppressed": len(result.suppressed),
            "by_severity": {s: findings[s] for s in ("critical", "high", "medium", "low", "info")},
        },
        "inputs": len(result.inputs.files),
        "input_errors": result.input_errors,
    }


def render(document: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        from tlslint.evidence.jsonfile import render as renderer
    elif fmt == "html":
        from tlslint.evidence.html import render as renderer
    elif fmt == "oscal-ar":
        from tlslint.evidence.oscal import render as renderer
    elif fmt == "techdoc-csv":
        from tlslint.evidence.techdoc import render as renderer
    else:
        from tlslint.evidence.cbom import render as renderer
    return renderer(document)


def write_outputs(document: dict[str, Any], formats: list[str], directory: str) -> list[str]:
    from tlslint.errors import UsageError

    rendered = {fmt: render(document, fmt) for fmt in formats}  # all or nothing: render before writing
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create {directory}: {error.strerror or error}") from None
    written = []
    for fmt, text in rendered.items():
        path = os.path.join(directory, FILENAMES[fmt])
        try:
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
        written.append(path)
    return written
