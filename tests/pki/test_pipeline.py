"""PKI material in a real `tlslint check` run: found by content, read as bytes, never leaked."""

from __future__ import annotations

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conftest import run_cli


def self_signed(common_name: str) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.DER), key_pem


def test_pki_files_are_found_by_content_and_broken_ones_do_not_hide_the_rest(tmp_path: Path) -> None:
    der, key_pem = self_signed("device.example.org")
    (tmp_path / "firmware-blob").write_bytes(der)  # DER, no extension
    (tmp_path / "device.key").write_bytes(key_pem)
    (tmp_path / "device.key").chmod(0o644)
    (tmp_path / "broken.pem").write_text("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
    result = run_cli("check", str(tmp_path), "--format", "json")
    assert result.code == 3
    data = result.json()
    by_file = {}
    for finding in data["findings"]:
        by_file.setdefault(Path(finding["location"]["path"]).name, set()).add(finding["rule_id"])
    assert "TLS-KEY-001" in by_file["device.key"] and "TLS-KEY-002" in by_file["device.key"]
    assert "firmware-blob" in {Path(f["path"]).name for f in data["files"]}
    assert [Path(d["location"]["path"]).name for d in data["diagnostics"]] == ["broken.pem"]
    assert "logo.png" not in result.out
    secret_body = b"".join(key_pem.splitlines()[1:-1]).decode()
    for output_format in ("json", "table", "sarif", "junit", "github"):
        output = run_cli("check", str(tmp_path), "--format", output_format).out
        assert secret_body[:40] not in output and "PRIVATE KEY-----" not in output


def test_inspect_lists_certificates(tmp_path: Path) -> None:
    der, _ = self_signed("csms.example.org")
    (tmp_path / "csms.der").write_bytes(der)
    data = run_cli("inspect", str(tmp_path), "--format", "json").json()
    (certificate,) = data["certificates"]
    assert certificate["settings"]["cert.subject.cn"]["value"] == "csms.example.org"
    assert certificate["id"] == x509.load_der_x509_certificate(der).fingerprint(hashes.SHA256()).hex()
