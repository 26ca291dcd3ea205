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


def _scan(context: ParseContext):
    scan = context.state.get(_STATE)
    if scan is None:
        from tlslint.pki.scan import PkiScan

        scan = context.state[_STATE] = PkiScan(at=_instant(context.at), always_file_modes=context.check_file_modes)
    return scan


def _instant(day: datetime.date) -> datetime.date | datetime.datetime:
    """Judge certificates now when the evaluation date is today (a certificate issued an hour ago is
    valid), and at the start of the day for an explicit other date (reproducible runs)."""
    now = datetime.datetime.now(datetime.UTC)
    return now if day == now.date() else day


def parse_bytes(path: str, data: bytes, context: ParseContext) -> ParseResult:
    added = _scan(context).add(path, data)
    return ParseResult(list(added.subjects), list(added.diagnostics))


def finish(context: ParseContext) -> ParseResult:
    scan = context.state.get(_STATE)
    return ParseResult() if scan is None else ParseResult([], list(scan.finish()))
