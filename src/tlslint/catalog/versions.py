"""Canonical TLS protocol version names and the one place that reads engine spellings of them."""

from __future__ import annotations

import re

#: Oldest first. The index is the order used by ``gte``/``lte`` comparisons.
VERSIONS: tuple[str, ...] = ("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")
LEGACY: frozenset[str] = frozenset({"SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1"})

_RANK = {name: index for index, name in enumerate(VERSIONS)}

# Spellings seen across engines: nginx/Apache/OpenSSL ("TLSv1.2", "TLSv1"), curl ("tlsv1.2", "1.2"),
# .NET ("Tls12"), Mbed TLS ("MBEDTLS_SSL_VERSION_TLS1_2"), Java ("TLSv1.2"), IANA-ish ("TLS 1.2").
_PATTERN = re.compile(
    r"""^(?:mbedtls_ssl_version_)?(?P<family>ssl|tls)\s*[_v]?\s*
        (?P<major>\d)(?:[._]?(?P<minor>\d))?$""",
    re.IGNORECASE | re.VERBOSE,
)


def rank(version: str) -> int:
    """Position of a canonical version in :data:`VERSIONS`; raises ``KeyError`` for unknown names."""
    return _RANK[version]


def normalise(text: str) -> str | None:
    """Canonical name for an engine spelling of a protocol version, or ``None`` if unrecognised.

    >>> normalise("TLSv1"), normalise("tls1_2"), normalise("Tls13"), normalise("1.2"), normalise("SSLv3")
    ('TLSv1.0', 'TLSv1.2', 'TLSv1.3', 'TLSv1.2', 'SSLv3')
    """
    cleaned = text.strip()
    if re.fullmatch(r"1\.[0-3]", cleaned):
        cleaned = "tls" + cleaned
    match = _PATTERN.match(cleaned)
    if not match:
        return None
    family, major, minor = match["family"].lower(), match["major"], match["minor"]
    if family == "ssl":
        return {"2": "SSLv2", "3": "SSLv3"}.get(major) if minor in (None, "0") else None
    if major != "1":
        return None
    return {None: "TLSv1.0", "0": "TLSv1.0", "1": "TLSv1.1", "2": "TLSv1.2", "3": "TLSv1.3"}.get(minor)


def between(low: str, high: str) -> list[str]:
    """All canonical versions from ``low`` to ``high`` inclusive, oldest first."""
    return list(VERSIONS[rank(low) : rank(high) + 1])
