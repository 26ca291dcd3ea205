"""What every source module provides and returns."""

from __future__ import annotations

import datetime
from typing import Any

from tlslint.budget import Budget
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.subject import Subject
from tlslint.records import Frozen, Record


class ParseContext(Frozen):
    """Run-wide facts a source may need: the evaluation date and engine versions given on the CLI.

    ``state`` is per-run scratch space for sources that need a pass over all their files (the PKI
    source pairs keys with certificates and builds chains across files); such a source module also
    has ``finish(context) -> ParseResult``, called once after every file has been parsed. ``budget``
    bounds what a run may expand (:mod:`tlslint.budget`); every source that expands charges it."""

    __slots__ = ("at", "engine_versions", "state", "budget", "check_file_modes")

    at: datetime.date
    engine_versions: dict[str, str]
    state: dict[str, Any]
    #: What the run has spent on expansion (includes, variables); see :mod:`tlslint.budget`.
    budget: Budget
    #: judge key file permissions even inside a version-control working tree (``--check-file-modes``)
    check_file_modes: bool

    def __init__(
        self,
        at: datetime.date,
        engine_versions: dict[str, str] | None = None,
        state: dict[str, Any] | None = None,
        budget: Budget | None = None,
        check_file_modes: bool = False,
    ) -> None:
        object.__setattr__(self, "at", at)
        object.__setattr__(self, "engine_versions", {} if engine_versions is None else engine_versions)
        object.__setattr__(self, "state", {} if state is None else state)
        object.__setattr__(self, "budget", Budget() if budget is None else budget)
        object.__setattr__(self, "check_file_modes", check_file_modes)


class ParseResult(Record):
    """What a source made of one file: subjects, diagnostics, and the other files it read."""

    __slots__ = ("subjects", "diagnostics", "read", "covers")

    subjects: list[Subject]
    diagnostics: list[Diagnostic]
    #: Other files read for this one (includes): their inline suppressions apply too.
    read: list[str]
    #: The files of ``read`` whose endpoints this result reports, when not all of them (an nginx include
    #: inside ``events {}`` is read but serves nothing): discovery still reads the others on their own.
    covers: list[str] | None

    def __init__(
        self,
        subjects: list[Subject] | None = None,
        diagnostics: list[Diagnostic] | None = None,
        read: list[str] | None = None,
        covers: list[str] | None = None,
    ) -> None:
        self.subjects = [] if subjects is None else subjects
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.read = [] if read is None else read
        self.covers = covers
