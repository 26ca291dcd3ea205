"""Turn loaded certificates, keys and trust stores into :class:`~tlslint.model.subject.Subject` facts.

Every field is a :class:`~tlslint.model.located.Located` value pointing at the certificate's file
and, in a PEM bundle, the line of its ``-----BEGIN`` marker. Time-dependent facts are relative to an
``at`` date the caller passes (the CLI's ``--at``): nothing here reads the clock, so the same input
and date always give the same facts.

Cross-file facts (the same key in two certificates, a key next to the wrong certificate, chains that
need an intermediate from another file) are set afterwards by :mod:`tlslint.pki.scan`.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

from tlslint.errors import InputError
from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.pki.catalog import PUBLIC_ROOT_CNS, SYSTEM_BUNDLE_PUBLIC_ROOTS, SYSTEM_BUNDLE_SIZE, test_pki_match
from tlslint.pki.detect import certificate_parts
from tlslint.pki.keys import KeyFacts, certificate_key_facts, key_facts, remember

if TYPE_CHECKING:
    from cryptography import x509

    from tlslint.pki.load import CertEntry, KeyEntry

LEAF_ROLES = ("server-leaf", "client-leaf", "leaf")
CA_ROLES = ("intermediate", "root")

_KU_NAMES = (
    ("digital_signature", "digitalSignature"),
    ("content_commitment", "nonRepudiation"),
    ("key_encipherment", "keyEncipherment"),
    ("data_encipherment", "dataEncipherment"),
    ("key_agreement", "keyAgreement"),
    ("key_cert_sign", "keyCertSign"),
    ("crl_sign", "cRLSign"),
)
_EKU_NAMES = {
    "1.3.6.1.5.5.7.3.1": "serverAuth",
    "1.3.6.1.5.5.7.3.2": "clientAuth",
    "1.3.6.1.5.5.7.3.3": "codeSigning",
    "1.3.6.1.5.5.7.3.4": "emailProtection",
    "1.3.6.1.5.5.7.3.8": "timeStamping",
    "1.3.6.1.5.5.7.3.9": "OCSPSigning",
    "2.5.29.37.0": "anyExtendedKeyUsage",
}


def at_instant(at: datetime.date | datetime.datetime) -> datetime.datetime:
    """The instant certificates are judged at: a date means 00:00 UTC of that day."""
    if isinstance(at, datetime.datetime):
        return at if at.tzinfo else at.replace(tzinfo=datetime.UTC)
    return datetime.datetime.combine(at, datetime.time(), datetime.UTC)


class CertInfo(NamedTuple):
    """What :func:`describe` learnt about one certificate, before it becomes fields.

    Everything the per-certificate fields need is copied out of the parsed certificate here, once, so
    that the parsed object can be dropped afterwards (see :meth:`tlslint.pki.load.CertEntry.release`).
    A named tuple, built once and never changed: a run that reads one certificate defines this class
    (a slotted dataclass of 27 fields costs ~1 ms to define), and it pickles as a tuple when described
    certificates travel from ``--jobs`` workers."""

    entry: CertEntry
    fingerprint: str
    key: KeyFacts
    subject_dn: str
    issuer_dn: str
    cn: str | None
    self_signed: bool
    ca: bool | None  # basicConstraints cA; None when the extension is absent
    path_length: int | None
    key_usage: list[str] | None
    eku: list[str] | None
    dns: list[str]
    ips: list[str]
    san_present: bool
    ski: bytes | None
    aki: bytes | None
    revocation: list[str]
    must_staple: bool
    version: int  # the encoded X.509 version: 0 for v1, 2 for v3
    organization: str | None  # first subject organizationName
    issuer_cn: str | None  # first issuer commonName
    not_before: datetime.datetime
    not_after: datetime.datetime
    signature_name: str
    signature_hash: str
    serial: int
    test_pki: str | None  # the well-known test PKI the names match (tlslint.pki.catalog)

    @property
    def ca_like(self) -> bool:
        """A CA by its extensions: cA=TRUE and (no keyUsage, or keyUsage allows certificate signing).

        A cA=TRUE certificate whose keyUsage forbids keyCertSign cannot issue anything (RFC 5280
        4.2.1.3): it is an end-entity certificate with a wrong basicConstraints — "a leaf with CA:TRUE"."""
        if self.ca:
            return self.key_usage is None or "keyCertSign" in self.key_usage
        # X.509 v1 self-signed certificates have no extensions; they are (old) roots.
        return self.version == 0 and self.self_signed


def describe(entry: CertEntry) -> CertInfo:
    """Read the facts of a certificate. Raises :class:`InputError` for undecodable parts."""
    try:
        return _describe(entry)
    except InputError:
        raise
    except Exception as error:  # lazily parsed names or extensions that turn out damaged
        raise InputError(entry.location, f"certificate does not parse: {str(error).splitlines()[0][:120]}") from None


@functools.cache
def _oids() -> SimpleNamespace:
    """The object identifiers :func:`_describe` compares against, as dotted strings, looked up once."""
    from cryptography import x509
    from cryptography.x509.oid import ExtensionOID, NameOID

    return SimpleNamespace(
        x509=x509,
        cn=NameOID.COMMON_NAME,
        o=NameOID.ORGANIZATION_NAME,
        basic_constraints=ExtensionOID.BASIC_CONSTRAINTS.dotted_string,
        key_usage=ExtensionOID.KEY_USAGE.dotted_string,
        eku=ExtensionOID.EXTENDED_KEY_USAGE.dotted_string,
        san=ExtensionOID.SUBJECT_ALTERNATIVE_NAME.dotted_string,
        ski=ExtensionOID.SUBJECT_KEY_IDENTIFIER.dotted_string,
        aki=ExtensionOID.AUTHORITY_KEY_IDENTIFIER.dotted_string,
        aia=ExtensionOID.AUTHORITY_INFORMATION_ACCESS.dotted_string,
        crl=ExtensionOID.CRL_DISTRIBUTION_POINTS.dotted_string,
        tls_feature=ExtensionOID.TLS_FEATURE.dotted_string,
    )


def _describe(entry: CertEntry) -> CertInfo:
    oids = _oids()
    cert = entry.cert
    try:
        extensions = {ext.oid.dotted_string: ext.value for ext in cert.extensions}
    except Exception as error:
        raise InputError(entry.location, f"certificate extensions do not parse: {str(error)[:120]}") from None
    parts = certificate_parts(entry.der)
    encoded_issuer, encoded_key = parts if parts is not None else (None, None)
    subject = cert.subject
    issuer, issuer_dn, issuer_cn = _issuer(cert, encoded_issuer)
    subject_dn = subject.rfc4514_string()
    cn = _first(subject, oids.cn)
    self_signed = issuer == subject and _signs_itself(cert)
    bc = extensions.get(oids.basic_constraints)
    ku = extensions.get(oids.key_usage)
    eku = extensions.get(oids.eku)
    san = extensions.get(oids.san)
    signature_name, signature_hash = _signature(cert)
    fingerprint = hashlib.sha256(entry.der).hexdigest()
    key = certificate_key_facts(cert, encoded_key)
    key_usage = [name for attr, name in _KU_NAMES if getattr(ku, attr)] if ku is not None else None
    ekus = [_EKU_NAMES.get(oid.dotted_string, oid.dotted_string) for oid in eku] if eku is not None else None
    version = cert.version.value
    organization = _first(subject, oids.o)
    not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    serial = cert.serial_number
    dns: list[str] = []
    ips: list[str] = []
    if san is not None:
        dns = [str(name) for name in san.get_values_for_type(oids.x509.DNSName)]
        ips = [str(ip) for ip in san.get_values_for_type(oids.x509.IPAddress)]
    ski = extensions.get(oids.ski)
    aki = extensions.get(oids.aki)
    aia = extensions.get(oids.aia)
    revocation = []
    if aia is not None and any(d.access_method.dotted_string == "1.3.6.1.5.5.7.48.1" for d in aia):
        revocation.append("ocsp")
    if oids.crl in extensions:
        revocation.append("crl")
    return CertInfo(
        entry=entry,
        fingerprint=fingerprint,
        key=key,
        subject_dn=subject_dn,
        issuer_dn=issuer_dn,
        cn=cn,
        self_signed=self_signed,
        ca=bc.ca if bc is not None else None,
        path_length=bc.path_length if bc is not None else None,
        key_usage=key_usage,
        eku=ekus,
        dns=dns,
        ips=ips,
        san_present=san is not None,
        ski=ski.digest if ski is not None else None,
        aki=aki.key_identifier if aki is not None else None,
        revocation=revocation,
        must_staple=oids.tls_feature in extensions,
        version=version,
        organization=organization,
        issuer_cn=issuer_cn,
        not_before=not_before,
        not_after=not_after,
        signature_name=signature_name,
        signature_hash=signature_hash,
        serial=serial,
        test_pki=test_pki_match(subject_dn, issuer_dn, dns),
    )


#: Issuer names decoded this run, by their encoding in the certificate (see
#: :func:`~tlslint.pki.detect.certificate_parts`): (the decoded ``Name``, its RFC 4514 text, its first CN).
#: The certificates of one CA name it with the same bytes; decoding the name and writing its text took
#: ~10 us of each. Identical bytes decode to an equal name. Bounded (:func:`~tlslint.pki.keys.remember`).
_ISSUERS: dict[bytes, tuple[x509.Name, str, str | None]] = {}


def _issuer(cert: x509.Certificate, encoded: bytes | None) -> tuple[x509.Name, str, str | None]:
    """(issuer name, its RFC 4514 text, its first commonName) of ``cert``, whose issuer is ``encoded``."""
    known = _ISSUERS.get(encoded) if encoded is not None else None
    if known is None:
        issuer = cert.issuer
        known = (issuer, issuer.rfc4514_string(), _first(issuer, _oids().cn))
        if encoded is not None:
            remember(_ISSUERS, encoded, known)
    return known


def issuer_decoded_before(encoded: bytes | None) -> bool:
    """Whether an issuer name encoded as ``encoded`` was decoded without error this run."""
    return encoded is not None and encoded in _ISSUERS


def _signs_itself(cert: x509.Certificate) -> bool:
    # issued_by also checks legacy (SHA-1/MD5) self-signatures that cryptography's helper refuses. Imported
    # here: a run whose certificates all name another issuer (one leaf in a pre-commit hook) needs no chains.
    from tlslint.pki.chain import issued_by

    return issued_by(cert, cert)


def role_of(info: CertInfo, *, hint: str | None = None) -> tuple[str, str]:
    """(role, source). ``hint`` is what usage says ("leaf" from a key stored with it or the first
    place in a chain file; "anchor" from a trust store); otherwise the extensions decide."""
    if hint == "leaf":
        return _leaf_kind(info), "usage"
    if hint == "anchor":
        if info.ca_like or info.self_signed:
            return ("root" if info.self_signed else "intermediate"), "usage"
        return _leaf_kind(info), "extensions"
    if hint in LEAF_ROLES or hint in CA_ROLES:
        return hint, "usage"
    if info.ca_like:
        return ("root" if info.self_signed else "intermediate"), "extensions"
    return _leaf_kind(info), "extensions"


def _leaf_kind(info: CertInfo) -> str:
    eku = info.eku or []
    server, client = "serverAuth" in eku, "clientAuth" in eku
    if server and not client:
        return "server-leaf"
    if client and not server:
        return "client-leaf"
    return "leaf"


def usage_mismatch(info: CertInfo, role: str) -> list[str]:
    """keyUsage / extendedKeyUsage / basicConstraints that contradict the role (RFC 5280 4.2.1)."""
    problems = []
    ku = info.key_usage
    if role in LEAF_ROLES:
        if info.ca:
            problems.append("basicConstraints cA=TRUE on an end-entity certificate")
        if ku is not None and ("keyCertSign" in ku or "cRLSign" in ku):
            problems.append("keyUsage allows certificate or CRL signing on an end-entity certificate")
        eku = info.eku
        if eku is not None and "anyExtendedKeyUsage" not in eku:
            if role == "server-leaf" and "serverAuth" not in eku:
                problems.append("extendedKeyUsage lacks serverAuth for a TLS server certificate")
            if role == "client-leaf" and "clientAuth" not in eku:
                problems.append("extendedKeyUsage lacks clientAuth for a TLS client certificate")
        if ku is not None and info.key.type == "EC" and "keyEncipherment" in ku:
            problems.append("keyUsage keyEncipherment on an EC key (RFC 8813)")
        if (
            ku is not None
            and role in ("server-leaf", "client-leaf", "leaf")
            and not ({"digitalSignature", "keyEncipherment", "keyAgreement"} & set(ku))
        ):
            problems.append("keyUsage allows neither digitalSignature nor key establishment")
    else:
        if info.ca is None and info.version == 2:
            problems.append("CA certificate without basicConstraints")
        elif info.ca is False:
            problems.append("basicConstraints cA=FALSE on a CA certificate")
        if ku is not None and "keyCertSign" not in ku:
            problems.append("keyUsage lacks keyCertSign on a CA certificate")
    return problems


def _signature(cert: x509.Certificate) -> tuple[str, str]:
    oid = cert.signature_algorithm_oid
    name = getattr(oid, "_name", None) or oid.dotted_string
    try:
        algorithm = cert.signature_hash_algorithm
    except Exception:
        return name, "unknown"
    return name, ("intrinsic" if algorithm is None else algorithm.name)


_DAY = datetime.timedelta(days=1)


def certificate_subject(
    info: CertInfo,
    at: datetime.date | datetime.datetime,
    *,
    role_hint: str | None = None,
    in_store: bool = False,
    bundle_size: int = 1,
    out_of_order: bool | None = None,
) -> Subject:
    """The ``certificate`` subject of one certificate, judged at ``at``."""
    entry = info.entry
    where = entry.location
    role, role_source = role_of(info, hint=role_hint)
    instant = at_instant(at)
    not_before, not_after = info.not_before, info.not_after
    serial = info.serial
    test_match = info.test_pki
    values: dict[str, Any] = {
        "cert.role": role,
        "role": role,
        "cert.role_source": role_source,
        "cert.encoding": entry.encoding,
        "cert.subject.cn": info.cn,
        "cert.subject.o": info.organization,
        "cert.issuer.cn": info.issuer_cn,
        "cert.fingerprint_sha256": info.fingerprint,
        "cert.spki_sha256": info.key.spki_sha256,
        "cert.key.type": info.key.type,
        "cert.key.bits": info.key.bits,
        "cert.key.curve": info.key.curve,
        "cert.key.rsa_exponent": info.key.rsa_exponent,
        "cert.key.weak": info.key.weak_reason is not None,
        "cert.key.weak_reason": info.key.weak_reason,
        "cert.signature_algorithm": info.signature_name,
        "cert.signature_hash": info.signature_hash,
        "cert.version": info.version + 1,
        "cert.not_before": not_before.isoformat(),
        "cert.not_after": not_after.isoformat(),
        "cert.expired": not_after < instant,
        "cert.not_yet_valid": not_before > instant,
        "cert.days_until_expiry": (not_after - instant) // _DAY,
        "cert.lifetime_days": (not_after - not_before) // _DAY,
        "cert.self_signed": info.self_signed,
        "cert.san.present": info.san_present,
        "cert.san.dns": info.dns,
        "cert.san.ip": info.ips,
        "cert.cn_only": role in LEAF_ROLES and info.cn is not None and not info.dns and not info.ips,
        "cert.wildcard": any("*" in name for name in [*info.dns, info.cn or ""]),
        "cert.basic_constraints.present": info.ca is not None,
        "cert.basic_constraints.ca": bool(info.ca),
        "cert.basic_constraints.path_length": info.path_length,
        "cert.key_usage.present": info.key_usage is not None,
        "cert.key_usage": info.key_usage or [],
        "cert.extended_key_usage.present": info.eku is not None,
        "cert.extended_key_usage": info.eku or [],
        "cert.usage_mismatch": usage_mismatch(info, role),
        "cert.serial_bits": serial.bit_length(),
        "cert.serial_positive": serial > 0,
        "cert.ski": info.ski is not None,
        "cert.aki": info.aki is not None,
        "cert.revocation_pointers": info.revocation,
        "cert.must_staple": info.must_staple,
        "cert.test_pki": test_match is not None,
        "cert.test_pki.match": test_match,
        "cert.in_trust_store": in_store,
        "bundle.index": entry.index,
        "bundle.size": bundle_size,
        "bundle.out_of_order": out_of_order,
    }
    subject = Subject(
        kind="certificate",
        id=info.fingerprint,
        location=where,
        engine=entry.encoding,
        label=info.cn or f"{os.path.basename(entry.path)}#{entry.index}",
    )
    subject.fields = located_fields(values, where)
    return subject


def located_fields(values: dict[str, Any], where: Location) -> dict[str, Located[Any]]:
    """``values`` as explicit fields at ``where``, leaving out None. A certificate has ~20 yes/no facts:
    they share one (frozen) :class:`Located` per answer rather than one each — a third fewer objects to
    build and keep per certificate. Other values get their own."""
    fields: dict[str, Located[Any]] = {}
    yes = no = None
    explicit = Origin.EXPLICIT
    for path, value in values.items():
        if value is None:
            continue
        if value is True:
            if yes is None:
                yes = Located(True, explicit, where)
            fields[path] = yes
        elif value is False:
            if no is None:
                no = Located(False, explicit, where)
            fields[path] = no
        else:
            fields[path] = Located(value, explicit, where)
    return fields


def set_role(subject: Subject, info: CertInfo, role: str, source: str = "usage") -> None:
    """Re-assign a certificate's role once its use is known (e.g. a config names it as server identity)."""
    where = subject.location
    subject.set("cert.role", Located(role, Origin.EXPLICIT, where))
    subject.set("role", Located(role, Origin.EXPLICIT, where))
    subject.set("cert.role_source", Located(source, Origin.EXPLICIT, where))
    subject.set("cert.usage_mismatch", Located(usage_mismatch(info, role), Origin.EXPLICIT, where))
    leaf = role in LEAF_ROLES
    subject.set(
        "cert.cn_only", Located(leaf and info.cn is not None and not info.dns and not info.ips, Origin.EXPLICIT, where)
    )


def _first(name: x509.Name, oid: Any) -> str | None:
    """The first value of attribute ``oid`` in ``name``, as text."""
    for attribute in name:
        if attribute.oid == oid:
            return str(attribute.value)
    return None


def key_subject(entry: KeyEntry, *, file_mode: int | None, matches_certificate: bool | None = None) -> Subject:
    """The ``key`` subject of one private key (facts of its public half; never key material)."""
    where = entry.location
    facts = key_facts(entry.public_key) if entry.public_key is not None else None
    values: dict[str, Any] = {
        "key.type": facts.type if facts else entry.type_hint,
        "key.bits": facts.bits if facts else None,
        "key.curve": facts.curve if facts else None,
        "key.format": entry.format,
        "key.encrypted": entry.encrypted,
        "key.encryption": entry.encryption,
        "key.spki_sha256": facts.spki_sha256 if facts else None,
        "key.matches_certificate": matches_certificate,
        "key.weak": (facts.weak_reason is not None) if facts else None,
        "key.weak_reason": facts.weak_reason if facts else None,
    }
    if file_mode is not None:
        values["key.file_mode"] = f"{file_mode:04o}"
        values["key.file_mode_too_open"] = bool(file_mode & 0o077)
    anchor = f"spki:{facts.spki_sha256}" if facts else f"key:{entry.path}#{entry.index}"
    subject = Subject(
        kind="key",
        id=anchor,
        location=where,
        engine=entry.format,
        label=f"{os.path.basename(entry.path)}" + (f"#{entry.index}" if entry.index else ""),
    )
    subject.fields = located_fields(values, where)
    return subject


def trust_store_subject(path: str, infos: list[CertInfo], at: datetime.date | datetime.datetime) -> Subject:
    """The ``trust_store`` subject of a file of trust anchors."""
    instant = at_instant(at)
    where = Location(path, infos[0].entry.line if infos else None)
    expired: list[str] = []
    non_ca: list[str] = []
    not_self_signed: list[str] = []
    weak: list[str] = []
    places: dict[str, Location] = {}  # member label -> its place, so findings point into the bundle
    public = 0
    seen: set[str] = set()
    duplicates = 0
    for info in infos:
        label = _store_label(info)
        places[label] = info.entry.location
        if info.fingerprint in seen:
            duplicates += 1
        seen.add(info.fingerprint)
        if info.not_after is not None and info.not_after < instant:
            expired.append(label)
        if not info.ca_like:
            non_ca.append(label)
        elif not info.self_signed:
            not_self_signed.append(label)
        if (info.key.type == "RSA" and (info.key.bits or 0) < 2048) or (
            info.signature_hash in ("md5", "sha1") and not info.self_signed
        ):
            weak.append(label)
        if info.cn is not None and info.cn.lower() in PUBLIC_ROOT_CNS:
            public += 1
    values: dict[str, Any] = {
        "store.size": len(infos),
        "store.expired_roots": expired,
        "store.non_ca_certificates": non_ca,
        "store.not_self_signed": not_self_signed,
        "store.weak_roots": weak,
        "store.public_roots": public,
        "store.includes_system_roots": public >= SYSTEM_BUNDLE_PUBLIC_ROOTS or len(infos) >= SYSTEM_BUNDLE_SIZE,
        "store.duplicates": duplicates,
    }
    subject = Subject(
        kind="trust_store", id=f"store:{path}", location=where, engine="pem", label=os.path.basename(path)
    )
    for name, value in values.items():
        items = tuple(places.get(label) for label in value) if isinstance(value, list) else ()
        subject.fields[name] = Located(value, Origin.EXPLICIT, where, items=items)
    return subject


def _store_label(info: CertInfo) -> str:
    """A store member's name in messages: its CN and where it is."""
    line = f":{info.entry.line}" if info.entry.line else f"#{info.entry.index}"
    return f"{info.cn or info.subject_dn or 'unnamed'} ({os.path.basename(info.entry.path)}{line})"
