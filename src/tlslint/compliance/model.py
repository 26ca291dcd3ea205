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
from typing import Any

from tlslint.model.located import Location
from tlslint.records import Frozen, Record

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


class Question(Frozen):
    """What an assessor must answer where no configuration can show it."""

    __slots__ = ("id", "ask")

    id: str  # "SCM-3.Q1"
    ask: str

    def __init__(self, id: str, ask: str) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "ask", ask)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "ask": self.ask}


class Requirement(Frozen):
    """One requirement of a framework catalogue: its id, title, a summary in our own words, and when it applies."""

    __slots__ = (
        "id",
        "title",
        "summary",
        "group",
        "parent",
        "kind",
        "strength",
        "applies_when",
        "applicability",
        "questions",
        "deviations",
        "evidence_ids",
    )

    id: str  # "SCM-3", "CR 1.9 RE1", "A00.FR.318"
    title: str  # the short official title or a short own-words title
    summary: str  # own words, never the standard's text (tests guard length and quotation)
    group: str | None  # "SCM", "FR 1", "A00"
    parent: str | None  # a requirement enhancement's base requirement
    kind: str  # normative | informative
    strength: str | None  # SHALL | SHOULD | MAY where the standard grades it (OCPP, NIST)
    #: Profile dimension -> values for which the requirement applies ({"sl_target": ["3", "4"]}).
    applies_when: dict[str, tuple[str, ...]]
    applicability: str  # the applicability condition in words
    questions: tuple[Question, ...]
    deviations: tuple[str, ...]  # deviation kinds the requirement allows ("interoperability")
    evidence_ids: tuple[str, ...]  # cells of a technical-documentation template it fills

    def __init__(
        self,
        id: str,
        title: str,
        summary: str,
        group: str | None = None,
        parent: str | None = None,
        kind: str = "normative",
        strength: str | None = None,
        applies_when: dict[str, tuple[str, ...]] | None = None,
        applicability: str = "",
        questions: tuple[Question, ...] = (),
        deviations: tuple[str, ...] = (),
        evidence_ids: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "summary", summary)
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "parent", parent)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "strength", strength)
        object.__setattr__(self, "applies_when", {} if applies_when is None else applies_when)
        object.__setattr__(self, "applicability", applicability)
        object.__setattr__(self, "questions", questions)
        object.__setattr__(self, "deviations", deviations)
        object.__setattr__(self, "evidence_ids", evidence_ids)

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


class Provenance(Frozen):
    """How a catalogue was written and checked: the method, the sources its ids were checked against, when."""

    __slots__ = ("method", "sources", "checked_on", "notes")

    method: str  # "paraphrase"
    sources: tuple[str, ...]  # what the ids and subjects were checked against
    checked_on: str  # YYYY-MM-DD
    notes: str

    def __init__(self, method: str, sources: tuple[str, ...], checked_on: str, notes: str = "") -> None:
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "sources", sources)
        object.__setattr__(self, "checked_on", checked_on)
        object.__setattr__(self, "notes", notes)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "sources": list(self.sources),
            "checked_on": self.checked_on,
            "notes": self.notes,
        }


class Catalogue(Frozen):
    """One dated edition of a framework: every requirement of that edition (``complete``), or — for a
    catalogue that says ``complete: false`` — the requirements named in ``scope``."""

    __slots__ = (
        "id",
        "edition",
        "catalogue_version",
        "title",
        "publisher",
        "aliases",
        "complete",
        "scope",
        "provenance",
        "dimensions",
        "requirements",
        "path",
        "content_hash",
    )

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
    path: str
    content_hash: str  # SHA-256 of the file's bytes

    def __init__(
        self,
        id: str,
        edition: str,
        catalogue_version: str,
        title: str,
        publisher: str,
        aliases: tuple[str, ...],
        complete: bool,
        scope: str,
        provenance: Provenance,
        dimensions: dict[str, tuple[str, ...]],
        requirements: dict[str, Requirement],
        path: str = "",
        content_hash: str = "",
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "edition", edition)
        object.__setattr__(self, "catalogue_version", catalogue_version)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "publisher", publisher)
        object.__setattr__(self, "aliases", aliases)
        object.__setattr__(self, "complete", complete)
        object.__setattr__(self, "scope", scope)
        object.__setattr__(self, "provenance", provenance)
        object.__setattr__(self, "dimensions", dimensions)
        object.__setattr__(self, "requirements", requirements)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "content_hash", content_hash)

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


class Guardrail(Frozen):
    """The loosest policy parameter value the requirement tolerates: ``min_rsa_bits >= 2048``."""

    __slots__ = ("param", "op", "value", "note")

    param: str
    op: str  # gte | lte | eq
    value: Any
    note: str

    def __init__(self, param: str, op: str, value: Any, note: str = "") -> None:
        object.__setattr__(self, "param", param)
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "note", note)

    def holds(self, actual: Any) -> bool:
        if self.op == "gte":
            return actual >= self.value
        if self.op == "lte":
            return actual <= self.value
        return actual == self.value

    def to_json(self) -> dict[str, Any]:
        return {"param": self.param, "op": self.op, "value": _jsonable(self.value), "note": self.note}


class CrosswalkLink(Frozen):
    """One rule's bearing on one requirement."""

    __slots__ = ("rule", "relation", "aspect", "scope", "note")

    rule: str
    relation: str  # one of RELATIONS
    aspect: str  # which part of the requirement the rule speaks to ("protocol-version")
    scope: dict[str, tuple[str, ...]]  # subject attribute -> allowed values
    note: str  # why, or the deviation hint for a conflict

    def __init__(
        self,
        rule: str,
        relation: str,
        aspect: str = "",
        scope: dict[str, tuple[str, ...]] | None = None,
        note: str = "",
    ) -> None:
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "relation", relation)
        object.__setattr__(self, "aspect", aspect)
        object.__setattr__(self, "scope", {} if scope is None else scope)
        object.__setattr__(self, "note", note)

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


class FrameworkLink(Frozen):
    """A requirement of one framework bearing on a requirement of another (EN 18031 -> CRA)."""

    __slots__ = ("target", "relation", "note")

    target: str  # qualified id
    relation: str  # supports | equivalent | intersects | context
    note: str

    def __init__(self, target: str, relation: str, note: str = "") -> None:
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "relation", relation)
        object.__setattr__(self, "note", note)

    def to_json(self) -> dict[str, Any]:
        return {"to": self.target, "relation": self.relation, "note": self.note}


class Mapping(Frozen):
    """How tlslint's rules cover one requirement (the crosswalk entry of a requirement)."""

    __slots__ = ("requirement", "coverage", "residual", "links", "guardrails", "maps_to")

    requirement: str  # qualified id
    coverage: str  # one of COVERAGES
    residual: str  # what tlslint cannot see
    links: tuple[CrosswalkLink, ...]
    guardrails: tuple[Guardrail, ...]
    maps_to: tuple[FrameworkLink, ...]

    def __init__(
        self,
        requirement: str,
        coverage: str,
        residual: str = "",
        links: tuple[CrosswalkLink, ...] = (),
        guardrails: tuple[Guardrail, ...] = (),
        maps_to: tuple[FrameworkLink, ...] = (),
    ) -> None:
        object.__setattr__(self, "requirement", requirement)
        object.__setattr__(self, "coverage", coverage)
        object.__setattr__(self, "residual", residual)
        object.__setattr__(self, "links", links)
        object.__setattr__(self, "guardrails", guardrails)
        object.__setattr__(self, "maps_to", maps_to)

    def to_json(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement,
            "coverage": self.coverage,
            "residual": self.residual,
            "links": [link.to_json() for link in self.links],
            "guardrails": [g.to_json() for g in self.guardrails],
            "maps_to": [m.to_json() for m in self.maps_to],
        }


class Crosswalk(Frozen):
    """The mapping of one framework's requirements onto tlslint's rules."""

    __slots__ = ("framework", "version", "mappings", "path", "content_hash")

    framework: str  # catalogue key "en18031-1@2024"
    version: str
    mappings: dict[str, Mapping]  # requirement id (unqualified) -> mapping
    path: str
    content_hash: str

    def __init__(
        self, framework: str, version: str, mappings: dict[str, Mapping], path: str = "", content_hash: str = ""
    ) -> None:
        object.__setattr__(self, "framework", framework)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "mappings", mappings)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "content_hash", content_hash)


# --- the evaluation ledger ------------------------------------------------------------------------


class LedgerEntry(Record):
    """What one rule concluded about one subject, with the evidence (compliance mode only)."""

    __slots__ = (
        "rule",
        "subject",
        "subject_display",
        "subject_kind",
        "facts",
        "outcome",
        "path",
        "value",
        "origin",
        "location",
        "note",
        "expected",
        "params",
        "fingerprint",
        "suppression",
    )

    rule: str
    subject: str  # the subject's stable id
    subject_display: str
    subject_kind: str
    facts: dict[str, Any]  # the subject attributes crosswalk scopes test (SCOPE_KEYS)
    outcome: str  # one of OUTCOMES
    path: str | None  # the field that decided
    value: Any  # its observed value
    origin: str | None  # explicit | inherited | default | unknown
    location: Location | None  # where the value (or the subject) is written
    note: str | None  # the parser's note on the value ("OpenSSL 3.0 default")
    expected: str
    params: dict[str, Any]
    fingerprint: str | None  # the finding's, for a fail
    suppression: str | None  # inline | waiver | baseline, for a suppressed fail

    def __init__(
        self,
        rule: str,
        subject: str,
        subject_display: str,
        subject_kind: str,
        facts: dict[str, Any],
        outcome: str,
        path: str | None = None,
        value: Any = None,
        origin: str | None = None,
        location: Location | None = None,
        note: str | None = None,
        expected: str = "",
        params: dict[str, Any] | None = None,
        fingerprint: str | None = None,
        suppression: str | None = None,
    ) -> None:
        self.rule = rule
        self.subject = subject
        self.subject_display = subject_display
        self.subject_kind = subject_kind
        self.facts = facts
        self.outcome = outcome
        self.path = path
        self.value = value
        self.origin = origin
        self.location = location
        self.note = note
        self.expected = expected
        self.params = {} if params is None else params
        self.fingerprint = fingerprint
        self.suppression = suppression

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


class NotApplicable(Frozen):
    """A declaration that a requirement does not apply to the product, with who declared it and until when."""

    __slots__ = ("requirement", "reason", "declared_by", "declared_on", "review_by")

    requirement: str  # qualified id
    reason: str
    declared_by: str
    declared_on: datetime.date
    review_by: datetime.date  # after this day the declaration has lapsed

    def __init__(
        self, requirement: str, reason: str, declared_by: str, declared_on: datetime.date, review_by: datetime.date
    ) -> None:
        object.__setattr__(self, "requirement", requirement)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "declared_by", declared_by)
        object.__setattr__(self, "declared_on", declared_on)
        object.__setattr__(self, "review_by", review_by)

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


class Attestation(Frozen):
    """A person's answer to a manual question."""

    __slots__ = (
        "id",
        "requirement",
        "question",
        "result",
        "answer",
        "author",
        "approver",
        "answered_on",
        "expires",
        "evidence",
    )

    id: str
    requirement: str  # qualified id
    question: str  # question id
    result: str  # pass | fail
    answer: str
    author: str
    approver: str
    answered_on: datetime.date
    expires: datetime.date
    evidence: tuple[dict[str, str], ...]  # {path, sha256}

    def __init__(
        self,
        id: str,
        requirement: str,
        question: str,
        result: str,
        answer: str,
        author: str,
        approver: str,
        answered_on: datetime.date,
        expires: datetime.date,
        evidence: tuple[dict[str, str], ...] = (),
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "requirement", requirement)
        object.__setattr__(self, "question", question)
        object.__setattr__(self, "result", result)
        object.__setattr__(self, "answer", answer)
        object.__setattr__(self, "author", author)
        object.__setattr__(self, "approver", approver)
        object.__setattr__(self, "answered_on", answered_on)
        object.__setattr__(self, "expires", expires)
        object.__setattr__(self, "evidence", evidence)

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


class Deviation(Frozen):
    """A requirement-level deviation: only of a kind the requirement allows, and only until it expires."""

    __slots__ = (
        "id",
        "requirement",
        "kind",
        "justification",
        "approver",
        "approved_on",
        "expires",
        "subjects",
        "counterpart",
    )

    id: str
    requirement: str  # qualified id
    kind: str  # "interoperability", "risk-acceptance"
    justification: str
    approver: str
    approved_on: datetime.date
    expires: datetime.date
    subjects: tuple[str, ...]  # subject ids it covers; empty = every subject
    counterpart: str  # the requirement that forces it ("ocpp-2.0.1@ed3+errata-2025-09:A00.FR.318")

    def __init__(
        self,
        id: str,
        requirement: str,
        kind: str,
        justification: str,
        approver: str,
        approved_on: datetime.date,
        expires: datetime.date,
        subjects: tuple[str, ...] = (),
        counterpart: str = "",
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "requirement", requirement)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "justification", justification)
        object.__setattr__(self, "approver", approver)
        object.__setattr__(self, "approved_on", approved_on)
        object.__setattr__(self, "expires", expires)
        object.__setattr__(self, "subjects", subjects)
        object.__setattr__(self, "counterpart", counterpart)

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


class Amendments(Frozen):
    """What people add to a compliance evaluation: attestations, deviations and not-applicable declarations."""

    __slots__ = ("attestations", "deviations", "not_applicable", "path", "content_hash")

    attestations: tuple[Attestation, ...]
    deviations: tuple[Deviation, ...]
    not_applicable: tuple[NotApplicable, ...]
    path: str
    content_hash: str

    def __init__(
        self,
        attestations: tuple[Attestation, ...] = (),
        deviations: tuple[Deviation, ...] = (),
        not_applicable: tuple[NotApplicable, ...] = (),
        path: str = "",
        content_hash: str = "",
    ) -> None:
        object.__setattr__(self, "attestations", attestations)
        object.__setattr__(self, "deviations", deviations)
        object.__setattr__(self, "not_applicable", not_applicable)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "content_hash", content_hash)


class Interface(Frozen):
    """A product interface of the profile: the assets it exposes and the endpoints it corresponds to."""

    __slots__ = ("name", "assets", "endpoints")

    name: str
    assets: tuple[str, ...]  # security | network | privacy | financial
    endpoints: tuple[str, ...]  # subject ids it corresponds to (from `tlslint inspect`)

    def __init__(self, name: str, assets: tuple[str, ...], endpoints: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "assets", assets)
        object.__setattr__(self, "endpoints", endpoints)


class ProductProfile(Frozen):
    """What no configuration can tell (``product.yaml``)."""

    __slots__ = ("product", "dimensions", "interfaces", "amendments", "path", "content_hash")

    product: dict[str, str]  # manufacturer, model, firmware, ...
    #: Applicability dimensions: en18031_part, sl_target, component_type, ocpp_role, ocpp_security_profile.
    dimensions: dict[str, str]
    interfaces: tuple[Interface, ...]
    amendments: Amendments  # N/A declarations written in the profile
    path: str
    content_hash: str

    def __init__(
        self,
        product: dict[str, str] | None = None,
        dimensions: dict[str, str] | None = None,
        interfaces: tuple[Interface, ...] = (),
        amendments: Amendments | None = None,
        path: str = "",
        content_hash: str = "",
    ) -> None:
        object.__setattr__(self, "product", {} if product is None else product)
        object.__setattr__(self, "dimensions", {} if dimensions is None else dimensions)
        object.__setattr__(self, "interfaces", interfaces)
        object.__setattr__(self, "amendments", Amendments() if amendments is None else amendments)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "content_hash", content_hash)


# --- verdicts -------------------------------------------------------------------------------------


class SubjectVerdict(Frozen):
    """What one rule said of one subject, as evidence for a requirement."""

    __slots__ = ("subject", "outcome", "value", "origin", "location", "expected", "fingerprint", "waived", "deviation")

    subject: str
    outcome: str  # one of OUTCOMES
    value: Any
    origin: str | None
    location: Location | None
    expected: str
    fingerprint: str | None
    waived: str | None  # the suppression kind when the failure is suppressed (still a fail)
    deviation: str | None  # id of the deviation that covers this failure

    def __init__(
        self,
        subject: str,
        outcome: str,
        value: Any = None,
        origin: str | None = None,
        location: Location | None = None,
        expected: str = "",
        fingerprint: str | None = None,
        waived: str | None = None,
        deviation: str | None = None,
    ) -> None:
        object.__setattr__(self, "subject", subject)
        object.__setattr__(self, "outcome", outcome)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "origin", origin)
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "expected", expected)
        object.__setattr__(self, "fingerprint", fingerprint)
        object.__setattr__(self, "waived", waived)
        object.__setattr__(self, "deviation", deviation)

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


class LinkResult(Frozen):
    """One rule linked to a requirement, and what it said of each subject."""

    __slots__ = ("rule", "relation", "aspect", "evaluated", "subjects", "note")

    rule: str
    relation: str
    aspect: str
    evaluated: bool  # the rule was part of the run's policy
    subjects: tuple[SubjectVerdict, ...]
    note: str

    def __init__(
        self,
        rule: str,
        relation: str,
        aspect: str,
        evaluated: bool,
        subjects: tuple[SubjectVerdict, ...] = (),
        note: str = "",
    ) -> None:
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "relation", relation)
        object.__setattr__(self, "aspect", aspect)
        object.__setattr__(self, "evaluated", evaluated)
        object.__setattr__(self, "subjects", subjects)
        object.__setattr__(self, "note", note)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "relation": self.relation,
            "aspect": self.aspect,
            "evaluated": self.evaluated,
            "subjects": [s.to_json() for s in self.subjects],
            "note": self.note,
        }


class RequirementVerdict(Frozen):
    """The status of one requirement (pass, fail, not applicable, manual, not covered) and what it rests on."""

    __slots__ = (
        "requirement",
        "title",
        "status",
        "basis",
        "reason",
        "rule_row",
        "coverage",
        "links",
        "questions",
        "attestations",
        "deviations",
        "refused",
        "permitted_by",
        "conflicts_with",
        "maps_to",
    )

    requirement: str  # qualified id
    title: str
    status: str  # one of STATUSES
    basis: tuple[str, ...]  # subset of BASES
    reason: str
    rule_row: int  # the row of the decision table (docs/compliance.md) that decided
    coverage: str
    links: tuple[LinkResult, ...]
    questions: tuple[Question, ...]  # open questions, catalogue and generated ones
    attestations: tuple[str, ...]  # ids of the attestations used
    deviations: tuple[str, ...]  # ids of the deviations applied
    refused: tuple[str, ...]  # deviations present but not allowed or lapsed, with why
    permitted_by: tuple[str, ...]  # rules whose findings this requirement permits (exempts)
    conflicts_with: tuple[str, ...]  # rules whose findings this requirement contradicts
    maps_to: tuple[FrameworkLink, ...]

    def __init__(
        self,
        requirement: str,
        title: str,
        status: str,
        basis: tuple[str, ...],
        reason: str,
        rule_row: int,
        coverage: str,
        links: tuple[LinkResult, ...] = (),
        questions: tuple[Question, ...] = (),
        attestations: tuple[str, ...] = (),
        deviations: tuple[str, ...] = (),
        refused: tuple[str, ...] = (),
        permitted_by: tuple[str, ...] = (),
        conflicts_with: tuple[str, ...] = (),
        maps_to: tuple[FrameworkLink, ...] = (),
    ) -> None:
        object.__setattr__(self, "requirement", requirement)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "basis", basis)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "rule_row", rule_row)
        object.__setattr__(self, "coverage", coverage)
        object.__setattr__(self, "links", links)
        object.__setattr__(self, "questions", questions)
        object.__setattr__(self, "attestations", attestations)
        object.__setattr__(self, "deviations", deviations)
        object.__setattr__(self, "refused", refused)
        object.__setattr__(self, "permitted_by", permitted_by)
        object.__setattr__(self, "conflicts_with", conflicts_with)
        object.__setattr__(self, "maps_to", maps_to)

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


class FrameworkResult(Frozen):
    """The verdicts of every requirement of one framework catalogue."""

    __slots__ = ("catalogue", "verdicts", "crosswalk_hash")

    catalogue: Catalogue
    verdicts: tuple[RequirementVerdict, ...]
    crosswalk_hash: str

    def __init__(
        self, catalogue: Catalogue, verdicts: tuple[RequirementVerdict, ...], crosswalk_hash: str = ""
    ) -> None:
        object.__setattr__(self, "catalogue", catalogue)
        object.__setattr__(self, "verdicts", verdicts)
        object.__setattr__(self, "crosswalk_hash", crosswalk_hash)

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


class ComplianceResult(Frozen):
    """A compliance evaluation: the verdicts per framework, the ledger they rest on, and what was judged."""

    __slots__ = ("at", "frameworks", "ledger", "profile", "policy", "params")

    at: datetime.date
    frameworks: tuple[FrameworkResult, ...]
    ledger: tuple[LedgerEntry, ...]
    profile: ProductProfile
    policy: str  # the policy's name@edition
    params: dict[str, Any]  # the effective policy parameters the guardrails were checked against

    def __init__(
        self,
        at: datetime.date,
        frameworks: tuple[FrameworkResult, ...],
        ledger: tuple[LedgerEntry, ...],
        profile: ProductProfile,
        policy: str,
        params: dict[str, Any],
    ) -> None:
        object.__setattr__(self, "at", at)
        object.__setattr__(self, "frameworks", frameworks)
        object.__setattr__(self, "ledger", ledger)
        object.__setattr__(self, "profile", profile)
        object.__setattr__(self, "policy", policy)
        object.__setattr__(self, "params", params)

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "policy": self.policy,
            "params": _jsonable(self.params),
            "profile": {"product": dict(self.profile.product), "dimensions": dict(self.profile.dimensions)},
            "frameworks": [f.to_json() for f in self.frameworks],
            "ledger": [e.to_json() for e in self.ledger],
        }
