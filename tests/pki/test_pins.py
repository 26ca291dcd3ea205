"""SPKI pins and TLSA evaluation, checked against hashes the real ``openssl`` binary computes."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest
from pkigen import NOW, ca_hierarchy, make, write

from tlslint.pki.pins import (
    Tlsa,
    check_pins,
    curl_pin,
    evaluate_tlsa,
    parse_pins,
    parse_tlsa,
    pin_base64,
    pin_hex,
    tlsa_association,
)

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="the openssl binary computes the reference hashes")


def openssl_spki_sha256(cert_pem: Path) -> bytes:
    """openssl x509 -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary"""
    pubkey = subprocess.run(
        [OPENSSL, "x509", "-in", str(cert_pem), "-noout", "-pubkey"], capture_output=True, check=True
    ).stdout
    der = subprocess.run([OPENSSL, "pkey", "-pubin", "-outform", "der"], input=pubkey, capture_output=True, check=True)
    digest = subprocess.run([OPENSSL, "dgst", "-sha256", "-binary"], input=der.stdout, capture_output=True, check=True)
    return digest.stdout


def openssl_cert_digest(cert_pem: Path, algorithm: str) -> bytes:
    der = subprocess.run(
        [OPENSSL, "x509", "-in", str(cert_pem), "-outform", "der"], capture_output=True, check=True
    ).stdout
    return subprocess.run(
        [OPENSSL, "dgst", f"-{algorithm}", "-binary"], input=der, capture_output=True, check=True
    ).stdout


@needs_openssl
@pytest.mark.parametrize("kind", ["ec256", "ec384", "rsa2048", "ed25519", "ed448"])
def test_spki_pin_matches_openssl(kind: str, tmp_path: Path) -> None:
    root, _ = ca_hierarchy()
    leaf = make("csms.operator.net", issuer=root, key_kind=kind, key_slot=3)
    path = write(tmp_path, "leaf.pem", leaf.pem)
    expected = openssl_spki_sha256(path)
    assert pin_hex(leaf.cert) == expected.hex()
    assert pin_base64(leaf.cert) == base64.b64encode(expected).decode()
    assert pin_hex(leaf.key.public_key()) == expected.hex()  # a public key pins the same as its certificate
    assert curl_pin([leaf.cert]) == "sha256//" + base64.b64encode(expected).decode()


@needs_openssl
def test_tlsa_association_data_matches_openssl(tmp_path: Path) -> None:
    _root, inter = ca_hierarchy()
    leaf = make("csms.operator.net", issuer=inter)
    path = write(tmp_path, "leaf.pem", leaf.pem)
    assert tlsa_association(leaf.cert, 1, 1) == openssl_spki_sha256(path)
    assert tlsa_association(leaf.cert, 0, 1) == openssl_cert_digest(path, "sha256")
    assert tlsa_association(leaf.cert, 0, 2) == openssl_cert_digest(path, "sha512")


def test_check_pins_finds_the_pinned_certificate_and_flags_missing_backup() -> None:
    root, inter = ca_hierarchy()
    leaf = make("csms.operator.net", issuer=inter)
    chain = [leaf.cert, inter.cert, root.cert]
    single = check_pins(parse_pins(curl_pin([inter.cert])), chain)
    assert single.matched == (1,) and single.ok and not single.backup
    backup_key = make("spare.operator.net", issuer=inter, key_slot=9)
    both = check_pins(parse_pins(curl_pin([leaf.cert, backup_key.cert])), chain)
    assert both.matched == (0,) and both.backup
    assert both.unmatched_pins == (pin_base64(backup_key.cert),)
    none = check_pins(parse_pins(pin_hex(backup_key.cert)), chain)
    assert not none.ok


def test_parse_pins_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="neither base64 nor hex"):
        parse_pins("sha256//not*base64")
    with pytest.raises(ValueError, match="not a SHA-256"):
        parse_pins("sha256//" + base64.b64encode(b"short").decode())


def test_parse_tlsa_formats() -> None:
    record = parse_tlsa("_443._tcp.csms.operator.net. 3600 IN TLSA 3 1 1 AB CD")
    assert record == Tlsa(3, 1, 1, bytes.fromhex("abcd"))
    assert parse_tlsa("DANE-TA SPKI SHA2-256 abcd") == Tlsa(2, 1, 1, bytes.fromhex("abcd"))
    with pytest.raises(ValueError):
        parse_tlsa("3 1 1")
    with pytest.raises(ValueError):
        parse_tlsa("3 1 1 zz")


@needs_openssl
def test_tlsa_evaluation_against_openssl_hashes(tmp_path: Path) -> None:
    root, inter = ca_hierarchy()
    leaf = make("csms.operator.net", issuer=inter)
    other = make("csms.operator.net", issuer=inter, key_slot=5)
    chain = [leaf.cert, inter.cert]
    leaf_spki = openssl_spki_sha256(write(tmp_path, "leaf.pem", leaf.pem)).hex()
    inter_spki = openssl_spki_sha256(write(tmp_path, "inter.pem", inter.pem)).hex()
    inter_full = openssl_cert_digest(tmp_path / "inter.pem", "sha512").hex()

    assert evaluate_tlsa(parse_tlsa(f"3 1 1 {leaf_spki}"), chain).ok
    assert evaluate_tlsa(parse_tlsa(f"2 1 1 {inter_spki}"), chain).matched_index == 1
    assert evaluate_tlsa(parse_tlsa(f"2 0 2 {inter_full}"), chain).ok
    # DANE-EE never matches a CA; DANE-TA never matches the leaf.
    assert not evaluate_tlsa(parse_tlsa(f"3 1 1 {inter_spki}"), chain).ok
    assert not evaluate_tlsa(parse_tlsa(f"2 1 1 {leaf_spki}"), chain).ok
    # A leaf with another key does not match the record of the first.
    assert not evaluate_tlsa(parse_tlsa(f"3 1 1 {leaf_spki}"), [other.cert, inter.cert]).ok
    # DANE-TA: the TA must really have signed the path.
    impostor = make("Operator Issuing CA", ca=True, issuer=root, key_slot=6)
    broken = evaluate_tlsa(parse_tlsa(f"2 1 1 {pin_hex(impostor.cert)}"), [leaf.cert, impostor.cert])
    assert not broken.ok and "does not verify" in broken.reason
    # PKIX usages also need ordinary validation against the client's anchors.
    assert not evaluate_tlsa(parse_tlsa(f"1 1 1 {leaf_spki}"), chain).ok
    assert evaluate_tlsa(parse_tlsa(f"1 1 1 {leaf_spki}"), chain, roots=[root.cert], at=NOW).ok
    assert evaluate_tlsa(parse_tlsa(f"0 1 1 {inter_spki}"), chain, roots=[root.cert], at=NOW).ok
    expired_at = NOW.replace(year=2040)
    assert not evaluate_tlsa(parse_tlsa(f"1 1 1 {leaf_spki}"), chain, roots=[root.cert], at=expired_at).ok
