"""The CLI contract of ARCHITECTURE §9: exit codes, outputs that validate against shipped schemas,
and broken inputs that never hide the findings of the other files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import EXAMPLE, REPO, run_cli, run_subprocess


def schema(name: str) -> dict:
    return yaml.safe_load((REPO / "schemas" / name).read_text(encoding="utf-8"))


def test_version() -> None:
    result = run_subprocess("--version")
    assert result.code == 0
    assert result.out.startswith("tlslint ")


def test_example_has_findings_with_file_and_line() -> None:
    result = run_cli("check", str(EXAMPLE))
    assert result.code == 1
    assert "tls-configuration.yaml" in result.out
    assert "TLS-PROTO-001" in result.out


def test_check_json_validates_against_the_shipped_schema() -> None:
    result = run_cli("check", str(EXAMPLE), "--format", "json")
    assert result.code == 1
    data = result.json()
    Draft202012Validator(schema("check-output.schema.yaml")).validate(data)
    assert data["summary"]["findings"] == len([f for f in data["findings"] if not f["suppressed"]]) > 0
    for finding in data["findings"]:
        assert finding["location"]["path"].endswith("tls-configuration.yaml")
        assert finding["location"]["line"] >= 1


def test_inspect_json_follows_the_contract() -> None:
    result = run_cli("inspect", str(EXAMPLE), "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    Draft202012Validator(schema("inspect-output.schema.yaml")).validate(data)
    endpoints = {e["id"]: e for e in data["endpoints"]}
    assert {"csms/primary", "csms/backup", "firmware/fw-az1", "lc-listener"} <= set(endpoints)
    listener = endpoints["lc-listener"]
    assert listener["bind"] == {"address": "0.0.0.0", "port": 8443}
    assert listener["effective"]["protocols"] == ["TLSv1.3", "TLSv1.2"]
    assert listener["effective"]["cipher_suites"]["TLSv1.3"] == ["TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"]
    assert listener["effective"]["protocols_origin"] == "inherited"
    # The firmware profile allows TLS 1.1, and its one CBC-SHA suite is usable with TLS 1.1.
    firmware = endpoints["firmware/fw-az2"]["effective"]
    assert firmware["protocols"] == ["TLSv1.3", "TLSv1.2", "TLSv1.1"]
    assert firmware["cipher_suites"]["TLSv1.1"] == ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"]


def test_version_without_a_usable_suite_is_not_offered(tmp_path: Path) -> None:
    path = tmp_path / "tls.yaml"
    path.write_text(
        "apiVersion: tlslint/v1\nkind: TLSConfiguration\n"
        "tlsProfiles:\n  - id: p\n    versions: {min: TLSv1.0, max: TLSv1.3}\n"
        "    cipherSuites: {TLSv1.2: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]}\n"
        "endpoints:\n  - {id: e, role: client, purpose: other, tls: {profile: p}}\n",
        encoding="utf-8",
    )
    data = run_cli("inspect", str(path), "--format", "json").json()
    # GCM suites need TLS 1.2: a TLS 1.0/1.1 handshake has nothing to agree on.
    assert data["endpoints"][0]["effective"]["protocols"] == ["TLSv1.2", "TLSv1.3"]


def test_broken_file_does_not_hide_findings_of_other_files(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE / "tls-configuration.yaml", tmp_path / "good.yaml")
    (tmp_path / "broken.yaml").write_text("apiVersion: tlslint/v1\nkind: [\n", encoding="utf-8")
    (tmp_path / "binary.yaml").write_bytes(b"\x00\x01\x02apiVersion")
    result = run_cli("check", str(tmp_path), "--format", "json")
    assert result.code == 3
    data = result.json()
    assert {Path(d["location"]["path"]).name for d in data["diagnostics"]} == {"broken.yaml", "binary.yaml"}
    assert any(f["rule_id"] == "TLS-PROTO-001" for f in data["findings"])


def test_unrelated_yaml_files_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "workflow.yml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    (tmp_path / "broken-but-not-ours.yaml").write_text("x: [\n", encoding="utf-8")
    result = run_cli("check", str(tmp_path))
    assert result.code == 0, result.out + result.err
    assert "0 findings in 0 files" in result.out


def test_missing_path_is_an_input_error() -> None:
    result = run_cli("check", "does/not/exist.yaml")
    assert result.code == 3
    assert "does/not/exist.yaml: no such file or directory" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--policy", "no-such-policy", "."], "unknown policy 'no-such-policy'"),
        (["check", "--fail-on", "urgent", "."], "invalid choice"),
        (["check", "--at", "tomorrow", "."], "not a date"),
        (["explain", "TLS-PROTO-01"], "did you mean TLS-PROTO-001?"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = run_subprocess(*args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err


def test_fail_on_threshold() -> None:
    assert run_cli("check", str(EXAMPLE), "--fail-on", "never").code == 0
    assert run_cli("check", str(EXAMPLE), "--fail-on", "critical").code == 1


def test_at_date_is_reproducible() -> None:
    first = run_cli("check", str(EXAMPLE), "--format", "json", "--at", "2026-01-01").out
    second = run_cli("check", str(EXAMPLE), "--format", "json", "--at", "2026-01-01").out
    assert first == second


def test_schema_command_prints_a_valid_json_schema() -> None:
    result = run_cli("schema")
    assert result.code == 0
    document_schema = json.loads(result.out)
    Draft202012Validator.check_schema(document_schema)
    example = yaml.safe_load((EXAMPLE / "tls-configuration.yaml").read_text(encoding="utf-8"))
    Draft202012Validator(document_schema).validate(example)


def test_rules_policies_and_explain() -> None:
    rules = run_cli("rules", "--format", "json")
    assert rules.code == 0
    ids = [rule["id"] for rule in rules.json()["rules"]]
    assert len(ids) == len(set(ids)) >= 2
    assert "secure-defaults" in run_cli("policies").out
    explained = run_cli("explain", "tls-proto-001")
    assert explained.code == 0
    assert "## Why it matters" in explained.out and "ssl_protocols TLSv1.2 TLSv1.3;" in explained.out
    # A rule for some purposes lists them as words, not as the text of a Python list.
    scoped = run_cli("explain", "TLS-TRUST-001").out
    assert "Only for: role=client, purpose in (ocpp-csms, firmware-download, log-upload, nts-ke)" in scoped
