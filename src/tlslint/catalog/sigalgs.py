"""TLS signature schemes (RFC 8446 names, IANA registry) and the engine spellings of them."""

from __future__ import annotations

from functools import cache

from tlslint.records import Frozen

__all__ = ["SignatureScheme", "all_sigalgs", "lookup_sigalg", "normalise_sigalg"]


class SignatureScheme(Frozen):
    """A TLS signature scheme of the IANA registry."""

    __slots__ = ("iana_name", "code", "algorithm", "hash", "legacy", "recommended")

    iana_name: str
    code: int
    algorithm: str  # "rsa_pkcs1", "rsa_pss", "ecdsa", "eddsa", "dsa", "mldsa", "sm2", "gost"
    hash: str  # "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sm3", "intrinsic"
    legacy: bool  # only usable in TLS 1.2 (or below) / deprecated by RFC 8446 and RFC 9155
    recommended: bool

    def __init__(
        self, iana_name: str, code: int, algorithm: str, hash: str, legacy: bool, recommended: bool = False
    ) -> None:
        object.__setattr__(self, "iana_name", iana_name)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "algorithm", algorithm)
        object.__setattr__(self, "hash", hash)
        object.__setattr__(self, "legacy", legacy)
        object.__setattr__(self, "recommended", recommended)


# code, name, algorithm, hash, legacy, recommended
_ROWS = """\
0x0101 rsa_pkcs1_md5 rsa_pkcs1 md5 L N
0x0201 rsa_pkcs1_sha1 rsa_pkcs1 sha1 L N
0x0202 dsa_sha1 dsa sha1 L N
0x0203 ecdsa_sha1 ecdsa sha1 L N
0x0301 rsa_pkcs1_sha224 rsa_pkcs1 sha224 L N
0x0302 dsa_sha224 dsa sha224 L N
0x0303 ecdsa_sha224 ecdsa sha224 L N
0x0401 rsa_pkcs1_sha256 rsa_pkcs1 sha256 L Y
0x0402 dsa_sha256 dsa sha256 L N
0x0403 ecdsa_secp256r1_sha256 ecdsa sha256 - Y
0x0501 rsa_pkcs1_sha384 rsa_pkcs1 sha384 L Y
0x0502 dsa_sha384 dsa sha384 L N
0x0503 ecdsa_secp384r1_sha384 ecdsa sha384 - Y
0x0601 rsa_pkcs1_sha512 rsa_pkcs1 sha512 L Y
0x0602 dsa_sha512 dsa sha512 L N
0x0603 ecdsa_secp521r1_sha512 ecdsa sha512 - Y
0x0708 sm2sig_sm3 sm2 sm3 - N
0x0709 gostr34102012_256a gost intrinsic - N
0x070A gostr34102012_256b gost intrinsic - N
0x070B gostr34102012_256c gost intrinsic - N
0x070C gostr34102012_256d gost intrinsic - N
0x070D gostr34102012_512a gost intrinsic - N
0x070E gostr34102012_512b gost intrinsic - N
0x070F gostr34102012_512c gost intrinsic - N
0x0804 rsa_pss_rsae_sha256 rsa_pss sha256 - Y
0x0805 rsa_pss_rsae_sha384 rsa_pss sha384 - Y
0x0806 rsa_pss_rsae_sha512 rsa_pss sha512 - Y
0x0807 ed25519 eddsa intrinsic - Y
0x0808 ed448 eddsa intrinsic - Y
0x0809 rsa_pss_pss_sha256 rsa_pss sha256 - Y
0x080A rsa_pss_pss_sha384 rsa_pss sha384 - Y
0x080B rsa_pss_pss_sha512 rsa_pss sha512 - Y
0x081A ecdsa_brainpoolP256r1tls13_sha256 ecdsa sha256 - N
0x081B ecdsa_brainpoolP384r1tls13_sha384 ecdsa sha384 - N
0x081C ecdsa_brainpoolP512r1tls13_sha512 ecdsa sha512 - N
0x0904 mldsa44 mldsa intrinsic - N
0x0905 mldsa65 mldsa intrinsic - N
0x0906 mldsa87 mldsa intrinsic - N
"""

# OpenSSL's "ALG+HASH" form names an algorithm family and a hash; these pick the scheme.
_OPENSSL_ALG = {"RSA": "rsa_pkcs1", "RSA-PSS": "rsa_pss_rsae", "PSS": "rsa_pss_rsae", "ECDSA": "ecdsa", "DSA": "dsa"}
_ECDSA_BY_HASH = {
    "sha256": "ecdsa_secp256r1_sha256",
    "sha384": "ecdsa_secp384r1_sha384",
    "sha512": "ecdsa_secp521r1_sha512",
}


@cache
def all_sigalgs() -> tuple[SignatureScheme, ...]:
    out = []
    for line in _ROWS.splitlines():
        code, name, algorithm, digest, legacy, recommended = line.split()
        out.append(SignatureScheme(name, int(code, 16), algorithm, digest, legacy == "L", recommended == "Y"))
    return tuple(out)


@cache
def _index() -> dict[str, SignatureScheme]:
    index: dict[str, SignatureScheme] = {}
    for scheme in all_sigalgs():
        index[scheme.iana_name.lower()] = scheme
        index[f"0x{scheme.code:04x}"] = scheme
        # Mbed TLS: MBEDTLS_TLS1_3_SIG_RSA_PSS_RSAE_SHA256; GnuTLS: SIGN-RSA-PSS-RSAE-SHA256 (approximately).
        index[f"mbedtls_tls1_3_sig_{scheme.iana_name.lower()}"] = scheme
    for alias, target in (
        ("ecdsa_secp256r1_sha256", "ecdsa_sha256"),
        ("ecdsa_secp384r1_sha384", "ecdsa_sha384"),
        ("ecdsa_secp521r1_sha512", "ecdsa_sha512"),
        ("ed25519", "eddsa_ed25519"),
        ("ed448", "eddsa_ed448"),
    ):
        index.setdefault(target, index[alias])
    return index


def lookup_sigalg(name: str) -> SignatureScheme | None:
    """The scheme for an RFC 8446 name, an OpenSSL "ALG+HASH" pair ("RSA+SHA256", "RSA-PSS+SHA256",
    "ECDSA+SHA384"), "ed25519", a GnuTLS "SIGN-..." name or a code point ("0x0804")."""
    text = name.strip()
    if "+" in text:
        alg, _, digest = text.partition("+")
        digest = digest.strip().lower().replace("-", "")
        family = _OPENSSL_ALG.get(alg.strip().upper())
        if family is None:
            return None
        target = _ECDSA_BY_HASH.get(digest, f"ecdsa_{digest}") if family == "ecdsa" else f"{family}_{digest}"
        return _index().get(target)
    key = text.lower()
    if key.startswith("sign-"):
        key = key[5:].replace("-", "_")
    return _index().get(key)


def normalise_sigalg(name: str) -> str | None:
    """The RFC 8446 name for an engine spelling of a signature scheme, or ``None`` if unknown."""
    scheme = lookup_sigalg(name)
    return scheme.iana_name if scheme else None
