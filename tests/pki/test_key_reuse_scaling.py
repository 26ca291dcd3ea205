"""Key reuse is found in time linear in the certificates sharing a key (issue 16: 10,000 certificates
under one key took 20 s with a pairwise comparison)."""

from __future__ import annotations

import datetime
import sys
from types import SimpleNamespace

from tlslint.model.located import Location
from tlslint.model.subject import Subject
from tlslint.pki.scan import MAX_REUSE_LABELS, PkiScan, _CertRecord


def _scan_with_shared_key(count: int) -> PkiScan:
    scan = PkiScan(datetime.date(2026, 12, 1))
    for index in range(count):
        info = SimpleNamespace(key=SimpleNamespace(spki_sha256="same"), subject_dn=f"CN=station-{index:05d}")
        subject = Subject("certificate", f"cert-{index}", Location(f"c{index}.pem"), "pem", label=f"s{index:05d}.pem")
        scan._certs.append(_CertRecord(info, subject))
    return scan


def _lines(count: int) -> int:
    """Python lines the key-reuse pass executes for ``count`` certificates under one key: a count of work
    that does not depend on how busy the machine is (the sort runs in C and is not counted)."""
    scan = _scan_with_shared_key(count)
    executed = 0

    def trace(frame, event, arg):
        nonlocal executed
        if event == "line":
            executed += 1
        return trace

    sys.settrace(trace)
    try:
        scan._key_reuse()
    finally:
        sys.settrace(None)
    return executed


def test_reuse_is_reported_with_a_few_names_and_a_count():
    scan = _scan_with_shared_key(12)
    scan._key_reuse()
    first = scan._certs[0].subject
    assert first.value("cert.key_reused") is True
    named = first.value("cert.key_reused_with")
    assert len(named) == MAX_REUSE_LABELS + 1 and named[-1] == f"{11 - MAX_REUSE_LABELS} more"
    assert "s00000.pem" not in named and named[0] == "s00001.pem"


def test_key_reuse_is_not_quadratic():
    small, large = _lines(500), _lines(5000)
    # 10x the certificates: linear work is ~10x the lines; comparing every pair was ~100x.
    assert large < small * 15, (small, large)
