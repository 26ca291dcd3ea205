"""Evaluate the policy's rules on every subject they apply to.

In compliance mode (``ledger`` given) every (rule, subject) outcome is also recorded — pass, fail,
not-applicable and unknown — with the observed value, its origin and location, the expected value and
the parameters used: a pass is evidence too. Without a ledger the loop does exactly what it always did
(one ``is None`` test per outcome), so ``tlslint check`` pays nothing for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tlslint.findings import Failure, Finding, SharedParts, build_findings
from tlslint.model.subject import Subject
from tlslint.policy import Policy
from tlslint.records import Record
from tlslint.rules.conditions import Outcome, Verdict
from tlslint.rules.memo import judge
from tlslint.rules.model import Rule
from tlslint.survivors import copy_survivors

if TYPE_CHECKING:
    from tlslint.compliance.model import LedgerEntry


class Evaluation(Record):
    """What evaluating rules found: the failures, and per rule the subjects it passed and applied to."""

    __slots__ = ("failures", "passes", "applicable")

    failures: list[Failure]
    passes: Counter[str]  # rule id -> subjects that satisfied it
    applicable: Counter[str]  # rule id -> subjects it applied to

    def __init__(
        self,
        failures: list[Failure] | None = None,
        passes: Counter[str] | None = None,
        applicable: Counter[str] | None = None,
    ) -> None:
        self.failures = [] if failures is None else failures
        self.passes = Counter() if passes is None else passes
        self.applicable = Counter() if applicable is None else applicable


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
    # Rules with the same filter beyond the kind (engine: nginx, role: client, ...) share its subjects.
    by_filter: dict[tuple[Any, ...], list[Subject]] = {}
    for rule in rules:
        params = policy.params_for(rule)
        severity = policy.severity_of(rule)
        failures = []
        candidates = by_kind.get(rule.kind, ())
        if rule.filters:
            key = (rule.kind, *rule.filters.items())
            if key not in by_filter:
                by_filter[key] = [subject for subject in candidates if rule.applies_to(subject)]
            candidates = by_filter[key]
        judged = judge(rule, params, whole=ledger is not None)  # without a ledger only failures are kept
        passes = 0
        for subject in candidates:
            outcome = judged(subject)
            if outcome is None:  # its `when` does not hold
                if ledger is not None:
                    ledger.append(ledger_entry(rule, subject, Outcome(Verdict.NA), params))
                continue
            if ledger is not None:
                ledger.append(ledger_entry(rule, subject, outcome, params))
            verdict = outcome.verdict
            if verdict is Verdict.PASS:
                passes += 1
            elif verdict is Verdict.FAIL:
                failures.append(Failure(rule, subject, outcome, severity, params))
        if passes or failures:  # a rule that applied to no subject has no entry
            counts.applicable[rule.id] += passes + len(failures)
        if passes:
            counts.passes[rule.id] += passes
        yield failures


def findings_by_rule(
    rules: Iterable[Rule],
    subjects: list[Subject],
    policy: Policy,
    counts: Evaluation,
    ledger: list[LedgerEntry] | None = None,
    *,
    release: Callable[[list[Subject]], None] | None = None,
) -> Iterator[list[Finding]]:
    """Each rule's findings in turn, in rule order, evaluated in this process (see :func:`evaluate_by_rule`;
    :func:`tlslint.parallel.findings_by_rule` is the same over worker processes).

    With ``release`` (no ledger), the subjects are evaluated a chunk at a time, every rule on each chunk,
    and ``release`` is called with each chunk once it is evaluated: the caller may let go of what only
    evaluation reads (the settings), so a large run does not hold every setting and every finding at
    once. Then the chunk's subjects in ``subjects`` are replaced by copies of their identity, made before
    the release, and its failures point at those (:func:`tlslint.survivors.copy_survivors`). A finding
    needs only its failures, which hold the failing values; each rule's failures of all chunks are
    grouped together, so the findings are the same as without chunks."""
    shared = SharedParts()  # the subjects' parts, for the findings of every rule
    if release is None or ledger is not None:
        for failures in evaluate_by_rule(rules, subjects, policy, counts, ledger):
            yield build_findings(failures, shared)
        return
    rules = list(rules)
    failures_by_rule: list[list[Failure]] = [[] for _ in rules]
    totals = Evaluation()
    for start in range(0, len(subjects), RELEASE_CHUNK):
        chunk = subjects[start : start + RELEASE_CHUNK]
        found_here: list[Failure] = []
        for failures, found in zip(failures_by_rule, evaluate_by_rule(rules, chunk, policy, totals), strict=True):
            failures.extend(found)
            found_here.extend(found)
        identities = copy_survivors(chunk, found_here)  # before the settings go: see tlslint.survivors
        release(chunk)
        subjects[start : start + RELEASE_CHUNK] = identities
    for rule in rules:  # counted in rule order, as one pass over every subject counts them
        if totals.passes[rule.id]:
            counts.passes[rule.id] += totals.passes[rule.id]
        if totals.applicable[rule.id]:
            counts.applicable[rule.id] += totals.applicable[rule.id]
    for index in range(len(rules)):
        failures, failures_by_rule[index] = failures_by_rule[index], []  # let each rule's failures go once built
        yield build_findings(failures, shared)


#: Subjects evaluated between two calls of ``release`` in :func:`findings_by_rule`: large enough that the
#: per-chunk cost (sorting subjects by kind, one pass over the rules) is nothing.
RELEASE_CHUNK = 1024


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
