"""What an OpenSSL-based client (curl, wget, libcurl on OpenSSL) really offers, beyond its options.

The command-line tools pass a cipher string to OpenSSL, but the ClientHello carries less than the
string expands to (``ssl_cipher_disabled`` in OpenSSL's ``ssl/ssl_lib.c``):

* PSK suites only when a PSK client callback is set — curl, wget and libcurl never set one;
* SRP suites only with an SRP user name (curl ``--tlsuser`` / ``CURLOPT_TLSAUTH_USERNAME``);
* suites the security level refuses (anonymous, MD5 MACs, under 80 bits at level 1).

The protocol floor follows the same security level: OpenSSL 3.x refuses TLS 1.0/1.1 below level 0,
because their handshake signatures use SHA-1/MD5 (:func:`tlslint.catalog.offer.version_allowed`).
Encrypt-then-MAC (RFC 7366) is offered by default since OpenSSL 1.1.0. The OpenSSL version is the one
given with ``--engine-version openssl=VER`` or the assumed one (:mod:`tlslint.catalog.engine_defaults`).
"""

from __future__ import annotations

import re

from tlslint.catalog.suites import CipherSuite
from tlslint.records import Frozen

_SECLEVEL = re.compile(r"@SECLEVEL=(\d)")


class OpenSSLClient(Frozen):
    """The OpenSSL a client links: its version and default security level."""

    __slots__ = ("version", "security_level", "note")

    version: str
    security_level: int
    note: str  # "OpenSSL 3.0 (assumed; use --engine-version openssl=VER)"

    def __init__(self, version: str, security_level: int, note: str) -> None:
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "security_level", security_level)
        object.__setattr__(self, "note", note)

    def offered_suites(self, cipher_string: str, *, srp: bool = False) -> list[CipherSuite]:
        """The TLS <= 1.2 suites of ``cipher_string`` that this client puts in its ClientHello.
        Raises :class:`~tlslint.catalog.openssl_ciphers.CipherStringError` when OpenSSL rejects the string."""
        from tlslint.catalog.offer import usable_suites
        from tlslint.catalog.openssl_ciphers import expand

        suites = expand(cipher_string, self.version)
        written = [int(m) for m in _SECLEVEL.findall(cipher_string)]
        usable = usable_suites(
            suites,
            protocols=["TLSv1.2"],  # every TLS <= 1.2 suite is usable in TLS 1.2: no version filter here
            security_level=written[-1] if written else self.security_level,
            key_types=None,
            openssl_version=self.version,
            psk=False,
            srp=srp,
        )
        return usable.get("TLSv1.2", [])

    def protocol_floor(self) -> str:
        """The lowest TLS version this OpenSSL negotiates at its default security level."""
        from tlslint.catalog.offer import version_allowed

        for version in ("TLSv1.0", "TLSv1.1", "TLSv1.2"):
            if version_allowed(version, self.security_level, self.version):
                return version
        return "TLSv1.3"

    def lowered_level(self, cipher_string: str) -> int | None:
        """The ``@SECLEVEL=n`` a cipher string sets when it is below this OpenSSL's default level (a deliberate
        downgrade, usually to accept a peer certificate with a short key or a SHA-1 signature), else None."""
        written = [int(m) for m in _SECLEVEL.findall(cipher_string)]
        return written[-1] if written and written[-1] < self.security_level else None

    def encrypt_then_mac(self) -> bool:
        from tlslint.catalog.engine_defaults import parse_version

        return parse_version(self.version) >= (1, 1, 0)


def client(engine_versions: dict[str, str] | None) -> OpenSSLClient:
    from tlslint.catalog import engine_defaults

    versions = engine_versions or {}
    version, given = engine_defaults.version_for("openssl", versions)
    level = engine_defaults.lookup("openssl", "security_level", version)
    if versions.get("openssl-seclevel"):
        level = int(versions["openssl-seclevel"])
    note = f"OpenSSL {version}" + ("" if given else " (assumed; use --engine-version openssl=VER)")
    return OpenSSLClient(version, level, note)


def lowered_level_fact(cipher_string: str, engine_versions: dict[str, str] | None) -> tuple[bool, str | None] | None:
    """(whether the string lowers the security level, a note) when it sets ``@SECLEVEL``; None otherwise."""
    if "@SECLEVEL=" not in cipher_string.upper():
        return None
    openssl = client(engine_versions)
    level = openssl.lowered_level(cipher_string)
    if level is None:
        return False, None
    return True, f"@SECLEVEL={level} is below the default level {openssl.security_level} of {openssl.note}"


def mark_lowered_level(builder, cipher_string: str, where, engine_versions: dict[str, str] | None) -> None:
    """Record on an endpoint whether its cipher string lowers the security level (TLS-CIPHER-006)."""
    fact = lowered_level_fact(cipher_string, engine_versions)
    if fact is not None:
        builder.set("cipher_suites.security_level_lowered", fact[0], where, note=fact[1])
