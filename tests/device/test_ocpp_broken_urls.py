"""Regression cases from mutation fuzzing (scripts/fuzz_sources.py): a broken CSMS URL in a libocpp
configuration is a located warning, and the rest of the slot is still linted."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

CONFIG_16 = """{
    "Internal": {
        "ChargePointId": "cp001",
        "CentralSystemURI": "127.0[0.1:8443/steve/websocket/CentralSystemService/"
    },
    "Security": {
        "SecurityProfile": 1,
        "AuthorizationKey": "DEADBEEFDEADBEEF"
    }
}
"""


def test_broken_url_is_a_warning_at_its_place_and_the_slot_is_still_linted(tmp_path: Path) -> None:
    path = tmp_path / "ocpp16-config.json"
    path.write_text(CONFIG_16, encoding="utf-8")
    result = run_cli("check", str(path), "--format", "json")
    assert result.code == 1, result.err  # findings, not an input error and not an internal error
    data = result.json()
    (warning,) = data["diagnostics"]
    assert warning["severity"] == "warning" and "is not a valid URL" in warning["message"]
    assert warning["location"]["line"] == 4
    assert {f["rule_id"] for f in data["findings"]} & {"OCPP-002", "OCPP-006"}
