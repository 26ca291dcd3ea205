"""TLS supported groups (IANA registry), including the hybrid ML-KEM groups, and their engine spellings."""

from __future__ import annotations

from functools import cache

from tlslint.records import Frozen

__all__ = ["Group", "GroupListError", "all_groups", "lookup_group", "normalise_group", "openssl_group_list_error"]


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


# --- OpenSSL's group lists ---------------------------------------------------------------------------

#: The names upstream OpenSSL 3.0 and 3.1 take in a group list (``SSL_CTX_set1_groups_list``: nginx
#: ``ssl_ecdh_curve``, the ``Groups`` and ``Curves`` commands), spelled exactly as it compares them
#: (``strcmp``): each group's TLS name, OpenSSL's own curve name and the NIST alias. Read off
#: ``openssl s_client -groups NAME`` of OpenSSL 3.0.19 built with every curve, for every spelling this
#: catalogue knows in three cases (``tests/engines/test_openssl_groups.py`` asks it again). A distribution
#: may build OpenSSL with fewer curves (no binary ones), never with more.
OPENSSL_3_0_GROUP_NAMES = frozenset(
    [
        "B-163",
        "B-233",
        "B-283",
        "B-409",
        "B-571",
        "K-163",
        "K-233",
        "K-283",
        "K-409",
        "K-571",
        "P-192",
        "P-224",
        "P-256",
        "P-384",
        "P-521",
        "X25519",
        "X448",
        "x25519",
        "x448",
        "brainpoolP256r1",
        "brainpoolP384r1",
        "brainpoolP512r1",
        "ffdhe2048",
        "ffdhe3072",
        "ffdhe4096",
        "ffdhe6144",
        "ffdhe8192",
        "prime192v1",
        "prime256v1",
        "secp160k1",
        "secp160r1",
        "secp160r2",
        "secp192k1",
        "secp192r1",
        "secp224k1",
        "secp224r1",
        "secp256k1",
        "secp256r1",
        "secp384r1",
        "secp521r1",
        "sect163k1",
        "sect163r1",
        "sect163r2",
        "sect193r1",
        "sect193r2",
        "sect233k1",
        "sect233r1",
        "sect239k1",
        "sect283k1",
        "sect283r1",
        "sect409k1",
        "sect409r1",
        "sect571k1",
        "sect571r1",
    ]
)


class GroupListError(Frozen):
    """Why an OpenSSL version rejects a group list. ``every_version``: no OpenSSL version takes it (a name
    no version knows in any spelling); otherwise a later version might (later versions compare names
    in any case, 3.5 adds the ML-KEM groups and a syntax of its own)."""

    __slots__ = ("message", "every_version")

    message: str
    every_version: bool

    def __init__(self, message: str, every_version: bool) -> None:
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "every_version", every_version)


def openssl_group_list_error(text: str, openssl_version: str) -> GroupListError | None:
    """Why OpenSSL ``openssl_version`` rejects ``text`` as a group list, or ``None`` when it takes it or
    when its names are not modelled: only OpenSSL 3.0 and 3.1 are (measured on 3.0.19). As that version
    reads a list: names separated by ``:``, spaces around a name ignored, every name known, spelled
    exactly, no group named twice (``P-256:prime256v1`` is one group twice)."""
    from tlslint.catalog.openssl_ciphers import CipherStringError, version_family

    try:
        if version_family(openssl_version) != "3.0":
            return None
    except CipherStringError:
        return None
    seen: dict[int, str] = {}
    for element in text.split(":"):
        name = element.strip(" \t\r\n\f\v")
        if not name:
            return GroupListError(f"group list {text!r} has an empty name", False)
        group = lookup_group(name)
        if name not in OPENSSL_3_0_GROUP_NAMES:
            if group is None:
                # OpenSSL 3.5 reads more into a list: DEFAULT, "?" (skip if unknown), "-" (remove), "*"
                # (key share), "/" (between groups of equal preference); such a list is only 3.0's error.
                later_syntax = name == "DEFAULT" or name[0] in "?-*" or "/" in name
                who = f"OpenSSL {openssl_version}" if later_syntax else "OpenSSL"
                return GroupListError(f"{who} knows no group {name!r}", not later_syntax)
            known = [n for n in OPENSSL_3_0_GROUP_NAMES if n.lower() == name.lower()]
            spelled = f" (it compares names exactly: {' or '.join(map(repr, sorted(known)))})" if known else ""
            return GroupListError(f"OpenSSL {openssl_version} knows no group {name!r}{spelled}", False)
        assert group is not None  # every name OpenSSL 3.0 knows is in the catalogue
        if group.code in seen:
            return GroupListError(
                f"group list {text!r} names {group.iana_name} twice ({seen[group.code]!r}, {name!r})", False
            )
        seen[group.code] = name
    return None
