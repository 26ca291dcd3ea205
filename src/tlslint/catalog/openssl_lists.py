"""The colon-separated lists OpenSSL parses by name — groups and signature algorithms — and the ones it
rejects, so that a source can say what the engine does then (nginx, httpd and HAProxy refuse to start,
curl fails every transfer, ``openssl.cnf`` loses the line).

A group list reaches ``SSL_CTX_set1_groups_list`` (nginx ``ssl_ecdh_curve``, the ``Groups``/``Curves``
commands, HAProxy ``curves``, curl ``--curves``); a signature algorithm list ``SSL_CTX_set1_sigalgs_list``
(the ``SignatureAlgorithms``/``ClientSignatureAlgorithms`` commands). OpenSSL 3.0 and 3.1 read both
alike: names separated by ``:``, spaces around a name ignored, every name known and spelled exactly,
nothing named twice (two spellings of one group or scheme count as twice), no empty name. Any other list
is rejected whole.

Only OpenSSL 3.0 and 3.1 are modelled, measured on 3.0.19: the tables below are the answers of
``openssl s_client -groups NAME`` and ``-sigalgs NAME`` for every spelling this catalogue knows, in
several cases (``tests/engines/test_openssl_lists.py`` asks them again, name by name and list by
list). Later versions compare names in any case and know more (OpenSSL 3.5: ML-KEM groups, a list
syntax of its own), so for them nothing is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from tlslint.records import Frozen

__all__ = ["ListError", "group_list_error", "sigalg_list_error"]


class ListError(Frozen):
    """Why an OpenSSL version rejects a list. ``every_version``: no OpenSSL version takes it (a name no
    version knows in any spelling); otherwise a later version might."""

    __slots__ = ("message", "every_version")

    message: str
    every_version: bool

    def __init__(self, message: str, every_version: bool) -> None:
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "every_version", every_version)

    def certain(self, openssl_assumed: bool) -> bool:
        """Whether the engine's OpenSSL surely rejects the list: no version takes it, or the version is
        the one the user gave (not assumed). Otherwise a later OpenSSL may take it: a warning, not an error."""
        return self.every_version or not openssl_assumed

    def assumed(self, setting: str, consequence: str, openssl_version: str) -> str:
        """This rejection in words when only the assumed version rejects it: what would follow with that
        version (``consequence``: "nginx refuses to start", ...)."""
        from tlslint.catalog.releases import NAME_YOURS

        return (
            f"{setting}: {self.message}; with OpenSSL {openssl_version}, the version assumed, {consequence} (a "
            f"later OpenSSL may take it: {NAME_YOURS.format(engine='openssl')})"
        )


#: Each group's names in an OpenSSL 3.0 group list (its TLS name, OpenSSL's curve name, the NIST alias),
#: by IANA name. A distribution may build OpenSSL with fewer curves (no binary ones), never with more.
_GROUPS_3_0 = """\
sect163k1: sect163k1 K-163
sect163r1: sect163r1
sect163r2: sect163r2 B-163
sect193r1: sect193r1
sect193r2: sect193r2
sect233k1: sect233k1 K-233
sect233r1: sect233r1 B-233
sect239k1: sect239k1
sect283k1: sect283k1 K-283
sect283r1: sect283r1 B-283
sect409k1: sect409k1 K-409
sect409r1: sect409r1 B-409
sect571k1: sect571k1 K-571
sect571r1: sect571r1 B-571
secp160k1: secp160k1
secp160r1: secp160r1
secp160r2: secp160r2
secp192k1: secp192k1
secp192r1: secp192r1 prime192v1 P-192
secp224k1: secp224k1
secp224r1: secp224r1 P-224
secp256k1: secp256k1
secp256r1: secp256r1 prime256v1 P-256
secp384r1: secp384r1 P-384
secp521r1: secp521r1 P-521
brainpoolP256r1: brainpoolP256r1
brainpoolP384r1: brainpoolP384r1
brainpoolP512r1: brainpoolP512r1
x25519: x25519 X25519
x448: x448 X448
ffdhe2048: ffdhe2048
ffdhe3072: ffdhe3072
ffdhe4096: ffdhe4096
ffdhe6144: ffdhe6144
ffdhe8192: ffdhe8192
"""

#: Each signature scheme's spellings in an OpenSSL 3.0 signature algorithm list, by IANA name: its
#: RFC 8446 name where OpenSSL takes it, and ``ALG+HASH`` with the digest's short or long name.
_SIGALGS_3_0 = """\
rsa_pkcs1_sha1: rsa_pkcs1_sha1 RSA+SHA1 RSA+sha1
rsa_pkcs1_sha224: rsa_pkcs1_sha224 RSA+SHA224 RSA+sha224
rsa_pkcs1_sha256: rsa_pkcs1_sha256 RSA+SHA256 RSA+sha256
rsa_pkcs1_sha384: rsa_pkcs1_sha384 RSA+SHA384 RSA+sha384
rsa_pkcs1_sha512: rsa_pkcs1_sha512 RSA+SHA512 RSA+sha512
rsa_pss_rsae_sha256: rsa_pss_rsae_sha256 RSA-PSS+SHA256 RSA-PSS+sha256 PSS+SHA256 PSS+sha256
rsa_pss_rsae_sha384: rsa_pss_rsae_sha384 RSA-PSS+SHA384 RSA-PSS+sha384 PSS+SHA384 PSS+sha384
rsa_pss_rsae_sha512: rsa_pss_rsae_sha512 RSA-PSS+SHA512 RSA-PSS+sha512 PSS+SHA512 PSS+sha512
rsa_pss_pss_sha256: rsa_pss_pss_sha256
rsa_pss_pss_sha384: rsa_pss_pss_sha384
rsa_pss_pss_sha512: rsa_pss_pss_sha512
ecdsa_sha1: ECDSA+SHA1 ECDSA+sha1
ecdsa_sha224: ECDSA+SHA224 ECDSA+sha224
ecdsa_secp256r1_sha256: ecdsa_secp256r1_sha256 ECDSA+SHA256 ECDSA+sha256
ecdsa_secp384r1_sha384: ecdsa_secp384r1_sha384 ECDSA+SHA384 ECDSA+sha384
ecdsa_secp521r1_sha512: ecdsa_secp521r1_sha512 ECDSA+SHA512 ECDSA+sha512
dsa_sha1: DSA+SHA1 DSA+sha1
dsa_sha224: DSA+SHA224 DSA+sha224
dsa_sha256: DSA+SHA256 DSA+sha256
dsa_sha384: DSA+SHA384 DSA+sha384
dsa_sha512: DSA+SHA512 DSA+sha512
ed25519: ed25519
ed448: ed448
"""


@cache
def _spellings(table: str) -> dict[str, str]:
    """Spelling -> what it names (an IANA name), from one of the tables above."""
    out: dict[str, str] = {}
    for line in table.splitlines():
        named, _, spellings = line.partition(":")
        out.update(dict.fromkeys(spellings.split(), named))
    return out


def openssl_3_0_group_names() -> frozenset[str]:
    """Every name OpenSSL 3.0 takes in a group list, spelled as it must be."""
    return frozenset(_spellings(_GROUPS_3_0))


def openssl_3_0_sigalg_names() -> frozenset[str]:
    """Every name OpenSSL 3.0 takes in a signature algorithm list, spelled as it must be."""
    return frozenset(_spellings(_SIGALGS_3_0))


def group_list_error(text: str, openssl_version: str) -> ListError | None:
    """Why OpenSSL ``openssl_version`` rejects ``text`` as a group list, or ``None`` when it takes it or
    when that version is not modelled (see the module docstring)."""
    from tlslint.catalog.groups import lookup_group

    return _list_error(text, openssl_version, "group", _GROUPS_3_0, lambda name: lookup_group(name) is not None)


def sigalg_list_error(text: str, openssl_version: str) -> ListError | None:
    """Why OpenSSL ``openssl_version`` rejects ``text`` as a signature algorithm list, or ``None`` when it
    takes it or when that version is not modelled (see the module docstring)."""
    from tlslint.catalog.sigalgs import lookup_sigalg

    return _list_error(
        text, openssl_version, "signature algorithm", _SIGALGS_3_0, lambda name: lookup_sigalg(name) is not None
    )


def _list_error(
    text: str, openssl_version: str, what: str, table: str, catalogued: Callable[[str], bool]
) -> ListError | None:
    from tlslint.catalog.openssl_ciphers import CipherStringError, version_family

    try:
        if version_family(openssl_version) != "3.0":
            return None
    except CipherStringError:
        return None
    spellings = _spellings(table)
    seen: dict[str, str] = {}  # what is named -> the spelling that named it first
    for element in text.split(":"):
        name = element.strip(" \t\r\n\f\v")
        if not name:
            return ListError(f"{what} list {text!r} has an empty name", False)
        named = spellings.get(name)
        if named is None:
            if not catalogued(name) and "+" not in name and name[0] not in "?-*" and "/" not in name:
                # Known to no version in any spelling (OpenSSL 3.5 reads "?", "-", "*" and "/" in a list).
                return ListError(f"OpenSSL knows no {what} {name!r}", True)
            exact = sorted(n for n in spellings if n.lower() == name.lower())
            spelled = f" (it compares names exactly: {' or '.join(map(repr, exact))})" if exact else ""
            return ListError(f"OpenSSL {openssl_version} knows no {what} {name!r}{spelled}", False)
        if named in seen:
            return ListError(f"{what} list {text!r} names {named} twice ({seen[named]!r}, {name!r})", False)
        seen[named] = name
    return None
