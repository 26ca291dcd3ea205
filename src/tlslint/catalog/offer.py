"""What an OpenSSL-based endpoint can really negotiate, per protocol version.

A configured cipher list is not an offer: OpenSSL also drops suites the security level forbids,
versions the security level forbids, and suites the server has no certificate for. A version left
with no usable suite cannot be negotiated at all, so it is absent from the result.
"""

from __future__ import annotations

from collections.abc import Iterable

from tlslint.catalog.suites import CipherSuite
from tlslint.catalog.versions import rank

__all__ = ["usable_suites", "version_allowed"]

# Minimum symmetric strength per security level 1..5 (SSL_CTX_set_security_level(3)).
_MIN_BITS = {1: 80, 2: 112, 3: 128, 4: 192, 5: 256}
# Security strength OpenSSL assigns to a suite (its "strength bits"); 3DES counts as 112.
_PFS_KX_TLS12 = frozenset({"DHE", "ECDHE", "DHE_PSK", "ECDHE_PSK"})
# Server certificate key types that can authenticate each "au" (EdDSA certificates sign in ECDHE_ECDSA suites).
_AUTH_KEYS = {
    "RSA": {"RSA", "RSA-PSS"},
    "ECDSA": {"ECDSA", "EC", "Ed25519", "Ed448"},
    "DSS": {"DSA"},
}


def _strength_bits(suite: CipherSuite) -> int:
    return 112 if suite.cipher == "3DES" else suite.bits


def version_allowed(version: str, security_level: int, openssl_version: str = "3.0") -> bool:
    """Whether the security level lets OpenSSL negotiate this protocol version at all."""
    from tlslint.catalog.openssl_ciphers import version_family

    if version in ("SSLv2",):
        return False
    if version_family(openssl_version) == "1.1.1":
        if version == "SSLv3":
            return security_level < 2
        return not (rank(version) <= rank("TLSv1.1") and security_level >= 3)
    # OpenSSL 3.x: SSLv3, TLS 1.0 and 1.1 only at level 0 (SHA-1/MD5 handshake signatures).
    return rank(version) >= rank("TLSv1.2") or security_level <= 0


def _suite_allowed(suite: CipherSuite, security_level: int) -> bool:
    """OpenSSL's default security callback for a cipher (SSL_SECOP_CIPHER_SUPPORTED)."""
    if security_level <= 0:
        return True
    level = min(security_level, 5)
    bits = _MIN_BITS[level]
    if _strength_bits(suite) < bits or suite.au == "anon" or suite.mac == "MD5":
        return False
    if bits > 160 and suite.mac == "SHA1":
        return False
    if level >= 2 and suite.cipher == "RC4":
        return False
    return not (level >= 3 and not suite.tls13 and suite.kx not in _PFS_KX_TLS12)


def _key_allows(suite: CipherSuite, key_types: set[str] | None) -> bool:
    if key_types is None or suite.tls13:
        return True  # unknown certificates (client side), or TLS 1.3 where any certificate type signs
    if suite.kx in ("RSA", "RSA_PSK") and "RSA" not in key_types:
        return False  # RSA key transport needs an rsaEncryption key, not RSA-PSS
    needed = _AUTH_KEYS.get(suite.au)
    return needed is None or bool(needed & key_types)


def usable_suites(
    suites: Iterable[CipherSuite],
    *,
    protocols: list[str],
    security_level: int,
    key_types: set[str] | None,
    openssl_version: str = "3.0",
    psk: bool = True,
    srp: bool = True,
) -> dict[str, list[CipherSuite]]:
    """Canonical version -> the suites (in the given preference order) a peer could negotiate with it.

    ``suites`` mixes TLS 1.3 and older suites freely; each lands under the versions it works in.
    ``key_types`` are the server certificate key types present ("RSA", "RSA-PSS", "ECDSA", "DSA",
    "Ed25519", ...), or ``None`` when unknown (client side: no filter). ``psk``/``srp`` say whether a
    PSK or SRP secret is configured; without one those suites cannot be negotiated.
    """
    suites = list(suites)
    out: dict[str, list[CipherSuite]] = {}
    for version in sorted(set(protocols), key=rank):
        if version == "SSLv2" or not version_allowed(version, security_level, openssl_version):
            continue
        usable = []
        for suite in suites:
            if suite.tls13 != (version == "TLSv1.3"):
                continue
            if not suite.tls13 and rank(suite.min_version) > rank(version):
                continue
            if (not psk and "PSK" in suite.kx) or (not srp and suite.kx == "SRP"):
                continue
            if _suite_allowed(suite, security_level) and _key_allows(suite, key_types) and suite not in usable:
                usable.append(suite)
        if usable:
            out[version] = usable
    return out
