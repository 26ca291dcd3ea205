"""Values that remember where they came from.

Every setting tlslint reports on is a :class:`Located` value: the value itself, the place in a file
the parser saw it (:class:`Location`) and its :class:`Origin` — written explicitly, inherited from an
enclosing block, an engine's built-in default, or not statically knowable.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, Generic, TypeVar

from tlslint.records import Frozen

T = TypeVar("T")


class Origin(StrEnum):
    EXPLICIT = "explicit"  # written in this file, at this place
    INHERITED = "inherited"  # from an enclosing block, a profile it extends, or an included file
    DEFAULT = "default"  # the engine's built-in default; nothing was written
    UNKNOWN = "unknown"  # cannot be determined statically (a variable, an environment value, ...)

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        # Unpickled by a C attribute lookup on the class, not by calling the enumeration (Python code),
        # once per member per pickle: --jobs sends hundreds of thousands of located values.
        return getattr, (self.__class__, self._name_)

    # Hashed as the string it equals, in C (Enum's own hash is Python code): an origin is part of every
    # key of the rule memo (tlslint.rules.memo), hashed some 140 times per nginx file.
    __hash__ = str.__hash__


# A large run makes millions of Location and Located values. Their __init__ sets each field with the
# slot's own setter (bound below each class), in about two thirds of the time object.__setattr__ takes,
# and they compare and hash their fields written out, not through Record's loop over the slots.


class Location(Frozen):
    """A span in an input file. Lines and columns are 1-based, as editors and SARIF count them."""

    __slots__ = ("path", "line", "column", "end_line", "end_column")

    path: str
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None

    def __init__(
        self,
        path: str,
        line: int | None = None,
        column: int | None = None,
        end_line: int | None = None,
        end_column: int | None = None,
    ) -> None:
        _set_path(self, path)
        _set_line(self, line)
        _set_column(self, column)
        _set_end_line(self, end_line)
        _set_end_column(self, end_column)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Location:
            return NotImplemented
        return (self.path, self.line, self.column, self.end_line, self.end_column) == (
            other.path,  # type: ignore[attr-defined]
            other.line,  # type: ignore[attr-defined]
            other.column,  # type: ignore[attr-defined]
            other.end_line,  # type: ignore[attr-defined]
            other.end_column,  # type: ignore[attr-defined]
        )

    def __hash__(self) -> int:
        return hash((self.path, self.line, self.column, self.end_line, self.end_column))

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled by ``--jobs`` workers by the hundred thousand.
        return Location, (self.path, self.line, self.column, self.end_line, self.end_column)

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"

    def to_json(self) -> dict[str, Any]:
        """``path`` relative to the repository root, as in SARIF and fingerprints, so JSON from two checkouts
        or two working directories agrees; ``spelled_path`` keeps the path as given when it differs."""
        from tlslint.repo import repo_relative

        relative = repo_relative(self.path)
        out: dict[str, Any] = {"path": relative}
        if relative != self.path:
            out["spelled_path"] = self.path
        if self.line is not None:
            out["line"] = self.line
        if self.column is not None:
            out["column"] = self.column
        if self.end_line is not None:
            out["end_line"] = self.end_line
        if self.end_column is not None:
            out["end_column"] = self.end_column
        return out


_set_path, _set_line, _set_column, _set_end_line, _set_end_column = (
    Location.__dict__[name].__set__ for name in ("path", "line", "column", "end_line", "end_column")
)


class Located(Frozen, Generic[T]):
    """A value plus its provenance.

    ``location`` is where the value was written (for ``inherited`` values: where it was written in
    the enclosing block or base profile). ``via`` lists related places, e.g. the ``extends:`` line or
    the ``include`` that brought it in. ``note`` explains defaults ("OpenSSL 3.0 default").

    Immutable, its value included: a list value is never changed in place (make a new located value),
    because equal values are shared between endpoints (:func:`share_equal_lists`, the OpenSSL defaults).
    """

    __slots__ = ("value", "origin", "location", "via", "note", "items")

    value: T
    origin: Origin
    location: Location | None
    via: tuple[Location, ...]
    note: str | None
    #: For list values: where each element was written (parallel to ``value``; entries may be None).
    items: tuple[Location | None, ...]

    def __init__(
        self,
        value: T,
        origin: Origin = Origin.EXPLICIT,
        location: Location | None = None,
        via: tuple[Location, ...] = (),
        note: str | None = None,
        items: tuple[Location | None, ...] = (),
    ) -> None:
        _set_value(self, value)
        _set_origin(self, origin)
        _set_location(self, location)
        _set_via(self, via)
        _set_note(self, note)
        _set_items(self, items)

    def _values(self) -> tuple[Any, ...]:
        return (self.value, self.origin, self.location, self.via, self.note, self.items)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Located:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __reduce__(self) -> tuple[Any, ...]:
        # Most values have no via, note or item places: three arguments travel, the defaults are not sent.
        if self.via is _NONE and self.note is None and self.items is _NONE:
            return Located, (self.value, self.origin, self.location)
        return Located, (self.value, self.origin, self.location, self.via, self.note, self.items)

    def item_location(self, element: object) -> Location | None:
        """Where a given element of a list value was written, if known."""
        if self.items and isinstance(self.value, list | tuple):
            for candidate, location in zip(self.value, self.items, strict=False):
                if candidate == element and location is not None:
                    return location
        return None

    def inherited(self, via: Location | None = None) -> Located[T]:
        """The same value seen from a place that inherits it."""
        extra = (via,) if via is not None else ()
        origin = Origin.INHERITED if self.origin is Origin.EXPLICIT else self.origin
        return Located(self.value, origin, self.location, self.via + extra, self.note, self.items)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "origin": str(self.origin)}
        if self.location is not None:
            out["location"] = self.location.to_json()
        if self.via:
            out["via"] = [loc.to_json() for loc in self.via]
        if self.note:
            out["note"] = self.note
        return out


_set_value, _set_origin, _set_location, _set_via, _set_note, _set_items = (
    Located.__dict__[name].__set__ for name in ("value", "origin", "location", "via", "note", "items")
)


def share_equal_lists(values: Iterable[Located[Any]], known: dict[tuple[str, ...], list[str]]) -> None:
    """Give each located list of strings among ``values`` the first equal list in ``known`` (adding the
    ones not met before). The endpoints of a large tree hold the same lists over and over — protocols,
    suites, certificate paths: 27,500 such lists with 1,024 distinct contents in 1,000 generated nginx
    files. A located value is immutable, and so is its value (nothing changes a field's list in place;
    ``tests/foundation/test_shared_lists.py`` runs every source with such lists made unchangeable), so
    equal values may be one object, as the OpenSSL defaults every endpoint starts from already are."""
    for located in values:
        value = located.value
        if value.__class__ is not list or not value:
            continue
        try:
            "".join(value)  # succeeds, in C, only when every item is a string (1 == True: no other keys)
        except TypeError:
            continue
        shared = known.setdefault(tuple(value), value)
        if shared is not value:
            _set_value(located, shared)


#: The empty tuple (one object in CPython): the defaults of ``via`` and ``items``.
_NONE: tuple[Any, ...] = ()
