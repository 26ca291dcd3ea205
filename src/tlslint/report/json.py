"""Versioned JSON reports; their shapes are documented by schemas/check-output.schema.yaml and
schemas/inspect-output.schema.yaml, and ``schema_version`` changes when a shape changes."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tlslint import __version__
from tlslint.model.subject import Subject
from tlslint.repo import repo_relative
from tlslint.report.finding_json import FindingLines
from tlslint.report.indented_json import dumps_indented
from tlslint.run import LintResult, ParsedInputs

CHECK_SCHEMA_VERSION = "1.0"
INSPECT_SCHEMA_VERSION = "1.0"


def _dump(data: dict[str, Any]) -> str:
    return "".join(dump_lines(data))


#: One compact list item: ``json.dumps(item, ensure_ascii=False, separators=(", ", ": "))`` without
#: building an encoder per item (the same text).
_ITEM_JSON = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def dump_lines(data: dict[str, Any], encoders: dict[str, Callable[[Any], str]] | None = None) -> Iterator[str]:
    """Indented JSON whose long lists (findings, endpoints, files…) hold one compact item per line.

    Readable, grep- and diff-friendly, and fast: ``json`` only uses its C encoder without ``indent``,
    and a repository with thousands of findings would otherwise spend seconds pretty-printing them.
    A list may be given as any iterable (a generator): its items are converted and written one at a
    time, so a report of 30,000 findings is never held in memory as dictionaries and text at once.
    ``encoders`` gives, by key, the function that writes each item of that list as its JSON text, made
    safe as here (see :mod:`tlslint.report.finding_json`)."""
    from tlslint.report.safe_text import has_undecodable, json_safe

    yield "{"
    keys = list(data)
    for position, key in enumerate(keys):
        comma = "," if position < len(keys) - 1 else ""
        name = json.dumps(key)
        value = data[key]
        if isinstance(value, list | tuple | Iterator):
            first = True
            encode = encoders.get(key) if encoders else None
            for item in value:
                if encode is not None:
                    text = encode(item)
                else:
                    text = _ITEM_JSON.encode(item)
                    if has_undecodable(text):  # a file name's undecodable bytes: no UTF-8 writer takes them raw
                        text = _ITEM_JSON.encode(json_safe(item))
                yield f"\n  {name}: [\n    {text}" if first else f",\n    {text}"
                first = False
            yield f"\n  {name}: []{comma}" if first else f"\n  ]{comma}"
        else:
            rendered = dumps_indented(json_safe(value)).replace("\n", "\n  ")
            yield f"\n  {name}: {rendered}{comma}"
    yield "\n}\n"


def indented_array(items: Iterable[Any], level: int) -> Iterator[str]:
    """The text ``json.dumps(list(items), indent=2, ensure_ascii=False)`` gives for a list nested ``level``
    deep in an indented document, one item at a time: a report's findings are never all held as
    dictionaries and text at once (the SARIF and GitLab reports)."""
    from tlslint.report.safe_text import has_undecodable, json_safe

    inner = "\n" + "  " * (level + 1)
    first = True
    for item in items:
        text = dumps_indented(item)
        if has_undecodable(text):  # a file name's undecodable bytes: as json_safe writes them
            text = dumps_indented(json_safe(item))
        yield ("[" if first else ",") + inner + text.replace("\n", inner)
        first = False
    yield "[]" if first else "\n" + "  " * level + "]"


def check_report(result: LintResult, *, exit_code: int) -> str:
    return "".join(check_report_lines(result, exit_code=exit_code))


def check_report_lines(result: LintResult, *, exit_code: int) -> Iterator[str]:
    """The check report as pieces of text, written as findings are converted (see :func:`dump_lines`)."""
    counts = Counter(f.severity for f in result.active)
    return dump_lines(
        {
            "schema_version": CHECK_SCHEMA_VERSION,
            "tool": {"name": "tlslint", "version": __version__},
            "policy": {
                "id": result.policy.id,
                "edition": result.policy.edition,
                "content_sha256": result.policy.content_hash,
            },
            "summary": {
                "findings": len(result.active),
                "suppressed": len(result.suppressed),
                "suppressed_by_kind": result.suppressed_by_kind(),
                "by_severity": {s: counts[s] for s in ("critical", "high", "medium", "low", "info")},
                "files": len(result.inputs.files),
                "rules": len(result.rules),
                "input_errors": sum(1 for d in result.inputs.diagnostics if d.severity == "error"),
                "exit_code": exit_code,
            },
            "engines": [e.to_json() for e in result.inputs.engine_assumptions()],
            "findings": iter(result.findings),
            "diagnostics": (d.to_json() for d in result.inputs.diagnostics),
            "files": (
                {"path": repo_relative(f.path), "spelled_path": f.path, "source": f.source, "sha256": f.sha256}
                for f in result.inputs.files
            ),
        },
        {"findings": FindingLines(_ITEM_JSON).line},
    )


def inspect_report(inputs: ParsedInputs) -> str:
    endpoints = [endpoint_json(s) for s in inputs.subjects if s.kind == "endpoint"]
    certificates = [subject_json(s) for s in inputs.subjects if s.kind == "certificate"]
    others = [subject_json(s) for s in inputs.subjects if s.kind not in ("endpoint", "certificate")]
    return _dump(
        {
            "schema_version": INSPECT_SCHEMA_VERSION,
            "tool": {"name": "tlslint", "version": __version__},
            "endpoints": endpoints,
            "certificates": certificates,
            "other_subjects": others,
            "diagnostics": [d.to_json() for d in inputs.diagnostics],
        }
    )


def subject_json(subject: Subject) -> dict[str, Any]:
    return {
        "id": subject.id,
        "kind": subject.kind,
        "source": subject.location.to_json(),
        "engine": subject.engine,
        "settings": {path: located.to_json() for path, located in sorted(subject.fields.items())},
    }


def endpoint_json(subject: Subject) -> dict[str, Any]:
    out = subject_json(subject)
    out["role"] = subject.value("role")
    if subject.value("role") == "server":
        out["bind"] = {"address": subject.value("bind.address"), "port": subject.value("bind.port")}
    out["effective"] = effective(subject)
    return out


def effective(subject: Subject) -> dict[str, Any]:
    """What a peer could negotiate: offered versions, and per version the usable suites in order."""
    from tlslint.catalog.suites import lookup
    from tlslint.catalog.versions import rank

    protocols = subject.get("protocols")
    tls12 = subject.get("cipher_suites.tls12")
    tls13 = subject.get("cipher_suites.tls13")
    suites: dict[str, list[str]] = {}
    origins: dict[str, str] = {}
    # An unknown value (origin unknown, value None: a system crypto policy decides) lists nothing.
    for version in (protocols.value or []) if protocols else []:
        if version == "TLSv1.3":
            if tls13 is not None:
                suites[version], origins[version] = list(tls13.value or []), str(tls13.origin)
            continue
        if tls12 is not None:
            usable = []
            for name in tls12.value or []:
                suite = lookup(name)
                if suite is not None and not suite.tls13 and rank(suite.min_version) <= rank(version):
                    usable.append(suite.iana_name)
            suites[version], origins[version] = usable, str(tls12.origin)
    return {
        "protocols": list(protocols.value) if protocols and protocols.value is not None else None,
        "protocols_origin": str(protocols.origin) if protocols else "unknown",
        "cipher_suites": suites,
        "cipher_suites_origin": origins,
    }
