"""The data of compliance mode: catalogues, crosswalks, the evaluation ledger, amendments and verdicts.

Everything here is plain, immutable data with ``to_json()``; the loaders (:mod:`.catalogue`,
:mod:`.crosswalk`, :mod:`.profile`) build it from the shipped files and the user's files, and
:func:`tlslint.compliance.verdicts.evaluate_frameworks` turns a lint run into a
:class:`ComplianceResult`. Renderers (``tlslint frameworks``, ``tlslint report``) only read it.

Identifiers
    A requirement is named ``<framework>@<edition>:<requirement>``, e.g. ``en18031-1@2024:SCM-3`` or
    ``iec62443-4-2@2019:CR 1.9 RE1`` (:func:`qualified`). Rules keep their human ``references``
    (``{framework: EN18031-1, control: SCM-3}``); each is resolved to such an id at load time, and one
    that no catalogue knows is a load error.

Vocabularies (closed sets, also enforced by the JSON schemas in ``schemas/``)
    * ``RELATIONS`` — how a rule bears on a requirement: ``evidence`` (a failure on an in-scope
      subject fails the requirement, a pass is positive evidence), ``supports`` (a pass is evidence,
      a failure only a note), ``indeterminate`` (the rule says tlslint cannot see the value: makes the
      requirement manual, never failed), ``context`` (reading only), ``exempts`` (the requirement
      permits what the rule flags), ``conflicts`` (the requirement mandates what the rule flags).
      ``exempts`` and ``conflicts`` never change a status; they are shown beside it.
    * ``COVERAGES`` — how much of a requirement the linked rules can establish: ``full``,
      ``partial`` (the ``residual`` says what is left, usually as assessor questions), ``none``.
    * ``OUTCOMES`` — one ledger entry per (rule, subject): ``pass``, ``fail``, ``not-applicable``,
      ``unknown`` (the value cannot be known statically).
    * ``STATUSES`` — one verdict per requirement: ``pass``, ``fail``, ``not-applicable``, ``manual``
      (a person must answer the listed questions), ``not-covered`` (outside what tlslint sees and no
      question written yet). ``BASES`` say on what a status rests: ``automated``, ``attested``,
      ``deviation``, ``declared`` (an N/A declaration), ``derived`` (applicability from the profile).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from tlslint.model.located import Location

RELATIONS = ("evidence", "supports", "indeterminate", "context", "exempts", "conflicts")
COVERAGES = ("full", "partial", "none")
OUTCOMES = ("pass", "fail", "not-applicable", "unknown")
STATUSES = ("pass", "fail", "not-applicable", "manual", "not-covered")
BASES = ("automated", "attested", "deviation", "declared", "derived")
#: Subject attributes a crosswalk link may narrow its scope by (the same ones rules filter on).
SCOPE_KEYS = ("kind", "role", "purpose", "engine")


def qualified(framework: str, edition: str, requirement: str) -> str:
    """``en18031-1@2024:SCM-3``."""
    return f"{framework}@{edition}:{requirement}"


def split_qualified(text: str) -> tuple[str, str | None, str]:
    """``en18031-1@2024:SCM-3`` -> (``en18031-1``, ``2024``, ``SCM-3``); the edition may be left out."""
    head, sep, requirement = text.partition(":")
    if not sep or not requirement:
        raise ValueError(f"not a requirement id of the form framework@edition:requirement: {text!r}")
    framework, _, edition = head.partition("@")
    return framework, edition or None, requirement


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


# --- catalogues -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Question:
    """What an assessor must answer where no configuration can show it."""

    id: str  # "SCM-3.Q1"
    ask: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "ask": self.ask}


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str  # "SCM-3", "CR 1.9 RE1", "A00.FR.318"
    title: str  # the short official title or a short own-words title
    summary: str  # own words, never the standard's text (tests guard length and quotation)
    group: str | None = None  # "SCM", "FR 1", "A00"
    parent: str | None = None  # a requirement enhancement's base requirement
    kind: str = "normative"  # normative | informative
    strength: str | None = None  # SHALL | SHOULD | MAY where the standard grades it (OCPP, NIST)
    #: Profile dimension -> values for which the requirement applies ({"sl_target": ["3", "4"]}).
    applies_when: dict[str, tuple[str, ...]] = field(default_factory=dict)
    applicability: str = ""  # the applicability condition in words
    questions: tuple[Question, ...] = ()
    deviations: tuple[str, ...] = ()  # deviation kinds the requirement allows ("interoperability")
    evidence_ids: tuple[str, ...] = ()  # cells of a technical-documentation template it fills

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "title": self.title, "summary": self.summary, "kind": self.kind}
        for name in ("group", "parent", "strength"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.applies_when:
            out["applies_when"] = {k: list(v) for k, v in self.applies_when.items()}
        if self.applicability:
            out["applicability"] = self.applicability
        out["questions"] = [q.to_json() for q in self.questions]
        out["deviations"] = list(self.deviations)
        if self.evidence_ids:
            out["evidence_ids"] = list(self.evidence_ids)
        return out


@dataclass(frozen=True, slots=True)
class Provenance:
    method: str  # "paraphrase"
    sources: tuple[str, ...]  # what the ids and subjects were checked against
    checked_on: str  # YYYY-MM-DD
    notes: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "sources": list(self.sources),
            "checked_on": self.checked_on,
            "notes": self.notes,
        }


@dataclass(frozen=True, slots=True)
class Catalogue:
    """One dated edition of a framework: every requirement of that edition (``complete``), or — for a
    catalogue that says ``complete: false`` — the requirements named in ``scope``."""

    id: str  # "en18031-1"
    edition: str  # "2024"
    catalogue_version: str  # version of this data file; a fixed paraphrase bumps it
    title: str
    publisher: str
    aliases: tuple[str, ...]  # the framework names rules write in references ("EN18031-1")
    complete: bool
    scope: str  # what of the edition the file holds
    provenance: Provenance
    dimensions: dict[str, tuple[str, ...]]  # profile dimensions the catalogue reads, with allowed values
    requirements: dict[str, Requirement]  # in document order
    path: str = ""
    content_hash: str = ""  # SHA-256 of the file's bytes

    @property
    def key(self) -> str:
        return f"{self.id}@{self.edition}"

    def qualified(self, requirement: str) -> str:
        return qualified(self.id, self.edition, requirement)

    def to_json(self, *, requirements: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "edition": self.edition,
            "key": self.key,
            "catalogue_version": self.catalogue_version,
            "title": self.title,
            "publisher": self.publisher,
            "complete": self.complete,
            "scope": self.scope,
            "provenance": self.provenance.to_json(),
            "dimensions": {k: list(v) for k, v in self.dimensions.items()},
            "sha256": self.content_hash,
        }
        if requirements:
            out["requirements"] = [r.to_json() for r in self.requirements.values()]
        return out


# --- crosswalks -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Guardrail:
    """The loosest policy parameter value the requirement tolerates: ``min_rsa_bits >= 2048``."""

    param: str
    op: str  # gte | lte | eq
    value: Any
    note: str = ""

    def holds(self, actual: Any) -> bool:
        if self.op == "gte":
            return actual >= self.value
        if self.op == "lte":
            return actual <= self.value
        return actual == self.value

    def to_json(self) -> dict[str, Any]:
        return {"param": self.param, "op": self.op, "value": _jsonable(self.value), "note": self.note}


@dataclass(frozen=True, slots=True)
class CrosswalkLink:
    """One rule's bearing on one requirement."""

    rule: str
    relation: str  # one of RELATIONS
    aspect: str = ""  # which part of the requirement the rule speaks to ("protocol-version")
    scope: dict[str, tuple[str, ...]] = field(default_factory=dict)  # subject attribute -> allowed values
    note: str = ""  # why, or the deviation hint for a conflict

    def in_scope(self, facts: dict[str, Any]) -> bool:
        return all(facts.get(key) in allowed for key, allowed in self.scope.items())

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "relation": self.relation}
        if self.aspect:
            out["aspect"] = self.aspect
        if self.scope:
            out["scope"] = {k: list(v) for k, v in self.scope.items()}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True)
class FrameworkLink:
    """A requirement of one framework bearing on a requirement of another (EN 18031 -> CRA)."""

    target: str  # qualified id
    relation: str  # supports | equivalent | intersects | context
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"to": self.target, "relation": self.relation, "note": self.note}


@dataclass(frozen=True, slots=True)
class Mapping:
    """How tlslint's rules cover one requirement (the crosswalk entry of a requirement)."""

    requirement: str  # qualified id
    coverage: str  # one of COVERAGES
    residual: str = ""  # what tlslint cannot see
    links: tuple[CrosswalkLink, ...] = ()
    guardrails: tuple[Guardrail, ...] = ()
    maps_to: tuple[FrameworkLink, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement,
            "coverage": self.coverage,
            "residual": self.residual,
            "links": [link.to_json() for link in self.links],
            "guardrails": [g.to_json() for g in self.guardrails],
            "maps_to": [m.to_json() for m in self.maps_to],
        }


@dataclass(frozen=True, slots=True)
class Crosswalk:
    framework: str  # catalogue key "en18031-1@2024"
    version: str
    mappings: dict[str, Mapping]  # requirement id (unqualified) -> mapping
    path: str = ""
    content_hash: str = ""


# --- the evaluation ledger ------------------------------------------------------------------------


@dataclass(slots=True)
class LedgerEntry:
    """What one rule concluded about one subject, with the evidence (compliance mode only)."""

    rule: str
    subject: str  # the subject's stable id
    subject_display: str
    subject_kind: str
    facts: dict[str, Any]  # the subject attributes crosswalk scopes test (SCOPE_KEYS)
    outcome: str  # one of OUTCOMES
    path: str | None = None  # the field that decided
    value: Any = None  # its observed value
    origin: str | None = None  # explicit | inherited | default | unknown
    location: Location | None = None  # where the value (or the subject) is written
    note: str | None = None  # the parser's note on the value ("OpenSSL 3.0 default")
    expected: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    fingerprint: str | None = None  # the finding's, for a fail
    suppression: str | None = None  # inline | waiver | baseline, for a suppressed fail

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "subject": self.subject,
            "subject_kind": self.subject_kind,
            "outcome": self.outcome,
            "path": self.path,
            "value": _jsonable(self.value),
            "origin": self.origin,
            "location": self.location.to_json() if self.location is not None else None,
            "expected": self.expected,
            "params": _jsonable(self.params),
        }
        if self.note:
            out["note"] = self.note
        if self.fingerprint is not None:
            out["fingerprint"] = self.fingerprint
        if self.suppression is not None:
            out["suppression"] = self.suppression
        return out


# --- what the user adds: product profile and amendments -------------------------------------------


@dataclass(frozen=True, slots=True)
class NotApplicable:
    requirement: str  # qualified id
    reason: str
    declared_by: str
    declared_on: datetime.date
    review_by: datetime.date  # after this day the declaration has lapsed

    def valid_on(self, at: datetime.date) -> bool:
        return at <= self.review_by

    def to_json(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement,
            "reason": self.reason,
            "declared_by": self.declared_by,
            "declared_on": self.declared_on.isoformat(),
            "review_by": self.review_by.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Attestation:
    """A person's answer to a manual question."""

    id: str
    requirement: str  # qualified id
    question: str  # question id
    result: str  # pass | fail
    answer: str
    author: str
    approver: str
    answered_on: datetime.date
    expires: datetime.date
    evidence: tuple[dict[str, str], ...] = ()  # {path, sha256}

    def valid_on(self, at: datetime.date) -> bool:
        return self.answered_on <= at <= self.expires

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "requirement": self.requirement,
            "question": self.question,
            "result": self.result,
            "answer": self.answer,
            "author": self.author,
            "approver": self.approver,
            "answered_on": self.answered_on.isoformat(),
            "expires": self.expires.isoformat(),
            "evidence": [dict(e) for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class Deviation:
    """A requirement-level deviation: only of a kind the requirement allows, and only until it expires."""

    id: str
    requirement: str  # qualified id
    kind: str  # "interoperability", "risk-acceptance"
    justification: str
    approver: str
    approved_on: datetime.date
    expires: datetime.date
    subjects: tuple[str, ...] = ()  # subject ids it covers; empty = every subject
    counterpart: str = ""  # the requirement that forces it ("ocpp-2.0.1@ed3+errata-2025-09:A00.FR.318")

    def valid_on(self, at: datetime.date) -> bool:
        return self.approved_on <= at <= self.expires

    def covers(self, subject: str) -> bool:
        return not self.subjects or subject in self.subjects

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "requirement": self.requirement,
            "kind": self.kind,
            "justification": self.justification,
            "approver": self.approver,
            "approved_on": self.approved_on.isoformat(),
            "expires": self.expires.isoformat(),
            "subjects": list(self.subjects),
            "counterpart": self.counterpart,
        }


@dataclass(frozen=True, slots=True)
class Amendments:
    attestations: tuple[Attestation, ...] = ()
    deviations: tuple[Deviation, ...] = ()
    not_applicable: tuple[NotApplicable, ...] = ()
    path: str = ""
    content_hash: str = ""


@dataclass(frozen=True, slots=True)
class Interface:
    name: str
    assets: tuple[str, ...]  # security | network | privacy | financial
    endpoints: tuple[str, ...] = ()  # subject ids it corresponds to (from `tlslint inspect`)


@dataclass(frozen=True, slots=True)
class ProductProfile:
    """What no configuration can tell (``product.yaml``)."""

    product: dict[str, str] = field(default_factory=dict)  # manufacturer, model, firmware, ...
    #: Applicability dimensions: en18031_part, sl_target, component_type, ocpp_role, ocpp_security_profile.
    dimensions: dict[str, str] = field(default_factory=dict)
    interfaces: tuple[Interface, ...] = ()
    amendments: Amendments = field(default_factory=Amendments)  # N/A declarations written in the profile
    path: str = ""
    content_hash: str = ""


# --- verdicts -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubjectVerdict:
    subject: str
    outcome: str  # one of OUTCOMES
    value: Any = None
    origin: str | None = None
    location: Location | None = None
    expected: str = ""
    fingerprint: str | None = None
    waived: str | None = None  # the suppression kind when the failure is suppressed (still a fail)
    deviation: str | None = None  # id of the deviation that covers this failure

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "subject": self.subject,
            "outcome": self.outcome,
            "value": _jsonable(self.value),
            "origin": self.origin,
            "location": self.location.to_json() if self.location is not None else None,
            "expected": self.expected,
        }
        for name in ("fingerprint", "waived", "deviation"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out


@dataclass(frozen=True, slots=True)
class LinkResult:
    rule: str
    relation: str
    aspect: str
    evaluated: bool  # the rule was part of the run's policy
    subjects: tuple[SubjectVerdict, ...] = ()
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "relation": self.relation,
            "aspect": self.aspect,
            "evaluated": self.evaluated,
            "subjects": [s.to_json() for s in self.subjects],
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class RequirementVerdict:
    requirement: str  # qualified id
    title: str
    status: str  # one of STATUSES
    basis: tuple[str, ...]  # subset of BASES
    reason: str
    rule_row: int  # the row of the decision table (docs/compliance.md) that decided
    coverage: str
    links: tuple[LinkResult, ...] = ()
    questions: tuple[Question, ...] = ()  # open questions, catalogue and generated ones
    attestations: tuple[str, ...] = ()  # ids of the attestations used
    deviations: tuple[str, ...] = ()  # ids of the deviations applied
    refused: tuple[str, ...] = ()  # deviations present but not allowed or lapsed, with why
    permitted_by: tuple[str, ...] = ()  # rules whose findings this requirement permits (exempts)
    conflicts_with: tuple[str, ...] = ()  # rules whose findings this requirement contradicts
    maps_to: tuple[FrameworkLink, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement,
            "title": self.title,
            "status": self.status,
            "basis": list(self.basis),
            "reason": self.reason,
            "decision_row": self.rule_row,
            "coverage": self.coverage,
            "links": [link.to_json() for link in self.links],
            "questions": [q.to_json() for q in self.questions],
            "attestations": list(self.attestations),
            "deviations": list(self.deviations),
            "refused": list(self.refused),
            "permitted_by": list(self.permitted_by),
            "conflicts_with": list(self.conflicts_with),
            "maps_to": [m.to_json() for m in self.maps_to],
        }


@dataclass(frozen=True, slots=True)
class FrameworkResult:
    catalogue: Catalogue
    verdicts: tuple[RequirementVerdict, ...]
    crosswalk_hash: str = ""

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for verdict in self.verdicts:
            counts[verdict.status] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "framework": self.catalogue.to_json(requirements=False),
            "crosswalk_sha256": self.crosswalk_hash,
            "counts": self.counts(),
            "requirements": [v.to_json() for v in self.verdicts],
        }


@dataclass(frozen=True, slots=True)
class ComplianceResult:
    at: datetime.date
    frameworks: tuple[FrameworkResult, ...]
    ledger: tuple[LedgerEntry, ...]
    profile: ProductProfile
    policy: str  # the policy's name@edition
    params: dict[str, Any]  # the effective policy parameters the guardrails were checked against

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "policy": self.policy,
            "params": _jsonable(self.params),
            "profile": {"product": dict(self.profile.product), "dimensions": dict(self.profile.dimensions)},
            "frameworks": [f.to_json() for f in self.frameworks],
            "ledger": [e.to_json() for e in self.ledger],
        }
