"""Outcomes remembered by the fields a rule reads (tlslint.rules.memo) are the outcomes judged afresh."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from foundation.test_rule_engine import write_rule

from tlslint import run
from tlslint.model import Located, Location, Subject
from tlslint.model.located import Origin
from tlslint.rules.conditions import Outcome
from tlslint.rules.loader import load_packs, load_rule_file
from tlslint.rules.memo import judge
from tlslint.sources.base import ParseContext

from conftest import all_packs_policy

REPO = Path(__file__).resolve().parents[2]


def _same(remembered: Outcome | None, afresh: Outcome | None) -> None:
    if afresh is None:
        assert remembered is None
        return
    assert remembered is not None
    assert remembered.verdict is afresh.verdict
    assert remembered.path == afresh.path
    assert remembered.located is afresh.located  # the subject's own value, never another's
    assert remembered.offending == afresh.offending
    assert [type(item) for item in remembered.offending] == [type(item) for item in afresh.offending]
    assert remembered.expected == afresh.expected


@pytest.mark.parametrize("tree", ["tests/fixtures", "examples"])
def test_every_shipped_rule_judges_every_subject_as_afresh(tree: str) -> None:
    """Every rule of every shipped pack on the subjects of a whole tree, read twice (the second reading's
    subjects have equal fields and are answered from memory): each outcome equals the one judged afresh,
    with the subject's own located value."""
    policy = all_packs_policy()
    rules = load_packs(policy.packs)
    context = ParseContext(at=datetime.date(2026, 12, 4))
    first, again = (run.parse_inputs([str(REPO / tree)], context, jobs=1).subjects for _ in range(2))
    assert len(first) == len(again) > 10
    compared = 0
    for rule in rules:
        assert rule.judged_by_fields
        params = policy.params_for(rule)
        remembering = judge(rule, params)
        afresh = judge(rule.replace(judged_by_fields=False), params)
        for subject in [s for s in [*first, *again] if rule.applies_to(s)]:
            _same(remembering(subject), afresh(subject))
            compared += 1
    assert compared > 1000


def _rule(tmp_path: Path, check: str):
    (rule,) = load_rule_file(str(write_rule(tmp_path, check)), pack="test")
    return rule


def _endpoint(name: str, **fields: object) -> Subject:
    where = Location(f"{name}.conf", 1, 1)
    subject = Subject("endpoint", name, where, "test")
    for path, value in fields.items():
        subject.set(path.replace("__", "."), Located(value, location=where))
    return subject


def test_equal_fields_share_the_verdict_and_keep_their_own_values(tmp_path: Path) -> None:
    rule = _rule(tmp_path, '{path: protocols, none_in: ["TLSv1.0"]}')
    judged = judge(rule, {})
    first, second = _endpoint("a", protocols=["TLSv1.0", "TLSv1.2"]), _endpoint("b", protocols=["TLSv1.0", "TLSv1.2"])
    one, two = judged(first), judged(second)
    assert one.verdict is two.verdict
    assert one.located is first.get("protocols")
    assert two.located is second.get("protocols")
    assert two.location == Location("b.conf", 1, 1)


def test_values_that_compare_equal_but_read_differently_are_not_confused(tmp_path: Path) -> None:
    """1 == True and 0.0 == -0.0, yet a finding would print them differently: each is judged afresh."""
    rule = _rule(tmp_path, "{path: connection.timeouts.handshake, equals: 5}")
    judged = judge(rule, {})
    assert judged(_endpoint("a", connection__timeouts__handshake=1)).offending == (1,)
    offending = judged(_endpoint("b", connection__timeouts__handshake=True)).offending
    assert offending == (True,) and type(offending[0]) is bool
    assert str(judged(_endpoint("c", connection__timeouts__handshake=0.0)).offending[0]) == "0.0"
    assert str(judged(_endpoint("d", connection__timeouts__handshake=-0.0)).offending[0]) == "-0.0"

    listed = judge(_rule(tmp_path, "{path: protocols, equals: [TLSv1.2]}"), {})
    assert listed(_endpoint("e", protocols=["TLSv1.2"])).verdict.value == "pass"
    assert listed(_endpoint("f", protocols=("TLSv1.2",))).verdict.value == "fail"  # equal elements, not equal


def test_the_origin_and_the_partial_fields_are_part_of_what_is_read(tmp_path: Path) -> None:
    rule = _rule(tmp_path, "{path: session.timeout, lte: 10, defaults: skip}")
    judged = judge(rule, {})
    written = _endpoint("a", session__timeout=99)
    default = _endpoint("b")
    default.set("session.timeout", Located(99, Origin.DEFAULT, Location("b.conf", 1, 1)))
    assert judged(written).verdict.value == "fail"
    assert judged(default).verdict.value == "not-applicable"

    missing = _rule(tmp_path, "{path: session.timeout, lte: 10, missing: fail}")
    judged = judge(missing, {})
    assert judged(_endpoint("c")).verdict.value == "fail"
    assert judged(_endpoint("d", source__partial=True)).verdict.value == "not-applicable"
