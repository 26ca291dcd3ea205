"""Budgets on the work one run may do, whatever its input.

Size limits bound what tlslint reads; expansion does not respect them. 90 KB of nginx includes that
include each other twice splice 9 million statements, 44 lines of ``Define A ${A}${A}`` make a
terabyte-long value, and shell, openssl.cnf and Apache variables double the same way. One
:class:`Budget` per run (``ParseContext.budget``) is charged by every source where it expands: a
value longer than :data:`MAX_EXPANDED_CHARS`, or a run past one of the totals in :data:`LIMITS`,
stops that file with a located error diagnostic (:class:`BudgetExceeded`, exit 3); the other files
are still linted.

The limits are far above any real configuration (documented in docs/ci.md, "Limits").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tlslint.errors import InputError
from tlslint.model.located import Location
from tlslint.records import Record

#: The longest value one expansion may produce (a variable, a ``Define``, an ``$var`` reference).
MAX_EXPANDED_CHARS = 256 * 1024

#: Totals per file (with its includes), by what is counted: (limit, what it is, in words for the diagnostic).
LIMITS: dict[str, tuple[int, str]] = {
    # nginx statements and Apache directives placed into configuration trees, includes counted once
    # per inclusion (a file included twice counts twice): what a doubling include chain multiplies.
    "statements": (500_000, "configuration statements (includes counted each time they are spliced)"),
    # Bytes of included files read (Apache Include, openssl.cnf .include), once per inclusion.
    "included_bytes": (64 * 1024 * 1024, "bytes of included files"),
    # Characters re-read to find the end of shell command substitutions ($(...) and `...`): an
    # unclosed "$(" makes the scanner read the rest of the file again for each one.
    "rescanned_chars": (8_000_000, "characters re-read to match shell command substitutions"),
    # Unknown keywords, directives and options compared with every name the engine knows, for a "did you
    # mean" (a few hundred microseconds each): a real file has a handful, a made-up one thousands.
    "name_comparisons": (1_000, "unknown names compared with the names the engine knows"),
}


class BudgetExceeded(InputError):
    """The input expands beyond a budget; reported at the place where it happened."""


class Budget(Record):
    """What the file being parsed has spent so far; one per run, shared by every source, and reset
    for each file by :meth:`for_file`."""

    __slots__ = ("spent",)

    spent: dict[str, int]

    def __init__(self, spent: dict[str, int] | None = None) -> None:
        self.spent = {} if spent is None else spent

    def spend(self, kind: str, amount: int, where: Location | str) -> None:
        """Charge ``amount`` of ``kind`` (a key of :data:`LIMITS`); raise past the limit."""
        total = self.spent.get(kind, 0) + amount
        self.spent[kind] = total
        limit, what = LIMITS[kind]
        if total > limit:
            raise BudgetExceeded(where, f"more than {limit:,} {what} in one file (a limit against expansion bombs)")

    @contextmanager
    def for_file(self) -> Iterator[None]:
        """Parse one file (and its includes) with the whole budget; afterwards the count starts over,
        so what one file spent never counts against another."""
        self.spent = {}
        try:
            yield
        finally:
            self.spent = {}

    def expanded(self, length: int, where: Location | str) -> None:
        """Check the length of one expanded value."""
        if length > MAX_EXPANDED_CHARS:
            raise BudgetExceeded(
                where,
                f"expands to more than {MAX_EXPANDED_CHARS:,} characters (variables that double each other?)",
            )
