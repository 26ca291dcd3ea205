"""Equal lists of strings in endpoints' settings are one list (issue 16: memory), which is safe only while
nothing changes a setting's list in place: the second test runs every source with unchangeable lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tlslint import reading
from tlslint.model.located import Located, Location, share_equal_lists
from tlslint.policy import load_policy
from tlslint.report.json import check_report, inspect_report
from tlslint.run import lint

ROOT = Path(__file__).resolve().parents[2]
INPUTS = [str(ROOT / "examples"), str(ROOT / "tests" / "fixtures")]


def test_equal_lists_of_strings_become_one_list() -> None:
    here = Location("a.conf", 1)
    first = Located(["TLSv1.2", "TLSv1.3"], location=here)
    second = Located(["TLSv1.2", "TLSv1.3"], location=Location("b.conf", 2))
    other = Located(["TLSv1.3"], location=here)
    known: dict[tuple[str, ...], list[str]] = {}
    share_equal_lists([first, second, other], known)
    assert second.value is first.value and second.location == Location("b.conf", 2)
    assert other.value == ["TLSv1.3"] and other.value is not first.value


def test_only_lists_of_strings_are_shared() -> None:
    """1 == True and hash alike: a list of numbers or flags keeps its own items, and an empty list is left alone."""
    numbers, flags = Located([1, 0]), Located([True, False])
    empty, also_empty = Located([]), Located([])
    share_equal_lists([numbers, flags, empty, also_empty], {})
    assert flags.value[0] is True and numbers.value[0] == 1 and numbers.value is not flags.value
    assert empty.value is not also_empty.value


class _Unchangeable(list):
    """A list that refuses every change in place."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("a setting's list was changed in place")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse  # type: ignore[assignment]


def _unchangeable(values: Any, known: dict) -> None:
    from tlslint.model.located import _set_value

    for located in values:
        value = located.value
        if value.__class__ is list and value and all(isinstance(item, str) for item in value):
            _set_value(located, known.setdefault(tuple(value), _Unchangeable(value)))


def _reports() -> tuple[dict, dict]:
    """The check report and the inspect report (every endpoint's effective settings) of the inputs."""
    result = lint(INPUTS, load_policy(), jobs=1)
    assert result.inputs.internal_errors == 0, [d.message for d in result.inputs.diagnostics if "internal" in d.message]
    return json.loads(check_report(result, exit_code=0)), json.loads(inspect_report(result.inputs))


def test_no_source_rule_or_report_changes_a_settings_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every engine's fixtures, read with each endpoint's lists unchangeable (and shared), linked, evaluated
    and reported as when they are not: nothing changed a list, or the run would have failed or differed."""
    expected = _reports()
    monkeypatch.setattr(reading, "share_equal_lists", _unchangeable)
    assert _reports() == expected
