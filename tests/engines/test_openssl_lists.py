"""OpenSSL's name lists as tlslint reads them (:mod:`tlslint.catalog.openssl_lists`), asked of the local
``openssl`` binary: ``s_client -groups LIST`` and ``-sigalgs LIST`` hand the list to the same
``SSL_CTX_set1_groups_list`` / ``SSL_CTX_set1_sigalgs_list`` that nginx ``ssl_ecdh_curve`` and the
``Groups`` and ``SignatureAlgorithms`` commands reach, and say "SSL_CONF_cmd ... failed" before they
connect when OpenSSL rejects the list. Modelled for OpenSSL 3.0 and 3.1 only: the tests skip on another
version."""

from __future__ import annotations

import subprocess

import pytest
from engines import probe

from tlslint.catalog.groups import all_groups
from tlslint.catalog.openssl_lists import (
    group_list_error,
    openssl_3_0_group_names,
    openssl_3_0_sigalg_names,
    sigalg_list_error,
)
from tlslint.catalog.sigalgs import all_sigalgs

pytestmark = [
    pytest.mark.skipif(not probe.openssl_available(), reason="the openssl command is not installed"),
    pytest.mark.skipif(
        probe.openssl_available() and not probe.openssl_version().startswith(("3.0.", "3.1.")),
        reason="name lists are modelled for OpenSSL 3.0 and 3.1",
    ),
]


def _takes(option: str, named: str) -> bool:
    """Whether the local OpenSSL accepts ``named`` as ``-groups`` or ``-sigalgs`` (port 9 refuses the
    connection that follows)."""
    said = subprocess.run(
        ["openssl", "s_client", option, named, "-connect", "127.0.0.1:9"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return "SSL_CONF_cmd" not in said.stdout + said.stderr


def _cases(*names: str) -> set[str]:
    return {variant for name in names for variant in (name, name.lower(), name.upper())}


def test_the_group_names_openssl_takes_are_the_ones_tlslint_knows() -> None:
    """Every spelling of every catalogued group, in three cases: OpenSSL takes exactly the modelled ones.
    (A build without some curves would take fewer; then this test names them.)"""
    spellings = sorted(_cases(*(name for group in all_groups() for name in (group.iana_name, *group.aliases))))
    assert {name for name in spellings if _takes("-groups", name)} == openssl_3_0_group_names()


def test_the_signature_algorithm_names_openssl_takes_are_the_ones_tlslint_knows() -> None:
    """RFC 8446 names in three cases, and ALG+HASH for the algorithm and digest spellings OpenSSL might
    take: OpenSSL takes exactly the modelled ones."""
    algorithms = _cases("RSA", "RSA-PSS", "PSS", "DSA", "ECDSA", "Ed25519", "Ed448")
    digests = _cases("SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "MD5", "SHA-256", "SHA3-256")
    spellings = _cases(*(scheme.iana_name for scheme in all_sigalgs())) | {
        f"{algorithm}+{digest}" for algorithm in algorithms for digest in digests
    }
    assert {name for name in sorted(spellings) if _takes("-sigalgs", name)} == openssl_3_0_sigalg_names()


GROUP_LISTS = [
    "X25519:P-256",
    " X25519 : P-256 ",  # spaces around a name do not count
    "x25519:secp384r1:ffdhe2048",
    "X25519:bogus",
    "p-256",  # names are compared exactly
    "SECP384R1",
    "X25519:X25519",
    "P-256:prime256v1",  # one group, two names
    "X25519::P-256",
    "X25519:",
    ":X25519",
    "AUTO",
    "auto",
    "X25519MLKEM768",  # OpenSSL 3.5
    "?X25519",  # OpenSSL 3.5 syntax
    "X25519/P-256",
    "X25519,P-256",
    "brainpoolP256r1tls13",  # OpenSSL 3.2
]

SIGALG_LISTS = [
    "RSA+SHA256:ECDSA+SHA256:ed25519",
    " RSA+SHA256 : rsa_pss_rsae_sha256 ",
    "RSA-PSS+SHA256:rsa_pss_pss_sha256",  # two schemes
    "RSA-PSS+SHA256:rsa_pss_rsae_sha256",  # one scheme twice
    "ECDSA+SHA256:ecdsa_secp256r1_sha256",
    "RSA+SHA1:DSA+SHA1",
    "rsa+sha256",
    "RSA+sha256",
    "RSA+SHA-256",
    "RSA+MD5",
    "Ed25519",
    "ecdsa_sha1",  # an IANA name OpenSSL 3.0 takes only as ECDSA+SHA1
    "bogus",
    "RSA+SHA256:",
    "mldsa65",  # OpenSSL 3.5
]


@pytest.mark.parametrize("named", GROUP_LISTS)
def test_a_group_list_is_rejected_exactly_when_openssl_rejects_it(named: str) -> None:
    rejected = group_list_error(named, probe.openssl_version())
    assert (rejected is None) == _takes("-groups", named), rejected


@pytest.mark.parametrize("named", SIGALG_LISTS)
def test_a_signature_algorithm_list_is_rejected_exactly_when_openssl_rejects_it(named: str) -> None:
    rejected = sigalg_list_error(named, probe.openssl_version())
    assert (rejected is None) == _takes("-sigalgs", named), rejected
