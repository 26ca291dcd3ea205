"""Differential test: the pure-Python expander against the real ``openssl ciphers -V``.

For every expression both must agree: the same TLS <= 1.2 suites in the same order, or both reject
the string. Runs wherever an ``openssl`` 3.0/3.1 binary exists; otherwise it skips and says why.
"""

from __future__ import annotations

import pytest

from tests.catalog import openssl_oracle as oracle
from tests.catalog.openssl_oracle import expressions, openssl_ciphers, skip_reason
from tlslint.catalog.openssl_ciphers import CipherStringError, expand_ciphers

EXPRESSIONS = expressions()
pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


def _ours(expression: str) -> list[tuple[str, str, str]] | None:
    try:
        ciphers = expand_ciphers(expression, "3.0")
    except CipherStringError:
        return None
    protocol = {"TLSv1.0": "TLSv1"}  # "openssl ciphers -v" prints TLS 1.0 as "TLSv1"
    return [(c.suite.code_str, c.name, protocol.get(c.min_version, c.min_version)) for c in ciphers]


def test_enough_expressions_are_compared() -> None:
    assert len(EXPRESSIONS) >= 300


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_same_suites_in_same_order_as_openssl(expression: str) -> None:
    expected = openssl_ciphers(expression)
    actual = _ours(expression)
    if expected is None:
        assert actual is None, f"OpenSSL rejects {expression!r}, tlslint accepts it"
    else:
        assert actual is not None, f"OpenSSL accepts {expression!r}, tlslint rejects it"
        assert actual == expected


#: Strings whose security level decides what OpenSSL supports: "@SECLEVEL=n" after a colon, straight
#: after a keyword (Debian 10's "DEFAULT@SECLEVEL=2", the "DEFAULT@SECLEVEL=0" legacy workaround),
#: in the middle, repeated, and hidden behind "@STRENGTH" (where OpenSSL skips it).
LEVEL_EXPRESSIONS = (
    "ALL",
    "ALL:@SECLEVEL=4",
    "ALL@SECLEVEL=4",
    "DEFAULT@SECLEVEL=0",
    "DEFAULT@SECLEVEL=2",
    "DEFAULT@SECLEVEL=4",
    "DEFAULT:@SECLEVEL=5",
    "HIGH@SECLEVEL=3:!aNULL",
    "ALL:COMPLEMENTOFALL@SECLEVEL=0",
    "ALL@SECLEVEL=4:@SECLEVEL=0",
    "ALL@STRENGTH@SECLEVEL=4",
    "kRSA@SECLEVEL=4:ECDHE+AESGCM",
)


@pytest.mark.parametrize("expression", LEVEL_EXPRESSIONS)
def test_security_level_read_like_openssl(expression: str) -> None:
    """``openssl ciphers -s -tls1_2`` lists what the string's own security level lets TLS 1.2 use; the
    level tlslint reads from the same parse must filter the suites to the same set."""
    from engines.probe import build_security_level

    from tlslint.catalog.offer import usable_suites
    from tlslint.catalog.openssl_ciphers import parse

    expected = openssl_ciphers(expression, "-s", "-tls1_2")
    parsed = parse(expression, "3.0")
    assert parsed.error is None and expected is not None
    level = parsed.security_level if parsed.security_level is not None else (build_security_level() or 1)
    usable = usable_suites(
        [c.suite for c in parsed.ciphers],
        protocols=["TLSv1.2"],
        security_level=level,
        key_types=None,
        psk=False,
        srp=False,
    ).get("TLSv1.2", [])
    assert sorted(s.code_str for s in usable) == sorted(code for code, _, _ in expected), (level, expression)


@pytest.mark.parametrize(
    "expression", ["TLS_AES_128_GCM_SHA256:TLS_BOGUS", "TLS_BOGUS", "tls_aes_128_gcm_sha256", ":", ""]
)
def test_tls13_ciphersuites_accepted_and_refused_like_openssl(expression: str) -> None:
    """``Ciphersuites``: OpenSSL 3 skips a name it does not know, but refuses a list in which it knows none."""
    import subprocess

    from tlslint.catalog.openssl_ciphers import parse_ciphersuites

    command = [oracle.OPENSSL, "ciphers", "-ciphersuites", expression, "HIGH"]
    accepted = subprocess.run(command, capture_output=True, env=oracle.ENV, check=False).returncode == 0
    try:
        parse_ciphersuites(expression, oracle.openssl_version() or "3.0")
        parsed = True
    except CipherStringError:
        parsed = False
    assert parsed == accepted
