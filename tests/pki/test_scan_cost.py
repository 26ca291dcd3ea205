"""The PKI scan does each piece of work once per certificate and keeps only what the cross-file pass
needs (issue 16). Costs are counted — certificate parses, key analyses, issuer candidates — rather
than timed, so these tests fail on a regression and never on a busy machine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pkigen import AT, make, pem, write

from tlslint.pki import catalog, chain, keys, load
from tlslint.pki.scan import PkiScan, _IssuerIndex, scan_paths


class _CountingX509:
    """Stands in for ``cryptography.x509`` in :mod:`tlslint.pki.load`, counting certificate parses."""

    def __init__(self, real) -> None:
        self.real, self.parses = real, 0

    def load_der_x509_certificate(self, der: bytes):
        self.parses += 1
        return self.real.load_der_x509_certificate(der)


@pytest.fixture
def parse_counter(monkeypatch: pytest.MonkeyPatch) -> _CountingX509:
    counter = _CountingX509(load._x509())
    monkeypatch.setattr(load, "_x509", lambda: counter)
    return counter


def _leaves(base: Path, count: int, *, shared_key: bool) -> list[Path]:
    issuer = make("Fleet Issuing CA", ca=True, key_slot=90)  # not written: the leaves have no anchor
    return [
        write(base, f"station-{index:03d}.pem", make(f"cs-{index:03d}.fleet.invalid", issuer=issuer,
                                                     key_slot=91 if shared_key else 100 + index % 7).pem)
        for index in range(count)
    ]  # fmt: skip


def _scan(paths: list[Path]) -> PkiScan:
    scan = PkiScan(AT)
    for path in paths:
        scan.add(str(path))
    scan.finish()
    return scan


def test_each_certificate_is_parsed_once_and_not_kept(tmp_path: Path, parse_counter: _CountingX509) -> None:
    paths = _leaves(tmp_path, 40, shared_key=False)
    scan = _scan(paths)
    assert parse_counter.parses == 40  # facts, key reuse and "no anchor" need no second parse
    # Only the DER stays behind a subject: no parsed certificate per file until the report is written.
    assert all(info.entry._cert is None and info.entry.der for info, _ in scan.certificates())


def test_a_shared_key_is_analysed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _leaves(tmp_path, 30, shared_key=True)
    analysed = []
    real = keys._facts
    monkeypatch.setattr(keys, "_KNOWN", {})
    monkeypatch.setattr(keys, "_BY_ENCODING", {})
    monkeypatch.setattr(keys, "_facts", lambda key, digest: analysed.append(digest) or real(key, digest))
    subjects = [s for s in scan_paths([str(tmp_path)], AT).subjects if s.kind == "certificate"]
    assert len(subjects) == 30 and len(analysed) == 1
    assert all(s.value("cert.key_reused") is True for s in subjects)


def test_chain_building_looks_only_at_issuers_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parse_counter: _CountingX509
) -> None:
    root = make("Depot Root CA", ca=True, key_kind="ec384", days=3650, pointers=False)
    inter = make("Depot Issuing CA", ca=True, issuer=root, key_slot=1, days=1000)
    write(tmp_path, "ca.pem", pem(root))
    write(tmp_path, "issuing.pem", pem(inter))
    # Unrelated CAs in the same run must not be tried as anybody's issuer.
    for index in range(25):
        write(tmp_path, f"other-{index:02d}.pem", make(f"Other CA {index}", ca=True, key_slot=2, days=1000).pem)
    leaves = [write(tmp_path, f"leaf-{i:02d}.pem", make(f"h{i}.depot.invalid", issuer=inter).pem) for i in range(20)]
    offered: list[int] = []
    real = _IssuerIndex.candidates

    def candidates(self: _IssuerIndex, issuer_der: bytes) -> list:
        found = real(self, issuer_der)
        offered.append(len(found))
        return found

    monkeypatch.setattr(_IssuerIndex, "candidates", candidates)
    verified = []
    real_verify = chain.verify
    monkeypatch.setattr(chain, "verify", lambda *a, **k: verified.append(1) or real_verify(*a, **k))
    scan = PkiScan(AT)
    for path in sorted(tmp_path.iterdir()):
        scan.add(str(path))
    files = parse_counter.parses
    scan.finish()
    statuses = [s.value("chain.status") for _, s in scan.certificates() if s.value("cert.role") != "root"]
    assert statuses.count("valid") == len(leaves)
    assert len(verified) == len(leaves)
    # Per leaf: its issuing CA, then the root; each lookup offers the one CA of that name.
    assert len(offered) == 2 * len(leaves) and set(offered) == {1}
    # The cross-file pass parses again what it verifies (leaves, the CAs of the pool), once each.
    assert parse_counter.parses - files <= len(leaves) + 27
    assert all(info.entry._cert is None for info, s in scan.certificates() if s.value("cert.role") != "root"
               and s.value("cert.role") != "intermediate")  # fmt: skip


def _reference_test_pki_match(subject: str, issuer: str, dns_names: list[str]) -> str | None:
    """The catalogue read as its docstring says: patterns in order, subject or issuer, DNS for example-domain."""
    for name, pattern, _why in catalog.TEST_PKI:
        compiled = re.compile(pattern, re.IGNORECASE)
        if compiled.search(subject) or compiled.search(issuer):
            return name
        if name == "example-domain" and any(compiled.search("=" + dns) for dns in dns_names):
            return name
    return None


@pytest.mark.parametrize(
    ("subject", "issuer", "dns"),
    [
        ("CN=station-000001.fleet.invalid", "CN=Fleet CA", ["station-000001.fleet.invalid"]),
        ("CN=shop.example.com", "CN=Fleet CA", []),
        ("CN=shop", "CN=Fleet CA", ["shop.example.org"]),
        ("CN=test shop,O=Acme Co", "CN=mitmproxy", ["www.example.net"]),
        ("CN=localhost", "O=Internet Widgits Pty Ltd,ST=Some-State", []),
        ("CN=demo", "CN=Fake LE Intermediate X1", ["x.example.com"]),
        ("CN=portal", "CN=Caddy Local Authority - 2026 ECC Root", ["demo.example.com"]),
        ("CN=ſnakeoil", "CN=K Root", []),  # case folding beyond ASCII is the regex engine's
        ("CN=snakeoil.local", "CN=Fleet CA", ["snakeoil.example.com"]),
        ("CN=Do Not Trust", "CN=PortSwigger CA", []),
    ],
)
def test_test_pki_match_agrees_with_the_catalogue_read_in_order(subject: str, issuer: str, dns: list[str]) -> None:
    assert catalog.test_pki_match(subject, issuer, dns) == _reference_test_pki_match(subject, issuer, dns)


def test_fields_with_equal_values_share_a_located_but_lists_do_not(tmp_path: Path) -> None:
    write(tmp_path, "leaf.pem", make("leaf.fleet.invalid", issuer=make("Fleet CA", ca=True, key_slot=90)).pem)
    (subject,) = scan_paths([str(tmp_path)], AT).subjects
    fields = subject.fields
    assert fields["cert.expired"] is fields["cert.not_yet_valid"]  # both False, one frozen Located
    assert fields["cert.key_usage"].value is not fields["cert.usage_mismatch"].value
    assert fields["cert.key_usage"] is not fields["cert.usage_mismatch"]
    assert all(located.location == subject.location for located in fields.values())
    assert fields["cert.version"].value == 3 and fields["cert.san.present"].value is True


def test_no_parsed_certificate_outlives_the_cross_file_pass(tmp_path: Path) -> None:
    """Self-signed certificates are checked with their own key: the signature caches must not keep them."""
    for index in range(12):
        write(tmp_path, f"self-{index:02d}.pem", make(f"self{index}.fleet.invalid", key_slot=60 + index % 3).pem)
    scan = _scan(sorted(tmp_path.iterdir()))
    assert all(s.value("cert.self_signed") for _, s in scan.certificates())
    assert chain._issued_by.cache_info().currsize == 0
    assert chain._key_identifier.cache_info().currsize == chain._public_key_der.cache_info().currsize == 0
    assert all(info.entry._cert is None for info, _ in scan.certificates())
