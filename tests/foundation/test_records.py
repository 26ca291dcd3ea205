"""Every record class of the package (tlslint.records) behaves as the dataclass it replaces: each field is
an ``__init__`` parameter, in slot order, that stores its argument; equality, hashing, ``replace``, the
repr and pickling see every field; a frozen record refuses assignment. A field added to ``__slots__`` and
forgotten in ``__init__`` (or in a hand-written ``__eq__``) fails here, not in a user's run."""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil

import pytest

import tlslint
from tlslint.records import Frozen, Record, fields


class Sample:
    """A distinct, hashable, picklable value for one field."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sample) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"<{self.name}>"


def _record_classes() -> list[type[Record]]:
    for module in pkgutil.walk_packages(tlslint.__path__, "tlslint."):
        if not module.name.endswith("__main__"):  # runs the command line
            importlib.import_module(module.name)
    found: list[type[Record]] = []
    pending = [Record]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("tlslint.") and sub is not Frozen:
                found.append(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


RECORDS = _record_classes()


def _typed() -> dict[tuple[type, str], tuple[object, object]]:
    """Fields whose value must have a given type (a value and another value of that type)."""
    from tlslint.model.located import Located, Origin

    return {(Located, "origin"): (Origin.DEFAULT, Origin.UNKNOWN)}


def _samples(cls: type, names: tuple[str, ...], changed: bool = False) -> list[object]:
    typed = _typed()
    return [typed[(cls, name)][changed] if (cls, name) in typed else Sample(name + "'" * changed) for name in names]


def test_the_model_classes_are_found() -> None:
    from tlslint.model.located import Located, Location

    assert Location in RECORDS and Located in RECORDS


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_a_record_class_keeps_every_field(cls: type[Record]) -> None:
    names = fields(cls)
    assert names, "a record without fields"
    parameters = list(inspect.signature(cls.__init__).parameters)[1:]
    assert parameters == list(names), "the __init__ parameters must be the fields, in slot order"

    values = _samples(cls, names)
    others = _samples(cls, names, changed=True)
    made = cls(*values)
    assert all(getattr(made, name) is value for name, value in zip(names, values, strict=True))
    assert made == cls(**dict(zip(names, values, strict=True)))
    assert made.replace() == made
    assert made.replace() is not made
    for name, other in zip(names, others, strict=True):
        assert made.replace(**{name: other}) != made, f"== ignores {name}"
        assert f"{name}=" in repr(made)
    copy = pickle.loads(pickle.dumps(made))
    assert type(copy) is cls and copy == made

    if issubclass(cls, Frozen):
        assert hash(made) == hash(cls(*values))
        with pytest.raises(AttributeError):
            setattr(made, names[0], None)
        with pytest.raises(AttributeError):
            delattr(made, names[-1])
    else:
        with pytest.raises(TypeError):
            hash(made)


def test_defaults_that_are_mutable_are_new_for_each_record() -> None:
    from tlslint.rules.conditions import CompileContext

    one, two = CompileContext("endpoint", None, {}), CompileContext("endpoint", None, {})  # type: ignore[arg-type]
    one.paths.append("protocols")
    assert two.paths == []


def test_a_record_class_lists_its_fields_and_extends_no_record_with_fields() -> None:
    with pytest.raises(TypeError, match="__slots__"):

        class Loose(Record):  # no __slots__: instances would take any attribute, and have no fields
            pass

    class Base(Record):
        __slots__ = ("a",)

        def __init__(self, a: int) -> None:
            self.a = a

    with pytest.raises(TypeError, match="extends a record"):

        class Derived(Base):  # its fields would be its own slots only
            __slots__ = ("b",)
