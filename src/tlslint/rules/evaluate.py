"""Evaluate the policy's rules on every subject they apply to.

In compliance mode (``ledger`` given) every (rule, subject) outcome is also recorded — pass, fail,
not-applicable and unknown — with the observed value, its origin and location, the expected value and
the parameters used: a pass is evidence too. Without a ledger the loop does exactly what it always did
(one ``is None`` test per outcome), so ``tlslint check`` pays nothing for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tlslint.findings import Failure, Finding, build_findings
from tlslint.model.subject import Subject
from tlslint.policy import Policy
from tlslint.rules.conditions import Outcome, Verdict
from tlslint.rules.model import Rule

if TYPE_CHECKING:
    from tlslint.compliance.model import LedgerEntry


@dataclass(slots=True)
class Evaluation:
    failures: list[Failure] = field(default_factory=list)
    passes: Counter[str] = field(default_factory=Counter)  # rule id -> subjects that satisfied it
    applicable: Counter[str] = field(default_factory=Counter)  # rule id -> subjects it applied to


def evaluate(
    rules: Iterable[Rule], subjects: list[Subject], policy: Policy, ledger: list[LedgerEntry] | None = None
) -> Evaluation:
    result = Evaluation()
    for failures in evaluate_by_rule(rules, subjects, policy, result, ledger):
        result.failures.extend(failures)
    return result


def evaluate_by_rule(
    rules: Iterable[Rule],
    subjects: list[Subject],
    policy: Policy,
    counts: Evaluation,
    ledger: list[LedgerEntry] | None = None,
) -> Iterator[list[Failure]]:
    """Each rule's failures in turn, in rule order; passes and applicable subjects are counted into
    ``counts``. A caller that turns each rule's failures into findings at once (:func:`tlslint.run.lint`)
    never holds every failure of a large run."""
    by_kind: dict[str, list[Subject]] = {}  # a rule looks only at subjects of its kind, in input order
    for subject in subjects:
        by_kind.setdefault(subject.kind, []).append(subject)
    for rule in rules:
        params = policy.params_for(rule)
        severity = policy.severity_of(rule)
        failures = []
        filtered = bool(rule.filters)  # beyond its kind (by_kind): most rules have no other filter
        for subject in by_kind.get(rule.kind, ()):
            if filtered and not rule.applies_to(subject):
                continue
            if rule.when is not None and rule.when(subject, params).verdict is not Verdict.PASS:
                if ledger is not None:
                    ledger.append(ledger_entry(rule, subject, Outcome(Verdict.NA), params))
                continue
            outcome = rule.check(subject, params)
            if ledger is not None:
                ledger.append(ledger_entry(rule, subject, outcome, params))
            if outcome.verdict in (Verdict.NA, Verdict.UNKNOWN):
                continue
            counts.applicable[rule.id] += 1
            if outcome.verdict is Verdict.PASS:
                counts.passes[rule.id] += 1
            else:
                failures.append(Failure(rule, subject, outcome, severity, params))
        yield failures


def findings_by_rule(
    rules: Iterable[Rule],
    subjects: list[Subject],
    policy: Policy,
    counts: Evaluation,
    ledger: list[LedgerEntry] | None = None,
) -> Iterator[list[Finding]]:
    """Each rule's findings in turn, in rule order, evaluated in this process (see :func:`evaluate_by_rule`;
    :func:`tlslint.parallel.findings_by_rule` is the same over worker processes)."""
    for failures in evaluate_by_rule(rules, subjects, policy, counts, ledger):
        yield build_findings(failures)


def ledger_entry(rule: Rule, subject: Subject, outcome: Outcome, params: dict[str, Any]) -> LedgerEntry:
    from tlslint.compliance.model import LedgerEntry

    located = outcome.located
    return LedgerEntry(
        rule=rule.id,
        subject=subject.id,
        subject_display=subject.display,
        subject_kind=subject.kind,
        facts={"role": subject.value("role"), "purpose": subject.value("purpose"), "engine": subject.engine},
        outcome=outcome.verdict.value,
        path=outcome.path,
        value=located.value if located is not None else None,
        origin=located.origin.value if located is not None else None,
        location=outcome.location or subject.location,
        note=getattr(located, "note", None) if located is not None else None,
        expected=outcome.expected,
        params=dict(params),
    )
