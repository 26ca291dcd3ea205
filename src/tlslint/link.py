"""The link stage: connect endpoints with the certificates, keys and trust stores of the same run.

Sources say which files an endpoint references (``identity.certificate_files``, ``identity.key_files``,
``trust.store_files``: paths resolved the way the engine resolves them, located at the directive).
The PKI source reads certificates by content wherever they are in the linted tree. This stage joins
the two and derives the facts rules compare:

* on endpoints: ``identity.certificates`` (fingerprints of the presented leaves), ``identity.key_types``
  (when the source did not know them), ``identity.cn`` / ``identity.o`` / ``identity.names``,
  ``identity.name_matches`` / ``identity.name_mismatch`` (server endpoints: the server name against the
  certificate), ``identity.key_type_fits_suites``, ``identity.key_matches``, ``trust.anchors_valid``,
  ``pinning.matches`` and ``dane.matches``;
* on certificates: ``cert.used_by``, and the role (``server-leaf`` / ``client-leaf``) the configuration
  gives a presented certificate (:func:`tlslint.pki.facts.set_role`).

:func:`prepare` runs before the sources' cross-file pass and reads referenced files that were not
among the linted paths (``tlslint check nginx.conf`` still sees ``ssl_certificate``), so that chains
and key pairs are judged with them; :func:`link` runs after it. Neither imports ``cryptography``
unless an endpoint references a file, a pin or a TLSA record.
"""

from __future__ import annotations

import base64
import ipaddress
import os
from collections import defaultdict
from functools import cache
from typing import TYPE_CHECKING, Any

from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Located, Location, Origin, share_equal_lists
from tlslint.model.subject import Subject
from tlslint.records import Record

if TYPE_CHECKING:
    from tlslint.pki.facts import CertInfo
    from tlslint.run import ParsedInputs
    from tlslint.sources.base import ParseContext

FILE_FIELDS = ("identity.certificate_files", "identity.key_files", "trust.store_files")
#: Certificate key types as the endpoint model names them (``cert.key.type`` says EC, TLS says ECDSA).
_TLS_KEY_TYPES = {"EC": "ECDSA"}
#: Addresses that are not a name a client connects to.
_ANY_ADDRESS = frozenset({"", "*", "0.0.0.0", "::", "[::]", "localhost", "_"})


def referenced(subject: Subject) -> list[tuple[str, str, Location | None]]:
    """(field, path, where) for every file an endpoint references."""
    out = []
    for name in FILE_FIELDS:
        found = subject.get(name)
        if found is None or found.origin is Origin.UNKNOWN or not isinstance(found.value, list):
            continue
        for index, path in enumerate(found.value):
            if isinstance(path, str) and path:
                where = found.items[index] if index < len(found.items) else None
                out.append((name, path, where or found.location))
    return out


@cache
def _key(path: str) -> str:
    """Where a path really points (memoised within one run, by spelling and by absolute path; cleared when a
    run starts linking: 3,000 servers naming the same two certificates took 14,000 abspath calls). Not
    bounded: a fleet whose servers each name their own certificate asks for each path twice, a tree apart."""
    return _real(os.path.abspath(path))


@cache
def _real(absolute: str) -> str:
    return os.path.realpath(absolute)


def _needs_link(subject: Subject) -> bool:
    return subject.kind == "endpoint" and any(
        subject.get(name) is not None for name in (*FILE_FIELDS, "pinning.pins", "dane.records")
    )


# --- before the cross-file pass ------------------------------------------------------------------


def prepare(context: ParseContext, parsed: ParsedInputs) -> None:
    """Read referenced files that exist but were not linted, through the PKI source."""
    _key.cache_clear()
    _real.cache_clear()
    wanted: dict[str, str] = {}
    where_of: dict[str, Location | None] = {}
    for subject in parsed.subjects:
        if subject.kind != "endpoint":
            continue
        for _name, path, where in referenced(subject):
            wanted.setdefault(_key(path), path)
            where_of.setdefault(path, where or subject.location)
    if not wanted:
        return
    seen = {_key(item.path) for item in parsed.files}
    from tlslint import safe_read

    missing = [path for real, path in wanted.items() if real not in seen and os.path.isfile(path)]
    missing = [path for path in missing if not _refused(path, where_of[path], safe_read.refusal(path), parsed)]
    if not missing:
        return
    from tlslint.errors import InputError
    from tlslint.reading import read_pki_bytes
    from tlslint.run import display_path
    from tlslint.sources import registry

    entry = next(e for e in registry.content_sources() if e.name == "pki")
    module = entry.load()
    for path in sorted(missing):
        shown = display_path(path)
        try:
            head = safe_read.read_head(path, registry.SNIFF_BYTES)
        except InputError:
            continue
        if module.claims(shown, head, referenced=True):
            read_pki_bytes(shown, entry, module, context, parsed)


def _refused(path: str, where: Location | None, reason: str | None, parsed: ParsedInputs) -> bool:
    """Say once, at the directive, why a referenced file is not read (outside the tree, not a
    regular file): its certificate facts stay unknown."""
    if reason is None:
        return False
    parsed.diagnostics.append(Diagnostic(where or Location(path), f"{path} {reason}", "warning"))
    return True


# --- after the cross-file pass -------------------------------------------------------------------


class _Run(Record):
    """The PKI material of the run, indexed by file."""

    __slots__ = ("at", "certs", "keys", "leaves", "roles", "users")

    at: Any
    certs: dict[str, list[tuple[CertInfo, Subject]]]
    keys: dict[str, list[Subject]]
    leaves: list[tuple[CertInfo, Subject]]
    roles: dict[str, set[str]]
    #: Per certificate fingerprint, the endpoints presenting or trusting it, in order, each once (a dict:
    #: the endpoints of a fleet share a certificate by the thousand, a list's membership test is linear).
    users: dict[str, dict[str, None]]

    def __init__(
        self,
        at: Any,
        certs: dict[str, list[tuple[CertInfo, Subject]]] | None = None,
        keys: dict[str, list[Subject]] | None = None,
        leaves: list[tuple[CertInfo, Subject]] | None = None,
        roles: dict[str, set[str]] | None = None,
        users: dict[str, dict[str, None]] | None = None,
    ) -> None:
        self.at = at
        self.certs = {} if certs is None else certs
        self.keys = {} if keys is None else keys
        self.leaves = [] if leaves is None else leaves
        self.roles = defaultdict(set) if roles is None else roles
        self.users = defaultdict(dict) if users is None else users


def link(context: ParseContext, parsed: ParsedInputs) -> None:
    """Set the linked facts on endpoints and certificates (see the module docstring)."""
    endpoints = [s for s in parsed.subjects if _needs_link(s)]
    if not endpoints:
        return
    scan = context.state.get("pki")
    run = _Run(at=getattr(scan, "at", context.at))
    if scan is not None:
        from tlslint.pki.facts import LEAF_ROLES

        for info, subject in scan.certificates():
            run.certs.setdefault(_key(info.entry.path), []).append((info, subject))
            if subject.value("cert.role") in LEAF_ROLES:
                run.leaves.append((info, subject))
        for certs in run.certs.values():
            certs.sort(key=lambda pair: pair[0].entry.index)
    for subject in parsed.subjects:
        if subject.kind == "key":
            run.keys.setdefault(_key(subject.location.path), []).append(subject)
    for endpoint in endpoints:
        try:
            _link_endpoint(endpoint, run, parsed.diagnostics)
            # The lists linking set (certificates, names) repeat across a tree's endpoints as the read ones
            # do; the read ones were shared as each file was recorded.
            fields = endpoint.fields
            share_equal_lists([fields[path] for path in _LINKED_LISTS if path in fields], parsed._equal_lists)
        except Exception as error:  # a bug here must not lose the run's other findings
            if os.environ.get("TLSLINT_DEBUG"):
                raise
            parsed.internal_errors += 1
            parsed.diagnostics.append(
                Diagnostic(endpoint.location, f"internal error while linking ({type(error).__name__}: {error})")
            )
    _mark_certificates(run)


#: The list fields linking sets on an endpoint (a list set elsewhere is only shared less, never wrong).
_LINKED_LISTS = ("identity.certificates", "identity.names", "identity.key_types", "identity.name_mismatch")


def _link_endpoint(endpoint: Subject, run: _Run, diagnostics: list[Diagnostic]) -> None:
    role = endpoint.value("role")
    presented: list[tuple[CertInfo, Subject, Location | None]] = []  # leaves, with the reference
    chains: list[list[CertInfo]] = []  # each certificate file, leaf first
    anchors: list[CertInfo] = []
    key_subjects: list[Subject] = []
    key_refs: list[Location | None] = []
    for name, path, where in referenced(endpoint):
        if name == "identity.key_files":
            key_subjects.extend(run.keys.get(_key(path), []))
            key_refs.append(where)
            continue
        certs = run.certs.get(_key(path), [])
        if not certs:
            continue
        if name == "identity.certificate_files":
            leaf_info, leaf_subject = certs[0]
            presented.append((leaf_info, leaf_subject, where))
            chains.append([info for info, _ in certs])
            leaf_role = "client-leaf" if role == "client" else "server-leaf"
            run.roles[leaf_info.fingerprint].add(leaf_role)
            _use(run, leaf_info.fingerprint, endpoint.id)
            # A combined PEM (HAProxy crt, some Apache setups) holds the key with the certificate.
            key_subjects.extend(k for k in run.keys.get(_key(path), []) if k not in key_subjects)
        else:
            for info, _subject in certs:
                anchors.append(info)
                _use(run, info.fingerprint, endpoint.id)
    if presented:
        _identity_facts(endpoint, presented, role)
    if anchors:
        store_ref = endpoint.get("trust.store_files")
        instant = _instant(run.at)
        ok = any(
            info.ca_like
            and info.not_before is not None
            and info.not_after is not None
            and info.not_before <= instant <= info.not_after
            for info in anchors
        )
        where = store_ref.location if store_ref is not None else endpoint.location
        endpoint.set("trust.anchors_valid", Located(ok, Origin.EXPLICIT, where))
    if presented and key_subjects:
        spkis = {info.key.spki_sha256 for info, _, _ in presented}
        known = [k for k in key_subjects if k.value("key.spki_sha256")]
        if known:
            matches = all(k.value("key.spki_sha256") in spkis for k in known)
            where = next((w for w in key_refs if w is not None), known[0].location)
            endpoint.set("identity.key_matches", Located(matches, Origin.EXPLICIT, where))
    _pins(endpoint, [info for chain in chains for info in chain] + anchors, diagnostics)
    _dane(endpoint, role, chains, anchors, run, diagnostics)


def _use(run: _Run, fingerprint: str, endpoint_id: str) -> None:
    run.users[fingerprint][endpoint_id] = None


def _instant(at: Any):
    from tlslint.pki.facts import at_instant

    return at_instant(at)


def _identity_facts(endpoint: Subject, presented: list[tuple[CertInfo, Subject, Location | None]], role: Any) -> None:
    first_info, first_subject, _ = presented[0]
    here = first_subject.location
    via = tuple(w for _, _, w in presented if w is not None)[:1]
    endpoint.set(
        "identity.certificates",
        Located(
            [info.fingerprint for info, _, _ in presented],
            Origin.EXPLICIT,
            here,
            via,
            items=tuple(s.location for _, s, _ in presented),
        ),
    )
    if first_info.cn is not None:
        endpoint.set("identity.cn", Located(first_info.cn, Origin.EXPLICIT, here, via))
    # Set even when the certificate has none (value None reads as "not set"), so that a rule asking for
    # an O points at the certificate rather than at the endpoint.
    org = first_subject.value("cert.subject.o")
    note = None if org is not None else "the certificate's subject has no O attribute"
    endpoint.set("identity.o", Located(org, Origin.EXPLICIT, here, via, note=note))
    names: list[str] = []
    for info, _, _ in presented:
        for name in _names_of(info):
            if name not in names:
                names.append(name)
    endpoint.set("identity.names", Located(names, Origin.EXPLICIT, here, via))
    existing = endpoint.get("identity.key_types")
    if existing is None or existing.origin is Origin.UNKNOWN:
        kinds = sorted({_TLS_KEY_TYPES.get(info.key.type, info.key.type) for info, _, _ in presented})
        endpoint.set("identity.key_types", Located(kinds, Origin.EXPLICIT, here, via, note="from the certificates"))
    if role == "server":
        _name_match(endpoint, presented)
        _key_fit(endpoint, presented)


def _names_of(info: CertInfo) -> list[str]:
    if info.dns or info.ips:
        return [*info.dns, *info.ips]
    return [info.cn] if info.cn else []


def _endpoint_name(endpoint: Subject) -> Located[Any] | None:
    """The name clients reach a server by: its server name, or a host name it binds to."""
    name = endpoint.get("server_name")
    if name is not None and name.origin is not Origin.UNKNOWN and isinstance(name.value, str):
        text = name.value.strip()
        if text and not text.startswith("~") and "$" not in text and text not in _ANY_ADDRESS:
            return name
    bind = endpoint.get("bind.address")
    if bind is not None and isinstance(bind.value, str) and bind.value not in _ANY_ADDRESS:
        try:
            ipaddress.ip_address(bind.value.strip("[]"))
        except ValueError:
            if not bind.value.startswith("unix:"):
                return bind
    return None


def covers(info: CertInfo, name: str) -> bool:
    """Does the certificate cover ``name`` (RFC 9525: DNS/IP SANs; the CN only when there is no SAN)?"""
    try:
        address = ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        address = None
    if address is not None:
        return any(_same_ip(ip, address) for ip in info.ips)
    target = name.lower().rstrip(".")
    patterns = info.dns if (info.dns or info.ips) else ([info.cn] if info.cn else [])
    for pattern in patterns:
        pattern = pattern.lower().rstrip(".")
        if pattern == target:
            return True
        if pattern.startswith("*.") and "*" not in target:
            head, _, rest = target.partition(".")
            if head and rest == pattern[2:]:
                return True
    return False


def _same_ip(text: str, address: Any) -> bool:
    try:
        return ipaddress.ip_address(text) == address
    except ValueError:
        return False


def _name_match(endpoint: Subject, presented: list[tuple[CertInfo, Subject, Location | None]]) -> None:
    name = _endpoint_name(endpoint)
    if name is None:
        return
    target = str(name.value).strip()
    wrong = [(info, subject, where) for info, subject, where in presented if not covers(info, target)]
    problems = [
        f"{subject.display} ({os.path.basename(info.entry.path)}) covers "
        f"{', '.join(_names_of(info)) or 'no name'}, not {target}"
        for info, subject, _ in wrong
    ]
    where = next((w for _, _, w in wrong if w is not None), None) or name.location
    items = tuple(w or subject.location for _, subject, w in wrong)
    via = tuple(s.location for _, s, _ in wrong) + ((name.location,) if name.location else ())
    endpoint.set("identity.name_matches", Located(not wrong, Origin.EXPLICIT, where, via))
    endpoint.set("identity.name_mismatch", Located(problems, Origin.EXPLICIT, where, via, items=items))


def _key_fit(endpoint: Subject, presented: list[tuple[CertInfo, Subject, Location | None]]) -> None:
    """Whether the certificates can authenticate an offered TLS 1.2 suite (ECDSA key, only *_RSA_* suites)."""
    if endpoint.get("identity.key_type_fits_suites") is not None:
        return  # the source computed it (the OpenSSL offer knows the configured list before filtering)
    suites = endpoint.get("cipher_suites.tls12")
    if suites is None or suites.origin is Origin.UNKNOWN or not suites.value:
        return
    protocols = endpoint.value("protocols")
    if isinstance(protocols, list) and not any(v in protocols for v in ("TLSv1.2", "TLSv1.1", "TLSv1.0")):
        return
    from tlslint.catalog.offer import usable_suites
    from tlslint.catalog.suites import lookup

    catalogued = [s for s in (lookup(name) for name in suites.value) if s is not None and not s.tls13]
    if not catalogued:
        return
    kinds = {_TLS_KEY_TYPES.get(info.key.type, info.key.type) for info, _, _ in presented}
    usable = usable_suites(catalogued, protocols=["TLSv1.2"], security_level=0, key_types=kinds)
    via = tuple(s.location for _, s, _ in presented[:1])
    endpoint.set(
        "identity.key_type_fits_suites",
        Located(
            bool(usable.get("TLSv1.2")),
            Origin.EXPLICIT,
            suites.location,
            via,
            note=f"certificate key types {'/'.join(sorted(kinds))}",
        ),
    )


# --- pins and DANE -------------------------------------------------------------------------------


def _pins(endpoint: Subject, certs: list[CertInfo], diagnostics: list[Diagnostic]) -> None:
    pins = endpoint.get("pinning.pins")
    if pins is None or pins.origin is Origin.UNKNOWN or not isinstance(pins.value, list) or not certs:
        return
    from tlslint.pki.pins import parse_pins

    digests: list[bytes] = []
    for index, text in enumerate(pins.value):
        try:
            digests.extend(parse_pins(str(text)))
        except ValueError as error:
            where = pins.items[index] if index < len(pins.items) and pins.items[index] else pins.location
            diagnostics.append(Diagnostic(where or endpoint.location, str(error), "warning"))
    if not digests:
        return
    known: set[bytes] = set()
    for info in certs:
        known.add(bytes.fromhex(info.key.spki_sha256))
        known.add(bytes.fromhex(info.fingerprint))  # pinning.mode certificate-sha256
    matched = [base64.b64encode(d).decode() for d in digests if d in known]
    note = f"{len(matched)} of {len(digests)} pin(s) match the {len(certs)} certificate(s) linked to the endpoint"
    endpoint.set("pinning.matches", Located(bool(matched), Origin.EXPLICIT, pins.location, pins.via, note=note))


def _dane(
    endpoint: Subject,
    role: Any,
    chains: list[list[CertInfo]],
    anchors: list[CertInfo],
    run: _Run,
    diagnostics: list[Diagnostic],
) -> None:
    records = endpoint.get("dane.records")
    if records is None or records.origin is Origin.UNKNOWN or not isinstance(records.value, list):
        return
    if role != "server":
        chains = _peer_chains(endpoint, run)
    if not chains:
        return
    from tlslint.pki.pins import evaluate_tlsa, parse_tlsa

    instant = _instant(run.at)
    roots = [info.entry.cert for info in anchors]
    hostname = _endpoint_name(endpoint)
    host = str(hostname.value) if hostname is not None else None
    results = []
    for index, text in enumerate(records.value):
        where = records.items[index] if index < len(records.items) and records.items[index] else records.location
        try:
            record = parse_tlsa(str(text))
        except ValueError as error:
            diagnostics.append(Diagnostic(where or endpoint.location, str(error), "warning"))
            continue
        for chain in chains:
            certs = [info.entry.cert for info in chain]
            verdict = evaluate_tlsa(record, certs, roots=roots, at=instant, hostname=host)
            results.append(verdict)
            if verdict.ok:
                break
    if not results:
        return
    ok = any(r.ok for r in results)
    note = None if ok else "; ".join(dict.fromkeys(r.reason for r in results))
    endpoint.set("dane.matches", Located(ok, Origin.EXPLICIT, records.location, records.via, note=note))


def _peer_chains(endpoint: Subject, run: _Run) -> list[list[CertInfo]]:
    """A client's peer: the run's leaf certificates that cover the name it connects to, with their files."""
    name = endpoint.get("server_name")
    if name is None or not isinstance(name.value, str):
        return []
    chains = []
    for info, _subject in run.leaves:
        if covers(info, name.value):
            chains.append([i for i, _ in run.certs.get(_key(info.entry.path), []) if i.entry.index >= info.entry.index])
    return chains


# --- certificates --------------------------------------------------------------------------------


def _mark_certificates(run: _Run) -> None:
    copies = _copies(run)
    for fingerprint, users in run.users.items():
        for _info, subject in copies.get(fingerprint, ()):
            subject.set("cert.used_by", Located(list(users), Origin.EXPLICIT, subject.location))
    if not run.roles:
        return  # no certificate was named: the certificate model (pki.facts) need not be imported
    from tlslint.pki.facts import set_role

    for fingerprint, roles in run.roles.items():
        role = next(iter(roles)) if len(roles) == 1 else "leaf"
        for info, subject in copies.get(fingerprint, ()):
            if not subject.value("cert.in_trust_store") and subject.value("cert.role") != role:
                set_role(subject, info, role)


def _copies(run: _Run) -> dict[str, list[tuple[CertInfo, Subject]]]:
    """Every copy of each certificate in the run, by fingerprint (cert.pem and fullchain.pem hold the same
    leaf), in file order: one pass, where a search per certificate was quadratic in a fleet's certificates."""
    copies: dict[str, list[tuple[CertInfo, Subject]]] = {}
    for certs in run.certs.values():
        for info, subject in certs:
            copies.setdefault(info.fingerprint, []).append((info, subject))
    return copies
