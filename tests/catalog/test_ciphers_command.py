"""``tlslint ciphers``: JSON contract, table, errors; JSON compared with the real openssl where present."""

from __future__ import annotations

import pytest

from tests.catalog.openssl_oracle import openssl_ciphers, skip_reason
from tests.conftest import run_cli


@pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")
@pytest.mark.parametrize("expression", ["HIGH:!aNULL:!MD5", "DEFAULT", "kRSA:+AES256", "PSK:@STRENGTH"])
def test_json_lists_exactly_what_openssl_lists(expression: str) -> None:
    result = run_cli("ciphers", "--format", "json", expression)
    assert result.code == 0, result.err
    document = result.json()
    expected = openssl_ciphers(expression)
    assert expected is not None
    protocol = {"TLSv1.0": "TLSv1"}
    got = [
        (s["code"], s["openssl_name"], protocol.get(s["protocol"], s["protocol"])) for s in document["cipher_suites"]
    ]
    assert got == expected
    assert document["expression"] == expression
    assert [s["iana_name"] for s in document["tls13_cipher_suites"]] == [
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_GCM_SHA256",
    ]


def test_json_shape() -> None:
    document = run_cli("ciphers", "--format", "json", "--openssl-version", "3.2", "ECDHE-RSA-AES128-SHA").json()
    assert document["openssl_version"] == "3.2" and document["security_level"] == 2
    (suite,) = document["cipher_suites"]
    assert suite["code"] == "0xC0,0x13"
    assert {"iana_name", "openssl_name", "protocol", "kx", "au", "enc", "bits", "mac", "aead", "pfs"} <= set(suite)
    assert suite["pfs"] is True and suite["aead"] is False and suite["mac"] == "SHA1"


@pytest.mark.parametrize(
    ("expression", "level"),
    [("DEFAULT@SECLEVEL=0", 0), ("DEFAULT:@SECLEVEL=0", 0), ("HIGH@SECLEVEL=3:!aNULL", 3), ("DEFAULT", 1)],
)
def test_security_level_written_after_a_keyword(expression: str, level: int) -> None:
    """The level comes from the same parse as the suites: no colon needed before "@SECLEVEL"."""
    document = run_cli("ciphers", "--format", "json", expression).json()
    assert document["security_level"] == level


def test_table_marks_weak_suites() -> None:
    result = run_cli("ciphers", "ALL:COMPLEMENTOFALL")
    assert result.code == 0
    null_row = next(line for line in result.out.splitlines() if "NULL-SHA256" in line and "PSK" not in line)
    assert "WEAK" in null_row
    modern = next(line for line in result.out.splitlines() if "ECDHE-ECDSA-AES256-GCM-SHA384" in line)
    assert modern.rstrip().endswith("ok")


@pytest.mark.parametrize("expression", ["FOO", "HIGH:!", "@SECLEVEL=9", "aNULL:!aNULL"])
def test_bad_expression_is_a_one_line_usage_error(expression: str) -> None:
    result = run_cli("ciphers", expression)
    assert result.code == 2
    assert result.err.count("\n") == 1 and result.err.startswith("tlslint: ")


def test_unknown_openssl_version_is_a_usage_error() -> None:
    assert run_cli("ciphers", "--openssl-version", "0.9.8", "HIGH").code == 2


def test_openssl_111_has_3des_and_seed() -> None:
    names = [
        s["openssl_name"]
        for s in run_cli("ciphers", "--format", "json", "--openssl-version", "1.1.1", "MEDIUM").json()["cipher_suites"]
    ]
    assert "DES-CBC3-SHA" in names and "SEED-SHA" in names
    assert run_cli("ciphers", "MEDIUM").code == 2  # OpenSSL 3.0 default builds have no MEDIUM suite
