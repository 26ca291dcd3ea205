"""Each certificate, key and trust-store defect is reported by the pki pack at the right file and,
in bundles, the right certificate; sound material gets no finding of medium or higher.

The tree is generated at test time (keys are never committed). Findings come from the real rule
engine evaluating ``rules/pki`` on the subjects :mod:`tlslint.pki.scan` produces.
"""

from __future__ import annotations

import base64
import datetime
import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from pkigen import (
    AT,
    CLIENT,
    DAY,
    NOW,
    SERVER,
    ca_hierarchy,
    key,
    key_pem,
    make,
    name,
    pem,
    roca_key,
    sha1_signed_leaf,
    v1_leaf,
    write,
)

from conftest import all_packs_policy

#: Rules whose fixtures are generated here (tests/test_rule_fixtures.py reads this set).
COVERS_RULES = {
    "TLS-CERT-001", "TLS-CERT-002", "TLS-CERT-003", "TLS-CERT-004", "TLS-CERT-005", "TLS-CERT-006",
    "TLS-CERT-007", "TLS-CERT-008", "TLS-CERT-009", "TLS-CERT-010", "TLS-CERT-011", "TLS-CERT-012",
    "TLS-CERT-013", "TLS-CERT-014", "TLS-CERT-015", "TLS-CERT-016", "TLS-CERT-017", "TLS-CERT-018",
    "TLS-CERT-019", "TLS-CERT-020", "TLS-CERT-021", "TLS-CERT-022", "TLS-CHAIN-001", "TLS-CHAIN-002",
    "TLS-KEY-001", "TLS-KEY-002", "TLS-KEY-003", "TLS-KEY-004", "TLS-KEY-005", "TLS-KEY-006", "TLS-KEY-007",
    "TLS-STORE-001", "TLS-STORE-002", "TLS-STORE-003", "TLS-STORE-004",
}  # fmt: skip

PASSPHRASE = b"Corr3ct-Horse-Battery-Staple-42"

#: (file relative to the tree, 1-based BEGIN line or None for "anywhere in the file", rule id)
EXPECT: list[tuple[str, int | None, str]] = []


def _block_line(data: bytes, index: int) -> int:
    """Line of the ``index``-th -----BEGIN marker."""
    lines = data.split(b"\n")
    seen = -1
    for number, text in enumerate(lines, start=1):
        if text.startswith(b"-----BEGIN"):
            seen += 1
            if seen == index:
                return number
    raise AssertionError("no such block")


def build_tree(base: Path) -> None:
    root, inter = ca_hierarchy()
    EXPECT.clear()

    def bad(filename: str, rule: str, data: bytes, *, block: int | None = 0, mode: int = 0o644) -> None:
        write(base, filename, data, mode)
        EXPECT.append((filename, None if block is None else _block_line(data, block), rule))

    # --- sound material: no finding of medium or higher ------------------------------------------
    write(base, "sound/ca.pem", pem(root))
    server = make("csms.operator.net", issuer=inter)
    write(base, "sound/server.crt", pem(server, inter))
    write(base, "sound/server.key", key_pem(server.key, passphrase=PASSPHRASE), 0o600)
    client = make("CS-000123", issuer=inter, eku=[CLIENT], san=["cs-000123.stations.operator.net"], key_slot=11)
    write(base, "sound/station.pem", pem(client, inter))
    rsa_leaf = make(
        "portal.operator.net", issuer=inter, key_kind="rsa2048", key_usage={"digital_signature", "key_encipherment"}
    )
    write(base, "sound/portal.der", rsa_leaf.cert.public_bytes(serialization_der()))

    # --- certificate defects ---------------------------------------------------------------------
    bad(
        "certs/expired.pem",
        "TLS-CERT-001",
        make("old.operator.net", issuer=inter, key_slot=12, not_before=NOW - 100 * DAY).pem,
    )
    bad(
        "certs/future.pem",
        "TLS-CERT-002",
        make("new.operator.net", issuer=inter, key_slot=13, not_before=NOW + 3 * DAY).pem,
    )
    bad(
        "certs/expiring.pem",
        "TLS-CERT-003",
        make("soon.operator.net", issuer=inter, key_slot=14, not_before=NOW - 80 * DAY).pem,
    )
    small = make(
        "small.operator.net", issuer=inter, key_kind="rsa1024", key_usage={"digital_signature", "key_encipherment"}
    )
    bad("certs/rsa1024.pem", "TLS-CERT-004", small.pem)
    bad("certs/p192.pem", "TLS-CERT-005", make("p192.operator.net", issuer=inter, key_kind="ec192").pem)
    bad("certs/sha1.pem", "TLS-CERT-006", sha1_signed_leaf(inter, "sha1.operator.net").pem)
    bad("certs/long.pem", "TLS-CERT-007", make("long.operator.net", issuer=inter, key_slot=15, days=825).pem)
    long_ca = make("Forever Issuing CA", ca=True, issuer=root, key_slot=16, days=7300)
    bad("certs/forever-intermediate.pem", "TLS-CERT-008", long_ca.pem)
    bad("certs/cn-only.pem", "TLS-CERT-009", make("cnonly.operator.net", issuer=inter, key_slot=17, san=None).pem)
    bad(
        "certs/wildcard.pem",
        "TLS-CERT-010",
        make("*.operator.net", issuer=inter, key_slot=18, san=["*.operator.net"]).pem,
    )
    leaf_ca = make(
        "leafca.operator.net",
        issuer=inter,
        key_slot=19,
        ca=True,
        key_usage={"digital_signature"},
        san=["leafca.operator.net"],
        eku=[SERVER],
    )
    bad("certs/leaf-ca.pem", "TLS-CERT-011", leaf_ca.pem)  # "ca" in the name: still not a trust store
    bad("certs/no-ku.pem", "TLS-CERT-012", make("noku.operator.net", issuer=inter, key_slot=20, key_usage=None).pem)
    bad("certs/serial.pem", "TLS-CERT-013", make("serial.operator.net", issuer=inter, key_slot=21, serial=7).pem)
    bad("certs/no-aki.pem", "TLS-CERT-014", make("noaki.operator.net", issuer=inter, key_slot=22, aki=False).pem)
    bad(
        "certs/no-revocation.pem",
        "TLS-CERT-015",
        make("norev.operator.net", issuer=inter, key_slot=23, pointers=False).pem,
    )
    bad("certs/v1.pem", "TLS-CERT-016", v1_leaf(inter).pem)
    e3 = make(
        "e3.operator.net", issuer=inter, key_kind="rsa2048e3", key_usage={"digital_signature", "key_encipherment"}
    )
    bad("certs/exponent3.pem", "TLS-CERT-017", e3.pem)
    bad("certs/roca.pem", "TLS-CERT-018", foreign_key_cert("roca.operator.net", roca_key().public_key(), inter).pem)
    demo = make("device.operator.net", issuer=inter, key_slot=24, subject=x509.Name(
        [x509.NameAttribute(x509.NameOID.COMMON_NAME, "device.operator.net"),
         x509.NameAttribute(x509.NameOID.ORGANIZATION_NAME, "Internet Widgits Pty Ltd")]))  # fmt: skip
    bad("certs/openssl-default.pem", "TLS-CERT-019", demo.pem)
    twin_a = make("CS-000200", issuer=inter, key_slot=25, eku=[CLIENT], san=["cs-000200.stations.operator.net"])
    twin_b = make("CS-000201", issuer=inter, key_slot=25, eku=[CLIENT], san=["cs-000201.stations.operator.net"])
    bad("certs/twin-a.pem", "TLS-CERT-020", twin_a.pem)
    bad("certs/twin-b.pem", "TLS-CERT-020", twin_b.pem)
    bad("certs/selfsigned.pem", "TLS-CERT-021", make("self.operator.net", key_slot=26, ca=None, pointers=False).pem)
    unordered_leaf = make("order.operator.net", issuer=inter, key_slot=27)
    bad("certs/unordered.pem", "TLS-CERT-022", pem(unordered_leaf, root, inter), block=1)
    # Chains: the intermediate is nowhere in the run / present but expired.
    _, lost_inter = foreign_hierarchy(root)
    bad(
        "certs/missing-intermediate.pem", "TLS-CHAIN-001", make("lost.operator.net", issuer=lost_inter, key_slot=28).pem
    )
    stale = make("Stale Issuing CA", ca=True, issuer=root, key_slot=29, not_before=NOW - 400 * DAY, days=365)
    stale_leaf = make("stale.operator.net", issuer=stale, key_slot=30)
    bad("certs/stale-chain.pem", "TLS-CHAIN-002", pem(stale_leaf, stale))
    EXPECT.append(("certs/stale-chain.pem", _block_line(pem(stale_leaf, stale), 1), "TLS-CERT-001"))

    # --- keys ---------------------------------------------------------------------------------------
    bad("keys/plain.key", "TLS-KEY-001", key_pem(key("ec256", 40)), mode=0o600)
    bad("keys/open.key", "TLS-KEY-002", key_pem(key("ec256", 41), passphrase=PASSPHRASE), mode=0o644)
    mismatch = make("mismatch.operator.net", issuer=inter, key_slot=42)
    write(base, "keys/mismatch.crt", mismatch.pem)
    bad("keys/mismatch.key", "TLS-KEY-003", key_pem(key("ec256", 43)), mode=0o600)
    bad("keys/rsa1024.key", "TLS-KEY-004", key_pem(key("rsa1024"), fmt="pkcs1"), mode=0o600)
    bad("keys/p192.key", "TLS-KEY-007", key_pem(key("ec192")), mode=0o600)
    bad("keys/roca.key", "TLS-KEY-005", key_pem(roca_key()), mode=0o600)
    legacy = (
        b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,0011223344556677\n\n"
        + base64.encodebytes(bytes(range(256)) * 4)
        + b"-----END RSA PRIVATE KEY-----\n"
    )
    bad("keys/legacy.key", "TLS-KEY-006", legacy, mode=0o600)

    # --- trust stores --------------------------------------------------------------------------------
    old_root = make(
        "Retired Root CA", ca=True, key_kind="ec384", key_slot=2, not_before=NOW - 4000 * DAY, days=3650, pointers=False
    )
    weak_root = make("Legacy Root CA", ca=True, key_kind="rsa1024", key_slot=1, days=3650, pointers=False)
    pasted = make("pasted.operator.net", issuer=inter, key_slot=44)
    store = pem(root, old_root, pasted, weak_root)
    write(base, "stores/ca-bundle.pem", store)
    EXPECT.append(("stores/ca-bundle.pem", _block_line(store, 1), "TLS-STORE-001"))
    EXPECT.append(("stores/ca-bundle.pem", _block_line(store, 2), "TLS-STORE-002"))
    EXPECT.append(("stores/ca-bundle.pem", _block_line(store, 3), "TLS-STORE-004"))
    public = [
        make(cn, ca=True, key_slot=60 + i, days=3650, pointers=False, org=None)
        for i, cn in enumerate(["ISRG Root X1", "ISRG Root X2", "DigiCert Global Root G2", "GlobalSign Root CA",
                                "Amazon Root CA 1", "Amazon Root CA 2", "GTS Root R1", "GTS Root R2",
                                "USERTrust RSA Certification Authority", "Baltimore CyberTrust Root"])
    ]  # fmt: skip
    bad("stores/system-copy.pem", "TLS-STORE-003", pem(*public))


def serialization_der():
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def foreign_key_cert(cn: str, public_key, issuer):
    """A leaf for a public key we hold no private key of (e.g. a ROCA-shaped modulus)."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(issuer.cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - DAY)
        .not_valid_after(NOW + 60 * DAY)
    )
    reference = make(cn, issuer=issuer, key_slot=50)
    for ext in reference.cert.extensions:
        if isinstance(ext.value, x509.SubjectKeyIdentifier):
            builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), ext.critical)
        else:
            builder = builder.add_extension(ext.value, ext.critical)
    from pkigen import Issued

    return Issued(builder.sign(issuer.key, hashes.SHA256()), None)


def foreign_hierarchy(root):
    other_root = make("Elsewhere Root CA", ca=True, key_kind="ec384", key_slot=3, days=3650, pointers=False)
    other_inter = make("Elsewhere Issuing CA", ca=True, issuer=other_root, key_slot=31, days=1000)
    return other_root, other_inter


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("pki-tree")
    build_tree(base)
    return base


@pytest.fixture(scope="module")
def scanned(tree: Path):
    from tlslint.pki.scan import scan_paths

    return scan_paths([str(tree)], AT)


@pytest.fixture(scope="module")
def findings(scanned):
    from tlslint.findings import build_findings
    from tlslint.rules.evaluate import evaluate
    from tlslint.rules.loader import load_packs

    evaluation = evaluate(load_packs(["pki"]), scanned.subjects, all_packs_policy())
    return build_findings(evaluation.failures)


def _relative(tree: Path, path: str) -> str:
    return str(Path(path).relative_to(tree))


def test_no_diagnostics(scanned) -> None:
    assert not scanned.diagnostics, scanned.diagnostics


def test_each_defect_is_reported_at_its_place(tree: Path, findings) -> None:
    """Every generated defect (the list is built with the tree, so it is one test that names all misses)."""
    assert EXPECT, "no defects were generated"
    missing = []
    for filename, line, rule in EXPECT:
        places = {(_relative(tree, f.location.path), f.location.line) for f in findings if f.rule_id == rule}
        if line is None and not any(place[0] == filename for place in places):
            missing.append(f"{rule} not reported in {filename}: {sorted(places)}")
        elif line is not None and (filename, line) not in places:
            missing.append(f"{rule} not reported at {filename}:{line}; reported at {sorted(places)}")
    assert not missing, "\n".join(missing)


def test_every_rule_is_exercised(tree: Path) -> None:
    expected_rules = {rule for _, _, rule in EXPECT}
    assert expected_rules == COVERS_RULES


def test_sound_material_has_no_medium_or_higher_findings(tree: Path, findings) -> None:
    serious = [
        f"{f.rule_id} {f.location}: {f.message}"
        for f in findings
        if _relative(tree, f.location.path).startswith("sound/") and f.severity in ("critical", "high", "medium")
    ]
    assert not serious, "\n".join(serious)


def test_sound_material_has_no_findings_at_all(tree: Path, findings) -> None:
    noisy = [f"{f.rule_id} {f.location}" for f in findings if _relative(tree, f.location.path).startswith("sound/")]
    assert not noisy, noisy


def test_no_rule_fires_on_a_file_it_was_not_meant_for(tree: Path, findings) -> None:
    """Each defect file carries its own defect; other findings there are listed as tolerated extras."""
    tolerated = {
        # An undersized RSA key is also a key-size finding on the certificate, and vice versa.
        ("keys/rsa1024.key", "TLS-KEY-001"),
        ("keys/p192.key", "TLS-KEY-001"),
        ("keys/roca.key", "TLS-KEY-001"),
        ("keys/plain.key", "TLS-KEY-001"),
        ("keys/mismatch.key", "TLS-KEY-001"),
        ("certs/p192.pem", "TLS-CERT-005"),
        ("certs/selfsigned.pem", "TLS-CERT-015"),
        ("certs/leaf-ca.pem", "TLS-CHAIN-002"),  # the verifier rejects a cA=TRUE leaf as well
        ("certs/v1.pem", "TLS-CERT-012"),
        ("certs/v1.pem", "TLS-CERT-014"),
        ("certs/v1.pem", "TLS-CERT-015"),
        ("certs/v1.pem", "TLS-CHAIN-002"),
        ("certs/v1.pem", "TLS-CERT-009"),
        ("certs/no-aki.pem", "TLS-CHAIN-002"),  # cryptography requires AKI on non-root certificates
        ("certs/cn-only.pem", "TLS-CHAIN-002"),  # and a SAN on server leaves
        ("certs/sha1.pem", "TLS-CHAIN-002"),
        ("certs/p192.pem", "TLS-CHAIN-002"),
        ("certs/rsa1024.pem", "TLS-CHAIN-002"),
        ("certs/exponent3.pem", "TLS-CHAIN-002"),
        ("certs/expired.pem", "TLS-CHAIN-002"),
        ("certs/future.pem", "TLS-CHAIN-002"),
        ("certs/no-ku.pem", "TLS-CHAIN-002"),
        ("certs/serial.pem", "TLS-CHAIN-002"),
        ("certs/roca.pem", "TLS-CHAIN-002"),
        ("certs/unordered.pem", "TLS-CERT-003"),
        ("stores/ca-bundle.pem", "TLS-CERT-004"),
        ("keys/mismatch.crt", "TLS-CHAIN-002"),
    }
    expected = {(file, rule) for file, _, rule in EXPECT}
    extras = sorted(
        f"{f.rule_id} {_relative(tree, f.location.path)}:{f.location.line} {f.message}"
        for f in findings
        if (_relative(tree, f.location.path), f.rule_id) not in expected | tolerated
        and not _relative(tree, f.location.path).startswith("sound/")
    )
    assert not extras, "\n".join(extras)


def test_no_secret_appears_in_any_output(tree: Path, scanned, findings) -> None:
    text = json.dumps(
        {
            "subjects": [
                {"id": s.id, "label": s.label, "fields": {k: v.to_json() for k, v in s.fields.items()}}
                for s in scanned.subjects
            ],
            "diagnostics": [d.to_json() for d in scanned.diagnostics],
            "findings": [f.to_json() for f in findings],
        },
        default=str,
    )
    assert PASSPHRASE.decode() not in text
    for path in tree.rglob("*.key"):
        body = b"".join(path.read_bytes().split(b"\n")[1:-2])
        for start in range(0, len(body) - 24, 24):
            assert body[start : start + 24].decode() not in text, f"key material of {path.name} leaked"
    for private in (key("ec256", 40), key("rsa1024"), roca_key()):
        numbers = private.private_numbers()
        secret = numbers.private_value if hasattr(numbers, "private_value") else numbers.d
        assert str(secret) not in text and format(secret, "x") not in text


def test_field_values_of_selected_defects(tree: Path, scanned) -> None:
    by_file: dict[str, list] = {}
    for subject in scanned.subjects:
        by_file.setdefault(_relative(tree, subject.location.path), []).append(subject)
    value = lambda file, path, i=0: by_file[file][i].value(path)  # noqa: E731

    assert value("certs/expired.pem", "cert.expired") is True
    assert value("certs/expired.pem", "cert.days_until_expiry") == -10
    assert value("certs/expiring.pem", "cert.days_until_expiry") == 10
    assert value("certs/rsa1024.pem", "cert.key.bits") == 1024
    assert value("certs/p192.pem", "cert.key.curve") == "secp192r1"
    assert value("certs/leaf-ca.pem", "cert.role") == "server-leaf"
    assert value("certs/leaf-ca.pem", "cert.basic_constraints.ca") is True
    assert value("certs/serial.pem", "cert.serial_bits") == 3
    assert value("certs/exponent3.pem", "cert.key.rsa_exponent") == 3
    assert "ROCA" in value("certs/roca.pem", "cert.key.weak_reason")
    assert value("certs/openssl-default.pem", "cert.test_pki.match") == "openssl-default-org"
    assert value("certs/twin-a.pem", "cert.key_reused_with") == ["CS-000201"]
    assert value("certs/unordered.pem", "bundle.out_of_order", 1) is True
    assert value("certs/unordered.pem", "bundle.out_of_order", 2) is False
    assert value("certs/missing-intermediate.pem", "chain.status") == "missing-issuer"
    assert "Elsewhere Issuing CA" in value("certs/missing-intermediate.pem", "chain.error")
    assert value("certs/stale-chain.pem", "chain.status") == "invalid"
    assert value("sound/server.crt", "chain.status") == "valid"
    assert value("sound/station.pem", "chain.status") == "valid"
    assert value("sound/station.pem", "cert.role") == "client-leaf"
    assert value("sound/portal.der", "cert.encoding") == "der"
    assert value("sound/server.key", "key.encrypted") is True
    assert value("sound/server.key", "key.file_mode") == "0600"
    assert value("keys/mismatch.key", "key.matches_certificate") is False
    assert value("keys/rsa1024.key", "key.format") == "pkcs1"
    assert value("keys/legacy.key", "key.type") == "RSA"
    assert value("keys/legacy.key", "key.encryption") == "DES-EDE3-CBC"
    store = next(s for s in by_file["stores/ca-bundle.pem"] if s.kind == "trust_store")
    assert store.value("store.size") == 4
    assert [s.value("cert.role") for s in by_file["stores/ca-bundle.pem"] if s.kind == "certificate"] == [
        "root",
        "root",
        "server-leaf",
        "root",
    ]


def test_key_matches_certificate_when_readable(tmp_path: Path) -> None:
    from tlslint.pki.scan import PkiScan

    leaf = make("pair.operator.net", key_slot=70, ca=None)
    other = key("ec256", 71)
    write(tmp_path, "good/device-cert.pem", leaf.pem)
    write(tmp_path, "good/device-key.pem", key_pem(leaf.key), 0o600)
    write(tmp_path, "bad/device.crt", leaf.pem)
    write(tmp_path, "bad/device.key", key_pem(other), 0o600)
    write(tmp_path, "combined/identity.pem", key_pem(leaf.key) + leaf.pem, 0o600)
    scan = PkiScan(AT)
    subjects = []
    for path in sorted(tmp_path.rglob("*.*")):
        subjects += scan.add(str(path)).subjects
    scan.finish()
    keys = {
        _relative(tmp_path, s.location.path): s.value("key.matches_certificate") for s in subjects if s.kind == "key"
    }
    assert keys == {"good/device-key.pem": True, "bad/device.key": False, "combined/identity.pem": True}


def test_days_are_relative_to_at_not_the_clock(tree: Path) -> None:
    from tlslint.pki.scan import scan_paths

    later = scan_paths([str(tree / "sound")], AT + datetime.timedelta(days=365))
    assert any(s.value("cert.expired") for s in later.subjects if s.kind == "certificate")


def test_rsa_key_facts_are_public_only() -> None:
    from tlslint.pki.keys import key_facts

    facts = key_facts(key("rsa2048").public_key())
    assert (facts.type, facts.bits, facts.rsa_exponent, facts.weak_reason) == ("RSA", 2048, 65537, None)
    assert isinstance(key("rsa2048"), rsa.RSAPrivateKey)
