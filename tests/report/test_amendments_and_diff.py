"""Amendments in the report (attestations, deviations, N/A declarations: expired ones reported, never
dropped) and `tlslint report diff` between two certification rounds."""

from __future__ import annotations

import json
from pathlib import Path

from tests.report.support import FIRMWARE, load, make_report

AMENDMENTS = """\
apiVersion: tlslint/amendments/v1
attestations:
  - id: A-1
    requirement: en18031-1@2024:ACM-1
    question: ACM-1.Q1
    result: pass
    answer: Only the CSMS and the local maintenance tool reach the security assets, both authenticated.
    author: J. Doe
    approver: Head of product security
    answered_on: "2026-10-01"
    expires: "2027-10-01"
    evidence:
      - {path: EVIDENCE_PATH, sha256: "EVIDENCE_SHA"}
      - {path: missing-manual.pdf, sha256: "0000000000000000000000000000000000000000000000000000000000000000"}
  - id: A-2
    requirement: en18031-1@2024:ACM-2
    question: ACM-2.Q1
    result: pass
    answer: Access rights were reviewed in the last release.
    author: J. Doe
    approver: Head of product security
    answered_on: "2025-01-01"
    expires: "2025-12-31"
not_applicable:
  - requirement: en18031-1@2024:GEC-3
    reason: the product has no web interface and no user accounts at all
    declared_by: J. Doe
    declared_on: "2025-01-01"
    review_by: "2026-02-01"
  - requirement: en18031-1@2024:GEC-4
    reason: the product exposes no user documentation interface at all
    declared_by: J. Doe
    declared_on: "2026-06-01"
    review_by: "2027-06-01"
"""


def _requirements(out: Path) -> dict[str, dict]:
    return {item["requirement"]: item for item in load(out)["frameworks"][0]["requirements"]}


def test_valid_and_expired_amendments_are_both_reported(tmp_path: Path):
    import hashlib

    evidence = tmp_path / "access-control.txt"
    evidence.write_text("the access-control design\n")
    text = AMENDMENTS.replace("EVIDENCE_PATH", str(evidence))
    text = text.replace("EVIDENCE_SHA", hashlib.sha256(evidence.read_bytes()).hexdigest())
    amendments = tmp_path / "answers.yaml"
    amendments.write_text(text)
    out = tmp_path / "out"
    result = make_report(
        [str(FIRMWARE)], out, "--framework", "en18031-1", "--attestations", str(amendments), "--fail-on", "never"
    )
    assert result.code == 0, result.err
    items = _requirements(out)
    # A valid attestation answers its question: the answer is shown and the question is not open.
    acm1 = items["ACM-1"]
    assert [a["state"] for a in acm1["attestations"]] == ["valid"]
    # Its evidence files are checked against the hashes it states.
    assert [e["check"] for e in acm1["attestations"][0]["evidence"]] == ["matches", "not found"]
    assert any(q["id"] == "ACM-1.Q1" and q["answer"] for q in acm1["questions"])
    # An expired attestation counts for nothing, but it is listed, marked expired.
    acm2 = items["ACM-2"]
    assert acm2["status"] == "manual"
    assert [(a["id"], a["state"]) for a in acm2["attestations"]] == [("A-2", "expired")]
    assert any(q["id"] == "ACM-2.Q1" and not q["answer"] for q in acm2["questions"])
    # A lapsed N/A declaration turns the requirement back to manual and is reported as expired.
    gec3 = items["GEC-3"]
    assert gec3["status"] == "manual"
    assert [n["state"] for n in gec3["not_applicable"]] == ["expired"]
    gec4 = items["GEC-4"]
    assert gec4["status"] == "not-applicable"
    assert gec4["applicability"]["source"] == "declaration"
    # The amendment file is part of the reproducibility record, with its hash.
    amendment = load(out)["header"]["amendments"]
    assert [(a["kind"], a["path"]) for a in amendment] == [("attestations", str(amendments))]
    html = (out / "report.html").read_text()
    assert "Attestation A-2" in html and 'class="expired"' in html


def _answers(tmp_path: Path) -> Path:
    amendments = tmp_path / "answers.yaml"
    amendments.write_text(AMENDMENTS.replace("EVIDENCE_PATH", "design.pdf").replace("EVIDENCE_SHA", "0" * 64))
    return amendments


def test_at_decides_expiry(tmp_path: Path):
    amendments = _answers(tmp_path)
    out = tmp_path / "out"
    # On 2026-01-15 the GEC-3 declaration is still valid, and lapses within 90 days.
    from tests.conftest import run_cli

    result = run_cli(
        "report",
        str(FIRMWARE),
        "--framework",
        "en18031-1",
        "--attestations",
        str(amendments),
        "--format",
        "json",
        "--output-dir",
        str(out),
        "--at",
        "2026-01-15",
        "--fail-on",
        "never",
    )
    assert result.code == 0, result.err
    gec3 = _requirements(out)["GEC-3"]
    assert gec3["status"] == "not-applicable"
    assert [n["state"] for n in gec3["not_applicable"]] == ["expiring"]


def test_diff_lists_status_changes(tmp_path: Path, cli):
    amendments = _answers(tmp_path)
    before, after = tmp_path / "round1", tmp_path / "round2"
    assert (
        make_report([str(FIRMWARE)], before, "--framework", "en18031-1", "--fail-on", "never", formats="json").code == 0
    )
    assert (
        make_report(
            [str(FIRMWARE)],
            after,
            "--framework",
            "en18031-1",
            "--attestations",
            str(amendments),
            "--fail-on",
            "never",
            formats="json",
        ).code
        == 0
    )
    result = cli("report", "diff", str(before / "report.json"), str(after / "report.json"))
    assert result.code == 1
    assert "en18031-1@2024 GEC-4: manual → not-applicable (basis declared)" in result.out
    assert "en18031-1@2024 ACM-1: manual → pass" in result.out
    assert "GEC-3" not in result.out  # manual before and after (the declaration lapsed)
    as_json = cli("report", "diff", str(before / "report.json"), str(after / "report.json"), "--format", "json")
    changes = {c["requirement"]: c for c in json.loads(as_json.out)["changes"]}
    assert changes["GEC-4"]["old"] == "manual" and changes["GEC-4"]["new"] == "not-applicable"
    same = cli("report", "diff", str(before / "report.json"), str(before / "report.json"))
    assert same.code == 0 and "0 status change(s)" in same.out


def test_fail_on_gates(tmp_path: Path):
    # The firmware example has manual requirements: --fail-on manual fails, fail/never do not (no fails
    # unless a crosswalk says so).
    document_dir = tmp_path / "a"
    never = make_report([str(FIRMWARE)], document_dir, "--framework", "en18031-1", "--fail-on", "never", formats="json")
    assert never.code == 0
    counts = load(document_dir)["frameworks"][0]["counts"]
    manual = make_report(
        [str(FIRMWARE)], tmp_path / "b", "--framework", "en18031-1", "--fail-on", "manual", formats="json"
    )
    assert manual.code == (1 if counts["manual"] or counts["fail"] else 0)
    default = make_report([str(FIRMWARE)], tmp_path / "c", "--framework", "en18031-1", formats="json")
    assert default.code == (1 if counts["fail"] else 0)


def test_workflow_profile_skeleton_then_question_stubs(tmp_path: Path, cli):
    profile = cli("frameworks", "profile-skeleton", "en18031-1")
    assert profile.code == 0
    assert "apiVersion: tlslint/product/v1" in profile.out
    stubs = cli("report", "questions", str(FIRMWARE), "--framework", "en18031-1", "--at", "2026-12-01")
    assert stubs.code == 0, stubs.err
    import yaml

    data = yaml.safe_load(stubs.out)
    assert data["apiVersion"] == "tlslint/amendments/v1"
    asked = {a["requirement"] for a in data["attestations"]}
    assert "en18031-1@2024:ACM-2" in asked
    # Filled in, the stubs are a valid amendments file that answers the questions.
    for attestation in data["attestations"]:
        attestation.update(answer="Answered by the product team.", author="J. Doe", approver="QA", expires="2027-12-01")
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(data))
    out = tmp_path / "out"
    result = make_report([str(FIRMWARE)], out, "--framework", "en18031-1", "--attestations", str(answers),
                         "--fail-on", "never", formats="json")  # fmt: skip
    assert result.code == 0, result.err
    items = _requirements(out)
    assert items["ACM-2"]["status"] == "pass" and items["ACM-2"]["basis"] == "attested"


PROFILE = """\
apiVersion: tlslint/product/v1
product:
  manufacturer: ACME
  model: DC150 <b>wallbox</b>
  firmware_version: 2.1.3
iec62443:
  sl_target: "3"
  component_type: EDR
"""


def test_profile_identity_and_dimensions_reach_the_report(tmp_path: Path):
    profile = tmp_path / "product.yaml"
    profile.write_text(PROFILE)
    out = tmp_path / "out"
    result = make_report([str(FIRMWARE)], out, "--framework", "iec62443-4-2", "--framework", "en18031-1",
                         "--profile", str(profile), "--fail-on", "never", formats="json,html")  # fmt: skip
    assert result.code == 0, result.err
    head = load(out)["header"]
    assert head["product"] == {"firmware_version": "2.1.3", "manufacturer": "ACME", "model": "DC150 <b>wallbox</b>"}
    iec = next(f for f in head["frameworks"] if f["id"] == "iec62443-4-2")
    assert iec["params"] == {"component_type": "EDR", "sl_target": "3"}
    assert [a["kind"] for a in head["amendments"]] == ["profile"]
    # A parameter on the command line wins over the profile for that framework.
    again = tmp_path / "again"
    result = make_report([str(FIRMWARE)], again, "--framework", "iec62443-4-2:sl=1", "--profile", str(profile),
                         "--fail-on", "never", formats="json")  # fmt: skip
    assert result.code == 0, result.err
    assert load(again)["header"]["frameworks"][0]["params"]["sl_target"] == "1"
    assert "DC150 &lt;b&gt;wallbox&lt;/b&gt;" in (out / "report.html").read_text()
