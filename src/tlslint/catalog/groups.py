"""TLS supported groups (IANA registry), including the hybrid ML-KEM groups, and their engine spellings."""

from __future__ import annotations

from functools import cache

from tlslint.records import Frozen

__all__ = ["Group", "all_groups", "lookup_group", "normalise_group"]


class Group(Frozen):
    """A supported group of the IANA registry (ECDHE curve, finite field, hybrid or post-quantum KEM)."""

    __slots__ = ("iana_name", "code", "kind", "security_bits", "aliases", "recommended", "discouraged")

    iana_name: str
    code: int
    kind: str  # "ecdhe", "ffdhe", "hybrid", "pq"
    security_bits: int
    aliases: tuple[str, ...]
    recommended: bool  # IANA "Recommended" column == "Y"
    discouraged: bool  # IANA "D" (RFC 8447bis): must not be used

    def __init__(
        self,
        iana_name: str,
        code: int,
        kind: str,
        security_bits: int,
        aliases: tuple[str, ...],
        recommended: bool,
        discouraged: bool = False,
    ) -> None:
        object.__setattr__(self, "iana_name", iana_name)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "security_bits", security_bits)
        object.__setattr__(self, "aliases", aliases)
        object.__setattr__(self, "recommended", recommended)
        object.__setattr__(self, "discouraged", discouraged)


# code, IANA name, kind, security bits, recommended (Y/N/D), other spellings (OpenSSL, NIST, Mbed TLS, GnuTLS, .NET ...)
_ROWS = """\
1 sect163k1 ecdhe 80 D K-163
2 sect163r1 ecdhe 80 D
3 sect163r2 ecdhe 80 D B-163
4 sect193r1 ecdhe 96 D
5 sect193r2 ecdhe 96 D
6 sect233k1 ecdhe 112 D K-233
7 sect233r1 ecdhe 112 D B-233
8 sect239k1 ecdhe 112 D
9 sect283k1 ecdhe 128 N K-283
10 sect283r1 ecdhe 128 N B-283
11 sect409k1 ecdhe 192 N K-409
12 sect409r1 ecdhe 192 N B-409
13 sect571k1 ecdhe 256 N K-571
14 sect571r1 ecdhe 256 N B-571
15 secp160k1 ecdhe 80 D
16 secp160r1 ecdhe 80 D
17 secp160r2 ecdhe 80 D
18 secp192k1 ecdhe 96 D
19 secp192r1 ecdhe 96 D P-192,prime192v1
20 secp224k1 ecdhe 112 D
21 secp224r1 ecdhe 112 D P-224
22 secp256k1 ecdhe 128 N
23 secp256r1 ecdhe 128 Y P-256,prime256v1,SECP256R1,MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1,NistP256,GROUP-SECP256R1
24 secp384r1 ecdhe 192 Y P-384,prime384v1,MBEDTLS_SSL_IANA_TLS_GROUP_SECP384R1,NistP384,GROUP-SECP384R1
25 secp521r1 ecdhe 256 N P-521,MBEDTLS_SSL_IANA_TLS_GROUP_SECP521R1,NistP521,GROUP-SECP521R1
26 brainpoolP256r1 ecdhe 128 N MBEDTLS_SSL_IANA_TLS_GROUP_BP256R1
27 brainpoolP384r1 ecdhe 192 N MBEDTLS_SSL_IANA_TLS_GROUP_BP384R1
28 brainpoolP512r1 ecdhe 256 N MBEDTLS_SSL_IANA_TLS_GROUP_BP512R1
29 x25519 ecdhe 128 Y X25519,curve25519,MBEDTLS_SSL_IANA_TLS_GROUP_X25519,GROUP-X25519
30 x448 ecdhe 224 Y X448,curve448,MBEDTLS_SSL_IANA_TLS_GROUP_X448,GROUP-X448
31 brainpoolP256r1tls13 ecdhe 128 N
32 brainpoolP384r1tls13 ecdhe 192 N
33 brainpoolP512r1tls13 ecdhe 256 N
34 GC256A ecdhe 128 N
35 GC256B ecdhe 128 N
36 GC256C ecdhe 128 N
37 GC256D ecdhe 128 N
38 GC512A ecdhe 256 N
39 GC512B ecdhe 256 N
40 GC512C ecdhe 256 N
41 curveSM2 ecdhe 128 N SM2
256 ffdhe2048 ffdhe 103 N MBEDTLS_SSL_IANA_TLS_GROUP_FFDHE2048,GROUP-FFDHE2048
257 ffdhe3072 ffdhe 125 N MBEDTLS_SSL_IANA_TLS_GROUP_FFDHE3072,GROUP-FFDHE3072
258 ffdhe4096 ffdhe 150 N MBEDTLS_SSL_IANA_TLS_GROUP_FFDHE4096,GROUP-FFDHE4096
259 ffdhe6144 ffdhe 175 N MBEDTLS_SSL_IANA_TLS_GROUP_FFDHE6144,GROUP-FFDHE6144
260 ffdhe8192 ffdhe 192 N MBEDTLS_SSL_IANA_TLS_GROUP_FFDHE8192,GROUP-FFDHE8192
512 MLKEM512 pq 128 N ML-KEM-512
513 MLKEM768 pq 192 N ML-KEM-768
514 MLKEM1024 pq 256 N ML-KEM-1024
4587 SecP256r1MLKEM768 hybrid 192 N P256MLKEM768,GROUP-SECP256R1-MLKEM768
4588 X25519MLKEM768 hybrid 192 N GROUP-X25519-MLKEM768
4589 SecP384r1MLKEM1024 hybrid 256 N P384MLKEM1024,GROUP-SECP384R1-MLKEM1024
25497 X25519Kyber768Draft00 hybrid 192 N X25519Kyber768
25498 SecP256r1Kyber768Draft00 hybrid 192 N P256Kyber768
"""


@cache
def all_groups() -> tuple[Group, ...]:
    out = []
    for line in _ROWS.splitlines():
        code, name, kind, bits, flag, *rest = line.split()
        aliases = tuple(rest[0].split(",")) if rest else ()
        out.append(Group(name, int(code), kind, int(bits), aliases, flag == "Y", flag == "D"))
    return tuple(out)


@cache
def _index() -> dict[str, Group]:
    index: dict[str, Group] = {}
    for group in all_groups():
        for name in (group.iana_name, *group.aliases, str(group.code), f"0x{group.code:04x}"):
            index.setdefault(name.lower(), group)
    return index


def lookup_group(name: str) -> Group | None:
    """The group for any engine spelling ("P-256", "prime256v1", "X25519MLKEM768", "ffdhe2048", 0x001d ...)."""
    return _index().get(name.strip().lower())


def normalise_group(name: str) -> str | None:
    """The IANA name for an engine spelling of a group, or ``None`` if unknown."""
    group = lookup_group(name)
    return group.iana_name if group else None
