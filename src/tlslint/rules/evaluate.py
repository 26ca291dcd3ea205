"""Evaluate the policy's rules on every subject they apply to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from tlslint.findings import Failure
from tlslint.model.subject import Subject
from tlslint.policy import Policy
from tlslint.rules.conditions import Verdict
from tlslint.rules.model import Rule


@dataclass(slots=True)
class Evaluation:
    failures: list[Failure] = field(default_factory=list)
    passes: Counter[str] = field(default_factory=Counter)  # rule id -> subjects that satisfied it
    applicable: Counter[str] = field(default_factory=Counter)  # rule id -> subjects it applied to


def evaluate(rules: Iterable[Rule], subjects: list[Subject], policy: Policy) -> Evaluation:
    result = Evaluation()
    for rule in rules:
        params = policy.params_for(rule)
        severity = policy.severity_of(rule)
        for subject in subjects:
            if not rule.applies_to(subject):
                continue
            if rule.when is not None and rule.when(subject, params).verdict is not Verdict.PASS:
                continue
            outcome = rule.check(subject, params)
            if outcome.verdict in (Verdict.NA, Verdict.UNKNOWN):
                continue
            result.applicable[rule.id] += 1
            if outcome.verdict is Verdict.PASS:
                result.passes[rule.id] += 1
            else:
                result.failures.append(Failure(rule, subject, outcome, severity, params))
    return result
