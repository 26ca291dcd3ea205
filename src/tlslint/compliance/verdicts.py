"""Per-requirement verdicts: the decision table of ``docs/compliance.md``, row by row.

:func:`evaluate_frameworks` is the one entry point: a lint run made with ``ledger=True``, the catalogues
to judge against, the product profile, the amendments (attestations, deviations, N/A declarations)
and the day of evaluation -> a :class:`ComplianceResult`. For each requirement the first row that
matches decides (the row number is kept in the verdict):

1. not applicable by the profile (``applies_when``)                       -> not-applicable (derived)
2. a valid N/A declaration                                                 -> not-applicable (declared)
3. a dimension the requirement depends on is not set in the profile        -> manual (question)
4. a guardrail is violated by the effective policy parameters              -> fail (policy too loose)
5. an ``evidence`` link failed on an in-scope subject                       -> fail; pass (deviation) only
   when valid deviations of a kind the requirement allows cover every failing subject. A waiver or
   other suppression never turns the fail into a pass: it is shown as waived.
6. an N/A declaration that has lapsed                                      -> manual
7. an attestation answers one of the questions with ``fail``               -> fail (attested)
8. an ``indeterminate`` link fired or an ``evidence`` value is unknown      -> manual (generated questions)
9. evidence links exist but none was evaluated on an in-scope subject      -> manual (not evaluated)
10. coverage full and every evidence link passed                          -> pass (automated)
11. the automated part passed (or there is none) and every question is
    answered by a valid passing attestation                               -> pass (automated+attested / attested)
12. questions remain open                                                 -> manual
13. no links and no questions                                             -> not-covered
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from tlslint.compliance.model import (
    Amendments,
    Catalogue,
    ComplianceResult,
    Crosswalk,
    FrameworkResult,
    LedgerEntry,
    LinkResult,
    Mapping,
    ProductProfile,
    Question,
    Requirement,
    RequirementVerdict,
    SubjectVerdict,
)


def evaluate_frameworks(
    lint_result: Any,
    frameworks: Iterable[Catalogue],
    profile: ProductProfile | None = None,
    amendments: Amendments | None = None,
    at: datetime.date | None = None,
    crosswalks: dict[str, Crosswalk] | None = None,
) -> ComplianceResult:
    """Judge every requirement of ``frameworks`` from ``lint_result`` (a :class:`tlslint.run.LintResult`
    made with ``ledger=True``). ``crosswalks`` defaults to the shipped ones."""
    from tlslint.compliance.crosswalk import load_crosswalks, mapping_for

    if lint_result.ledger is None:
        raise ValueError("evaluate_frameworks needs a lint run made with ledger=True")
    at = at or datetime.date.today()
    profile = profile or ProductProfile()
    amendments = _merge(profile.amendments, amendments or Amendments())
    crosswalks = load_crosswalks() if crosswalks is None else crosswalks
    context = _Context(lint_result, profile, amendments, at)
    results = []
    for catalogue in frameworks:
        crosswalk = crosswalks.get(catalogue.key)
        verdicts = tuple(
            context.judge(catalogue, requirement, mapping_for(crosswalk, catalogue.key, requirement.id))
            for requirement in catalogue.requirements.values()
        )
        results.append(FrameworkResult(catalogue, verdicts, crosswalk.content_hash if crosswalk else ""))
    return ComplianceResult(
        at=at,
        frameworks=tuple(results),
        ledger=tuple(lint_result.ledger),
        profile=profile,
        policy=lint_result.policy.name,
        params=context.params,
    )


def _merge(first: Amendments, second: Amendments) -> Amendments:
    return Amendments(
        first.attestations + second.attestations,
        first.deviations + second.deviations,
        first.not_applicable + second.not_applicable,
        second.path or first.path,
        second.content_hash or first.content_hash,
    )


def effective_params(lint_result: Any) -> dict[str, Any]:
    """Every rule parameter's value in this run: the policy's (and project configuration's) value over
    the rule's default."""
    params: dict[str, Any] = {}
    for rule in lint_result.rules:
        for name, spec in rule.params.items():
            params.setdefault(name, spec.default)
    params.update({k: v for k, v in lint_result.policy.params.items() if k in params})
    return params


class _Context:
    def __init__(self, lint_result: Any, profile: ProductProfile, amendments: Amendments, at: datetime.date) -> None:
        self.profile = profile
        self.amendments = amendments
        self.at = at
        self.params = effective_params(lint_result)
        self.evaluated_rules = {rule.id for rule in lint_result.rules}
        self.by_rule: dict[str, list[LedgerEntry]] = defaultdict(list)
        for entry in lint_result.ledger:
            self.by_rule[entry.rule].append(entry)

    def judge(self, catalogue: Catalogue, requirement: Requirement, mapping: Mapping) -> RequirementVerdict:
        qid = catalogue.qualified(requirement.id)
        if mapping.coverage == "partial" and mapping.residual and not requirement.questions:
            # What the rules cannot see becomes the question an assessor answers.
            requirement = requirement.replace(questions=(Question(f"{requirement.id}.residual", mapping.residual),))
        links = tuple(self._link_result(link) for link in mapping.links)
        base = {
            "requirement": qid,
            "title": requirement.title,
            "coverage": mapping.coverage,
            "links": links,
            "permitted_by": tuple(link.rule for link in mapping.links if link.relation == "exempts"),
            "conflicts_with": tuple(link.rule for link in mapping.links if link.relation == "conflicts"),
            "maps_to": mapping.maps_to,
        }

        def verdict(row: int, status: str, basis: tuple[str, ...], reason: str, **extra: Any) -> RequirementVerdict:
            return RequirementVerdict(status=status, basis=basis, reason=reason, rule_row=row, **{**base, **extra})

        # Rows 1 and 3: applicability from the product profile.
        unset = []
        for dimension, allowed in requirement.applies_when.items():
            value = self.profile.dimensions.get(dimension)
            if value is None:
                unset.append(dimension)
            elif value not in allowed:
                return verdict(
                    1,
                    "not-applicable",
                    ("derived",),
                    f"applies only when {dimension} is {' or '.join(allowed)}; the profile says {value}",
                )
        # Row 2 (and the lapsed case of row 6).
        declarations = [d for d in self.amendments.not_applicable if d.requirement == qid]
        valid = [d for d in declarations if d.valid_on(self.at)]
        if valid:
            d = valid[0]
            return verdict(
                2, "not-applicable", ("declared",), f"declared by {d.declared_by} on {d.declared_on}: {d.reason}"
            )
        if unset:
            questions = tuple(
                Question(
                    f"{requirement.id}.profile.{dimension}",
                    f"State {dimension} in the product profile: {requirement.id} depends on it.",
                )
                for dimension in unset
            )
            return verdict(
                3,
                "manual",
                (),
                f"applicability depends on {', '.join(unset)}, which the profile does not set",
                questions=questions,
            )
        # Row 4: guardrails on the effective policy.
        loose = [g for g in mapping.guardrails if g.param in self.params and not g.holds(self.params[g.param])]
        if loose:
            text = "; ".join(
                f"{g.param} is {self.params[g.param]}, the requirement tolerates {g.op} {g.value}" for g in loose
            )
            return verdict(4, "fail", ("automated",), f"policy too loose: {text}")
        # Row 5: evidence failures, deviations and waivers.
        evidence = [lr for lr in links if lr.relation == "evidence"]
        failing = [(lr, s) for lr in evidence for s in lr.subjects if s.outcome == "fail"]
        if failing:
            return self._failed(requirement, qid, links, failing, verdict)
        if declarations:
            lapsed = max(d.review_by for d in declarations)
            return verdict(
                6,
                "manual",
                (),
                f"the not-applicable declaration lapsed on {lapsed}",
                questions=(
                    Question(f"{requirement.id}.na", f"Renew or withdraw the not-applicable declaration of {qid}."),
                ),
            )
        attestations = self._attestations(qid, requirement)
        failed_answers = [a for a in attestations.values() if a.result == "fail"]
        if failed_answers:
            return verdict(
                7,
                "fail",
                ("attested",),
                f"attested as not met: {failed_answers[0].answer}",
                attestations=tuple(a.id for a in failed_answers),
            )
        # Row 8: what tlslint could not see.
        generated = self._unknown_questions(requirement, links)
        if generated:
            open_questions = tuple(q for q in requirement.questions if q.id not in attestations) + generated
            return verdict(
                8, "manual", (), "tlslint could not establish some values statically", questions=open_questions
            )
        # Row 9: nothing in scope was evaluated.
        if evidence and not any(s for lr in evidence for s in lr.subjects):
            never = [lr.rule for lr in evidence if not lr.evaluated]
            reason = "no subject in scope of the evidence rules was found"
            if never:
                reason += f" (not in this run's policy: {', '.join(never)})"
            return verdict(
                9,
                "manual",
                (),
                reason,
                questions=(
                    Question(f"{requirement.id}.scope", "Confirm the interface list: tlslint found nothing in scope."),
                    *(q for q in requirement.questions if q.id not in attestations),
                ),
            )
        automated = bool(evidence)
        open_questions = tuple(q for q in requirement.questions if q.id not in attestations)
        used = tuple(a.id for a in attestations.values())
        if automated and mapping.coverage == "full" and not open_questions:
            return verdict(
                10,
                "pass",
                ("automated", *(("attested",) if used else ())),
                "every evidence rule passed on every subject in scope",
                attestations=used,
            )
        if not open_questions and (automated or requirement.questions):
            basis = ("automated", "attested") if automated else ("attested",)
            return verdict(
                11,
                "pass",
                basis,
                "automated part passed and every question is answered" if automated else "every question is answered",
                attestations=used,
            )
        if open_questions:
            reason = "automated part passed; questions remain" if automated else "needs an assessor's answer"
            return verdict(12, "manual", (), reason, questions=open_questions, attestations=used)
        return verdict(
            13, "not-covered", (), mapping.residual or "outside what tlslint can see; no question written yet"
        )

    def _failed(self, requirement: Requirement, qid: str, links, failing, verdict) -> RequirementVerdict:
        """Row 5: the requirement fails unless allowed, valid deviations cover every failing subject."""
        deviations = [d for d in self.amendments.deviations if d.requirement == qid]
        refused: list[str] = []
        usable = []
        for d in deviations:
            if d.kind not in requirement.deviations:
                allowed = ", ".join(requirement.deviations) or "none"
                refused.append(f"{d.id}: {qid} allows no {d.kind} deviation (allowed: {allowed})")
            elif not d.valid_on(self.at):
                refused.append(f"{d.id}: not valid on {self.at} (approved {d.approved_on}, expires {d.expires})")
            else:
                usable.append(d)
        covered = {}
        for lr, subject in failing:
            for d in usable:
                if d.covers(subject.subject):
                    covered[(lr.rule, subject.subject)] = d.id
                    break
        links = tuple(
            LinkResult(
                lr.rule,
                lr.relation,
                lr.aspect,
                lr.evaluated,
                tuple(
                    SubjectVerdict(**{**_fields(s), "deviation": covered.get((lr.rule, s.subject))})
                    if (lr.rule, s.subject) in covered
                    else s
                    for s in lr.subjects
                ),
                lr.note,
            )
            for lr in links
        )
        rules = sorted({lr.rule for lr, _ in failing})
        if len(covered) == len(failing):
            ids = tuple(sorted(set(covered.values())))
            return verdict(
                5,
                "pass",
                ("deviation",),
                f"failures of {', '.join(rules)} are covered by deviation {', '.join(ids)}",
                links=links,
                deviations=ids,
                refused=tuple(refused),
            )
        waived = sorted({s.waived for _, s in failing if s.waived})
        reason = f"{', '.join(rules)} failed on {len(failing)} subject(s) in scope"
        if waived:
            reason += f"; suppressed by {', '.join(waived)} but a waiver never makes a requirement pass"
        return verdict(5, "fail", ("automated",), reason, links=links, refused=tuple(refused))

    def _attestations(self, qid: str, requirement: Requirement) -> dict[str, Any]:
        """Valid attestations of this requirement by question id."""
        known = {q.id for q in requirement.questions}
        return {
            a.question: a
            for a in self.amendments.attestations
            if a.requirement == qid and a.question in known and a.valid_on(self.at)
        }

    def _unknown_questions(self, requirement: Requirement, links: tuple[LinkResult, ...]) -> tuple[Question, ...]:
        questions: list[Question] = []
        for lr in links:
            for subject in lr.subjects:
                if lr.relation == "evidence" and subject.outcome == "unknown":
                    where = f" ({subject.location})" if subject.location else ""
                    questions.append(
                        Question(
                            f"{requirement.id}.{lr.rule}.{subject.subject}",
                            f"{subject.subject}: {subject.expected or 'the value'} cannot be established "
                            f"statically{where}; "
                            "state the effective runtime value",
                        )
                    )
                if lr.relation == "indeterminate" and subject.outcome == "fail":
                    questions.append(
                        Question(
                            f"{requirement.id}.{lr.rule}.{subject.subject}",
                            f"{subject.subject}: {lr.rule} reports that the engine decides this at runtime; "
                            "state what it negotiates",
                        )
                    )
        return tuple(dict((q.id, q) for q in questions).values())

    def _link_result(self, link) -> LinkResult:
        evaluated = link.rule in self.evaluated_rules
        subjects = []
        for entry in self.by_rule.get(link.rule, ()):
            if entry.outcome == "not-applicable" or not link.in_scope({**entry.facts, "kind": entry.subject_kind}):
                continue
            value = entry.value
            expected = entry.expected
            if entry.outcome == "unknown" and entry.note:
                expected = f"{entry.path}: {entry.note}"
            subjects.append(
                SubjectVerdict(
                    subject=entry.subject,
                    outcome=entry.outcome,
                    value=value,
                    origin=entry.origin,
                    location=entry.location,
                    expected=expected,
                    fingerprint=entry.fingerprint,
                    waived=entry.suppression,
                )
            )
        return LinkResult(link.rule, link.relation, link.aspect, evaluated, tuple(subjects), link.note)


def _fields(subject: SubjectVerdict) -> dict[str, Any]:
    return {name: getattr(subject, name) for name in SubjectVerdict.__slots__}
