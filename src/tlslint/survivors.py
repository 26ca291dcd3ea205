"""Copies of what outlives the subjects' settings, made before the settings are let go of.

``tlslint check`` lets go of the subjects' settings once they are evaluated (``lint(keep_fields=False)``),
so that the findings built next can use that memory. What outlives the settings is small: each
subject's identity (kind, id, places), which the findings and reports name, and the located values
that failures point at. But it was allocated among the settings, as each file was read, and CPython's
small-object allocator (pymalloc) hands a pool of memory over to objects of another size only once
nothing in it lives: a subject id or a place left in every pool kept the settings' pools ~95 % empty,
yet unusable for the findings, which took new memory instead.

So the survivors are copied first, while the settings' pools are still full (the copies go elsewhere),
and the originals are let go of with the settings. On 10,000 generated nginx files this lowered the
peak from 294 to 236 MiB with ``-j 1`` and from 305 to 276 MiB with ``-j 2``, at no cost in time
(``docs/performance.md``). The copies are equal to the originals, so no output changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tlslint.model.located import Located, Location
from tlslint.model.subject import Subject
from tlslint.rules.conditions import Outcome

if TYPE_CHECKING:
    from tlslint.findings import Failure


def copy_survivors(subjects: list[Subject], failures: Iterable[Failure] = ()) -> list[Subject]:
    """Copies of ``subjects`` without their settings, every part a new object; ``failures`` (of these
    subjects) are pointed at the copies in place, with the located values they hold copied too.

    The originals must stay alive during the call (copies are remembered by the originals' identity,
    which a freed object's successor could take)."""
    copier = _Copier()
    copies: dict[int, Subject] = {}
    for subject in subjects:
        copies[id(subject)] = copier.subject(subject)
    for failure in failures:
        failure.subject = copies[id(failure.subject)]
        outcome = failure.outcome
        if outcome.located is not None:
            located = copier.located(outcome.located)
            failure.outcome = Outcome(outcome.verdict, outcome.path, located, outcome.offending, outcome.expected)
    return [copies[id(subject)] for subject in subjects]


class _Copier:
    """New objects equal to the given ones, each original copied once."""

    __slots__ = ("_made",)

    def __init__(self) -> None:
        self._made: dict[int, Any] = {}

    def text(self, text: str | None) -> str | None:
        if text is None:
            return None
        made = self._made.get(id(text))
        if made is None:
            # A new string object with the same characters ("".join of one string would return that string).
            made = self._made[id(text)] = "".join((text, ""))
        return made

    def place(self, place: Location | None) -> Location | None:
        if place is None:
            return None
        made = self._made.get(id(place))
        if made is None:
            made = self._made[id(place)] = Location(
                self.text(place.path), place.line, place.column, place.end_line, place.end_column
            )
        return made

    def places(self, places: tuple[Location | None, ...]) -> tuple[Location | None, ...]:
        return tuple([self.place(place) for place in places]) if places else places

    def subject(self, subject: Subject) -> Subject:
        return Subject(
            subject.kind,
            self.text(subject.id),  # type: ignore[arg-type]  # a string in, a string out
            self.place(subject.location),  # type: ignore[arg-type]
            subject.engine,
            None,
            self.text(subject.label),
            self.place(subject.scope),
        )

    def located(self, located: Located[Any]) -> Located[Any]:
        made = self._made.get(id(located))
        if made is None:
            made = self._made[id(located)] = Located(
                located.value,  # shared with the endpoints of a tree, mostly (located.share_equal_lists)
                located.origin,
                self.place(located.location),
                self.places(located.via),  # type: ignore[arg-type]  # no None among them
                self.text(located.note),
                self.places(located.items),
            )
        return made
