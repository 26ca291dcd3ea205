"""OpenSSL's group lists as tlslint reads them (:func:`tlslint.catalog.groups.openssl_group_list_error`),
asked of the local ``openssl`` binary: ``s_client -groups LIST`` hands the list to the same
``SSL_CTX_set1_groups_list`` that nginx ``ssl_ecdh_curve`` and the ``Groups`` command reach, and says
"SSL_CONF_cmd ... failed" before it connects when OpenSSL rejects it. Modelled for OpenSSL 3.0 and 3.1
only: the tests skip on another version."""

from __future__ import annotations

import subprocess

import pytest
from engines import probe

from tlslint.catalog.groups import OPENSSL_3_0_GROUP_NAMES, all_groups, openssl_group_list_error

pytestmark = [
    pytest.mark.skipif(not probe.openssl_available(), reason="the openssl command is not installed"),
    pytest.mark.skipif(
        probe.openssl_available() and not probe.openssl_version().startswith(("3.0.", "3.1.")),
        reason="group names are modelled for OpenSSL 3.0 and 3.1",
    ),
]


def _takes(group_list: str) -> bool:
    """Whether the local OpenSSL accepts ``group_list`` (port 9 refuses the connection that follows)."""
    said = subprocess.run(
        ["openssl", "s_client", "-groups", group_list, "-connect", "127.0.0.1:9"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return "SSL_CONF_cmd" not in said.stdout + said.stderr


def test_the_names_openssl_takes_are_the_names_tlslint_knows() -> None:
    """Every spelling of every catalogued group, in three cases: OpenSSL takes exactly the modelled ones.
    (A build without some curves would take fewer; then this test names them.)"""
    spellings = sorted(
        {variant for group in all_groups() for name in (group.iana_name, *group.aliases) for variant in
         (name, name.lower(), name.upper())}
    )  # fmt: skip
    taken = {name for name in spellings if _takes(name)}
    assert taken == OPENSSL_3_0_GROUP_NAMES


LISTS = [
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


@pytest.mark.parametrize("group_list", LISTS)
def test_a_list_is_rejected_exactly_when_openssl_rejects_it(group_list: str) -> None:
    rejected = openssl_group_list_error(group_list, probe.openssl_version())
    assert (rejected is None) == _takes(group_list), rejected
