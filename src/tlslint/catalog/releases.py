"""Whether an engine release knows a name (a keyword, a directive), and what to say when it does not.

Engines refuse to start on a name they do not know, and releases add names (and now and then drop
one). The tables of which releases know which names are per engine (:mod:`.haproxy_keywords`,
:mod:`.apache_directives`, :mod:`.nginx_directives`, curl's options and wget's commands in their
sources); this module answers from such a table for the version tlslint models, given by the user or
assumed, in the same words for every engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tlslint.catalog.engine_defaults import parse_version

if TYPE_CHECKING:
    from tlslint.budget import Budget
    from tlslint.model.located import Location

#: A release as a version tuple: (major, minor) or (major, minor, patch).
Release = tuple[int, ...]
#: Releases that know a name: from the first to the last (None: to the newest release of the table).
Ranges = tuple[tuple[Release, Release | None], ...]
#: The releases a version may mean, lowest and highest: "2.6.12" is one, "2.4" every 2.4.x.
Span = tuple[Release, Release]

#: How the user names the version, appended to what depends on an assumed one.
NAME_YOURS = "name yours with --engine-version {engine}=VER"

_ANY = 1 << 30  # a part the version leaves open


def span_of(version: str, parts: int) -> Span:
    """The releases of ``parts`` numbers that ``version`` may mean: "2.6.12" with 2 parts is (2, 6); "2.4"
    with 3 parts is every 2.4.x. A version given without its patch level must not be held to 2.4.0."""
    numbers = parse_version(version)[:parts]
    missing = parts - len(numbers)
    return (*numbers, *(0,) * missing), (*numbers, *(_ANY,) * missing)


def _shown(release: Release) -> str:
    return ".".join(map(str, release))


def knows(ranges: Ranges, span: Span) -> bool:
    """Whether some release of ``span`` is in ``ranges``."""
    low, high = span
    return any(first <= high and (last is None or low <= last) for first, last in ranges)


def version_problem(
    engine: str, name: str, ranges: Ranges, span: Span, version: str, given: bool, *, key: str
) -> tuple[str, str] | None:
    """None when a release of ``span`` is among ``ranges``; else ``("error", text)`` when the user gave the
    version, ``("warning", sentence)`` when it was assumed. ``engine`` names the engine in words
    ("HAProxy", "httpd"), ``key`` as ``--engine-version`` spells it. The text of an error follows
    "<engine> refuses to start: "."""
    if knows(ranges, span):
        return None
    later = [first for first, _ in ranges if first > span[1]]
    history = f"added in {_shown(later[0])}" if later else f"known up to {_shown(ranges[-1][1] or span[0])}"
    if given:
        return "error", f"{engine} {version} does not know '{name}' ({history})"
    return "warning", (
        f"{engine} {version}, the version assumed, does not know '{name}' ({history}) and refuses to start "
        f"({NAME_YOURS.format(engine=key)})"
    )


def closest(name: str, names: list[str], budget: Budget | None = None, where: Location | None = None) -> str | None:
    """The one of ``names`` that ``name`` is most likely a misspelling of (compared without case), if any
    is close: ``SSLHonourCipherOrder`` → ``SSLHonorCipherOrder``, ``no-tlsv1`` → ``no-tlsv10`` (of equally
    close ones, the first in sorted order). Each comparison is charged to ``budget`` (the file's), at
    ``where``: comparing with a few hundred names takes a few hundred microseconds."""
    from difflib import SequenceMatcher

    if budget is not None:
        budget.spend("name_comparisons", 1, where or name)
    best, best_ratio = None, 0.8  # below this, two names are not one misspelt
    matcher = SequenceMatcher(b=name.lower())
    for known in sorted(names):
        matcher.set_seq1(known.lower())
        if matcher.real_quick_ratio() >= best_ratio and matcher.quick_ratio() >= best_ratio:
            ratio = matcher.ratio()
            if ratio > best_ratio or (ratio == best_ratio and best is None):
                best, best_ratio = known, ratio
    return best


def unknown_name(
    engine: str,
    name: str,
    span: Span | None,
    newest: Release,
    version: str | None,
    given: bool,
    *,
    said: str,
    near: str | None,
    key: str,
) -> tuple[str, str]:
    """What to say of a name no release of the table (up to ``newest``) knows; ``said`` is the engine's own
    complaint ("unknown keyword 'x'"), ``near`` a known name it looks misspelt from, ``key`` the engine as
    ``--engine-version`` spells it. A misspelling, or any unknown name when the version was given and is
    in the table, is an error. Otherwise a release newer than the table's may know the name (the version
    was assumed, is newer than the table, or is neither given nor assumed: ``version`` None, ``span``
    None): a warning."""
    if near is not None:
        return "error", f"{said} (did you mean {near}?)"
    if given and span is not None and span[1] <= newest:
        return "error", said
    unknown = f"{said}: no {engine} release up to {_shown(newest)} (the newest tlslint knows) has it, so"
    if version is None:
        return "warning", f"{unknown} {engine} refuses it unless yours is newer and knows it"
    if given:
        return "warning", f"{unknown} {engine} {version} refuses to start unless it added it"
    return "warning", (
        f"{unknown} {engine} {version}, the version assumed, refuses to start (a newer release may know it: "
        f"{NAME_YOURS.format(engine=key)})"
    )
