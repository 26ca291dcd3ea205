"""What every source module provides and returns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from tlslint.model.diagnostic import Diagnostic
from tlslint.model.subject import Subject


@dataclass(frozen=True, slots=True)
class ParseContext:
    """Run-wide facts a source may need: the evaluation date and engine versions given on the CLI."""

    at: datetime.date
    engine_versions: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ParseResult:
    subjects: list[Subject] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
