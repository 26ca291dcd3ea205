"""One run over PKI files: per-file subjects, then the cross-file facts.

:class:`PkiScan` is what a source adapter or the pipeline drives::

    scan = PkiScan(at=datetime.date(2026, 11, 24))
    for path in paths:
        result = scan.add(path)        # subjects and diagnostics of this file
    diagnostics = scan.finish()        # sets cert.key_reused, key.matches_certificate (by stem), chain.*

The subjects returned by :meth:`PkiScan.add` are updated in place by :meth:`PkiScan.finish`, so a
caller can collect them as it goes and evaluate rules after ``finish``.
"""

from __future__ import annotations

import datetime
import os
import re
import sys
from collections import defaultdict

from tlslint.errors import InputError
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.pki.detect import Sniff, has_pki_extension, sniff
from tlslint.pki.facts import (
    CA_ROLES,
    LEAF_ROLES,
    CertInfo,
    at_instant,
    certificate_subject,
    describe,
    key_subject,
    trust_store_subject,
)
from tlslint.pki.load import KeyEntry, PassphraseLookup, load_file, read_pki_file

#: File names that say "these are trust anchors" (ca.pem, ca-bundle.crt, cacerts.pem, truststore.pem,
#: csms-root.pem, V2G_root.pem ...).
_STORE_NAME = re.compile(
    r"(^|[^a-z])(ca|cas|cacerts?|ca[-_.]?bundle|ca[-_.]certificates|trust\w*|roots?|anchors?)([^a-z]|$)"
)

#: Words stripped from file names to pair a key with its certificate (server.key ↔ server.crt,
#: device-key.pem ↔ device-cert.pem, privkey.pem ↔ cert.pem / fullchain.pem). Compiled when a key
#: stored alone is first paired: most runs have none.
_STEM_WORDS = r"(^|[-_.])(private|priv|privkey|key|cert|crt|certificate|chain|fullchain|bundle|pem|der)(?=$|[-_.])"


#: How many other certificates ``cert.key_reused_with`` names.
MAX_REUSE_LABELS = 10


# The records below are plain classes, not dataclasses: a one-certificate run (a pre-commit hook) pays
# for every class it defines, and a dataclass costs about 0.4 ms to define, a plain class a hundredth.


class FileResult:
    """The subjects and diagnostics of one file, and what the cross-file pass needs of it (``certs``,
    ``keys``: :meth:`PkiScan.adopt` takes them into the run)."""

    __slots__ = ("certs", "diagnostics", "keys", "subjects")

    def __init__(self, subjects: list[Subject] | None = None, diagnostics: list[Diagnostic] | None = None) -> None:
        self.subjects = [] if subjects is None else subjects
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.certs: list[_CertRecord] = []
        self.keys: list[_KeyRecord] = []


class _CertRecord:
    __slots__ = ("info", "subject")

    def __init__(self, info: CertInfo, subject: Subject) -> None:
        self.info, self.subject = info, subject


class _KeyRecord:
    __slots__ = ("entry", "subject")

    def __init__(self, entry: KeyEntry, subject: Subject) -> None:
        self.entry, self.subject = entry, subject


def file_stem(path: str) -> tuple[str, str]:
    """(directory, normalised stem) used to pair keys and certificates stored side by side."""
    name = os.path.basename(path).lower()
    while True:
        base, ext = os.path.splitext(name)
        if ext in (".pem", ".crt", ".cer", ".der", ".key", ".p12", ".pfx", ".p7b"):
            name = base
        else:
            break
    previous = None
    while previous != name:
        previous, name = name, re.sub(_STEM_WORDS, "", name)
    return os.path.dirname(os.path.abspath(path)), name.strip("-_.")


def looks_like_store(path: str, infos: list[CertInfo], has_keys: bool) -> bool:
    """Is this file a set of trust anchors rather than a presented chain?"""
    if has_keys or not infos:
        return False
    if len(infos) >= 2 and not infos[0].ca_like:
        from tlslint.pki.chain import is_chain_file

        if is_chain_file([info.entry.cert for info in infos]):
            return False  # leaf first, issuer next: a chain, whatever the file is called
    if _STORE_NAME.search(os.path.basename(path).lower()):
        # A lone end-entity certificate named "...-ca.pem" is a leaf, not a store of one leaf.
        return len(infos) >= 2 or infos[0].ca_like or infos[0].self_signed
    return len(infos) >= 2 and all(info.self_signed for info in infos)


class FileFacts:
    """One file described — the expensive half of reading it: parsing, describing each certificate,
    telling a chain from a store — before its facts become subjects (:meth:`PkiScan.subjects_of`).

    It keeps no parsed certificate; without private keys it holds no ``cryptography`` object at all and
    can travel between processes (:func:`tlslint.sources.pki_files.read_ahead`): pickled as its values
    in order (:meth:`__reduce__`), not as the name-to-value dictionary Python pickles a slotted class as
    (unpickling a certificate's facts in the main process: 11 -> 4 us)."""

    __slots__ = ("diagnostics", "file_mode", "hints", "infos", "keys", "out_of_order", "path", "store")

    def __init__(
        self,
        path: str,
        diagnostics: list[Diagnostic] | None = None,
        infos: list[CertInfo] | None = None,
        hints: list[str | None] | None = None,
        out_of_order: list[bool | None] | None = None,
        store: bool = False,
        keys: list[KeyEntry] | None = None,
        file_mode: int | None = None,
    ) -> None:
        self.path = path
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.infos = [] if infos is None else infos
        self.hints = [] if hints is None else hints  # role hint per certificate (leaf, anchor)
        self.out_of_order = [] if out_of_order is None else out_of_order  # per certificate of a chain file
        self.store = store  # the file is a set of trust anchors
        self.keys = [] if keys is None else keys
        self.file_mode = file_mode  # of a key file

    def __reduce__(self) -> tuple[object, ...]:
        values = (self.diagnostics, self.infos, self.hints, self.out_of_order, self.store, self.keys, self.file_mode)
        return FileFacts, (self.path, *values)


def describe_file(
    path: str, data: bytes | None = None, *, sniffed: Sniff | None = None, passphrase: PassphraseLookup | None = None
) -> FileFacts:
    """Read and describe one file. Never raises for bad input: problems are diagnostics."""
    facts = FileFacts(path)
    try:
        if data is None:
            data = read_pki_file(path)
        found = sniffed or sniff(data)
        if found is None:
            if has_pki_extension(path):
                facts.diagnostics.append(
                    Diagnostic(Location(path), "named like PKI material but holds no PEM block or DER structure")
                )
            return facts
        pki = load_file(path, data, passphrase=passphrase, sniffed=found)
    except InputError as error:
        facts.diagnostics.append(Diagnostic(error.location, error.message))
        return facts
    facts.diagnostics.extend(pki.diagnostics)
    infos = facts.infos
    for entry in pki.certificates:
        try:
            infos.append(describe(entry))
        except InputError as error:
            facts.diagnostics.append(Diagnostic(error.location, error.message))
    key_spkis = {_spki(entry) for entry in pki.keys} - {None}
    store = looks_like_store(pki.path, infos, bool(pki.keys))
    flags: list[bool] = [False] * len(infos)
    chain_file = False
    if not store and len(infos) > 1:
        from tlslint.pki.chain import is_chain_file, out_of_order

        certs = [info.entry.cert for info in infos]
        flags = out_of_order(certs)
        chain_file = is_chain_file(certs) or any(flags)
    for position, info in enumerate(infos):
        hint = None
        if store:
            hint = "anchor"
        elif info.key.spki_sha256 in key_spkis or (position == 0 and (chain_file or pki.keys)):
            hint = "leaf"  # it is presented as an identity: its key is here, or it heads a chain
        facts.hints.append(hint)
        facts.out_of_order.append(flags[position] if len(infos) > 1 and not store else None)
    facts.store = store
    facts.keys = pki.keys
    facts.file_mode = pki.file_mode
    for entry in pki.certificates:
        entry.release()  # the facts are out; keep the DER, not the parsed certificate
    return facts


class PkiScan:
    """Accumulates one run's PKI files; see the module docstring."""

    def __init__(
        self,
        at: datetime.date | datetime.datetime,
        *,
        passphrase: PassphraseLookup | None = None,
        always_file_modes: bool = False,
    ) -> None:
        self.at = at
        self.passphrase = passphrase
        self.always_file_modes = always_file_modes
        self._certs: list[_CertRecord] = []
        self._keys: list[_KeyRecord] = []  # keys without a certificate in their own file

    # --- per file --------------------------------------------------------------------------------

    def add(self, path: str, data: bytes | None = None, *, sniffed: Sniff | None = None) -> FileResult:
        """Subjects and diagnostics of one file. Never raises for bad input: problems are diagnostics.

        ``sniffed`` is :func:`~tlslint.pki.detect.sniff` of ``data`` when the caller has it already."""
        return self.adopt(self.read(path, data, sniffed=sniffed))

    def adopt(self, result: FileResult) -> FileResult:
        """Take a file's certificates and keys into the run's cross-file pass (the file may have been
        :meth:`read` by another process, with a copy of this scan: see :mod:`tlslint.sources.pki_files`)."""
        self._certs.extend(result.certs)
        self._keys.extend(result.keys)
        return result

    def read(self, path: str, data: bytes | None = None, *, sniffed: Sniff | None = None) -> FileResult:
        """:meth:`add` without taking the file into the run: changes nothing in the scan."""
        return self.subjects_of(describe_file(path, data, sniffed=sniffed, passphrase=self.passphrase))

    def subjects_of(self, facts: FileFacts) -> FileResult:
        """The subjects of a described file (the cheap half of reading it; changes nothing in the scan)."""
        result = FileResult(diagnostics=list(facts.diagnostics))
        infos = facts.infos
        for position, info in enumerate(infos):
            subject = certificate_subject(
                info,
                self.at,
                role_hint=facts.hints[position],
                in_store=facts.store,
                bundle_size=len(infos),
                out_of_order=facts.out_of_order[position],
            )
            result.subjects.append(subject)
            result.certs.append(_CertRecord(info, subject))
        if facts.store:
            result.subjects.append(trust_store_subject(facts.path, infos, self.at))
        cert_spkis = {info.key.spki_sha256 for info in infos}
        for entry in facts.keys:
            spki = _spki(entry)
            matches = None
            if infos and spki is not None:
                matches = spki in cert_spkis
            subject = key_subject(entry, file_mode=self._file_mode(facts), matches_certificate=matches)
            result.subjects.append(subject)
            if not infos and spki is not None:
                result.keys.append(_KeyRecord(entry, subject))
        return result

    def _file_mode(self, pki: FileFacts) -> int | None:
        """A key file's permission bits where they mean something: a deployed filesystem or image. In a
        version-control working tree (git, Mercurial, Subversion) they do not — git stores no read bits,
        so they only reflect the umask of whoever checked it out — unless ``--check-file-modes`` asks."""
        from tlslint.repo import repo_root

        if self.always_file_modes or repo_root(pki.path) is None:
            return pki.file_mode
        return None

    def certificates(self) -> list[tuple[CertInfo, Subject]]:
        """Every certificate read so far, in reading order: what :mod:`tlslint.link` connects endpoints to."""
        return [(record.info, record.subject) for record in self._certs]

    # --- cross-file ------------------------------------------------------------------------------

    def finish(self) -> list[Diagnostic]:
        """Set the facts that need every file: key reuse, key ↔ certificate by stem, chain status."""
        self._key_reuse()
        self._pair_keys()
        self._chains()
        chain = sys.modules.get("tlslint.pki.chain")  # not imported when no chain had to be looked at
        if chain is not None:
            chain.forget()
        return []

    def _key_reuse(self) -> None:
        # The same public key under different subject names is reuse across identities (OCPP
        # A00.FR.427, EN 18031 CCK-3). The same certificate in two files (cert.pem and fullchain.pem)
        # and a renewal that kept key and name are not.
        by_key: dict[str, list[_CertRecord]] = defaultdict(list)
        for record in self._certs:
            by_key[record.info.key.spki_sha256].append(record)
        for records in by_key.values():
            # subject DN -> labels of its certificates, each once (dict keys: renewals of one name are many)
            names: dict[str, dict[str, None]] = defaultdict(dict)
            for record in records:
                names[record.info.subject_dn][record.subject.display] = None
            # Linear in the group: one sorted list of every label, and per subject DN (not per
            # certificate) the first few labels of other names — 10,000 certificates under one key must
            # not compare every pair.
            everything = sorted((label, dn) for dn, labels in names.items() for label in labels)
            shown_for: dict[str, list[str]] = {}
            for record in records:
                dn = record.info.subject_dn
                count = len(everything) - len(names[dn])
                where = record.subject.location
                record.subject.set("cert.key_reused", Located(count > 0, Origin.EXPLICIT, where))
                if count == 0:
                    continue
                if dn not in shown_for:
                    shown_for[dn] = _first_labels(everything, dn, MAX_REUSE_LABELS)
                # A fleet-wide shared key can be in thousands of certificates; name a few.
                shown = shown_for[dn] + ([f"{count - MAX_REUSE_LABELS} more"] if count > MAX_REUSE_LABELS else [])
                record.subject.set("cert.key_reused_with", Located(shown, Origin.EXPLICIT, where))

    def _pair_keys(self) -> None:
        if not self._keys:
            return  # no key stored alone: nothing to pair (and no file stem to compute per certificate)
        leaves_by_stem: dict[tuple[str, str], list[_CertRecord]] = defaultdict(list)
        for record in self._certs:
            if record.subject.value("cert.role") in LEAF_ROLES:
                leaves_by_stem[file_stem(record.info.entry.path)].append(record)
        for key in self._keys:
            candidates = leaves_by_stem.get(file_stem(key.entry.path))
            if not candidates:
                continue
            spki = _spki(key.entry)
            matches = any(record.info.key.spki_sha256 == spki for record in candidates)
            key.subject.set("key.matches_certificate", Located(matches, Origin.EXPLICIT, key.subject.location))

    def _chains(self) -> None:
        cas = [r for r in self._certs if r.subject.value("cert.role") in CA_ROLES or r.info.ca_like]
        roots = [r.info.entry.cert for r in cas if r.info.self_signed]
        pool = _IssuerIndex([r.info.entry.cert for r in cas])
        instant = at_instant(self.at)
        for record in self._certs:
            role = record.subject.value("cert.role")
            if role not in LEAF_ROLES or record.info.self_signed:
                continue
            where = record.subject.location
            if not roots:
                record.subject.set("chain.status", Located("no-anchor", Origin.EXPLICIT, where))
                continue
            from tlslint.pki.chain import build_path, verify

            path, problem = build_path(record.info.entry.cert, pool)
            if problem is not None:
                status, error = "missing-issuer", problem
            else:
                purpose = "client" if role == "client-leaf" else "server"
                verdict = verify(path[0], path[1:-1], [path[-1]], at=instant, purpose=purpose)
                status, error = ("valid", None) if verdict.ok else ("invalid", verdict.error)
            record.subject.set("chain.status", Located(status, Origin.EXPLICIT, where))
            if error:
                record.subject.set("chain.error", Located(error, Origin.EXPLICIT, where))
            record.info.entry.release()  # parsed again for its path; not kept for every leaf of the run


class _IssuerIndex:
    """Certificates by subject name, so path building looks only at plausible issuers."""

    def __init__(self, certs: list) -> None:
        self._by_subject: dict[bytes, list] = defaultdict(list)
        seen: set[bytes] = set()
        for cert in certs:
            der = cert.tbs_certificate_bytes
            if der in seen:
                continue
            seen.add(der)
            self._by_subject[cert.subject.public_bytes()].append(cert)

    def candidates(self, issuer_der: bytes) -> list:
        return self._by_subject.get(issuer_der, [])


def _spki(entry: KeyEntry) -> str | None:
    if entry.public_key is None:
        return None
    import hashlib

    from tlslint.pki.keys import spki_der

    return hashlib.sha256(spki_der(entry.public_key)).hexdigest()


def scan_paths(paths: list[str], at: datetime.date | datetime.datetime) -> FileResult:
    """Convenience for tests and tools: every file under ``paths`` through one :class:`PkiScan`."""
    scan = PkiScan(at)
    total = FileResult()
    for top in paths:
        for path in _walk(top):
            one = scan.add(path)
            total.subjects.extend(one.subjects)
            total.diagnostics.extend(one.diagnostics)
    total.diagnostics.extend(scan.finish())
    return total


def _walk(top: str) -> list[str]:
    if not os.path.isdir(top):
        return [top]
    found = []
    for root, dirs, names in os.walk(top):
        dirs.sort()  # a stable order: same input, same output
        found.extend(os.path.join(root, name) for name in sorted(names))
    return found


def _first_labels(everything: list[tuple[str, str]], own_dn: str, limit: int) -> list[str]:
    """The first ``limit`` labels (in sorted order) of certificates whose subject is not ``own_dn``."""
    shown: list[str] = []
    for label, dn in everything:
        if dn != own_dn:
            shown.append(label)
            if len(shown) == limit:
                break
    return shown
