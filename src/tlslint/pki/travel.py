"""How described certificates travel from ``--jobs`` worker processes to the main one.

A worker describes certificate files (:func:`tlslint.sources.pki_files.read_ahead`) and sends the facts
back pickled — ten thousand files, ten thousand times. Pickled by default, a slotted dataclass goes
as a dictionary of its field names and values, set back one attribute at a time; a class and the
tuple of its field values, given back to its constructor, is about half the bytes and a third of the
time both ways.
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")


def pickled_by_position(cls: type[T]) -> type[T]:
    """Class decorator, above ``@dataclass``: pickle instances as ``(cls, field values in order)``.

    Every field must be an ``__init__`` parameter, in declaration order (a plain dataclass)."""
    names = [item.name for item in dataclasses.fields(cls)]  # type: ignore[arg-type]
    assert all(item.init for item in dataclasses.fields(cls)), cls  # type: ignore[arg-type]
    values = attrgetter(*names) if len(names) > 1 else (lambda self: (getattr(self, names[0]),))

    def __reduce__(self: Any) -> tuple[Any, ...]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign, assignment]
    return cls
