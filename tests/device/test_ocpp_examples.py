"""The example firmware trees: the libocpp device model and EVerest configuration in examples/firmware
produce the expected findings at the right file and line; the hardened copy none of medium or higher.

Only the OCPP/EVerest files are checked here (other sources add their own files to the same trees).
"""

from __future__ import annotations

import datetime
import os

import pytest

from conftest import REPO, all_packs_policy

AT = datetime.date(2026, 11, 24)
OCPP = "everest/ocpp/component_config/standardized/"
MINE = ("everest/config.yaml", OCPP)

#: (rule id, file under examples/firmware, line) — the findings a reviewer should see.
EXPECTED = {
    ("TLS-SECRET-001", "everest/config.yaml", 13),  # EvseSecurity private_key_password "123456"
    ("OCPP-006", "everest/config.yaml", 13),
    ("ISO15118-TLS-001", "everest/config.yaml", 18),  # EvseV2G tls_security: allow
    ("TLS-LOG-001", "everest/config.yaml", 19),  # EvseV2G tls_key_logging: true
    ("ISO15118-TLS-001", "everest/config.yaml", 25),  # Evse15118D20 ACCEPT_CLIENT_OFFER
    ("OCPP-002", OCPP + "InternalCtrlr.json", 24),  # slot 2: profile 1, no VPN
    ("OCPP-004", OCPP + "InternalCtrlr.json", 24),  # slot 2 weaker than slot 1
    ("OCPP-012", OCPP + "InternalCtrlr.json", 24),  # root install over the plain slot (code default)
    ("TLS-TRANSPORT-001", OCPP + "InternalCtrlr.json", 24),  # ws:// URL of slot 2
    ("OCPP-013", OCPP + "InternalCtrlr.json", 24),
    ("TLS-KX-001", OCPP + "InternalCtrlr.json", 37),  # AES128-GCM-SHA256 in SupportedCiphers12
    ("OCPP-016", OCPP + "InternalCtrlr.json", 45),  # comma-separated SupportedCiphers13 (TLS 1.3 defaults stay)
    ("TLS-TRUST-001", OCPP + "InternalCtrlr.json", 51),  # UseSslDefaultVerifyPaths
    ("TLS-VERIFY-003", OCPP + "InternalCtrlr.json", 63),  # VerifyCsmsAllowWildcards
    ("TLS-LOG-001", OCPP + "InternalCtrlr.json", 69),  # EnableTLSKeylog
    ("TLS-TRANSPORT-001", OCPP + "OCPPCommCtrlr.json", 8),  # FileTransferProtocols FTP
    ("OCPP-006", OCPP + "SecurityCtrlr.json", 8),  # BasicAuthPassword DEADBEEFDEADBEEF
    ("TLS-SECRET-001", OCPP + "SecurityCtrlr.json", 8),
    ("OCPP-014", OCPP + "SecurityCtrlr.json", 21),  # OrganizationName Pionix
    ("OCPP-005", OCPP + "SecurityCtrlr.json", 27),  # SecurityProfile 1 vs slot 1's 2
}


def _findings(tree: str) -> list[tuple[str, str, int, str, int | None]]:
    from tlslint.run import lint

    root = REPO / "examples" / tree
    result = lint([str(root / "everest")], all_packs_policy(), at=AT)
    assert not [d for d in result.inputs.diagnostics if d.severity == "error"], result.inputs.diagnostics
    out = []
    for finding in result.findings:
        relative = os.path.relpath(os.path.abspath(finding.location.path), root)
        if relative.startswith(MINE):
            out.append((finding.rule_id, relative, finding.location.line, finding.severity, finding.location.column))
    return out


def test_vulnerable_tree_findings() -> None:
    reported = {(rule, path, line) for rule, path, line, _, _ in _findings("firmware")}
    missing = EXPECTED - reported
    assert not missing, f"missing: {sorted(missing)}\nreported: {sorted(reported)}"
    unexpected = {
        (rule, path, line) for rule, path, line in reported - EXPECTED if rule not in ("OCPP-015", "TLS-CIPHER-004")
    }
    unexpected -= {("TLS-PROTO-002", "everest/config.yaml", 15)}  # ISO 15118-2 is TLS 1.2 only (low)
    assert not unexpected, sorted(unexpected)


def test_findings_inside_the_profiles_string_point_at_the_value() -> None:
    path = REPO / "examples" / "firmware" / OCPP / "InternalCtrlr.json"
    line = path.read_text(encoding="utf-8").splitlines()[23]
    columns = {rule: column for rule, file, number, _, column in _findings("firmware") if number == 24}
    assert line[columns["OCPP-002"] - 1 :].startswith('1}}]"')  # slot 2's "securityProfile": 1
    assert line[columns["TLS-TRANSPORT-001"] - 1 :].startswith('\\"ws://csms-fallback')


@pytest.mark.parametrize("severity", ["critical", "high", "medium"])
def test_hardened_tree_has_nothing_of(severity: str) -> None:
    found = [f for f in _findings("firmware-hardened") if f[3] == severity]
    assert not found, found
