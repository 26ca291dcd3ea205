"""Certificates, keys, bundles, PKCS#7/#12 and CRLs as a source: a thin adapter over :mod:`tlslint.pki`.

PKI material is recognised by content (PEM armour, DER structure), whatever the file is called, and
also by its extension, so that a ``.pem`` that holds no PEM block is reported rather than skipped. One
:class:`~tlslint.pki.scan.PkiScan` serves the whole run; :func:`finish` runs its cross-file pass (the
same key in several certificates, keys paired with their certificates, chains built across files).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from tlslint.sources.base import ParseContext, ParseResult

if TYPE_CHECKING:
    from tlslint.pki.detect import Sniff
    from tlslint.pki.scan import FileFacts

_STATE = "pki"


def claims(path: str, head: bytes, *, referenced: bool = False) -> bool:
    """Whether a file is PKI material: by its extension, or by content. A file named like neither
    (``tool.py``, ``README.md``) that only mentions PEM armour — code that writes or parses PEM, a
    document quoting a ``-----BEGIN CERTIFICATE-----`` line — holds no block and is not read as PKI;
    one that holds a whole block is. A file named like PKI (``id_rsa``, ``privkey.pem``) or that a
    configuration names as a certificate or key (``referenced``) is read either way, so a truncated
    one gets its diagnostic."""
    from tlslint.pki.detect import has_pki_extension, has_whole_pem_block, sniff

    if has_pki_extension(path):
        return True
    found = sniff(head)
    if found is None:
        return False
    return found.kind != "pem" or referenced or _named_like_pki(path) or has_whole_pem_block(head)


def _named_like_pki(path: str) -> bool:
    from tlslint.sources.registry import by_name

    return by_name("pki").matches_hook(path)


#: ``context.state`` key of the passphrases other sources found for PKI files (real path -> bytes), e.g.
#: the ``Certificate:Password`` next to a Kestrel ``Certificate:Path``. Never printed.
PASSPHRASES = "pki-passphrases"
_DEFERRED = "pki-deferred"


def register_passphrase(context: ParseContext, path: str, secret: str) -> None:
    """A passphrase written next to a reference to ``path`` (used to open it; the value never leaves)."""
    import os

    context.state.setdefault(PASSPHRASES, {})[os.path.realpath(path)] = secret.encode("utf-8")


def _scan(context: ParseContext):
    scan = context.state.get(_STATE)
    if scan is None:
        import os

        from tlslint.pki.scan import PkiScan

        known = context.state.setdefault(PASSPHRASES, {})
        scan = context.state[_STATE] = PkiScan(
            at=_instant(context.at),
            always_file_modes=context.check_file_modes,
            passphrase=lambda path: known.get(os.path.realpath(path)),
        )
    return scan


def _instant(day: datetime.date) -> datetime.date | datetime.datetime:
    """Judge certificates now when the evaluation date is today (a certificate issued an hour ago is
    valid), and at the start of the day for an explicit other date (reproducible runs)."""
    now = datetime.datetime.now(datetime.UTC)
    return now if day == now.date() else day


def parse_bytes(path: str, data: bytes, context: ParseContext) -> ParseResult:
    from tlslint.pki.detect import sniff

    found = sniff(data)
    if found is not None and found.kind == "pkcs12":
        # A PKCS#12 bundle is read after every file: its password may be written in a configuration file
        # that comes later in the walk (a Kestrel appsettings.json next to the .pfx).
        _scan(context)
        context.state.setdefault(_DEFERRED, []).append((path, data))
        return ParseResult()
    added = _scan(context).add(path, data, sniffed=found)
    return ParseResult(list(added.subjects), list(added.diagnostics))


# --- reading ahead in worker processes (``--jobs``) ------------------------------------------------
#
# Describing a certificate file — the expensive half of reading it — depends on nothing but its bytes;
# only the cross-file pass (:func:`finish`) needs the whole run. So a worker process may read and
# describe such a file (:func:`read_ahead`), and the main process takes the facts in discovery order
# (:func:`adopt`) instead of parsing the file itself: the same subjects, in the same order, with the
# same cross-file facts. Files with a private key stay in the main process — their
# passphrase may come from a configuration file read later (:func:`register_passphrase`) — and so do
# PKCS#12 bundles, which are read after every file anyway.

#: PEM labels of private keys: a file holding one is read by the main process.
_KEY_LABELS = frozenset(
    {"PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY",
     "OPENSSH PRIVATE KEY"}
)  # fmt: skip
_DER_ALONE = frozenset({"der-certificate", "der-crl", "der-pkcs7"})


class Ahead:
    """A file read by a worker process: what :func:`adopt` needs in the main one (picklable). The facts,
    not the subjects, travel: unpickling ~50 located fields per certificate would cost the main process
    about what building them from the facts does. (A plain class: every run defines it, few use it.)"""

    __slots__ = ("facts", "sha256", "size")

    def __init__(self, facts: FileFacts, sha256: str, size: int) -> None:
        self.facts, self.sha256, self.size = facts, sha256, size

    def __reduce__(self) -> tuple[object, ...]:  # as tlslint.pki.scan.FileFacts pickles the facts
        return Ahead, (self.facts, self.sha256, self.size)


def read_ahead(path: str, context: ParseContext) -> Ahead | None:
    """In a worker process: a certificate file (no private key, no PKCS#12) read and described, or None —
    then the main process reads the file itself, as without workers (also when anything here fails: the
    main process reports it in its own way). Nothing here depends on the evaluation date: the main
    process judges the facts at its own instant."""
    import hashlib

    from tlslint.pki.detect import sniff
    from tlslint.pki.load import read_pki_file
    from tlslint.pki.scan import describe_file

    try:
        data = read_pki_file(path)
        found = sniff(data)
        if not _alone(found):
            return None
        return Ahead(describe_file(path, data, sniffed=found), hashlib.sha256(data).hexdigest(), len(data))
    except Exception:
        return None


def _alone(found: Sniff | None) -> bool:
    """Certificates, CRLs or PKCS#7 only: nothing in the file depends on the rest of the run."""
    if found is None:
        return False
    return found.kind in _DER_ALONE or (found.kind == "pem" and _KEY_LABELS.isdisjoint(found.labels))


def adopt(ahead: Ahead, context: ParseContext) -> ParseResult:
    """In the main process, in discovery order: a file :func:`read_ahead` read, taken into the run."""
    scan = _scan(context)
    added = scan.adopt(scan.subjects_of(ahead.facts))
    return ParseResult(list(added.subjects), list(added.diagnostics))


def finish(context: ParseContext) -> ParseResult:
    scan = context.state.get(_STATE)
    if scan is None:
        return ParseResult()
    result = ParseResult()
    for path, data in context.state.pop(_DEFERRED, []):
        added = scan.add(path, data)
        result.subjects.extend(added.subjects)
        result.diagnostics.extend(added.diagnostics)
    result.diagnostics.extend(scan.finish())
    return result
