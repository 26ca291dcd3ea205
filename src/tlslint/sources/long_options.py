"""How a command-line tool matches a long option it was given against the names it knows.

GNU ``getopt_long`` (wget) and curl before 8.6 accept any unambiguous abbreviation of a long option, and
curl before 8.6 in any case: ``wget --no-check-cert`` and ``curl --Insecure`` switch verification off just
as the full names do. Reading only the full, exact names misses them; a linter that runs as a gate
must read what the tool reads.
"""

from __future__ import annotations

from collections.abc import Collection


def resolve(given: str, names: Collection[str], *, any_case: bool = False) -> str | None:
    """The option ``given`` names: the one spelled exactly so, else the only one ``given`` abbreviates;
    ``None`` when it abbreviates several (the tool refuses it as ambiguous) or none."""
    if given in names:
        return given
    fold = str.lower if any_case else _same
    wanted = fold(given)
    exact = [name for name in names if fold(name) == wanted]
    if exact:
        return exact[0]
    matches = [name for name in names if fold(name).startswith(wanted)]
    return matches[0] if len(matches) == 1 else None


def abbreviates_several(given: str, several: list[str]) -> str:
    """``--given`` as an abbreviation of the options ``several`` (sorted), in words: the tool refuses it."""
    shown = ", --".join(several[:3]) + (", ..." if len(several) > 3 else "")
    return f"--{given} abbreviates several options (--{shown})"


def _same(text: str) -> str:
    return text
