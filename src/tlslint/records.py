"""``Record`` and ``Frozen``: the base of tlslint's value classes.

Why not :mod:`dataclasses`: a dataclass's ``__init__``, ``__eq__`` and ``__repr__`` (and, when frozen, its
``__hash__``, ``__setattr__`` and ``__delattr__``) are written as source text and compiled when the module
is imported, about 0.5 ms per class, 1 ms when frozen. A one-file ``tlslint check`` loads some fifty such
classes: compiling their methods, and importing ``dataclasses`` itself (which imports ``inspect``, ``ast``
and ``dis``), was about 30 % of its instructions — paid on every commit by a pre-commit hook. (Python 3.13
compiles a dataclass's methods in one go; tlslint supports 3.11.) Every value class of the package is a
record, also those only some runs load: one way to write them, the same start-up for every engine.

A record class lists its fields in ``__slots__``, in the order of its ``__init__`` parameters, and writes
its ``__init__``, which only stores the arguments (a mutable default is written ``None`` and replaced by
a new empty value). A slot whose name starts with ``_`` is not a field: a cache, not compared, not shown,
not pickled. From its fields a record gets what a dataclass would have generated:

* ``==``, field by field, with a record of the same class (``Record``: mutable, so not hashable);
* a ``repr`` naming every field;
* :meth:`Record.replace`, a copy with some fields changed (``dataclasses.replace``);
* pickling through its ``__init__`` (``--jobs`` sends records between processes).

A ``Frozen`` record also hashes by its fields and refuses assignment: its ``__init__`` sets each field with
``object.__setattr__`` (or with the slot's own setter where a run makes millions of them, see
:mod:`tlslint.model.located`).

``tests/foundation/test_records.py`` checks every record class of the package: each field is an
``__init__`` parameter that sets it, equality, hashing, ``replace`` and pickling see it.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, ClassVar, Self


def fields(cls: type[Record]) -> tuple[str, ...]:
    """The field names of a record class, in ``__init__`` order."""
    return cls.__match_args__


class Record:
    """A mutable record: equality by fields, a repr, ``replace`` and pickling (see the module docstring)."""

    __slots__ = ()
    #: The field names, as a dataclass sets them (they also serve ``match`` statements).
    __match_args__: ClassVar[tuple[str, ...]] = ()
    #: The field values of a record of the class, as a tuple (made once per class: ``==`` is called often).
    _field_values: ClassVar[Callable[[Any], tuple[Any, ...]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__slots__" not in cls.__dict__:
            raise TypeError(f"record class {cls.__qualname__} must list its fields in __slots__")
        if any(issubclass(base, Record) and base.__match_args__ for base in cls.__mro__[1:]):
            raise TypeError(f"record class {cls.__qualname__} extends a record with fields: not supported")
        names = tuple(name for name in cls.__slots__ if not name.startswith("_"))
        cls.__match_args__ = names
        if len(names) > 1:
            cls._field_values = attrgetter(*names)
        else:  # attrgetter of one name gives the value, not a tuple (and of none, nothing)
            cls._field_values = lambda record: tuple([getattr(record, name) for name in names])

    def _values(self) -> tuple[Any, ...]:
        return type(self)._field_values(self)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable and compared by value: not hashable

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in fields(type(self)))
        return f"{type(self).__qualname__}({shown})"

    def replace(self, **changes: Any) -> Self:
        """A new record with the same fields except ``changes`` (as ``dataclasses.replace``)."""
        values = dict(zip(fields(type(self)), self._values(), strict=True))
        values.update(changes)
        return type(self)(**values)

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), self._values()


class Frozen(Record):
    """An immutable record: also hashable by its fields; no field is assigned after ``__init__``."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values())

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field '{name}' of a frozen {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field '{name}' of a frozen {type(self).__name__}")
