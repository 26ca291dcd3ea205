"""The decision table of docs/compliance.md, row by row, on small hand-built catalogues and ledgers."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from tlslint.compliance import evaluate_frameworks, find_catalogue
from tlslint.compliance.model import (
    Amendments,
    Attestation,
    Catalogue,
    Crosswalk,
    CrosswalkLink,
    Deviation,
    Guardrail,
    LedgerEntry,
    Mapping,
    NotApplicable,
    ProductProfile,
    Provenance,
    Question,
    Requirement,
)
from tlslint.model.located import Location
from tlslint.rules.model import ParamSpec

AT = datetime.date(2026, 12, 3)
BEFORE, AFTER = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)


def catalogue(*requirements: Requirement) -> Catalogue:
    return Catalogue(
        id="fw",
        edition="1",
        catalogue_version="1",
        title="test framework",
        publisher="test",
        aliases=("FW",),
        complete=True,
        scope="test",
        provenance=Provenance("paraphrase", ("test",), "2026-12-03"),
        dimensions={"sl_target": ("1", "2", "3", "4")},
        requirements={r.id: r for r in requirements},
    )


def entry(rule: str, outcome: str, subject: str = "csms/primary", **extra) -> LedgerEntry:
    return LedgerEntry(
        rule=rule,
        subject=subject,
        subject_display=subject,
        subject_kind="endpoint",
        facts={"role": "client", "purpose": "ocpp-csms", "engine": "tlsconfig"},
        outcome=outcome,
        path="protocols",
        value=["TLSv1.1"] if outcome == "fail" else None,
        origin="explicit",
        location=Location("tls.yaml", 12, 5),
        **extra,
    )


def lint_result(ledger: list[LedgerEntry], params: dict | None = None, rules=("R-ONE-001", "R-TWO-001")):
    rule_objects = [
        SimpleNamespace(id=rule_id, params={"min_rsa_bits": ParamSpec("min_rsa_bits", "int", 2048, "")})
        for rule_id in rules
    ]
    return SimpleNamespace(
        ledger=ledger, rules=rule_objects, policy=SimpleNamespace(name="test@1", params=dict(params or {}))
    )


def judge(requirement: Requirement, mapping: Mapping | None, ledger=(), *, params=None, profile=None, amendments=None):
    cat = catalogue(requirement)
    crosswalks = {cat.key: Crosswalk(cat.key, "1", {requirement.id: mapping} if mapping else {})}
    result = evaluate_frameworks(lint_result(list(ledger), params), [cat], profile, amendments, AT, crosswalks)
    return result.frameworks[0].verdicts[0]


REQ = Requirement("R-1", "Strong transport", "Uses strong transport security.")
QREQ = Requirement(
    "R-1", "Strong transport", "Uses strong transport security.", questions=(Question("R-1.Q1", "Which?"),)
)
EVIDENCE = Mapping("fw@1:R-1", "full", links=(CrosswalkLink("R-ONE-001", "evidence"),))


def test_row1_not_applicable_by_the_profile() -> None:
    requirement = Requirement("R-1", "t", "s", applies_when={"sl_target": ("3", "4")})
    verdict = judge(
        requirement, EVIDENCE, [entry("R-ONE-001", "fail")], profile=ProductProfile(dimensions={"sl_target": "2"})
    )
    assert (verdict.status, verdict.basis, verdict.rule_row) == ("not-applicable", ("derived",), 1)


def test_row2_valid_not_applicable_declaration() -> None:
    declaration = NotApplicable("fw@1:R-1", "no network interfaces at all", "J. Doe", BEFORE, AFTER)
    verdict = judge(REQ, None, amendments=Amendments(not_applicable=(declaration,)))
    assert (verdict.status, verdict.basis, verdict.rule_row) == ("not-applicable", ("declared",), 2)


def test_row3_a_dimension_the_profile_does_not_set_yields_manual_with_a_question() -> None:
    requirement = Requirement("R-1", "t", "s", applies_when={"sl_target": ("2", "3", "4")})
    verdict = judge(requirement, EVIDENCE, [entry("R-ONE-001", "pass")])
    assert (verdict.status, verdict.rule_row) == ("manual", 3)
    assert "sl_target" in verdict.questions[0].ask


def test_row4_a_loosened_parameter_fails_its_requirement_although_every_rule_passed() -> None:
    mapping = Mapping("fw@1:R-1", "full", links=EVIDENCE.links, guardrails=(Guardrail("min_rsa_bits", "gte", 2048),))
    assert judge(REQ, mapping, [entry("R-ONE-001", "pass")]).status == "pass"
    verdict = judge(REQ, mapping, [entry("R-ONE-001", "pass")], params={"min_rsa_bits": 1024})
    assert (verdict.status, verdict.rule_row) == ("fail", 4)
    assert "policy too loose" in verdict.reason and "1024" in verdict.reason


def test_row5_an_evidence_failure_fails_the_requirement_with_the_located_value() -> None:
    verdict = judge(REQ, EVIDENCE, [entry("R-ONE-001", "fail"), entry("R-ONE-001", "pass", "csms/backup")])
    assert (verdict.status, verdict.basis, verdict.rule_row) == ("fail", ("automated",), 5)
    subjects = {s.subject: s for s in verdict.links[0].subjects}
    assert subjects["csms/primary"].location == Location("tls.yaml", 12, 5)
    assert subjects["csms/backup"].outcome == "pass"  # a pass is evidence too


def test_row5_a_waived_finding_stays_a_fail() -> None:
    verdict = judge(REQ, EVIDENCE, [entry("R-ONE-001", "fail", fingerprint="ab" * 16, suppression="waiver")])
    assert verdict.status == "fail"
    assert "waiver never makes a requirement pass" in verdict.reason
    assert verdict.links[0].subjects[0].waived == "waiver"


def _deviation(kind: str = "interoperability", **extra) -> Deviation:
    values = dict(
        id="D-3",
        requirement="fw@1:R-1",
        kind=kind,
        justification="CSMS must offer TLS_RSA for RSA-only stations",
        approver="Head of product security",
        approved_on=BEFORE,
        expires=AFTER,
    )
    values.update(extra)
    return Deviation(**values)


def test_row5_an_allowed_valid_deviation_covering_every_failure_passes_with_basis_deviation() -> None:
    requirement = Requirement("R-1", "t", "s", deviations=("interoperability",))
    verdict = judge(
        requirement, EVIDENCE, [entry("R-ONE-001", "fail")], amendments=Amendments(deviations=(_deviation(),))
    )
    assert (verdict.status, verdict.basis, verdict.deviations) == ("pass", ("deviation",), ("D-3",))
    assert verdict.links[0].subjects[0].deviation == "D-3"


def test_row5_a_deviation_covering_only_some_subjects_leaves_the_fail() -> None:
    requirement = Requirement("R-1", "t", "s", deviations=("interoperability",))
    ledger = [entry("R-ONE-001", "fail"), entry("R-ONE-001", "fail", "firmware/fw")]
    amendments = Amendments(deviations=(_deviation(subjects=("csms/primary",)),))
    assert judge(requirement, EVIDENCE, ledger, amendments=amendments).status == "fail"


def test_row5_an_expired_deviation_is_refused() -> None:
    requirement = Requirement("R-1", "t", "s", deviations=("interoperability",))
    amendments = Amendments(deviations=(_deviation(expires=datetime.date(2026, 6, 30)),))
    verdict = judge(requirement, EVIDENCE, [entry("R-ONE-001", "fail")], amendments=amendments)
    assert verdict.status == "fail" and "not valid on 2026-12-03" in verdict.refused[0]


def test_row5_a_deviation_under_en18031_3_is_refused_for_scm_3() -> None:
    """Part 3 has no interoperability deviation: the same deviation that passes SCM-3 in part 1 is refused."""
    for part, expected in (("1", "pass"), ("3", "fail")):
        real = find_catalogue(f"en18031-{part}")
        requirement = real.requirements["SCM-3"]
        mapping = Mapping(real.qualified("SCM-3"), "full", links=(CrosswalkLink("R-ONE-001", "evidence"),))
        crosswalks = {real.key: Crosswalk(real.key, "1", {"SCM-3": mapping})}
        only = Catalogue(**{**{f: getattr(real, f) for f in real.__slots__}, "requirements": {"SCM-3": requirement}})
        deviation = _deviation(requirement=real.qualified("SCM-3"))
        result = evaluate_frameworks(
            lint_result([entry("R-ONE-001", "fail")]), [only], None, Amendments(deviations=(deviation,)), AT, crosswalks
        )
        verdict = result.frameworks[0].verdicts[0]
        assert verdict.status == expected, part
        if part == "3":
            assert "allows no interoperability deviation" in verdict.refused[0]


def test_row6_an_expired_not_applicable_declaration_yields_manual() -> None:
    declaration = NotApplicable(
        "fw@1:R-1", "no network interfaces at all", "J. Doe", BEFORE, datetime.date(2026, 10, 1)
    )
    verdict = judge(REQ, EVIDENCE, [entry("R-ONE-001", "pass")], amendments=Amendments(not_applicable=(declaration,)))
    assert (verdict.status, verdict.rule_row) == ("manual", 6)
    assert "lapsed on 2026-10-01" in verdict.reason


def test_row7_an_attested_failure_fails() -> None:
    attestation = Attestation("A-1", "fw@1:R-1", "R-1.Q1", "fail", "no lock-out", "me", "boss", BEFORE, AFTER)
    verdict = judge(QREQ, None, amendments=Amendments(attestations=(attestation,)))
    assert (verdict.status, verdict.basis, verdict.rule_row) == ("fail", ("attested",), 7)


def test_row8_an_unknown_value_yields_manual_with_a_generated_question() -> None:
    unknown = entry("R-ONE-001", "unknown", note="OpenSSL's default protocols (version not given)")
    verdict = judge(REQ, EVIDENCE, [unknown, entry("R-ONE-001", "pass", "csms/backup")])
    assert (verdict.status, verdict.rule_row) == ("manual", 8)
    (question,) = verdict.questions
    assert "csms/primary" in question.ask and "OpenSSL's default protocols" in question.ask
    assert "tls.yaml:12:5" in question.ask


def test_row8_an_indeterminate_rule_that_fired_yields_manual_not_fail() -> None:
    mapping = Mapping("fw@1:R-1", "full", links=(*EVIDENCE.links, CrosswalkLink("R-TWO-001", "indeterminate")))
    verdict = judge(REQ, mapping, [entry("R-ONE-001", "pass"), entry("R-TWO-001", "fail")])
    assert (verdict.status, verdict.rule_row) == ("manual", 8)


def test_row9_no_subject_in_scope_yields_manual() -> None:
    scoped = Mapping("fw@1:R-1", "full", links=(CrosswalkLink("R-ONE-001", "evidence", scope={"role": ("server",)}),))
    verdict = judge(REQ, scoped, [entry("R-ONE-001", "fail")])  # the failing subject is a client: out of scope
    assert (verdict.status, verdict.rule_row) == ("manual", 9)


def test_row10_full_coverage_and_every_evidence_passed() -> None:
    verdict = judge(REQ, EVIDENCE, [entry("R-ONE-001", "pass"), entry("R-ONE-001", "not-applicable", "x")])
    assert (verdict.status, verdict.basis, verdict.rule_row) == ("pass", ("automated",), 10)


def test_row11_partial_coverage_passes_only_with_the_questions_answered() -> None:
    partial = Mapping("fw@1:R-1", "partial", "non-TLS channels", links=EVIDENCE.links)
    open_verdict = judge(REQ, partial, [entry("R-ONE-001", "pass")])
    assert (open_verdict.status, open_verdict.rule_row) == ("manual", 12)
    assert open_verdict.questions[0].ask == "non-TLS channels"  # the residual becomes the question
    answer = Attestation("A-1", "fw@1:R-1", "R-1.residual", "pass", "BLE is off", "me", "boss", BEFORE, AFTER)
    verdict = judge(REQ, partial, [entry("R-ONE-001", "pass")], amendments=Amendments(attestations=(answer,)))
    assert (verdict.status, verdict.basis, verdict.rule_row) == ("pass", ("automated", "attested"), 11)


def test_row11_an_expired_attestation_leaves_the_question_open() -> None:
    answer = Attestation("A-1", "fw@1:R-1", "R-1.Q1", "pass", "yes", "me", "boss", BEFORE, datetime.date(2026, 11, 1))
    verdict = judge(QREQ, None, amendments=Amendments(attestations=(answer,)))
    assert (verdict.status, verdict.rule_row) == ("manual", 12)


def test_row13_no_links_and_no_questions_is_not_covered() -> None:
    verdict = judge(REQ, None)
    assert (verdict.status, verdict.rule_row) == ("not-covered", 13)


@pytest.mark.parametrize("relation", ["supports", "context", "exempts", "conflicts"])
def test_only_evidence_failures_fail_a_requirement(relation: str) -> None:
    mapping = Mapping("fw@1:R-1", "full", links=(*EVIDENCE.links, CrosswalkLink("R-TWO-001", relation)))
    verdict = judge(REQ, mapping, [entry("R-ONE-001", "pass"), entry("R-TWO-001", "fail")])
    assert verdict.status == "pass"
    if relation == "conflicts":
        assert verdict.conflicts_with == ("R-TWO-001",)
    if relation == "exempts":
        assert verdict.permitted_by == ("R-TWO-001",)


def test_a_run_without_the_ledger_is_refused() -> None:
    result = lint_result([])
    result.ledger = None
    with pytest.raises(ValueError, match="ledger=True"):
        evaluate_frameworks(result, [catalogue(REQ)], at=AT, crosswalks={})
