"""Helpers shared by the device-source tests: parse a file through the real pipeline, read a field."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from tlslint.model.subject import Subject

#: Device tests are judged on a fixed date, so engine defaults and certificates do not drift.
AT = datetime.date(2026, 11, 24)


def subjects(path: Path, **versions: str) -> list[Subject]:
    """Every subject the pipeline makes of ``path``; an input error fails the test."""
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    parsed = parse_inputs([str(path)], ParseContext(at=AT, engine_versions=dict(versions)))
    assert not [d for d in parsed.diagnostics if d.severity == "error"], parsed.diagnostics
    return parsed.subjects


def only(path: Path, **versions: str) -> Subject:
    found = subjects(path, **versions)
    assert len(found) == 1, [s.id for s in found]
    return found[0]


def at(subject: Subject, field: str) -> tuple[Any, str, int | None]:
    """(value, origin, line) of a field that must be set."""
    value, origin, line, _ = at_with_column(subject, field)
    return value, origin, line


def at_with_column(subject: Subject, field: str) -> tuple[Any, str, int | None, int | None]:
    located = subject.get(field)
    assert located is not None, f"{field} not set on {subject.id}"
    location = located.location
    return (
        located.value,
        str(located.origin),
        location.line if location else None,
        location.column if location else None,
    )


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
