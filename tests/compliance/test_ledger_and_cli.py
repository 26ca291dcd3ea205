"""The evaluation ledger on real inputs, framework policies, and the `tlslint frameworks` command."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
import yaml

from tlslint.compliance import evaluate_frameworks, find_catalogue, load_profile, with_defaults
from tlslint.compliance.model import ProductProfile
from tlslint.compliance.profile import load_amendments
from tlslint.errors import ConfigError
from tlslint.policy import load_policy
from tlslint.run import lint

from conftest import REPO, run_cli

FIRMWARE = REPO / "examples" / "firmware"
STATION = REPO / "examples" / "charging-station"
AT = datetime.date(2026, 12, 3)


@pytest.fixture(scope="module")
def station_run():
    return lint([str(STATION)], load_policy("en18031-1"), at=AT, ledger=True)


def test_the_ledger_records_every_outcome_with_value_origin_location_and_params(station_run) -> None:
    ledger = station_run.ledger
    outcomes = {entry.outcome for entry in ledger}
    assert {"pass", "fail", "not-applicable"} <= outcomes
    failed = [e for e in ledger if e.rule == "TLS-PROTO-001" and e.outcome == "fail"]
    assert failed and all(e.location is not None and e.location.line for e in failed)
    assert all(e.fingerprint for e in failed)  # tied to the finding
    assert {e.value and "TLSv1.1" in e.value for e in failed} == {True}
    passed = [e for e in ledger if e.rule == "TLS-PROTO-001" and e.outcome == "pass"]
    assert passed and passed[0].origin in ("explicit", "inherited", "default")  # a pass is evidence too
    with_params = [e for e in ledger if e.rule == "TLS-SESS-001" and e.outcome != "not-applicable"]
    assert with_params and with_params[0].params == {"max_session_lifetime": 86400}
    assert json.dumps([e.to_json() for e in ledger])  # serialisable


def test_without_compliance_mode_the_evaluator_records_nothing(monkeypatch) -> None:
    from tlslint.rules import evaluate

    def refuse(*_args, **_kwargs):
        raise AssertionError("ledger entry built outside compliance mode")

    monkeypatch.setattr(evaluate, "ledger_entry", refuse)
    result = lint([str(STATION)], load_policy(), at=AT)
    assert result.ledger is None and result.findings


def test_an_unknown_value_becomes_a_manual_question() -> None:
    """Handshake timeouts set in application code cannot be read: RLM-1 is manual, with one question per
    subject naming where the value lives, not passed and not failed."""
    hardened = REPO / "examples" / "firmware-hardened"
    result = lint([str(hardened)], load_policy("en18031-1"), at=AT, ledger=True)
    unknown = [e for e in result.ledger if e.outcome == "unknown" and e.rule == "TLS-CONN-002"]
    assert unknown, "the hardened firmware example has timeouts tlslint cannot know"
    compliance = evaluate_frameworks(result, [find_catalogue("en18031-1")], None, None, AT)
    rlm1 = next(v for v in compliance.frameworks[0].verdicts if v.requirement.endswith(":RLM-1"))
    assert (rlm1.status, rlm1.rule_row) == ("manual", 8)
    generated = [q for q in rlm1.questions if "TLS-CONN-002" in q.id]
    assert len(generated) == len({e.subject for e in unknown})
    assert all("state the effective runtime value" in q.ask for q in generated)


def test_every_requirement_of_the_catalogue_gets_a_verdict(station_run) -> None:
    catalogue = find_catalogue("en18031-1")
    compliance = evaluate_frameworks(station_run, [catalogue], None, None, AT)
    verdicts = compliance.frameworks[0].verdicts
    assert [v.requirement.split(":", 1)[1] for v in verdicts] == list(catalogue.requirements)
    statuses = {v.requirement.split(":", 1)[1]: v.status for v in verdicts}
    assert statuses["SCM-3"] == "fail"  # TLS 1.1 on the firmware endpoints
    assert statuses["NMM-1"] == "manual"
    json.dumps(compliance.to_json())


def test_policy_loosening_a_parameter_fails_cck_1(station_run, tmp_path: Path) -> None:
    loose = tmp_path / "loose.yaml"
    loose.write_text(
        "id: loose\nedition: '1'\ntitle: loose\nextends: en18031-1\nparams: {min_rsa_bits: 1024}\n", encoding="utf-8"
    )
    result = lint([str(STATION)], load_policy(str(loose)), at=AT, ledger=True)
    compliance = evaluate_frameworks(result, [find_catalogue("en18031-1")], None, None, AT)
    cck1 = next(v for v in compliance.frameworks[0].verdicts if v.requirement.endswith(":CCK-1"))
    assert cck1.status == "fail" and "min_rsa_bits is 1024" in cck1.reason


def test_framework_policies_carry_framework_parameters_and_profiles() -> None:
    assert load_policy("bsi-tr-02102-2").params["min_rsa_bits"] == 3000
    assert load_policy("mozilla-intermediate").params["min_rsa_bits"] == 2048
    sl3 = load_policy("iec62443-4-2-sl3")
    assert sl3.profile == {"sl_target": "3"} and sl3.frameworks == ["iec62443-4-2@2019"]
    station = load_policy("ocpp-2.0.1-sp3-station")
    assert station.profile == {"ocpp_role": "station", "ocpp_security_profile": "3"}
    for name in (
        "en18031-1",
        "en18031-3",
        "iec62443-4-2-sl2",
        "nist-sp800-52r2",
        "mozilla-modern",
        "ocpp-2.0.1-sp3-csms",
    ):
        policy = load_policy(name)
        assert all(find_catalogue(key) for key in policy.frameworks), name


@pytest.mark.parametrize("policy", ["en18031-1", "iec62443-4-2-sl2"])
def test_check_runs_on_the_firmware_example_with_framework_policies(policy: str) -> None:
    result = run_cli("check", str(FIRMWARE), "--policy", policy, "--format", "json", "--at", "2026-12-03")
    assert result.code in (1, 3), result.err  # findings (and the example's deliberate diagnostics), never 2 or 4
    data = result.json()
    ids = {c.get("id") for f in data["findings"] for c in f["controls"]}
    assert any(i and i.startswith("en18031-1@2024:") for i in ids)


def test_frameworks_coverage_shows_every_requirement_with_its_status() -> None:
    result = run_cli("frameworks", "coverage", "en18031-1")
    assert result.code == 0, result.err
    for requirement in find_catalogue("en18031-1").requirements:
        assert any(line.startswith(requirement + " ") for line in result.out.splitlines()), requirement
    assert "33 requirements in en18031-1@2024" in result.out


def test_frameworks_coverage_with_paths_prints_verdicts_as_json(tmp_path: Path) -> None:
    amendments = tmp_path / "amendments.yaml"
    amendments.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "tlslint/amendments/v1",
                "not_applicable": [
                    {
                        "requirement": "en18031-1@2024:NMM-1",
                        "reason": "the product is not network equipment",
                        "declared_by": "J. Doe",
                        "declared_on": "2026-10-01",
                        "review_by": "2027-10-01",
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    args = ["frameworks", "coverage", "en18031-1", str(STATION), "--policy", "en18031-1", "--at", "2026-12-03"]
    result = run_cli(*args, "--amendments", str(amendments), "--format", "json")
    assert result.code == 0, result.err
    (framework,) = result.json()["frameworks"]
    verdicts = {v["requirement"]: v for v in framework["requirements"]}
    assert len(verdicts) == 33
    assert verdicts["en18031-1@2024:NMM-1"]["status"] == "not-applicable"
    assert verdicts["en18031-1@2024:NMM-1"]["basis"] == ["declared"]
    table = run_cli(*args)
    assert "en18031-1@2024 as of 2026-12-03" in table.out


def test_frameworks_list_show_explain_and_rules_framework() -> None:
    listing = run_cli("frameworks", "list")
    assert listing.code == 0 and "iec62443-4-2@2019" in listing.out
    show = run_cli("frameworks", "show", "en18031-3")
    assert show.code == 0 and "GEC-8" in show.out and "RLM-1" not in show.out
    explain = run_cli("frameworks", "explain", "ocpp-2.0.1:A00.FR.318")
    assert explain.code == 0 and "conflicts     TLS-KX-001" in explain.out
    assert run_cli("frameworks", "explain", "en18031-1:LGM-1").code == 2
    rules = run_cli("rules", "--framework", "en18031-1", "--format", "json")
    assert rules.code == 0
    linked = {r["id"]: r["requirements"] for r in rules.json()["rules"]}
    assert {"id": "en18031-1@2024:SCM-3", "relation": "evidence"} in linked["TLS-PROTO-001"]


def test_profile_skeleton_and_a_filled_profile_load(tmp_path: Path) -> None:
    skeleton = run_cli("frameworks", "profile-skeleton", "iec62443-4-2", "ocpp-2.0.1")
    assert skeleton.code == 0
    data = yaml.safe_load(skeleton.out)
    assert set(data) >= {"apiVersion", "iec62443", "ocpp", "interfaces"}
    data["iec62443"] = {"sl_target": "2", "component_type": "EDR"}
    data["ocpp"] = {"role": "station", "security_profile": "3"}
    data["interfaces"] = [{"name": "csms", "assets": ["security", "network"], "endpoints": ["csms/primary"]}]
    path = tmp_path / "product.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    profile = with_defaults(load_profile(str(path)), {"sl_target": "3", "mozilla_profile": "modern"})
    assert profile.dimensions["sl_target"] == "2"  # the product profile wins over the policy default
    assert profile.dimensions["component_type"] == "EDR" and profile.dimensions["mozilla_profile"] == "modern"


def test_amendments_naming_an_unknown_requirement_or_a_bad_date_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "amendments.yaml"
    bad = {
        "apiVersion": "tlslint/amendments/v1",
        "deviations": [
            {
                "id": "D-1",
                "requirement": "en18031-1@2024:LGM-1",
                "kind": "interoperability",
                "justification": "because of OCPP A00.FR.318",
                "approver": "x",
                "approved_on": "2026-01-01",
                "expires": "2027-01-01",
            }
        ],
    }
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(ConfigError, match="LGM-1"):
        load_amendments(str(path))
    bad["deviations"][0]["requirement"] = "en18031-1@2024:SCM-3"
    bad["deviations"][0]["expires"] = "2027-02-30"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(ConfigError, match="not a valid date"):
        load_amendments(str(path))


def test_ocpp_requirements_are_judged_on_ocpp_connections_only() -> None:
    """The firmware tree has curl download scripts and .NET clients on TLS 1.1 without verification; they
    fail EN 18031 SCM-3, but not OCPP A00.FR.416, which is about the station's CSMS connection."""
    policy = load_policy("ocpp-2.0.1-sp3-station")
    result = lint([str(FIRMWARE)], policy, at=AT, ledger=True)
    profile = with_defaults(ProductProfile(), policy.profile)
    compliance = evaluate_frameworks(result, [find_catalogue("ocpp-2.0.1")], profile, None, AT)
    verdicts = {v.requirement.split(":", 1)[1]: v for v in compliance.frameworks[0].verdicts}
    assert verdicts["A00.FR.416"].status == "pass"
    assert verdicts["A00.FR.318"].status == "not-applicable"  # CSMS side
    for verdict in verdicts.values():
        for link in verdict.links:
            for subject in link.subjects:
                if subject.outcome == "fail" and link.relation == "evidence":
                    assert not subject.subject.startswith(("curl:", "wget:", "dotnet:")), (verdict.requirement, subject)
