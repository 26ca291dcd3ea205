"""A fleet's certificates share their issuer's name and often their key: each distinct encoding is
decoded once per run (issue 16), and a certificate never gets another certificate's issuer or key."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pkigen import AT, key, make, pem, v1_leaf, write

from tlslint.pki import facts, keys
from tlslint.pki.detect import certificate_parts
from tlslint.pki.scan import PkiScan, describe_file, scan_paths

DER = serialization.Encoding.DER
SPKI = serialization.PublicFormat.SubjectPublicKeyInfo


@pytest.fixture
def fresh_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing decoded before the test (the suite's other certificates would otherwise be remembered)."""
    monkeypatch.setattr(keys, "_BY_ENCODING", {})
    monkeypatch.setattr(keys, "_KNOWN", {})
    monkeypatch.setattr(facts, "_ISSUERS", {})


def test_parts_are_the_encodings_cryptography_reads() -> None:
    issuer = make("Fleet Issuing CA", ca=True, key_slot=90)
    for issued in (
        make("a.fleet.invalid", issuer=issuer, key_slot=91),
        make("rsa.fleet.invalid", issuer=issuer, key_kind="rsa2048"),
        make("Self Root", ca=True, key_kind="ed25519"),
        v1_leaf(issuer),
    ):
        cert = issued.cert
        parts = certificate_parts(cert.public_bytes(DER))
        assert parts == (cert.issuer.public_bytes(), cert.public_key().public_bytes(DER, SPKI))


@pytest.mark.parametrize(
    "data",
    [b"", b"\x30", b"\x30\x03\x02\x01\x00", b"\x30\x82\xff\xff" + b"\x00" * 40, b"\x04\x05hello"],
)
def test_parts_of_what_is_no_certificate_are_none(data: bytes) -> None:
    assert certificate_parts(data) is None


def test_parts_of_a_truncated_certificate_are_none() -> None:
    der = make("a.fleet.invalid").cert.public_bytes(DER)
    assert all(certificate_parts(der[:cut]) is None for cut in range(0, len(der) - 1, 7))


def test_each_certificate_keeps_its_own_issuer_and_key(tmp_path: Path, fresh_memory: None) -> None:
    """Two issuers and two keys, interleaved: every certificate's facts are those cryptography gives it."""
    issuers = [make("Fleet CA East", ca=True, key_slot=90), make("Fleet CA West", ca=True, key_slot=92)]
    leaves = [
        make(f"cs-{index}.fleet.invalid", issuer=issuers[index % 2], key_slot=91 + 2 * (index % 3 == 0))
        for index in range(12)
    ]
    write(tmp_path, "bundle.pem", pem(*leaves))
    infos = describe_file(str(tmp_path / "bundle.pem")).infos
    assert len(infos) == 12
    for info, issued in zip(infos, leaves, strict=True):
        cert = issued.cert
        assert info.issuer_dn == cert.issuer.rfc4514_string()
        assert info.issuer_cn == cert.issuer.get_attributes_for_oid(facts._oids().cn)[0].value
        assert info.key == keys.key_facts(cert.public_key())
        assert info.self_signed is False
    assert len(facts._ISSUERS) == 2 and len(keys._BY_ENCODING) == 2


def test_a_shared_key_and_issuer_are_decoded_once(
    tmp_path: Path, fresh_memory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    issuer = make("Fleet CA", ca=True, key_slot=90)
    for index in range(20):
        write(tmp_path, f"cs-{index:02d}.pem", make(f"cs-{index:02d}.fleet.invalid", issuer=issuer, key_slot=91).pem)
    decoded: list[object] = []
    real = keys.key_facts
    monkeypatch.setattr(keys, "key_facts", lambda key: decoded.append(key) or real(key))
    subjects = [s for s in scan_paths([str(tmp_path)], AT).subjects if s.kind == "certificate"]
    assert len(subjects) == 20 and len(decoded) == 1
    assert {s.value("cert.spki_sha256") for s in subjects} == {real(key("ec256", 91).public_key()).spki_sha256}
    assert {s.value("cert.issuer.cn") for s in subjects} == {"Fleet CA"}


def test_a_self_signed_certificate_after_its_issuers_children_is_still_self_signed(
    tmp_path: Path, fresh_memory: None
) -> None:
    """The remembered issuer name is compared with each certificate's own subject."""
    root = make("Depot Root CA", ca=True, key_slot=93)
    write(tmp_path, "a-leaf.pem", make("depot.fleet.invalid", issuer=root, key_slot=94).pem)
    write(tmp_path, "b-root.pem", root.pem)
    by_cn = {s.value("cert.subject.cn"): s for s in scan_paths([str(tmp_path)], AT).subjects}
    assert by_cn["Depot Root CA"].value("cert.self_signed") is True
    assert by_cn["depot.fleet.invalid"].value("cert.self_signed") is False


def test_a_damaged_key_after_a_sound_one_is_still_reported(tmp_path: Path, fresh_memory: None) -> None:
    """Only encodings that decoded before are taken as read: a key one byte away from a known one is not."""
    issuer = make("Fleet CA", ca=True, key_slot=90)
    sound = make("sound.fleet.invalid", issuer=issuer, key_slot=91).cert.public_bytes(DER)
    damaged_der = make("damaged.fleet.invalid", issuer=issuer, key_slot=91).cert.public_bytes(DER)
    spki = certificate_parts(damaged_der)[1]
    at = damaged_der.find(spki) + len(spki) - 5  # inside the EC point: no longer on the curve
    damaged_der = damaged_der[:at] + bytes([damaged_der[at] ^ 0x55]) + damaged_der[at + 1 :]

    def as_pem(der: bytes) -> bytes:
        body = base64.encodebytes(der).replace(b"\n", b"")
        lines = b"\n".join(body[i : i + 64] for i in range(0, len(body), 64))
        return b"-----BEGIN CERTIFICATE-----\n" + lines + b"\n-----END CERTIFICATE-----\n"

    write(tmp_path, "both.pem", as_pem(sound) + as_pem(damaged_der))
    result = PkiScan(AT).add(str(tmp_path / "both.pem"))
    assert [s.value("cert.subject.cn") for s in result.subjects] == ["sound.fleet.invalid"]
    assert [(d.location.line, d.message.split(":")[0]) for d in result.diagnostics] == [
        (as_pem(sound).count(b"\n") + 1, "certificate does not parse")
    ]
    assert not keys.decoded_before(certificate_parts(damaged_der)[1]) and keys.decoded_before(spki)
