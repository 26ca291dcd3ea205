"""Issue 12 items 6-16 on the real-world-shaped device corpus (tests/fixtures/realworld/device/, see
docs/device-corpus.md for where each construct comes from).

``CORPUS`` pins every finding the corpus produces — each one judged correct — so a rule that starts to
cry wolf on these shapes, or a weakness that goes missing again, fails here. The other tests each
exercise one numbered item and fail without its fix.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from device.support import at, only, subjects, write

from conftest import REPO, all_packs_policy

CORPUS_DIR = REPO / "tests" / "fixtures" / "realworld" / "device"
AT = datetime.date(2026, 11, 24)

#: (rule, file under the corpus, line): every finding, each judged a true positive.
CORPUS = {
    # item 13: a BitBake task with `curl -k` and a token; an extensionless init script
    ("TLS-VERIFY-001", "bitbake/station-config_1.0.bb", 7),
    ("TLS-SECRET-001", "bitbake/station-config_1.0.bb", 7),
    ("TLS-VERIFY-001", "scripts/init.d/S90cloud-sync", 5),
    # item 8: accept-all callbacks in other files of the project, static readonly suite arrays, old API
    ("TLS-VERIFY-001", "dotnet/CertificateHelpers.cs", 10),
    ("TLS-VERIFY-001", "dotnet/TrustingAuthentication.cs", 8),
    ("TLS-CIPHER-001", "dotnet/IotTlsClient.cs", 10),
    ("TLS-CIPHER-003", "dotnet/IotTlsClient.cs", 10),
    ("TLS-KX-001", "dotnet/IotTlsClient.cs", 10),
    ("TLS-PROTO-001", "dotnet/IotTlsClient.cs", 20),  # MinimumVersion => SSLv3, at SSLv3
    ("TLS-EXT-002", "dotnet/IotTlsClient.cs", 22),  # emptied NotifySecureRenegotiation
    ("DEV-CODE-001", "dotnet/PinnedAuthentication.cs", 11),
    # item 9: an OCPP server's plain-HTTP listener, the PFX password
    ("TLS-TRANSPORT-001", "kestrel/appsettings.json", 13),
    ("KESTREL-PROTO-001", "kestrel/appsettings.json", 15),
    ("TLS-SECRET-001", "kestrel/appsettings.json", 19),
    # item 6: usercertinmem-like code with PEM literals
    ("TLS-VERIFY-001", "libcurl/client_cert_in_memory.c", 41),
    ("TLS-VERIFY-002", "libcurl/client_cert_in_memory.c", 42),  # a second write: CURLOPT_SSL_VERIFYHOST 0
    ("DEV-CODE-001", "libcurl/client_cert_in_memory.c", 44),
    # item 12: CURLUSESSL_TRY, curl --ssl
    ("DEV-TRANSPORT-002", "libcurl/ftps_logs.c", 8),
    ("DEV-TRANSPORT-002", "scripts/diagnostics_uploader.sh", 5),
    ("DEV-TRANSPORT-002", "scripts/firmware_updater.sh", 9),
    # item 7: the factory's cipher list applies where the handle is used
    ("TLS-CIPHER-003", "libcurl/telemetry_upload.c", 14),
    # `curl -L`: one finding (other domains and the redirect count fold into it)
    ("TLS-HTTP-002", "scripts/diagnostics_uploader_rauc.sh", 3),
    # item 12: @SECLEVEL=0; the explicit DEFAULT list
    ("TLS-CIPHER-003", "scripts/legacy_backend.sh", 3),
    ("TLS-CIPHER-006", "scripts/legacy_backend.sh", 3),
    ("TLS-KX-001", "scripts/legacy_backend.sh", 3),
    ("TLS-KX-002", "scripts/legacy_backend.sh", 3),
    # item 12: a bearer token on the command line; --retry-delay without back-off
    ("TLS-CONN-003", "scripts/provision.sh", 4),
    ("TLS-SECRET-001", "scripts/provision.sh", 5),
    # wget follows redirects to http by default; --no-check-certificate
    ("TLS-HTTP-002", "scripts/wget_fetch.sh", 3),
    ("TLS-HTTP-002", "scripts/wget_fetch.sh", 4),
    ("TLS-VERIFY-001", "scripts/wget_fetch.sh", 4),
    # item 12: libocpp station-wide settings while the profile is plaintext; the profile-1 slot itself
    ("OCPP-012", "ocpp/component_config/standardized/InternalCtrlr.json", 9),
    ("TLS-TRANSPORT-001", "ocpp/component_config/standardized/InternalCtrlr.json", 9),
    ("OCPP-002", "ocpp/component_config/standardized/InternalCtrlr.json", 9),
    ("TLS-CIPHER-003", "ocpp/component_config/standardized/InternalCtrlr.json", 15),
    ("TLS-KX-001", "ocpp/component_config/standardized/InternalCtrlr.json", 15),
    ("TLS-LOG-001", "ocpp/component_config/standardized/InternalCtrlr.json", 21),
    # item 12: IsoMux is a TLS-terminating SECC (tls_security: allow)
    ("OCPP-015", "ocpp/config-sil-isomux.yaml", 5),
    ("OCPP-015", "ocpp/config-sil-isomux.yaml", 10),
    ("OCPP-015", "ocpp/config-sil-isomux.yaml", 15),
    ("ISO15118-TLS-001", "ocpp/config-sil-isomux.yaml", 18),
}


def _corpus_findings(root: Path = CORPUS_DIR) -> set[tuple[str, str, int | None]]:
    from tlslint.run import lint

    result = lint([str(root)], all_packs_policy(), at=AT)
    assert not [d for d in result.inputs.diagnostics if d.severity == "error"], result.inputs.diagnostics
    assert result.inputs.internal_errors == 0
    return {
        (f.rule_id, os.path.relpath(os.path.abspath(f.location.path), root).replace(os.sep, "/"), f.location.line)
        for f in result.findings
    }


def test_corpus_findings_are_exactly_the_judged_ones() -> None:
    reported = _corpus_findings()
    assert reported == CORPUS, f"missing: {sorted(CORPUS - reported)}\nunexpected: {sorted(reported - CORPUS)}"


# --- item 6: C sources with PEM string literals ------------------------------------------------------


def test_pem_string_literals_in_c_are_code_not_certificates() -> None:
    from tlslint.run import lint

    paths = [str(CORPUS_DIR / "libcurl" / name) for name in ("client_cert_in_memory.c", "pem_table_only.c")]
    result = lint(paths, all_packs_policy(), at=AT)
    assert not [d for d in result.inputs.diagnostics if d.severity == "error"]  # was: "no matching -----END line"
    assert {f.rule_id for f in result.findings} >= {"TLS-VERIFY-001"}


# --- item 7: files larger than the sniff window ------------------------------------------------------


def test_a_c_file_whose_libcurl_calls_start_after_the_sniff_window_is_read(tmp_path: Path) -> None:
    from tlslint.sources.registry import SNIFF_BYTES

    filler = "/* " + "x" * (SNIFF_BYTES + 100) + " */\n"
    path = write(tmp_path, "big.c", filler + "void f(CURL *c) { curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L); }\n")
    (subject,) = subjects(path)  # named explicitly
    assert subject.value("verify.peer") is False
    assert [s.id for s in subjects(tmp_path)] == [subject.id]  # and found in directory mode


# --- item 10: library defaults of OpenSSL clients and BouncyCastle ------------------------------------


def test_bouncycastle_offers_encrypt_then_mac_and_libcurl_on_openssl_too(tmp_path: Path) -> None:
    cs = write(tmp_path, "C.cs", "using Org.BouncyCastle.Tls;\nclass C : DefaultTlsClient { }\n")
    assert at(only(cs), "extensions.encrypt_then_mac")[:2] == (True, "default")
    c = write(tmp_path, "c.c", 'void f(CURL *h) { curl_easy_setopt(h, CURLOPT_SSL_CIPHER_LIST, "ALL:!aNULL"); }\n')
    subject = only(c)
    assert at(subject, "extensions.encrypt_then_mac")[:2] == (True, "default")
    assert not [s for s in subject.value("cipher_suites.tls12") if "PSK" in s or "SRP" in s]


def test_old_bouncycastle_api_defaults_to_tls_1_0_to_1_2(tmp_path: Path) -> None:
    cs = write(tmp_path, "C.cs", "using Org.BouncyCastle.Crypto.Tls;\nclass C : DefaultTlsClient { }\n")
    assert at(only(cs), "protocols")[:2] == (["TLSv1.0", "TLSv1.1", "TLSv1.2"], "default")


# --- item 11: plain http:// and defaults files --------------------------------------------------------


def test_tls_fields_are_dropped_on_plain_http_without_redirects(tmp_path: Path) -> None:
    path = write(tmp_path, "a.sh", "curl -s http://10.0.0.5:8080/status\ncurl -sL http://10.0.0.5/next\n")
    plain, redirected = subjects(path)
    assert plain.get("source.no_tls") is not None and plain.get("revocation.mode") is None
    assert plain.get("connection.timeouts.handshake") is None and plain.value("url.scheme") == "http"
    assert redirected.get("verify.peer") is not None  # a redirect may lead to https: TLS settings matter


def test_rc_files_carry_only_what_they_write() -> None:
    from tlslint.run import lint

    result = lint([str(CORPUS_DIR / "rc")], all_packs_policy(), at=AT)
    assert result.findings == []  # .wgetrc without connect timeout: not "missing" (was TLS-CONN-001/002)
    assert {f.path.rsplit("/", 1)[-1] for f in result.inputs.files} == {".curlrc", ".wgetrc"}


# --- item 14: calibration ------------------------------------------------------------------------------


def test_curl_k_is_one_finding_and_defaults_are_not_findings(tmp_path: Path) -> None:
    from tlslint.run import lint

    path = write(tmp_path, "a.sh", "curl -k https://fw.example.com/fw.bin\n")
    rules = sorted(f.rule_id for f in lint([str(path)], all_packs_policy(), at=AT).findings)
    # Before: TLS-VERIFY-001/002/005 for the one token, and TLS-VERIFY-004, TLS-CONN-001/002 on curl's
    # revocation default and its bounded 300 s connect timeout.
    assert rules == ["TLS-VERIFY-001"]


def test_a_written_bad_value_still_fails(tmp_path: Path) -> None:
    from tlslint.run import lint

    path = write(tmp_path, "a.sh", "curl --connect-timeout 0 https://fw.example.com/fw.bin\n")
    assert "TLS-CONN-001" in {f.rule_id for f in lint([str(path)], all_packs_policy(), at=AT).findings}


def test_tls_1_3_is_not_expected_where_the_protocol_forbids_it() -> None:
    from tlslint.run import lint

    result = lint([str(CORPUS_DIR / "mbedtls"), str(CORPUS_DIR / "ocpp")], all_packs_policy(), at=AT)
    assert "TLS-PROTO-002" not in {f.rule_id for f in result.findings}  # Thread DTLS 1.2, ISO 15118-2
    assert "TLS-VERIFY-002" not in {f.rule_id for f in result.findings}  # EC-JPAKE has no certificates


# --- item 15: key file permissions only where they mean something --------------------------------------


def _key_file(directory: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path = directory / "device.key"
    path.write_bytes(pem)
    path.chmod(0o644)
    return path


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_key_file_modes_are_not_judged_in_a_vcs_working_tree(tmp_path: Path) -> None:
    from tlslint.run import lint

    deployed = tmp_path / "rootfs" / "etc" / "ssl"
    deployed.mkdir(parents=True)
    checkout = tmp_path / "repo"
    (checkout / ".git").mkdir(parents=True)
    for directory in (deployed, checkout):
        _key_file(directory)
    policy = all_packs_policy()

    def rules(path: Path, **options) -> set[str]:
        return {f.rule_id for f in lint([str(path)], policy, at=AT, **options).findings}

    assert "TLS-KEY-002" in rules(deployed)  # a deployed filesystem: the mode is real
    assert "TLS-KEY-002" not in rules(checkout)  # git stores no read bits: the umask's mode
    assert "TLS-KEY-002" in rules(checkout, check_file_modes=True)  # --check-file-modes


# --- item 9: the PFX password opens the PFX ------------------------------------------------------------


def test_kestrel_certificate_password_opens_the_pfx(tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    from tlslint.run import lint

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "csms.example.com")])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(datetime.datetime(2026, 1, 1))
        .not_valid_after(datetime.datetime(2028, 1, 1)).sign(key, hashes.SHA256())
    )  # fmt: skip
    secret = "pfx-Pa55"
    data = pkcs12.serialize_key_and_certificates(
        b"csms", key, cert, None, serialization.BestAvailableEncryption(secret.encode())
    )
    shutil.copy(CORPUS_DIR / "kestrel" / "appsettings.json", tmp_path / "appsettings.json")
    (tmp_path / "Aa-first.pfx").write_bytes(data)  # sorted before appsettings.json: read before the password
    text = (tmp_path / "appsettings.json").read_text().replace("localhost.pfx", "Aa-first.pfx")
    (tmp_path / "appsettings.json").write_text(text.replace("ocpp-dev-2024", secret))
    result = lint([str(tmp_path)], all_packs_policy(), at=AT)
    certificates = [s for s in result.inputs.subjects if s.kind == "certificate"]
    assert [s.value("cert.subject.cn") for s in certificates] == ["csms.example.com"]
    assert not [d for d in result.inputs.diagnostics if "passphrase" in d.message]
    rendered = "\n".join([f.message for f in result.findings] + [str(d) for d in result.inputs.diagnostics])
    assert secret not in rendered


# --- item 16 ---------------------------------------------------------------------------------------------


def test_the_hardened_firmware_tree_passes_the_default_gate() -> None:
    process = subprocess.run(
        [sys.executable, "-m", "tlslint", "check", str(REPO / "examples" / "firmware-hardened")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-2000:]
