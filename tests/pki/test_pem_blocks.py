"""PEM blocks are found as the expression ``BEGIN (label)-----\\r?\\n(.*?)-----END \\1-----`` finds them, in
linear time (issue 16): the expression itself is the reference here, on generated malformed input."""

from __future__ import annotations

import random
import re

import pytest

from tlslint.pki.load import pem_blocks

_REFERENCE = re.compile(rb"-----BEGIN ([A-Z0-9][A-Z0-9 #]*?)-----\r?\n(.*?)-----END \1-----", re.DOTALL)
_LABELS = (b"CERTIFICATE", b"PRIVATE KEY", b"X509 CRL", b"A", b"CERT", b"RSA PRIVATE KEY", b"EC #1", b"lower")


def _piece(rng: random.Random) -> bytes:
    label = rng.choice(_LABELS)
    return rng.choice(
        [
            b"-----BEGIN " + label + b"-----" + rng.choice([b"\n", b"\r\n", b"", b" \n"]),
            b"-----END " + label + b"-----" + rng.choice([b"\n", b"\r\n", b""]),
            b"MIIB" * rng.randint(0, 5) + b"\n",
            b"-",
            b"-----",
            b"----END ",
            b"-----END ",
            b"-----BEGIN ",
            b"Proc-Type: 4,ENCRYPTED\n",
            b"text - with -- dashes\n",
            bytes(rng.randrange(256) for _ in range(rng.randint(0, 8))),
        ]
    )


@pytest.mark.parametrize("seed", range(4))
def test_blocks_are_what_the_reference_expression_finds(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(5000):
        data = b"".join(_piece(rng) for _ in range(rng.randint(0, 14)))
        expected = [(m.start(), m.group(1), m.group(2), m.group(0)) for m in _REFERENCE.finditer(data)]
        assert list(pem_blocks(data)) == expected, data


class _CountingBytes(bytes):
    finds = 0

    def find(self, *args, **kwargs) -> int:  # type: ignore[override]
        _CountingBytes.finds += 1
        return super().find(*args, **kwargs)


def test_unterminated_blocks_are_not_searched_to_the_end_once_each() -> None:
    """2,000 BEGIN lines without an END marker: the expression scanned to the end once per BEGIN line."""
    block = b"-----BEGIN CERTIFICATE-----\n" + b"MIIB\n" * 100
    data = _CountingBytes(block * 2000 + b"-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n")
    _CountingBytes.finds = 0
    found = list(pem_blocks(data))
    assert [label for _, label, _, _ in found] == [b"X509 CRL"]
    assert _CountingBytes.finds == 2  # once per label: CERTIFICATE (none after the first), X509 CRL
