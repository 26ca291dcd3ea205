"""Chain validation (tlslint.pki.chain.verify) against the real ``openssl verify`` on generated chains.

Each case builds a leaf, intermediates and anchors, asks both for a verdict at the same instant, for
the same purpose and host name, and requires them to agree. ``openssl verify`` runs with
``-x509_strict`` and ``-auth_level 1`` (the security level a TLS client of OpenSSL 3.0 uses), which is
the configuration a product built on OpenSSL would ship.

Where the two implementations disagree by design, the case says so in ``DIVERGES`` with the reason;
the test then checks that they still disagree in exactly that direction, so a change on either side
is noticed.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from pkigen import CLIENT, DAY, NOW, SERVER, Issued, ca_hierarchy, make, pem, sha1_signed_leaf, write

from tlslint.pki.chain import verify

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"


@dataclass
class Case:
    leaf: Issued
    intermediates: list[Issued] = field(default_factory=list)
    roots: list[Issued] = field(default_factory=list)
    purpose: str = "server"
    hostname: str | None = "csms.operator.net"
    expected: bool | None = None  # what a correct validator says (both must agree with it)


def _valid() -> Case:
    root, inter = ca_hierarchy()
    return Case(make("csms.operator.net", issuer=inter), [inter], [root], expected=True)


def _valid_client() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("CS-000123", issuer=inter, eku=[CLIENT], san=["cs-000123.stations.operator.net"])
    return Case(leaf, [inter], [root], purpose="client", hostname=None, expected=True)


def _valid_direct() -> Case:
    root, _ = ca_hierarchy()
    return Case(make("csms.operator.net", issuer=root), [], [root], expected=True)


def _valid_rsa() -> Case:
    root = make("RSA Root", ca=True, key_kind="rsa2048", key_slot=0, days=3650, pointers=False)
    inter = make("RSA Issuing", ca=True, issuer=root, key_kind="rsa2048", key_slot=1, days=1000)
    leaf = make(
        "csms.operator.net",
        issuer=inter,
        key_kind="rsa2048",
        key_slot=2,
        key_usage={"digital_signature", "key_encipherment"},
    )
    return Case(leaf, [inter], [root], expected=True)


def _valid_two_intermediates() -> Case:
    root, _ = ca_hierarchy()
    top = make("Operator Policy CA", ca=True, path_length=1, issuer=root, key_slot=2, days=1500)
    low = make("Operator TLS CA", ca=True, path_length=0, issuer=top, key_slot=3, days=1000)
    return Case(make("csms.operator.net", issuer=low), [low, top], [root], expected=True)


def _valid_ip() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("10.0.0.5", issuer=inter, san=["10.0.0.5"])
    return Case(leaf, [inter], [root], hostname="10.0.0.5", expected=True)


def _valid_wildcard() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("*.operator.net", issuer=inter, san=["*.operator.net"])
    return Case(leaf, [inter], [root], expected=True)


def _valid_unordered_intermediates() -> Case:
    root, _ = ca_hierarchy()
    top = make("Operator Policy CA", ca=True, path_length=1, issuer=root, key_slot=2, days=1500)
    low = make("Operator TLS CA", ca=True, path_length=0, issuer=top, key_slot=3, days=1000)
    return Case(make("csms.operator.net", issuer=low), [top, low], [root], expected=True)


def _expired_leaf() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("csms.operator.net", issuer=inter, not_before=NOW - 100 * DAY, days=90)
    return Case(leaf, [inter], [root], expected=False)


def _not_yet_valid_leaf() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("csms.operator.net", issuer=inter, not_before=NOW + 5 * DAY, days=90)
    return Case(leaf, [inter], [root], expected=False)


def _expired_intermediate() -> Case:
    root, _ = ca_hierarchy()
    inter = make("Old Issuing CA", ca=True, issuer=root, key_slot=2, not_before=NOW - 400 * DAY, days=365)
    return Case(make("csms.operator.net", issuer=inter), [inter], [root], expected=False)


def _expired_root() -> Case:
    root = make("Old Root", ca=True, key_kind="ec384", key_slot=1, not_before=NOW - 800 * DAY, days=700, pointers=False)
    inter = make("Issuing", ca=True, issuer=root, key_slot=2, days=300)
    return Case(make("csms.operator.net", issuer=inter), [inter], [root], expected=False)


def _wrong_issuer() -> Case:
    root, inter = ca_hierarchy()
    # Same issuer name as the intermediate, but signed by another key.
    impostor = make("Operator Issuing CA", ca=True, issuer=root, key_slot=4, days=300)
    leaf = make("csms.operator.net", issuer=impostor, aki=False)
    return Case(leaf, [inter], [root], expected=False)


def _missing_intermediate() -> Case:
    root, inter = ca_hierarchy()
    return Case(make("csms.operator.net", issuer=inter), [], [root], expected=False)


def _untrusted_root() -> Case:
    _, inter = ca_hierarchy()
    other = make("Someone Else Root", ca=True, key_kind="ec384", key_slot=5, days=3650, pointers=False)
    return Case(make("csms.operator.net", issuer=inter), [inter], [other], expected=False)


def _wrong_eku_server() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("csms.operator.net", issuer=inter, eku=[CLIENT])
    return Case(leaf, [inter], [root], expected=False)


def _wrong_eku_client() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("CS-000123", issuer=inter, eku=[SERVER], san=["cs-000123.stations.operator.net"])
    return Case(leaf, [inter], [root], purpose="client", hostname=None, expected=False)


def _name_mismatch() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("csms.operator.net", issuer=inter)
    return Case(leaf, [inter], [root], hostname="portal.operator.net", expected=False)


def _wildcard_too_deep() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("*.operator.net", issuer=inter, san=["*.operator.net"])
    return Case(leaf, [inter], [root], hostname="a.b.operator.net", expected=False)


def _ip_mismatch() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("10.0.0.5", issuer=inter, san=["10.0.0.5"])
    return Case(leaf, [inter], [root], hostname="10.0.0.6", expected=False)


def _path_length_violation() -> Case:
    root, _ = ca_hierarchy()
    top = make("Operator Policy CA", ca=True, path_length=0, issuer=root, key_slot=2, days=1500)
    low = make("Operator TLS CA", ca=True, path_length=0, issuer=top, key_slot=3, days=1000)
    return Case(make("csms.operator.net", issuer=low), [low, top], [root], expected=False)


def _intermediate_not_ca() -> Case:
    root, _ = ca_hierarchy()
    inter = make(
        "Operator Issuing CA",
        ca=False,
        issuer=root,
        key_slot=2,
        days=300,
        key_usage={"key_cert_sign"},
        eku=None,
        san=None,
    )
    return Case(make("csms.operator.net", issuer=inter), [inter], [root], expected=False)


def _intermediate_without_bc() -> Case:
    root, _ = ca_hierarchy()
    inter = make(
        "Operator Issuing CA",
        ca=None,
        issuer=root,
        key_slot=2,
        days=300,
        key_usage={"key_cert_sign"},
        eku=None,
        san=None,
    )
    return Case(make("csms.operator.net", issuer=inter), [inter], [root], expected=False)


def _intermediate_without_keycertsign() -> Case:
    root, _ = ca_hierarchy()
    inter = make("Operator Issuing CA", ca=True, issuer=root, key_slot=2, days=300, key_usage={"digital_signature"})
    return Case(make("csms.operator.net", issuer=inter), [inter], [root], expected=False)


def _self_signed_leaf() -> Case:
    root, _ = ca_hierarchy()
    leaf = make("csms.operator.net", ca=None, pointers=False)
    return Case(leaf, [], [root], expected=False)


def _sha1_leaf() -> Case:
    root, inter = ca_hierarchy()
    return Case(sha1_signed_leaf(inter), [inter], [root], expected=False)


def _rsa1024_leaf() -> Case:
    # Path validation accepts it (80-bit strength is security level 1); the weak key is a lint finding.
    root, inter = ca_hierarchy()
    leaf = make(
        "csms.operator.net", issuer=inter, key_kind="rsa1024", key_usage={"digital_signature", "key_encipherment"}
    )
    return Case(leaf, [inter], [root], expected=True)


def _leaf_is_ca() -> Case:
    root, inter = ca_hierarchy()
    leaf = make(
        "csms.operator.net",
        issuer=inter,
        ca=True,
        key_usage={"digital_signature", "key_cert_sign"},
        san=["csms.operator.net"],
        eku=[SERVER],
    )
    return Case(leaf, [inter], [root], expected=False)


def _cn_only_leaf() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("csms.operator.net", issuer=inter, san=None)
    return Case(leaf, [inter], [root], expected=False)


def _unknown_critical_extension() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("csms.operator.net", issuer=inter)
    builder = (
        x509.CertificateBuilder()
        .subject_name(leaf.cert.subject)
        .issuer_name(inter.cert.subject)
        .public_key(leaf.key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - DAY)
        .not_valid_after(NOW + 30 * DAY)
    )
    for ext in leaf.cert.extensions:
        builder = builder.add_extension(ext.value, ext.critical)
    builder = builder.add_extension(
        x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00"), critical=True
    )
    return Case(Issued(builder.sign(inter.key, hashes.SHA256()), leaf.key), [inter], [root], expected=False)


def _client_with_both_ekus() -> Case:
    root, inter = ca_hierarchy()
    leaf = make("CS-000124", issuer=inter, eku=[SERVER, CLIENT], san=["cs-000124.stations.operator.net"])
    return Case(leaf, [inter], [root], purpose="client", hostname=None, expected=True)


CASES: dict[str, Callable[[], Case]] = {
    "valid-server": _valid,
    "valid-client": _valid_client,
    "valid-direct-from-root": _valid_direct,
    "valid-rsa": _valid_rsa,
    "valid-two-intermediates": _valid_two_intermediates,
    "valid-intermediates-unordered": _valid_unordered_intermediates,
    "valid-ip-san": _valid_ip,
    "valid-wildcard": _valid_wildcard,
    "valid-client-both-ekus": _client_with_both_ekus,
    "expired-leaf": _expired_leaf,
    "not-yet-valid-leaf": _not_yet_valid_leaf,
    "expired-intermediate": _expired_intermediate,
    "expired-root": _expired_root,
    "wrong-issuer-key": _wrong_issuer,
    "missing-intermediate": _missing_intermediate,
    "untrusted-root": _untrusted_root,
    "wrong-eku-server": _wrong_eku_server,
    "wrong-eku-client": _wrong_eku_client,
    "name-mismatch": _name_mismatch,
    "wildcard-two-labels": _wildcard_too_deep,
    "ip-mismatch": _ip_mismatch,
    "path-length-violation": _path_length_violation,
    "intermediate-not-ca": _intermediate_not_ca,
    "intermediate-without-basic-constraints": _intermediate_without_bc,
    "intermediate-without-keycertsign": _intermediate_without_keycertsign,
    "self-signed-leaf": _self_signed_leaf,
    "sha1-signed-leaf": _sha1_leaf,
    "rsa1024-leaf": _rsa1024_leaf,
    "leaf-is-ca": _leaf_is_ca,
    "cn-only-leaf": _cn_only_leaf,
    "unknown-critical-extension": _unknown_critical_extension,
}

#: Cases where tlslint (cryptography's RFC 5280 + CA/B profile validator) and ``openssl verify``
#: disagree by design, and why. The test checks that they still disagree this way.
DIVERGES: dict[str, str] = {
    "leaf-is-ca": "`openssl verify -purpose sslserver` accepts a cA=TRUE end-entity certificate; cryptography "
    "follows RFC 5280 / CA/B BR and rejects it (tlslint also reports it as cert.usage_mismatch)",
    "cn-only-leaf": "OpenSSL's host-name check falls back to the subject CN when the leaf has no DNS SAN; "
    "cryptography (like browsers, RFC 6125 / CA/B BR 7.1.2.7) requires a subjectAltName",
}


def openssl_verify(case: Case, tmp: Path, at: datetime.datetime) -> tuple[bool, str]:
    roots = write(tmp, "roots.pem", pem(*case.roots))
    leaf = write(tmp, "leaf.pem", case.leaf.pem)
    command = [
        OPENSSL,
        "verify",
        "-x509_strict",
        "-auth_level",
        "1",
        "-attime",
        str(int(at.timestamp())),
        "-purpose",
        "sslclient" if case.purpose == "client" else "sslserver",
        "-CAfile",
        str(roots),
    ]
    if case.intermediates:
        command += ["-untrusted", str(write(tmp, "untrusted.pem", pem(*case.intermediates)))]
    if case.hostname is not None and case.purpose == "server":
        flag = "-verify_ip" if case.hostname.replace(".", "").isdigit() else "-verify_hostname"
        command += [flag, case.hostname]
    command.append(str(leaf))
    process = subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
    return process.returncode == 0, (process.stdout + process.stderr).strip()


@pytest.fixture(scope="module")
def openssl() -> str:
    if not Path(OPENSSL).exists():
        pytest.skip("the openssl binary is not installed; the chain matrix compares against `openssl verify`")
    return OPENSSL


def test_matrix_is_large_enough() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case_name", list(CASES))
def test_chain_agrees_with_openssl(case_name: str, openssl: str, tmp_path: Path) -> None:
    case = CASES[case_name]()
    ours = verify(
        case.leaf.cert,
        [i.cert for i in case.intermediates],
        [r.cert for r in case.roots],
        at=NOW,
        purpose=case.purpose,
        hostname=case.hostname,
    )
    theirs, output = openssl_verify(case, tmp_path, NOW)
    if case_name in DIVERGES:
        assert ours.ok != theirs, f"{case_name} no longer diverges ({DIVERGES[case_name]}); openssl: {output}"
        assert ours.ok is case.expected
        return
    assert ours.ok == theirs, f"tlslint: {ours.ok} ({ours.error}); openssl verify: {theirs} ({output})"
    assert ours.ok is case.expected, f"both say {ours.ok}; expected {case.expected}: {ours.error or output}"
