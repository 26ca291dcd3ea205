"""Key types of the certificates a server configuration references.

The effective offer depends on them: an ECDSA-only server never negotiates ``*_RSA_*`` suites. Only
the first certificate of each file counts (the leaf; the rest is the chain). ``cryptography`` is
imported on first use. Results are cached per (path, size, mtime), so 1,000 configurations sharing
one certificate read it once.
"""

from __future__ import annotations

import base64
import os
import re
from functools import lru_cache

__all__ = ["dh_bits", "key_type", "key_types"]

_MAX_BYTES = 1024 * 1024


def key_type(path: str) -> str | None:
    """ "RSA", "RSA-PSS", "ECDSA", "Ed25519", "Ed448", "DSA" for the leaf certificate in ``path``, or
    ``None`` if the file cannot be read or holds no certificate (the caller then leaves the filter off).
    Within a run, each path is looked at once."""
    from tlslint import safe_read

    scope = safe_read.current()
    if scope is None:
        return _key_type(path)
    key = ("key_type", path)
    if key not in scope.facts:
        scope.facts[key] = _key_type(path)
    return scope.facts[key]  # type: ignore[return-value]


def _key_type(path: str) -> str | None:
    from tlslint import safe_read

    if safe_read.refusal(path) is not None:  # before the cache: another run may have been allowed it
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _cached(path, stat.st_size, stat.st_mtime_ns)


def key_types(paths: list[str]) -> set[str] | None:
    """The set of key types of ``paths``; ``None`` when any of them is unknown."""
    found: set[str] = set()
    for path in paths:
        kind = key_type(path)
        if kind is None:
            return None
        found.add(kind)
    return found or None


@lru_cache(maxsize=256)
def _cached(path: str, size: int, mtime: int) -> str | None:
    data = _read_small(path, size)
    if data is None:
        return None
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
    except ImportError:  # pragma: no cover - cryptography is a dependency
        return None
    try:
        cert = x509.load_pem_x509_certificate(data) if b"-----BEGIN" in data else x509.load_der_x509_certificate(data)
        key = cert.public_key()
    except (ValueError, TypeError):
        return None
    if isinstance(key, rsa.RSAPublicKey):
        oid = cert.public_key_algorithm_oid.dotted_string if hasattr(cert, "public_key_algorithm_oid") else ""
        return "RSA-PSS" if oid == "1.2.840.113549.1.1.10" else "RSA"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ECDSA"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448"
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA"
    return None


def dh_bits(path: str) -> int | None:
    """Size in bits of the finite-field DH parameters (``-----BEGIN DH PARAMETERS-----``, also inside a
    certificate bundle as Apache and HAProxy allow) in ``path``; ``None`` when unreadable or absent."""
    from tlslint import safe_read

    if safe_read.refusal(path) is not None:  # before the cache: another run may have been allowed it
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _dh_cached(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _dh_cached(path: str, size: int, mtime: int) -> int | None:
    data = _read_small(path, size)
    if data is None:
        return None
    match = _DH_PEM.search(data)
    if match is None:
        return None
    try:
        der = base64.b64decode(b"".join(match[1].split()), validate=True)
    except ValueError:
        return None
    return _first_integer_bits(der)


_DH_PEM = re.compile(rb"-----BEGIN (?:X9\.42 )?DH PARAMETERS-----(.*?)-----END", re.DOTALL)


def _first_integer_bits(der: bytes) -> int | None:
    """Bit length of ``p``, the first INTEGER of the parameters' SEQUENCE (PKCS #3 and X9.42 alike).
    Read here rather than with ``cryptography``, whose DH loader warns that finite-field DH is
    deprecated -- on stderr, for every configuration that merely names a DH file."""

    def header(offset: int) -> tuple[int, int, int] | None:  # (tag, length, content offset)
        if offset + 2 > len(der):
            return None
        tag, first = der[offset], der[offset + 1]
        offset += 2
        if first < 0x80:
            return tag, first, offset
        count = first & 0x7F
        if count == 0 or count > 4 or offset + count > len(der):
            return None
        return tag, int.from_bytes(der[offset : offset + count], "big"), offset + count

    outer = header(0)
    if outer is None or outer[0] != 0x30:
        return None
    inner = header(outer[2])
    if inner is None or inner[0] != 0x02 or inner[2] + inner[1] > len(der):
        return None
    value = der[inner[2] : inner[2] + inner[1]]
    return int.from_bytes(value, "big").bit_length() or None


def _read_small(path: str, size: int) -> bytes | None:
    """A referenced certificate or DH file's bytes through the confined reader, or None (too large,
    missing, outside the tree, not a regular file): a reference tlslint cannot follow is not guessed."""
    if size > _MAX_BYTES:
        return None
    from tlslint import safe_read
    from tlslint.errors import InputError

    try:
        return safe_read.read_bytes(path, limit=_MAX_BYTES)
    except InputError:
        return None
