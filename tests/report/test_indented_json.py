"""report.indented_json writes exactly what ``json.dumps(value, indent=2, ensure_ascii=False)`` writes."""

from __future__ import annotations

import enum
import json
import math
import random
from typing import Any

import pytest

from tlslint.report.indented_json import dumps_indented

STRINGS = [
    "",
    "a",
    'quote " and \\ backslash',
    "\n\t\r\x00\x1f\x7f",
    "ü€𝄞",
    "\ud800\udfff lone",
    "\u2028\u2029",
    "]},[{",
]
NUMBERS = [0, -1, 2**70, -(2**70), 0.0, -0.0, 1.5, 1e300, 5e-324, math.inf, -math.inf, math.nan, 0.1 + 0.2]


class Colour(enum.IntEnum):
    RED = 1


class Name(enum.StrEnum):
    LEAF = "leaf"


def _value(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(10 if depth < 4 else 6)
    if kind == 0:
        return rng.choice(STRINGS) + "".join(chr(rng.randrange(0x30000)) for _ in range(rng.randrange(4)))
    if kind == 1:
        return rng.choice(NUMBERS)
    if kind == 2:
        return rng.choice([None, True, False, Colour.RED, Name.LEAF])
    if kind == 3:
        return rng.randrange(-(10**6), 10**6)
    if kind in (4, 5):
        return rng.random() * 10 ** rng.randrange(-20, 20)
    if kind in (6, 7):
        items = [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
        return items if rng.random() < 0.7 else tuple(items)
    keys = [rng.choice([*STRINGS, "k", 1, -2, 1.5, math.inf, True, False, None]) for _ in range(rng.randrange(5))]
    return {key: _value(rng, depth + 1) for key in keys}


@pytest.mark.parametrize("seed", range(40))
def test_generated_values_are_written_as_json_writes_them(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        value = _value(rng, 0)
        assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [[], {}, [[]], {"a": {}}, [{}, []], "", 0, None, True, [1, [2, [3, []]]]])
def test_empty_and_nested_containers(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [{1j: 1}, [object()], {"a": {1, 2}}, {(1, 2): 3}])
def test_what_json_refuses_is_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps(value, indent=2, ensure_ascii=False)
    with pytest.raises(TypeError):
        dumps_indented(value)
