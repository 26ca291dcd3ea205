"""Chains: who issued whom, bundle order, path building and verification.

Verification is ``cryptography.x509.verification`` (RFC 5280 path validation with the CA/Browser
Forum profile checks a modern client applies): :func:`verify` answers "would a TLS client (or a
server checking a client certificate) accept this leaf with these intermediates and these anchors at
this time", offline. The test suite compares its verdicts with ``openssl verify`` on a matrix of
generated chains (``tests/pki/test_chain_matrix.py``).
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from tlslint.records import Frozen

if TYPE_CHECKING:
    from cryptography import x509


class ChainResult(Frozen):
    """Whether a chain from a leaf to an anchor verifies, and why not."""

    __slots__ = ("ok", "error", "chain")

    ok: bool
    error: str | None  # one line, no key material
    chain: tuple[x509.Certificate, ...]  # leaf first, anchor last, when ok

    def __init__(self, ok: bool, error: str | None = None, chain: tuple[x509.Certificate, ...] = ()) -> None:
        object.__setattr__(self, "ok", ok)
        object.__setattr__(self, "error", error)
        object.__setattr__(self, "chain", chain)


def issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """``parent`` issued ``child``: names chain and ``parent``'s key verifies ``child``'s signature."""
    if child.issuer != parent.subject:
        return False
    return _issued_by(child, parent)


#: Certificates the caches below may keep alive. The same intermediate/root pairs recur in every chain file
#: of a tree, and they are few; a run's leaves are not kept (see tlslint.pki.load.CertEntry.release).
_CACHED = 1024


@functools.lru_cache(maxsize=_CACHED)
def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        child.verify_directly_issued_by(parent)
    except InvalidSignature:
        return False
    except Exception:
        # cryptography refuses some legacy algorithms (SHA-1, MD5) here; whether the parent signed the
        # child is still a fact worth knowing (the chain is then judged invalid by verify(), not
        # "issuer missing"), so check the signature directly.
        return _signature_verifies(child, parent)
    return True


def _signature_verifies(child: x509.Certificate, parent: x509.Certificate) -> bool:
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

    key = parent.public_key()
    try:
        algorithm = child.signature_hash_algorithm
        if isinstance(key, rsa.RSAPublicKey) and algorithm is not None:
            key.verify(child.signature, child.tbs_certificate_bytes, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm is not None:
            key.verify(child.signature, child.tbs_certificate_bytes, ec.ECDSA(algorithm))
        elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            key.verify(child.signature, child.tbs_certificate_bytes)
        else:
            return False
    except Exception:
        return False
    return True


#: Most certificates bearing a certificate's issuer name that are tried as its issuer. Real bundles and
#: stores hold a few per name (re-keyed and cross-signed CAs); a hostile bundle of hundreds of
#: same-named CAs would otherwise cost one signature check per pair (465 KB: four minutes).
MAX_ISSUER_CANDIDATES = 16


def find_issuer(
    child: x509.Certificate, candidates: Iterable[x509.Certificate], exclude: Sequence[x509.Certificate] = ()
) -> x509.Certificate | None:
    """The first of ``candidates`` that issued ``child``. Only certificates named as its issuer are
    considered, and among them only those whose key identifier fits its authority key identifier,
    one signature check per distinct key, at most :data:`MAX_ISSUER_CANDIDATES` of them."""
    wanted = _key_identifier(child, authority=True)
    tried: set[bytes] = set()
    examined = 0
    for parent in candidates:
        if parent.subject != child.issuer or parent in exclude:
            continue
        examined += 1
        if examined > MAX_ISSUER_CANDIDATES:
            return None
        have = _key_identifier(parent, authority=False)
        if wanted is not None and have is not None and wanted != have:
            continue
        key = _public_key_der(parent)
        if key in tried:
            continue  # the same key gives the same answer
        tried.add(key)
        if _issued_by(child, parent):
            return parent
    return None


@functools.lru_cache(maxsize=_CACHED)
def _key_identifier(cert: x509.Certificate, *, authority: bool) -> bytes | None:
    from cryptography import x509

    try:
        if authority:
            return cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
        return cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except Exception:  # absent or malformed: no narrowing
        return None


@functools.lru_cache(maxsize=_CACHED)
def _public_key_der(cert: x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives import serialization

    try:
        return cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except Exception:  # a key type cryptography cannot load: this certificate's key is its own
        return cert.tbs_certificate_bytes


def forget() -> None:
    """Drop the parsed certificates the caches hold (after a run's cross-file pass)."""
    for cached in (_issued_by, _key_identifier, _public_key_der):
        cached.cache_clear()


def out_of_order(certs: Sequence[x509.Certificate]) -> list[bool]:
    """For a chain file (leaf first, each next certificate issuing the one before): per certificate,
    whether it sits in the wrong place — it does not issue its predecessor although the predecessor's
    issuer is elsewhere in the file. The first certificate is never "out of order" itself.

    Certificates are indexed by subject once, so each one is compared with the few named as its
    issuer, never with the whole file."""
    by_subject: dict[x509.Name, list[int]] = {}
    for position, cert in enumerate(certs):
        by_subject.setdefault(cert.subject, []).append(position)
    flags = [False] * len(certs)
    for index in range(1, len(certs)):
        previous = certs[index - 1]
        if issued_by(previous, certs[index]):
            continue
        if previous.issuer == previous.subject:
            continue  # after a self-signed root nothing is expected
        others = (certs[j] for j in by_subject.get(previous.issuer, ()) if j not in (index - 1, index))
        flags[index] = find_issuer(previous, others) is not None
    return flags


def is_chain_file(certs: Sequence[x509.Certificate]) -> bool:
    """The file is a presented chain (the second certificate issued the first) rather than a set."""
    return len(certs) >= 2 and issued_by(certs[0], certs[1])


def build_path(
    leaf: x509.Certificate, pool: Sequence[x509.Certificate], max_depth: int = 8
) -> tuple[list[x509.Certificate], str | None]:
    """Walk issuers from ``leaf`` through ``pool`` to a self-signed certificate.

    Returns (path leaf-first, None) or (partial path, reason). Used to tell a missing intermediate
    ("issuer not found") from a chain that is complete but invalid (expired, wrong EKU, ...)."""
    lookup = getattr(pool, "candidates", None)  # an index by subject name, when the caller has one
    path = [leaf]
    current = leaf
    for _ in range(max_depth):
        if current.issuer == current.subject and issued_by(current, current):
            return path, None
        options = lookup(current.issuer.public_bytes()) if lookup is not None else pool
        issuer = find_issuer(current, options, exclude=path)
        if issuer is None:
            return path, f"issuer '{current.issuer.rfc4514_string()}' not found"
        path.append(issuer)
        current = issuer
    return path, "chain longer than the depth limit"


def verify(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    roots: Sequence[x509.Certificate],
    *,
    at: datetime.datetime,
    purpose: str = "server",
    hostname: str | None = None,
    max_depth: int | None = None,
) -> ChainResult:
    """Validate ``leaf`` for TLS ``purpose`` ("server" or "client") against ``roots`` at ``at``.

    For servers, ``hostname`` (a DNS name or IP address) is checked against the SAN; without one, the
    first DNS/IP SAN of the leaf is used, i.e. only the path is judged."""
    from cryptography import x509
    from cryptography.x509.verification import DNSName, IPAddress, PolicyBuilder, Store, VerificationError

    if not roots:
        return ChainResult(False, "no trust anchors")
    builder = PolicyBuilder().store(Store(list(roots))).time(at)
    if max_depth is not None:
        builder = builder.max_chain_depth(max_depth)
    try:
        if purpose == "client":
            verified = builder.build_client_verifier().verify(leaf, list(intermediates))
            return ChainResult(True, None, tuple(verified.chain))
        name = hostname or _any_name(leaf)
        if name is None:
            return ChainResult(False, "leaf has no subjectAltName DNS or IP entry")
        try:
            subject: DNSName | IPAddress = IPAddress(ipaddress.ip_address(name))
        except ValueError:
            subject = DNSName(name)
        chain = builder.build_server_verifier(subject).verify(leaf, list(intermediates))
        return ChainResult(True, None, tuple(chain))
    except VerificationError as error:
        return ChainResult(False, _one_line(str(error)))
    except (ValueError, x509.UnsupportedGeneralNameType) as error:
        return ChainResult(False, _one_line(str(error)))


def _any_name(leaf: x509.Certificate) -> str | None:
    from cryptography import x509

    try:
        san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None
    for name in san:
        if isinstance(name, x509.DNSName):
            # A wildcard SAN is checked with a name it covers (only the path is judged here).
            return "host" + name.value[1:] if name.value.startswith("*.") else name.value
        if isinstance(name, x509.IPAddress):
            return str(name.value)
    return None


def _one_line(text: str) -> str:
    # cryptography appends a repr of the certificate it was processing; the finding names it already.
    text = text.split(" (encountered processing")[0]
    return " ".join(text.split())[:200]
