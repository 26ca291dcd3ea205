"""What an endpoint can really offer: checked against ``openssl ciphers -s`` and against plain facts."""

from __future__ import annotations

import pytest

from tests.catalog.openssl_oracle import openssl_ciphers, skip_reason
from tlslint.catalog.offer import usable_suites
from tlslint.catalog.openssl_ciphers import DEFAULT_TLS13_CIPHERSUITES, expand, parse_ciphersuites

EXPRESSIONS = ("ALL:COMPLEMENTOFALL", "DEFAULT", "HIGH:!aNULL:!MD5", "PSK:kRSA:aNULL", "ALL:+SHA1:@STRENGTH")


@pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")
@pytest.mark.parametrize("expression", EXPRESSIONS)
@pytest.mark.parametrize("level", range(6))
@pytest.mark.parametrize("psk", [False, True])
def test_tls12_offer_matches_openssl_supported_list(expression: str, level: int, psk: bool) -> None:
    # "-s -tls1_2": the suites a TLS 1.2-only client would send at this security level.
    options = ["-s", "-tls1_2"] + (["-psk"] if psk else [])
    expected = openssl_ciphers(f"{expression}:@SECLEVEL={level}", *options) or []
    offer = usable_suites(
        expand(expression), protocols=["TLSv1.2"], security_level=level, key_types=None, psk=psk, srp=False
    )
    assert [s.code_str for s in offer.get("TLSv1.2", [])] == [code for code, _, _ in expected]


def _offer(expression: str, key_types: set[str] | None, level: int = 1) -> dict[str, list[str]]:
    suites = parse_ciphersuites(DEFAULT_TLS13_CIPHERSUITES) + expand(expression)
    offer = usable_suites(
        suites, protocols=["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"], security_level=level, key_types=key_types
    )
    return {version: [s.iana_name for s in suites] for version, suites in offer.items()}


def test_ecdsa_only_server_offers_no_rsa_authenticated_suite() -> None:
    offer = _offer("HIGH:!aNULL:!PSK:!SRP", {"ECDSA"})
    assert offer["TLSv1.2"], "an ECDSA server still has ECDHE_ECDSA suites"
    assert not [name for name in offer["TLSv1.2"] if "_RSA_" in name or name.startswith("TLS_RSA_")]
    assert len(offer["TLSv1.3"]) == 3  # TLS 1.3 suites do not depend on the certificate type


def test_version_without_usable_suite_is_not_offered() -> None:
    # Only RSA suites configured, ECDSA certificate: TLS 1.2 has nothing left; TLS 1.3 still works.
    offer = _offer("kRSA", {"ECDSA"})
    assert "TLSv1.2" not in offer
    assert "TLSv1.3" in offer


def test_legacy_versions_need_security_level_zero_in_openssl3() -> None:
    assert "TLSv1.0" not in _offer("ALL", {"RSA"}, level=1)
    assert "TLSv1.0" in _offer("ALL", {"RSA"}, level=0)


def test_rsa_pss_certificate_cannot_do_rsa_key_transport() -> None:
    names = _offer("kRSA:ECDHE+aRSA", {"RSA-PSS"})["TLSv1.2"]
    assert names and all(name.startswith("TLS_ECDHE_RSA_") for name in names)


def test_high_security_levels_drop_weak_tls13_suites() -> None:
    # Level 4 needs 192-bit symmetric strength: AES-128 suites go, AES-256 and ChaCha20 stay.
    assert _offer("HIGH", None, level=4)["TLSv1.3"] == ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
