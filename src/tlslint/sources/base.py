"""What every source module provides and returns."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from tlslint.budget import Budget
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.subject import Subject


@dataclass(frozen=True, slots=True)
class ParseContext:
    """Run-wide facts a source may need: the evaluation date and engine versions given on the CLI.

    ``state`` is per-run scratch space for sources that need a pass over all their files (the PKI
    source pairs keys with certificates and builds chains across files); such a source module also
    has ``finish(context) -> ParseResult``, called once after every file has been parsed. ``budget``
    bounds what a run may expand (:mod:`tlslint.budget`); every source that expands charges it."""

    at: datetime.date
    engine_versions: dict[str, str] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    #: What the run has spent on expansion (includes, variables); see :mod:`tlslint.budget`.
    budget: Budget = field(default_factory=Budget)
    #: judge key file permissions even inside a version-control working tree (``--check-file-modes``)
    check_file_modes: bool = False


@dataclass(slots=True)
class ParseResult:
    subjects: list[Subject] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Other files read for this one (includes): their inline suppressions apply too.
    read: list[str] = field(default_factory=list)
    #: The files of ``read`` whose endpoints this result reports, when not all of them (an nginx include
    #: inside ``events {}`` is read but serves nothing): discovery still reads the others on their own.
    covers: list[str] | None = None
