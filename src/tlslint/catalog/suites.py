"""Cipher suites: one record per IANA code point, and the one place that reads engine spellings of them.

The registry rows live in :mod:`._suite_data`; every property (key exchange, cipher, mode, ...) is
derived here from the IANA name, which encodes it systematically. Nothing is parsed until the first
lookup, so importing this module stays cheap.
"""

from __future__ import annotations

import re
from functools import cache

from tlslint.records import Frozen

__all__ = ["CipherSuite", "all_suites", "format_code", "lookup", "parse_code"]


class CipherSuite(Frozen):
    """A TLS cipher suite: its IANA code and names, each engine's spelling, and its parts (key exchange,
    authentication, cipher, mode, MAC) with what rules judge them by."""

    __slots__ = (
        "code",
        "iana_name",
        "openssl_name",
        "gnutls_name",
        "mbedtls_name",
        "tls13",
        "min_version",
        "kx",
        "au",
        "cipher",
        "mode",
        "bits",
        "mac",
        "aead",
        "pfs",
        "export",
        "recommended",
    )

    code: tuple[int, int]
    iana_name: str
    openssl_name: str | None
    gnutls_name: str | None
    mbedtls_name: str | None
    tls13: bool
    min_version: str
    kx: str
    au: str
    cipher: str
    mode: str
    bits: int
    mac: str
    aead: bool
    pfs: bool
    export: bool
    recommended: bool

    def __init__(
        self,
        code: tuple[int, int],
        iana_name: str,
        openssl_name: str | None,
        gnutls_name: str | None,
        mbedtls_name: str | None,
        tls13: bool,
        min_version: str,
        kx: str,
        au: str,
        cipher: str,
        mode: str,
        bits: int,
        mac: str,
        aead: bool,
        pfs: bool,
        export: bool,
        recommended: bool,
    ) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "iana_name", iana_name)
        object.__setattr__(self, "openssl_name", openssl_name)
        object.__setattr__(self, "gnutls_name", gnutls_name)
        object.__setattr__(self, "mbedtls_name", mbedtls_name)
        object.__setattr__(self, "tls13", tls13)
        object.__setattr__(self, "min_version", min_version)
        object.__setattr__(self, "kx", kx)
        object.__setattr__(self, "au", au)
        object.__setattr__(self, "cipher", cipher)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "bits", bits)
        object.__setattr__(self, "mac", mac)
        object.__setattr__(self, "aead", aead)
        object.__setattr__(self, "pfs", pfs)
        object.__setattr__(self, "export", export)
        object.__setattr__(self, "recommended", recommended)

    @property
    def code_str(self) -> str:
        """The code point as OpenSSL's ``ciphers -V`` prints it: ``0xC0,0x2B``."""
        return format_code(self.code)


def format_code(code: tuple[int, int]) -> str:
    return f"0x{code[0]:02X},0x{code[1]:02X}"


_CODE = re.compile(r"^\s*0x([0-9a-f]{1,2})\s*,\s*0x([0-9a-f]{1,2})\s*$|^\s*0x([0-9a-f]{4})\s*$", re.IGNORECASE)


def parse_code(text: str) -> tuple[int, int] | None:
    """``"0xC0,0x2B"`` / ``"0xc02b"`` -> ``(0xC0, 0x2B)``; ``None`` if it is not a code point."""
    match = _CODE.match(text)
    if not match:
        return None
    if match[3]:
        value = int(match[3], 16)
        return value >> 8, value & 0xFF
    return int(match[1], 16), int(match[2], 16)


# --- deriving properties from the IANA name ---------------------------------------------------------

# Left of "_WITH_": key exchange and authentication. IANA spells a few oddly (SRP_SHA, PSK_DHE).
_KX_AU: dict[str, tuple[str, str]] = {
    "NULL": ("NULL", "anon"),
    "RSA": ("RSA", "RSA"),
    "DH_DSS": ("DH", "DSS"),
    "DH_RSA": ("DH", "RSA"),
    "DHE_DSS": ("DHE", "DSS"),
    "DHE_RSA": ("DHE", "RSA"),
    "DH_anon": ("DH", "anon"),
    "KRB5": ("KRB5", "KRB5"),
    "PSK": ("PSK", "PSK"),
    "DHE_PSK": ("DHE_PSK", "PSK"),
    "PSK_DHE": ("DHE_PSK", "PSK"),
    "RSA_PSK": ("RSA_PSK", "RSA"),
    "ECDHE_PSK": ("ECDHE_PSK", "PSK"),
    "ECDH_ECDSA": ("ECDH", "ECDSA"),
    "ECDHE_ECDSA": ("ECDHE", "ECDSA"),
    "ECDH_RSA": ("ECDH", "RSA"),
    "ECDHE_RSA": ("ECDHE", "RSA"),
    "ECDH_anon": ("ECDH", "anon"),
    "SRP_SHA": ("SRP", "SRP"),
    "SRP_SHA_RSA": ("SRP", "RSA"),
    "SRP_SHA_DSS": ("SRP", "DSS"),
    "ECCPWD": ("ECCPWD", "ECCPWD"),
    "GOSTR341112_256": ("GOST", "GOST"),
}

# Right of "_WITH_" (before the MAC): cipher, mode, key bits.
_CIPHERS: dict[str, tuple[str, str, int]] = {
    "NULL": ("NULL", "NULL", 0),
    "RC4_40": ("RC4", "STREAM", 40),
    "RC4_128": ("RC4", "STREAM", 128),
    "RC2_CBC_40": ("RC2", "CBC", 40),
    "IDEA_CBC": ("IDEA", "CBC", 128),
    "DES40_CBC": ("DES", "CBC", 40),
    "DES_CBC_40": ("DES", "CBC", 40),
    "DES_CBC": ("DES", "CBC", 56),
    "3DES_EDE_CBC": ("3DES", "CBC", 168),
    "SEED_CBC": ("SEED", "CBC", 128),
    "CHACHA20_POLY1305": ("CHACHA20", "POLY1305", 256),
    "KUZNYECHIK_CTR_OMAC": ("KUZNYECHIK", "CTR_OMAC", 256),
    "MAGMA_CTR_OMAC": ("MAGMA", "CTR_OMAC", 256),
    "28147_CNT_IMIT": ("GOST28147", "CNT", 256),
    "KUZNYECHIK_MGM_L": ("KUZNYECHIK", "MGM", 256),
    "KUZNYECHIK_MGM_S": ("KUZNYECHIK", "MGM", 256),
    "MAGMA_MGM_L": ("MAGMA", "MGM", 256),
    "MAGMA_MGM_S": ("MAGMA", "MGM", 256),
    "SM4_GCM": ("SM4", "GCM", 128),
    "SM4_CCM": ("SM4", "CCM", 128),
    "AEGIS_256": ("AEGIS", "AEGIS", 256),
    "AEGIS_128L": ("AEGIS", "AEGIS", 128),
}
for _name in ("AES", "CAMELLIA", "ARIA"):
    for _bits in (128, 256):
        for _mode in ("CBC", "GCM", "CCM", "CCM_8"):
            _CIPHERS[f"{_name}_{_bits}_{_mode}"] = (_name, _mode, _bits)

_MACS = {"SHA": "SHA1", "SHA256": "SHA256", "SHA384": "SHA384", "MD5": "MD5", "SM3": "SM3", "NULL": "NULL"}
_AEAD_MODES = frozenset({"GCM", "CCM", "CCM_8", "POLY1305", "MGM", "AEGIS"})
_PFS_KX = frozenset({"DHE", "ECDHE", "DHE_PSK", "ECDHE_PSK", "any", "ECCPWD"})

# Which protocol version introduced a suite: TLS 1.2 brought SHA-256/384 MACs and AEAD suites, the
# ECC (RFC 4492) and PSK suites came with TLS 1.0, the oldest ones exist since SSL 3.0.
_SSL3_KX = frozenset({"NULL", "RSA", "DH", "DHE"})

# Key exchanges and ciphers Mbed TLS implements (2.28/3.x); it names a suite MBEDTLS_ + the IANA name.
_MBEDTLS_KX = frozenset({"RSA", "DHE", "ECDHE", "ECDH", "PSK", "DHE_PSK", "RSA_PSK", "ECDHE_PSK"})
_MBEDTLS_CIPHERS = frozenset({"AES", "CAMELLIA", "ARIA", "CHACHA20", "NULL"})


def _split_with(name: str) -> tuple[str, str]:
    body = name[4:]  # drop "TLS_"
    if "_WITH_" in body:
        left, right = body.split("_WITH_", 1)
        return left, right
    return "", body  # TLS 1.3 style: no key exchange in the name


def _longest_cipher_prefix(right: str) -> str | None:
    """The longest cipher name that ``right`` (``AES_128_CCM_8_SHA256``) starts with, up to an underscore:
    AES_128_CCM_8, not AES_128_CCM."""
    parts = right.split("_")
    for end in range(len(parts), 0, -1):
        candidate = "_".join(parts[:end])
        if candidate in _CIPHERS:
            return candidate
    return None


def _derive(code: int, iana: str, openssl: str | None, gnutls: str | None, recommended: bool) -> CipherSuite:
    left, right = _split_with(iana)
    export = left.endswith("_EXPORT")
    left = left.removesuffix("_EXPORT")
    if iana in ("TLS_SHA256_SHA256", "TLS_SHA384_SHA384"):  # RFC 9150: TLS 1.3 integrity-only
        cipher, mode, bits, mac, tls13 = "NULL", "NULL", 0, iana.rsplit("_", 1)[1], True
        kx, au = "any", "any"
    else:
        tls13 = not left
        kx, au = ("any", "any") if tls13 else _KX_AU[left]
        known = _longest_cipher_prefix(right)
        if known is None:
            raise ValueError(f"cannot parse cipher suite name {iana}")
        cipher, mode, bits = _CIPHERS[known]
        rest = right[len(known) :].lstrip("_")
        if mode in _AEAD_MODES:
            mac = "AEAD"
        elif rest in _MACS:
            mac = _MACS[rest]
        elif left == "GOSTR341112_256":
            mac = "GOST"
        else:
            raise ValueError(f"cannot parse MAC of {iana}: {rest!r}")
    if export and bits > 56:
        bits = 40  # RC4_40 etc. are named with their export key size; be explicit anyway
    hashes = iana.endswith(("_SHA256", "_SHA384"))
    if tls13:
        min_version = "TLSv1.3"
    elif mac == "AEAD" or hashes or cipher in ("ARIA",) or left == "ECCPWD" or left == "GOSTR341112_256":
        min_version = "TLSv1.2"
    elif kx in _SSL3_KX:
        min_version = "SSLv3"
    else:
        min_version = "TLSv1.0"
    mbedtls = None
    if tls13 and cipher in ("AES", "CHACHA20"):
        mbedtls = "MBEDTLS_TLS1_3_" + iana[4:]
    elif not tls13 and kx in _MBEDTLS_KX and cipher in _MBEDTLS_CIPHERS and au in ("RSA", "ECDSA", "PSK"):
        mbedtls = "MBEDTLS_" + iana.replace("TLS_PSK_DHE_", "TLS_DHE_PSK_")
    return CipherSuite(
        code=(code >> 8, code & 0xFF),
        iana_name=iana,
        openssl_name=openssl,
        gnutls_name=iana if gnutls == "=" else gnutls,
        mbedtls_name=mbedtls,
        tls13=tls13,
        min_version=min_version,
        kx=kx,
        au=au,
        cipher=cipher,
        mode=mode,
        bits=bits,
        mac=mac,
        aead=mac == "AEAD",
        pfs=kx in _PFS_KX,
        export=export,
        recommended=recommended,
    )


@cache
def all_suites() -> tuple[CipherSuite, ...]:
    """Every IANA-registered cipher suite, in code-point order."""
    from tlslint.catalog._suite_data import SUITES

    out = []
    for line in SUITES.splitlines():
        code, iana, openssl, gnutls, recommended = line.split()
        out.append(
            _derive(
                int(code, 16),
                iana,
                None if openssl == "-" else openssl,
                None if gnutls == "-" else gnutls,
                recommended == "Y",
            )
        )
    return tuple(out)


@cache
def _index() -> dict[str, CipherSuite]:
    index: dict[str, CipherSuite] = {}
    for suite in all_suites():
        names = [suite.iana_name, suite.openssl_name, suite.gnutls_name, suite.mbedtls_name]
        if suite.mbedtls_name:
            # Mbed TLS also has a string form: "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256", "TLS1-3-AES-128-GCM-SHA256".
            names.append(suite.mbedtls_name.removeprefix("MBEDTLS_").replace("TLS1_3_", "TLS1-3-").replace("_", "-"))
        for name in names:
            if name:
                index.setdefault(name.upper(), suite)
    # Historic OpenSSL spellings still accepted by OpenSSL itself.
    for old, new in (
        ("EDH-RSA-DES-CBC3-SHA", "DHE-RSA-DES-CBC3-SHA"),
        ("EDH-DSS-DES-CBC3-SHA", "DHE-DSS-DES-CBC3-SHA"),
    ):
        if old in index:
            index.setdefault(new, index[old])
    index.setdefault("TLS_DHE_PSK_WITH_AES_128_CCM_8", index["TLS_PSK_DHE_WITH_AES_128_CCM_8"])
    index.setdefault("TLS_DHE_PSK_WITH_AES_256_CCM_8", index["TLS_PSK_DHE_WITH_AES_256_CCM_8"])
    return index


@cache
def _by_code() -> dict[tuple[int, int], CipherSuite]:
    return {suite.code: suite for suite in all_suites()}


def by_code(code: tuple[int, int]) -> CipherSuite | None:
    return _by_code().get(code)


@cache
def lookup(name: str) -> CipherSuite | None:
    """The suite for an IANA, OpenSSL, GnuTLS or Mbed TLS name, or a code point like ``"0xC0,0x2B"``.

    Memoised: rules look suites up once per element per endpoint, and the answers never change."""
    code = parse_code(name)
    if code is not None:
        return by_code(code)
    return _index().get(name.strip().upper())
