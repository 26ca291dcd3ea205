"""Certificates, keys, bundles, PKCS#7/#12 and CRLs as a source: a thin adapter over :mod:`tlslint.pki`.

PKI material is recognised by content (PEM armour, DER structure), whatever the file is called, and
also by its extension, so that a ``.pem`` that holds no PEM block is reported rather than skipped. One
:class:`~tlslint.pki.scan.PkiScan` serves the whole run; :func:`finish` runs its cross-file pass (the
same key in several certificates, keys paired with their certificates, chains built across files).
"""

from __future__ import annotations

import datetime

from tlslint.sources.base import ParseContext, ParseResult

_STATE = "pki"


def claims(path: str, head: bytes) -> bool:
    from tlslint.pki.detect import has_pki_extension, sniff

    return has_pki_extension(path) or sniff(head) is not None


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
