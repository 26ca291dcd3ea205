"""`tlslint report`: every format written, validated by its own validator, deterministic, verifiable."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.report.support import AT, FIRMWARE, HARDENED, available_frameworks, copy_tree, load, make_report


def _frameworks() -> list[str]:
    """The done-when invocation; IEC 62443-4-2 joins as soon as its catalogue ships."""
    args = ["--framework", "en18031-1"]
    if "iec62443-4-2" in available_frameworks():
        args += ["--framework", "iec62443-4-2:sl=2"]
    return args


@pytest.fixture(scope="module")
def firmware_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("firmware-report")
    result = make_report([str(FIRMWARE)], out, *_frameworks(), "--fail-on", "never")
    assert result.code == 0, result.err
    return out


def test_writes_all_five_formats(firmware_report: Path):
    names = sorted(p.name for p in firmware_report.iterdir())
    assert names == ["cbom.cdx.json", "report.html", "report.json", "report.oscal-ar.json", "techdoc.csv"]


def test_report_json_validates_against_its_schema(firmware_report: Path):
    from tlslint.schemas import schema_validator

    errors = [
        f"{e.json_path}: {e.message}" for e in schema_validator("report.schema.yaml").iter_errors(load(firmware_report))
    ]
    assert errors == []


def test_header_is_a_reproducibility_record(firmware_report: Path):
    document = load(firmware_report)
    head = document["header"]
    assert head["at"] == AT
    assert head["command_line"][:3] == ["tlslint", "report", str(FIRMWARE)]
    assert "--at" in head["command_line"]
    # Every input file, with its size and the SHA-256 of its bytes as stored.
    import hashlib

    for item in head["inputs"]:
        data = Path(item["path"]).read_bytes()
        assert (item["size"], item["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert {Path(i["path"]).name for i in head["inputs"]} >= {"mbedtls_config.h", "fw-update.sh", "config.yaml"}
    assert head["engine_assumptions"]["nginx"]["source"].startswith("assumed")
    assert all(len(pack["sha256"]) == 64 for pack in head["rule_packs"])
    assert head["policy"]["parameters"], "effective rule parameters are recorded"
    en = next(f for f in head["frameworks"] if f["id"] == "en18031-1")
    assert en["file"].startswith("frameworks/") and len(en["sha256"]) == 64
    # Nothing machine- or time-dependent in the hashed content.
    text = (firmware_report / "report.json").read_text()
    assert str(firmware_report) not in text
    assert "generated" not in json.dumps(head)


def test_integrity_hash_is_the_rfc8785_hash_of_the_rest(firmware_report: Path):
    from tlslint.evidence.canonical import sha256_of

    document = load(firmware_report)
    body = {k: v for k, v in document.items() if k != "integrity"}
    assert document["integrity"]["report_sha256"] == sha256_of(body)
    assert document["integrity"]["report_sha256"] in (firmware_report / "report.html").read_text()


def test_counts_per_status_match_the_requirements(firmware_report: Path):
    document = load(firmware_report)
    for framework in document["frameworks"]:
        counted = {s: 0 for s in framework["counts"]}
        for item in framework["requirements"]:
            counted[item["status"]] += 1
        assert counted == framework["counts"]
        assert sum(counted.values()) == len(framework["requirements"]) > 0


def test_two_runs_are_byte_identical(firmware_report: Path, tmp_path: Path):
    second = tmp_path / "again"
    result = make_report([str(FIRMWARE)], second, *_frameworks(), "--fail-on", "never")
    assert result.code == 0, result.err
    for path in firmware_report.iterdir():
        assert (second / path.name).read_bytes() == path.read_bytes(), path.name


def test_oscal_assessment_results_validate_with_trestle(firmware_report: Path):
    pytest.importorskip("trestle")
    from trestle.oscal.assessment_results import AssessmentResults

    data = load(firmware_report, "report.oscal-ar.json")
    model = AssessmentResults.model_validate(data["assessment-results"])
    document = load(firmware_report)
    results = {r.title.split(":")[0]: r for r in model.results}
    for framework in document["frameworks"]:
        result = results[framework["ref"]]
        findings = {f.target.target_id: f for f in result.findings or []}
        assert len(findings) == len(framework["requirements"])
        for item in framework["requirements"]:
            props = {p.name: p.value for p in findings[_token(item["requirement"])].props}
            assert props["tlslint-status"] == item["status"]
            state = findings[_token(item["requirement"])].target.status.state
            # A manual or not-covered requirement is never reported as satisfied.
            assert (state.value if hasattr(state, "value") else state) == (
                "satisfied" if item["status"] in ("pass", "not-applicable") else "not-satisfied"
            )

    # Automated evidence names the input files it was read from, with their SHA-256.
    inputs = {i["path"]: i["sha256"] for i in document["header"]["inputs"]}
    evidence = [e for r in model.results for o in r.observations or [] for e in o.relevant_evidence or []]
    assert evidence
    for item in evidence:
        props = {p.name: p.value for p in item.props}
        assert inputs[item.href.removeprefix("file:")] == props["sha256"]


def _token(requirement: str) -> str:
    from tlslint.evidence.oscal import _token as token

    return token(requirement)


def test_cbom_validates_against_cyclonedx_1_6_schema(firmware_report: Path):
    pytest.importorskip("cyclonedx")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = (firmware_report / "cbom.cdx.json").read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    protocols = [c for c in bom["components"] if c["cryptoProperties"]["assetType"] == "protocol"]
    assert protocols, "every endpoint's offered protocol versions are inventoried"
    tls12 = [p for p in protocols if p["cryptoProperties"]["protocolProperties"]["version"] == "1.2"]
    suites = [s for p in tls12 for s in p["cryptoProperties"]["protocolProperties"].get("cipherSuites", [])]
    assert any(s["name"] == "TLS_RSA_WITH_3DES_EDE_CBC_SHA" and s["identifiers"] == ["0x00,0x0A"] for s in suites)


def test_techdoc_csv_has_one_row_per_evidence_item(firmware_report: Path):
    rows = list(csv.reader(io.StringIO((firmware_report / "techdoc.csv").read_text())))
    assert rows[0][:3] == ["evidence_id", "framework", "requirement"]
    document = load(firmware_report)
    expected = [
        (evidence_id, item["requirement"], item["status"])
        for f in document["frameworks"]
        if f["id"] == "en18031-1"
        for item in f["requirements"]
        for evidence_id in dict.fromkeys(
            [f"E.Info.DT.{item['requirement']}", f"E.Just.DT.{item['requirement']}", *item.get("evidence_ids", [])]
        )
    ]
    assert [(row[0], row[2], row[4]) for row in rows[1:]] == expected
    assert len(rows) - 1 >= 2 * 33  # both decision-tree items of every EN 18031-1 requirement


def test_techdoc_cells_cannot_start_a_formula():
    from tlslint.evidence.techdoc import _cell

    assert [_cell(v) for v in ("=HYPERLINK(1)", "+1", "-x", "@SUM", "ok", None)] == [
        "'=HYPERLINK(1)",
        "'+1",
        "'-x",
        "'@SUM",
        "ok",
        "",
    ]


def test_verify_passes_then_fails_after_one_input_byte_changes(tmp_path: Path, cli):
    tree = copy_tree(FIRMWARE, tmp_path / "firmware")
    out = tmp_path / "out"
    assert (
        make_report(
            ["firmware"], out, "--framework", "en18031-1", "--fail-on", "never", cwd=tmp_path, formats="json"
        ).code
        == 0
    )
    ok = cli("report", "verify", str(out / "report.json"), cwd=tmp_path)
    assert ok.code == 0, ok.out
    assert "verified" in ok.out
    script = tree / "scripts" / "fw-update.sh"
    data = bytearray(script.read_bytes())
    data[-2] = ord("#") if data[-2] != ord("#") else ord(" ")
    script.write_bytes(bytes(data))
    bad = cli("report", "verify", str(out / "report.json"), cwd=tmp_path)
    assert bad.code == 1
    assert "firmware/scripts/fw-update.sh changed" in bad.out


def test_verify_detects_an_edited_report(firmware_report: Path, tmp_path: Path, cli):
    document = load(firmware_report)
    framework = document["frameworks"][0]
    framework["requirements"][0]["status"] = "pass"
    edited = tmp_path / "report.json"
    edited.write_text(json.dumps(document))
    result = cli("report", "verify", str(edited))
    assert result.code == 1
    assert "modified after it was written" in result.out


def test_verify_accepts_a_moved_tree(tmp_path: Path, cli):
    copy_tree(FIRMWARE, tmp_path / "a")
    out = tmp_path / "out"
    assert (
        make_report(["a"], out, "--framework", "en18031-1", "--fail-on", "never", cwd=tmp_path, formats="json").code
        == 0
    )
    (tmp_path / "a").rename(tmp_path / "b")
    result = cli("report", "verify", str(out / "report.json"), "b", cwd=tmp_path)
    assert result.code == 0, result.out


def test_hardened_firmware_has_no_failing_en18031_requirement(tmp_path: Path):
    result = make_report([str(HARDENED)], tmp_path, "--framework", "en18031-1", formats="json")
    document = load(tmp_path)
    statuses = {item["status"] for item in document["frameworks"][0]["requirements"]}
    assert statuses <= {"pass", "manual", "not-applicable", "not-covered"}
    assert result.code == 0, result.err


def test_unknown_format_and_framework_are_usage_errors(tmp_path: Path, cli):
    assert cli("report", str(FIRMWARE), "--format", "pdf", "--output-dir", str(tmp_path)).code == 2
    result = cli("report", str(FIRMWARE), "--framework", "nosuch", "--output-dir", str(tmp_path))
    assert result.code == 2 and "unknown framework" in result.err
    result = cli("report", str(FIRMWARE), "--framework", "en18031-1:sl=2", "--output-dir", str(tmp_path))
    assert result.code == 2 and "no parameter sl_target" in result.err
    assert not (tmp_path / "report.json").exists()


def test_secrets_never_reach_any_output(tmp_path: Path):
    from tests.report.support import REPO

    result = make_report([str(REPO / "examples" / "charging-station"), str(FIRMWARE)], tmp_path, *_frameworks(),
                         "--fail-on", "never")  # fmt: skip
    assert result.code == 0, result.err
    inline_passphrase = "Acme-LC-2024!"  # examples/charging-station: an inline private-key passphrase
    for path in tmp_path.iterdir():
        assert inline_passphrase not in path.read_text(), path.name
    document = load(tmp_path)
    values = json.dumps([entry["value"] for entry in document["ledger"]])
    # The firmware example's sample secrets (EVerest's key passphrase, libocpp's Basic-Auth password).
    assert "123456" not in values and "DEADBEEFDEADBEEF" not in values


def test_report_inputs_kept_in_the_repository_are_not_linted_as_tls_documents(tmp_path):
    """A product profile and an answers file live next to the firmware; 'check .' must not read them as
    TLS configuration documents (they share the tlslint/ apiVersion prefix)."""
    from conftest import run_cli

    (tmp_path / ".git").mkdir()
    skeleton = run_cli("frameworks", "profile-skeleton", "en18031-1", cwd=tmp_path)
    assert skeleton.code == 0
    (tmp_path / "product.yaml").write_text(skeleton.out)
    (tmp_path / "answers.yaml").write_text("apiVersion: tlslint/amendments/v1\nattestations: []\n")
    result = run_cli("check", ".", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.json()["diagnostics"] == [] and result.json()["files"] == []


def test_a_streamed_report_is_written_in_chunks_with_the_same_text(tmp_path, monkeypatch) -> None:
    """emit() gathers a report's lines into larger writes; the text, undecodable bytes of file names
    escaped as before, is the same whatever the chunk size."""
    from tlslint.commands import _common

    lines = [f"line {n} \udcff é\n" for n in range(5000)]
    expected = "".join(lines).encode("utf-8", "backslashreplace").decode("utf-8")
    for size in (1, 7, 1 << 16):
        monkeypatch.setattr(_common, "CHUNK_CHARS", size)
        out = tmp_path / f"report-{size}.txt"
        _common.emit(iter(lines), str(out))
        assert out.read_text(encoding="utf-8") == expected
