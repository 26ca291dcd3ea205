"""The hot frozen value classes write their own ``__init__`` (see tlslint.model.located): it must take
every field, with the dataclass's defaults, and set each one — a field added later and forgotten in
``__init__`` fails here, not as an AttributeError in a user's run."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from tlslint.model.located import Located, Location, Origin
from tlslint.rules.conditions import Outcome, Verdict

SAMPLES = {
    Location: ("a.conf", 1, 2, 3, 4),
    Located: (["x"], Origin.INHERITED, Location("a.conf"), (Location("b.conf"),), "a note", (Location("c.conf"),)),
    Outcome: (Verdict.FAIL, "protocols", Located("x"), ("x",), "TLSv1.2"),
}


@pytest.mark.parametrize("cls", list(SAMPLES))
def test_init_takes_every_field_with_its_default_and_sets_it(cls: type) -> None:
    fields = dataclasses.fields(cls)
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [p.name for p in parameters] == [f.name for f in fields]
    for parameter, field in zip(parameters, fields, strict=True):
        default = field.default if field.default is not dataclasses.MISSING else inspect.Parameter.empty
        assert parameter.default == default, field.name
    values = SAMPLES[cls]
    made = cls(*values)
    assert [getattr(made, f.name) for f in fields] == list(values)
    assert made == cls(**{f.name: v for f, v in zip(fields, values, strict=True)})
    assert dataclasses.replace(made) == made
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[0].name, None)
