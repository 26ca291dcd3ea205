"""Deviations and waivers as the report shows them: a valid deviation of an allowed kind covering every
failing subject turns a fail into a pass (basis deviation) and becomes an OSCAL risk; an expired one is
refused and listed as expired; a waiver never turns a fail into a pass, and an expired one is listed."""

from __future__ import annotations

from pathlib import Path

from tests.report.support import FIRMWARE, load, make_report

DEVIATION = """\
apiVersion: tlslint/amendments/v1
deviations:
  - id: D-1
    requirement: en18031-1@2024:SCM-2
    kind: interoperability
    justification: ISO 15118-2 EVs and the legacy meter gateway only speak the mandated CBC suites.
    approver: Head of product security
    approved_on: "2026-09-01"
    expires: "EXPIRES"
"""
WAIVERS = """\
waivers:
  - id: W-KX
    rule: TLS-KX-001
    justification: The CSMS of the pilot site still needs TLS_RSA until its upgrade.
    approver: Head of product security
    expires: "EXPIRES"
"""


def _scm(out: Path, requirement: str) -> dict:
    framework = load(out)["frameworks"][0]
    return next(item for item in framework["requirements"] if item["requirement"] == requirement)


def test_valid_deviation_passes_the_requirement_and_is_an_oscal_risk(tmp_path: Path):
    deviations = tmp_path / "deviations.yaml"
    deviations.write_text(DEVIATION.replace("EXPIRES", "2027-09-01"))
    out = tmp_path / "out"
    base = make_report(
        [str(FIRMWARE)], tmp_path / "base", "--framework", "en18031-1", "--fail-on", "never", formats="json"
    )
    assert base.code == 0
    assert _scm(tmp_path / "base", "SCM-2")["status"] == "fail"
    result = make_report([str(FIRMWARE)], out, "--framework", "en18031-1", "--deviations", str(deviations),
                         "--fail-on", "never", formats="json,html,oscal-ar")  # fmt: skip
    assert result.code == 0, result.err
    scm2 = _scm(out, "SCM-2")
    assert (scm2["status"], scm2["basis"]) == ("pass", "deviation")
    assert [(d["id"], d["state"], d["applied"]) for d in scm2["deviations"]] == [("D-1", "valid", True)]
    covered = [
        s
        for link in scm2["links"]
        if link["relation"] == "evidence"
        for s in link["subjects"]
        if s["verdict"] == "fail"
    ]
    assert covered and all(s.get("deviation") == "D-1" for s in covered)
    oscal = load(out, "report.oscal-ar.json")["assessment-results"]["results"][0]
    assert [(r["title"], r["status"]) for r in oscal["risks"]] == [("Deviation D-1 from SCM-2", "deviation-approved")]
    assert "Deviation D-1" in (out / "report.html").read_text()


def test_expired_deviation_is_refused_and_reported(tmp_path: Path):
    deviations = tmp_path / "deviations.yaml"
    deviations.write_text(DEVIATION.replace("EXPIRES", "2026-11-30"))
    out = tmp_path / "out"
    result = make_report([str(FIRMWARE)], out, "--framework", "en18031-1", "--deviations", str(deviations),
                         "--fail-on", "never", formats="json,oscal-ar")  # fmt: skip
    assert result.code == 0, result.err
    scm2 = _scm(out, "SCM-2")
    assert scm2["status"] == "fail"
    assert [(d["id"], d["state"], d["applied"]) for d in scm2["deviations"]] == [("D-1", "expired", False)]
    assert any(reason.startswith("D-1: not valid on 2026-12-01") for reason in scm2["refused"])
    oscal = load(out, "report.oscal-ar.json")["assessment-results"]["results"][0]
    assert [r["status"] for r in oscal["risks"]] == ["open"]


def test_a_waiver_never_passes_a_requirement_and_an_expired_one_is_listed(tmp_path: Path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVERS.replace("EXPIRES", "2027-01-31"))
    out = tmp_path / "out"
    result = make_report([str(FIRMWARE)], out, "--framework", "en18031-1", "--waivers", str(waivers),
                         "--fail-on", "never", formats="json,html")  # fmt: skip
    assert result.code == 0, result.err
    scm3 = _scm(out, "SCM-3")
    assert scm3["status"] == "fail"
    assert {(w["id"], w["rule"], w["state"]) for w in scm3["waivers"]} == {("W-KX", "TLS-KX-001", "expiring")}
    assert load(out)["summary"]["findings"]["suppressed"] > 0
    assert 'class="expiring"' in (out / "report.html").read_text()

    waivers.write_text(WAIVERS.replace("EXPIRES", "2026-11-01"))
    expired = tmp_path / "expired"
    result = make_report([str(FIRMWARE)], expired, "--framework", "en18031-1", "--waivers", str(waivers),
                         "--fail-on", "never", formats="json")  # fmt: skip
    assert result.code == 0, result.err
    scm3 = _scm(expired, "SCM-3")
    assert scm3["status"] == "fail"
    assert {(w["id"], w["state"]) for w in scm3["waivers"]} == {("W-KX", "expired")}
    assert any(f["rule_id"] == "TLSLINT-WAIVER-001" for f in load(expired)["findings"])
