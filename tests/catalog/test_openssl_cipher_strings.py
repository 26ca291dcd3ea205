"""Differential test: the pure-Python expander against the real ``openssl ciphers -V``.

For every expression both must agree: the same TLS <= 1.2 suites in the same order, or both reject
the string. Runs wherever an ``openssl`` 3.0/3.1 binary exists; otherwise it skips and says why.
"""

from __future__ import annotations

import pytest

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
