"""Per-framework requirement results for ``report.json``, from :mod:`tlslint.compliance`'s verdicts.

This module only translates: the catalogues, crosswalks and the decision table are
:mod:`tlslint.compliance`'s. What it adds is the auditor's view of the amendments — every attestation,
deviation, not-applicable declaration and waiver that names a requirement is listed under it with its
state on ``--at`` (valid, expiring within 90 days, expired, not yet valid, refused), so an expired item is
reported, never dropped.
"""

from __future__ import annotations

import datetime
from typing import Any

from tlslint.errors import UsageError
from tlslint.evidence.inventory import _plain, _without_userinfo
from tlslint.records import Frozen, Record

#: Days before expiry from which an amendment is reported as expiring.
EXPIRING_DAYS = 90
#: Short names accepted in ``--framework ID:k=v`` for the profile dimensions catalogues read.
PARAM_ALIASES = {
    "sl": "sl_target",
    "type": "component_type",
    "part": "en18031_part",
    "role": "ocpp_role",
    "profile": "ocpp_security_profile",
    "version": "ocpp_version",
}


class FrameworkSpec(Frozen):
    """A framework named on the command line, with its profile parameters."""

    __slots__ = ("name", "params")

    name: str  # as given: "en18031-1", "iec62443-4-2@2019"
    params: dict[str, str]  # profile dimension -> value

    def __init__(self, name: str, params: dict[str, str]) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "params", params)

    @classmethod
    def parse(cls, text: str) -> FrameworkSpec:
        name, _, rest = text.partition(":")
        if not name:
            raise UsageError(f"--framework {text!r}: expected ID[@EDITION][:key=value,...]")
        params = {}
        for item in filter(None, (part.strip() for part in rest.split(","))):
            key, sep, value = item.partition("=")
            if not sep or not key or not value:
                raise UsageError(f"--framework {text!r}: parameter {item!r} is not key=value")
            params[PARAM_ALIASES.get(key, key)] = value
        return cls(name, params)


def state(at: datetime.date, expires: datetime.date | None, starts: datetime.date | None = None) -> str:
    if starts is not None and at < starts:
        return "not-yet-valid"
    if expires is None:
        return "valid"
    if at > expires:
        return "expired"
    return "expiring" if (expires - at).days <= EXPIRING_DAYS else "valid"


def _load(invocation: Any) -> tuple[Any, Any]:
    from tlslint.compliance import load_amendments, load_profile
    from tlslint.compliance.model import Amendments, ProductProfile

    profile = load_profile(invocation.profile) if invocation.profile else ProductProfile()
    merged = Amendments()
    for path in [*invocation.attestations, *invocation.deviations]:
        loaded = load_amendments(path)
        merged = Amendments(
            merged.attestations + loaded.attestations,
            merged.deviations + loaded.deviations,
            merged.not_applicable + loaded.not_applicable,
        )
    return profile, merged


class Evaluated(Record):
    """The framework sections of an evidence document and the catalogues they were judged against."""

    __slots__ = ("sections", "catalogues", "ledger", "product")

    sections: list[dict[str, Any]]  # per framework: counts and requirement results
    catalogues: list[dict[str, Any]]  # for the header: catalogue and crosswalk versions, hashes, parameters
    ledger: list[dict[str, Any]]
    product: dict[str, str]  # the product profile's identity (manufacturer, model, firmware, ...)

    def __init__(
        self,
        sections: list[dict[str, Any]],
        catalogues: list[dict[str, Any]],
        ledger: list[dict[str, Any]],
        product: dict[str, str],
    ) -> None:
        self.sections = sections
        self.catalogues = catalogues
        self.ledger = ledger
        self.product = product


def evaluate(invocation: Any, result: Any) -> Evaluated:
    """Judge the requested frameworks on a lint run made with the ledger."""
    if not invocation.frameworks:
        return Evaluated([], [], [], {})
    from tlslint.compliance import evaluate_frameworks, find_catalogue, load_crosswalks, with_defaults
    from tlslint.compliance.crosswalk import mapping_for

    profile, amendments = _load(invocation)
    # The policy's default dimensions (iec62443-4-2-sl2 says sl_target 2) under the product profile's.
    profile = with_defaults(profile, getattr(result.policy, "profile", None) or {})
    crosswalks = load_crosswalks()
    waivers = _waivers(invocation, result)
    sections, records = [], []
    seen = set()
    for text in invocation.frameworks:
        spec = FrameworkSpec.parse(text)
        catalogue = find_catalogue(spec.name)
        if catalogue.key in seen:
            raise UsageError(f"--framework {text}: {catalogue.key} is given twice")
        seen.add(catalogue.key)
        unknown = sorted(set(spec.params) - set(catalogue.dimensions))
        if unknown:
            known = ", ".join(sorted(catalogue.dimensions)) or "none"
            raise UsageError(
                f"--framework {text}: {catalogue.key} has no parameter {', '.join(unknown)} (it reads: {known})"
            )
        for key, value in spec.params.items():
            allowed = catalogue.dimensions[key]
            if allowed and value not in allowed:
                raise UsageError(f"--framework {text}: {key} must be one of {', '.join(allowed)}")
        # Parameters given on the command line win over the product profile's defaults for this framework.
        framework_profile = with_defaults(profile, {})
        framework_profile.dimensions.update(spec.params)
        outcome = evaluate_frameworks(
            result, [catalogue], framework_profile, amendments, invocation.at, crosswalks
        ).frameworks[0]
        crosswalk = crosswalks.get(catalogue.key)
        params = {
            k: framework_profile.dimensions[k]
            for k in sorted(catalogue.dimensions)
            if k in framework_profile.dimensions
        }
        records.append(
            {
                "ref": catalogue.key,
                "id": catalogue.id,
                "edition": catalogue.edition,
                "catalogue_version": catalogue.catalogue_version,
                "sha256": catalogue.content_hash,
                "file": _shipped(catalogue.path),
                "params": params,
                "crosswalk": {
                    "version": crosswalk.version,
                    "sha256": crosswalk.content_hash,
                    "file": _shipped(crosswalk.path),
                }
                if crosswalk
                else None,
            }
        )
        requirements = [
            _requirement(
                catalogue,
                catalogue.requirements[verdict.requirement.split(":", 1)[1]],
                verdict,
                mapping_for(crosswalk, catalogue.key, verdict.requirement.split(":", 1)[1]),
                profile,
                amendments,
                waivers,
                invocation.at,
            )
            for verdict in outcome.verdicts
        ]
        sections.append(
            {
                "ref": catalogue.key,
                "id": catalogue.id,
                "edition": catalogue.edition,
                "title": catalogue.title,
                "catalogue_version": catalogue.catalogue_version,
                "sha256": catalogue.content_hash,
                "params": params,
                "counts": outcome.counts(),
                "requirements": requirements,
            }
        )
    ledger = [_ledger_entry(entry) for entry in result.ledger or ()]
    ledger.sort(key=lambda e: (e["rule"], e["subject"], e["outcome"]))
    return Evaluated(sections, records, ledger, dict(sorted(profile.product.items())))


#: Evidence files named by attestations are hashed up to this size (a PDF manual, a test log).
MAX_EVIDENCE_BYTES = 64 * 1024 * 1024


def _evidence_check(evidence: dict[str, str]) -> dict[str, str]:
    """An attestation's evidence reference with whether the file (relative to the working directory)
    still has the SHA-256 the attestation states: ``matches``, ``differs`` or ``not found``."""
    import hashlib
    import os

    path = evidence["path"]
    check = "not found"
    if os.path.isfile(path) and os.path.getsize(path) <= MAX_EVIDENCE_BYTES:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        check = "matches" if digest.hexdigest() == evidence["sha256"] else "differs"
    return {**evidence, "check": check}


def _shipped(path: str) -> str:
    from tlslint.evidence.document import _shipped_name

    return _shipped_name(path) if path else ""


def _location(location: Any) -> str | None:
    return None if location is None else str(location)


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return _without_userinfo(value)
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return _plain(value)


def _ledger_entry(entry: Any) -> dict[str, Any]:
    out = {
        "rule": entry.rule,
        "subject": entry.subject,
        "subject_kind": entry.subject_kind,
        "outcome": entry.outcome,
        "path": entry.path,
        "value": _value(entry.value),
        "origin": entry.origin,
        "location": _location(entry.location),
        "expected": entry.expected,
    }
    if entry.fingerprint:
        out["fingerprint"] = entry.fingerprint
    if entry.suppression:
        out["suppression"] = entry.suppression
    return out


def _waivers(invocation: Any, result: Any) -> dict[str, dict[str, Any]]:
    """Finding fingerprint -> the waiver that names it: the one suppressing it (valid or expiring), or an
    expired one that no longer does — reported under the requirement as expired, never dropped."""
    out: dict[str, dict[str, Any]] = {}
    for finding in result.findings:
        suppression = finding.suppression
        if suppression is None or suppression.kind != "waiver":
            continue
        expires = datetime.date.fromisoformat(suppression.expires) if suppression.expires else None
        out[finding.fingerprint] = {
            "id": suppression.waiver_id or "waiver",
            "fingerprint": finding.fingerprint,
            "rule": finding.rule_id,
            "justification": suppression.reason,
            "approver": suppression.approver,
            "expires": suppression.expires,
            "state": state(invocation.at, expires),
        }
    if invocation.waivers:
        from tlslint.waivers import load_waivers

        expired = [w for w in load_waivers(invocation.waivers) if w.expired(invocation.at)]
        for finding in result.findings:
            for waiver in expired:
                if finding.fingerprint not in out and waiver.matches(finding):
                    out[finding.fingerprint] = {
                        "id": waiver.id,
                        "fingerprint": finding.fingerprint,
                        "rule": finding.rule_id,
                        "justification": waiver.justification,
                        "approver": waiver.approver,
                        "expires": waiver.expires.isoformat(),
                        "state": "expired",
                    }
    return out


def _requirement(
    catalogue: Any,
    requirement: Any,
    verdict: Any,
    mapping: Any,
    profile: Any,
    amendments: Any,
    waivers: dict[str, dict[str, Any]],
    at: datetime.date,
) -> dict[str, Any]:
    qid = verdict.requirement
    links = []
    waived: dict[str, dict[str, Any]] = {}
    for link in verdict.links:
        if link.relation in ("exempts", "conflicts"):
            continue
        subjects = []
        for subject in link.subjects:
            entry = {
                "id": subject.subject,
                "verdict": subject.outcome,
                "value": _value(subject.value),
                "origin": subject.origin,
                "location": _location(subject.location),
                "expected": subject.expected,
            }
            if subject.fingerprint:
                entry["fingerprint"] = subject.fingerprint
                if subject.fingerprint in waivers:
                    waived[subject.fingerprint] = waivers[subject.fingerprint]
            if subject.waived:
                entry["suppression"] = subject.waived
            if subject.deviation:
                entry["deviation"] = subject.deviation
            subjects.append(entry)
        links.append(
            {
                "rule": link.rule,
                "relation": link.relation,
                "aspect": link.aspect or None,
                "evaluated": link.evaluated,
                "note": link.note or None,
                "subjects": sorted(subjects, key=lambda s: (s["id"], s["verdict"])),
            }
        )
    conflicts = [
        {"rule": link.rule, "relation": link.relation, "note": link.note or None}
        for link in mapping.links
        if link.relation in ("exempts", "conflicts")
    ]
    answered = {a.question: a for a in amendments.attestations if a.requirement == qid and a.valid_on(at)}
    open_ids = {q.id for q in verdict.questions}
    questions = [{"id": q.id, "ask": q.ask, "answer": None} for q in verdict.questions]
    for question in requirement.questions:
        if question.id not in open_ids and question.id in answered:
            attestation = answered[question.id]
            questions.append(
                {"id": question.id, "ask": question.ask, "answer": attestation.answer, "attestation": attestation.id}
            )
    declarations = [d for d in (*profile.amendments.not_applicable, *amendments.not_applicable) if d.requirement == qid]
    if verdict.status == "not-applicable":
        source = "declaration" if "declared" in verdict.basis else "profile"
        applicability = {"decision": "not-applicable", "reason": verdict.reason, "source": source}
    else:
        applicability = {"decision": "applicable", "reason": requirement.applicability or None, "source": "catalogue"}
    return {
        "requirement": requirement.id,
        "title": requirement.title,
        "summary": requirement.summary,
        "group": requirement.group,
        "status": verdict.status,
        "basis": "+".join(verdict.basis) or "open",
        "reason": verdict.reason,
        "decision_row": verdict.rule_row,
        "applicability": applicability,
        "coverage": verdict.coverage,
        "residual": mapping.residual or None,
        "links": links,
        "questions": questions,
        "attestations": [
            {
                "id": a.id,
                "question": a.question,
                "result": a.result,
                "answer": a.answer,
                "author": a.author,
                "approver": a.approver,
                "answered_on": a.answered_on.isoformat(),
                "expires": a.expires.isoformat(),
                "evidence": [_evidence_check(e) for e in a.evidence],
                "state": state(at, a.expires, a.answered_on),
            }
            for a in amendments.attestations
            if a.requirement == qid
        ],
        "deviations": [
            {
                "id": d.id,
                "kind": d.kind,
                "justification": d.justification,
                "approver": d.approver,
                "approved_on": d.approved_on.isoformat(),
                "expires": d.expires.isoformat(),
                "subjects": list(d.subjects),
                "counterpart": d.counterpart or None,
                "state": "refused" if d.kind not in requirement.deviations else state(at, d.expires, d.approved_on),
                "applied": d.id in verdict.deviations,
            }
            for d in amendments.deviations
            if d.requirement == qid
        ],
        "refused": list(verdict.refused),
        "not_applicable": [
            {
                "reason": d.reason,
                "declared_by": d.declared_by,
                "declared_on": d.declared_on.isoformat(),
                "expires": d.review_by.isoformat(),
                "id": f"N/A {d.declared_on.isoformat()}",
                "state": state(at, d.review_by, d.declared_on),
            }
            for d in declarations
        ],
        "waivers": sorted(waived.values(), key=lambda w: (w["id"], w["fingerprint"])),
        "evidence_ids": list(requirement.evidence_ids),
        "crosswalk": [{"to": m.target, "relation": m.relation} for m in verdict.maps_to],
        "conflicts": conflicts,
    }
