"""Every PKI input format is recognised by content and parsed; broken material is a diagnostic, never a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from pkigen import AT, NOW, ca_hierarchy, key, key_pem, make, pem, write

from tlslint.errors import InputError
from tlslint.pki.detect import sniff
from tlslint.pki.load import load_file, resolve_secret_ref
from tlslint.pki.scan import PkiScan

PASSPHRASE = b"s3cret-Passphrase-for-tests"
DER = serialization.Encoding.DER


def _crl(issuer) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(NOW)
        .next_update(NOW.replace(year=2027))
    )
    return builder.sign(issuer.key, hashes.SHA256())


@pytest.fixture(scope="module")
def material():
    root, inter = ca_hierarchy()
    leaf = make("csms.operator.net", issuer=inter)
    return root, inter, leaf


@pytest.mark.parametrize(
    ("kind", "fmt"),
    [
        ("rsa2048", "pkcs1"),
        ("rsa2048", "pkcs8"),
        ("ec256", "sec1"),
        ("ec256", "pkcs8"),
        ("ed25519", "pkcs8"),
        ("ed448", "pkcs8"),
        ("ed25519", "openssh"),
    ],
)
@pytest.mark.parametrize("encrypted", [False, True])
def test_private_keys_pem(kind: str, fmt: str, encrypted: bool, tmp_path: Path) -> None:
    if fmt == "openssh" and encrypted:
        pytest.importorskip("bcrypt", reason="writing an encrypted OpenSSH key needs the bcrypt module")
    private = key(kind, 1)
    path = write(tmp_path, "thing.bin", key_pem(private, fmt=fmt, passphrase=PASSPHRASE if encrypted else None))
    loaded = load_file(str(path))
    assert loaded.sniffed.kind == "pem"
    (entry,) = loaded.keys
    assert entry.encrypted is encrypted
    expected_fmt = fmt if fmt != "pkcs1" or kind.startswith("rsa") else "sec1"
    assert entry.format == expected_fmt
    if encrypted:
        assert entry.public_key is None
        with_passphrase = load_file(str(path), passphrase=lambda _: PASSPHRASE)
        assert with_passphrase.keys[0].public_key == private.public_key()
    else:
        assert entry.public_key == private.public_key()


@pytest.mark.parametrize("fmt", ["pkcs1", "pkcs8", "sec1", "pkcs8-encrypted"])
def test_private_keys_der(fmt: str, tmp_path: Path) -> None:
    private = key("rsa2048", 1) if fmt == "pkcs1" else key("ec256", 1)
    formats = {
        "pkcs1": serialization.PrivateFormat.TraditionalOpenSSL,
        "sec1": serialization.PrivateFormat.TraditionalOpenSSL,
    }
    encryption = (
        serialization.BestAvailableEncryption(PASSPHRASE) if fmt.endswith("encrypted") else serialization.NoEncryption()
    )
    data = private.private_bytes(DER, formats.get(fmt, serialization.PrivateFormat.PKCS8), encryption)
    path = write(tmp_path, "device.key", data)
    (entry,) = load_file(str(path)).keys
    assert entry.format == fmt.removesuffix("-encrypted")
    assert entry.encrypted is fmt.endswith("encrypted")


def test_certificate_containers(material, tmp_path: Path) -> None:
    root, inter, leaf = material
    cases = {
        "chain.pem": (pem(leaf, inter, root), "pem", 3),
        "leaf.der": (leaf.cert.public_bytes(DER), "der-certificate", 1),
        "bundle.p7b": (pkcs7.serialize_certificates([leaf.cert, inter.cert], DER), "der-pkcs7", 2),
        "bundle-pem.p7b": (pkcs7.serialize_certificates([leaf.cert], serialization.Encoding.PEM), "pem", 1),
        "noext": (leaf.cert.public_bytes(DER), "der-certificate", 1),  # by content, not by name
    }
    for filename, (data, kind, count) in cases.items():
        path = write(tmp_path, filename, data)
        loaded = load_file(str(path))
        assert loaded.sniffed.kind == kind, filename
        found = [c.cert for c in loaded.certificates]
        expected = [leaf.cert, inter.cert, root.cert][:count]
        # PKCS#7 holds a SET of certificates: its order is not the chain order.
        assert (set(found) == set(expected)) if "p7b" in filename else found == expected
        assert len(found) == count, filename
    lines = [c.line for c in load_file(str(tmp_path / "chain.pem")).certificates]
    assert lines[0] == 1 and lines[1] > lines[0] and lines[2] > lines[1]


def test_crls(material, tmp_path: Path) -> None:
    _, inter, _ = material
    crl = _crl(inter)
    for filename, data, kind in (
        ("list.crl", crl.public_bytes(DER), "der-crl"),
        ("list.pem", crl.public_bytes(serialization.Encoding.PEM), "pem"),
    ):
        loaded = load_file(str(write(tmp_path, filename, data)))
        assert loaded.sniffed.kind == kind and len(loaded.crls) == 1


def test_pkcs12_with_and_without_passphrase(material, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, inter, leaf = material
    protected = pkcs12.serialize_key_and_certificates(
        b"csms", leaf.key, leaf.cert, [inter.cert], serialization.BestAvailableEncryption(PASSPHRASE)
    )
    open_p12 = pkcs12.serialize_key_and_certificates(b"csms", leaf.key, leaf.cert, None, serialization.NoEncryption())
    path = write(tmp_path, "identity.p12", protected)
    assert sniff(protected).kind == "pkcs12"

    without = load_file(str(path))
    assert not without.certificates and without.keys[0].encrypted
    assert without.diagnostics and without.diagnostics[0].severity == "warning"

    monkeypatch.setenv("CSMS_P12_PASS", PASSPHRASE.decode())
    secret = resolve_secret_ref("env:CSMS_P12_PASS")
    opened = load_file(str(path), passphrase=lambda _: secret)
    assert [c.cert for c in opened.certificates] == [leaf.cert, inter.cert]
    assert opened.keys[0].encrypted and opened.keys[0].public_key == leaf.key.public_key()

    with pytest.raises(InputError) as wrong:
        load_file(str(path), passphrase=lambda _: b"wrong-guess")
    assert "wrong-guess" not in str(wrong.value) and PASSPHRASE.decode() not in str(wrong.value)

    unprotected = load_file(str(write(tmp_path, "open.pfx", open_p12)))
    assert unprotected.keys[0].encrypted is False and len(unprotected.certificates) == 1

    pass_file = write(tmp_path, "pass.txt", PASSPHRASE + b"\n", 0o600)
    assert resolve_secret_ref(f"file:{pass_file}") == PASSPHRASE
    with pytest.raises(InputError) as error:
        resolve_secret_ref("env:NOT_SET_ANYWHERE_42")
    assert "NOT_SET" in str(error.value)  # the variable's name, never a value


def test_broken_blocks_are_diagnostics_and_the_rest_still_loads(material, tmp_path: Path) -> None:
    _, inter, leaf = material
    broken = b"-----BEGIN CERTIFICATE-----\nMIIB!!notbase64\n-----END CERTIFICATE-----\n"
    garbage_der = b"-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n"
    data = leaf.pem + broken + garbage_der + inter.pem
    path = write(tmp_path, "mixed.pem", data)
    loaded = load_file(str(path))
    assert [c.cert for c in loaded.certificates] == [leaf.cert, inter.cert]
    assert [d.location.line for d in loaded.diagnostics] == [
        data.count(b"\n", 0, data.index(broken)) + 1,
        data.count(b"\n", 0, data.index(garbage_der)) + 1,
    ]


@pytest.mark.parametrize(
    ("filename", "data", "diagnosed"),
    [
        ("server.crt", b"this is not a certificate\n", True),  # PKI name, no PKI content
        ("notes.txt", b"nothing to see\n", False),  # not PKI at all: silently skipped
        ("empty.pem", b"", True),
        ("unterminated.pem", b"-----BEGIN CERTIFICATE-----\nMIIB\n", True),
        ("random.der", os.urandom(512), True),
    ],
)
def test_non_pki_and_broken_files(filename: str, data: bytes, diagnosed: bool, tmp_path: Path) -> None:
    result = PkiScan(AT).add(str(write(tmp_path, filename, data)))
    assert not result.subjects
    assert bool(result.diagnostics) is diagnosed


def test_truncated_and_mutated_material_never_crashes(material, tmp_path: Path) -> None:
    """A small fuzz: every prefix and single-byte corruption of a DER certificate, PEM chain and
    PKCS#12 file gives subjects or diagnostics, never an exception."""
    _, inter, leaf = material
    samples = [
        leaf.cert.public_bytes(DER),
        pem(leaf, inter),
        pkcs12.serialize_key_and_certificates(b"x", leaf.key, leaf.cert, None, serialization.NoEncryption()),
    ]
    scan = PkiScan(AT)
    path = str(tmp_path / "fuzz.pem")
    for sample in samples:
        variants = [sample[:cut] for cut in range(0, len(sample), max(1, len(sample) // 60))]
        variants += [sample[:i] + bytes([sample[i] ^ 0xFF]) + sample[i + 1 :] for i in range(0, len(sample), 7)]
        for variant in variants:
            Path(path).write_bytes(variant)
            scan.add(path)
    scan.finish()


def test_a_malformed_pkcs12_is_a_located_warning_not_a_python_warning(material, tmp_path: Path) -> None:
    """Found by the fuzzing test above: trailing bytes make cryptography warn on stderr while it reads the
    bundle leniently. The user gets a diagnostic at the file; the certificate is still read."""
    import warnings

    _, _, leaf = material
    bundle = pkcs12.serialize_key_and_certificates(b"x", leaf.key, leaf.cert, None, serialization.NoEncryption())
    path = write(tmp_path, "device.p12", bundle + b"\x00\x00")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping to the user fails the test
        loaded = load_file(str(path))
    assert [d.message for d in loaded.diagnostics] == ["PKCS#12 bundle is not valid DER (read leniently as BER)"]
    assert [entry.cert for entry in loaded.certificates] == [leaf.cert]


# --- files that only mention PEM armour are code, not PKI material -------------------------------------


def _check(tree: Path, *paths: str):  # type: ignore[no-untyped-def]
    from tlslint.policy import DEFAULT_POLICY, load_policy
    from tlslint.run import lint

    (tree / ".git").mkdir(exist_ok=True)
    return lint([str(tree / p) for p in paths] or [str(tree)], load_policy(DEFAULT_POLICY), at=AT)


def test_code_that_mentions_pem_armour_is_not_an_input_error(material, tmp_path: Path) -> None:
    """A Python tool that writes PEM, or a README quoting a BEGIN line, holds no block: it is not read as
    PKI (it was an input error, exit 3, failing the gate on ordinary code). Code that embeds a whole
    certificate still has it read, and a file named like a key is still diagnosed when it is truncated."""
    _root, _inter, leaf = material
    writer = 'HEADER = b"-----BEGIN CERTIFICATE-----\\n"\nFOOTER = b"-----END CERTIFICATE-----\\n"\n'
    (tmp_path / "writer.py").write_text(writer)
    (tmp_path / "README.md").write_text("Paste the `-----BEGIN PRIVATE KEY-----` line and what follows.\n")
    (tmp_path / "fixture.py").write_text(f'LEAF = """{leaf.pem.decode()}"""\n')
    (tmp_path / "id_rsa").write_text("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n")
    result = _check(tmp_path)
    read = sorted(os.path.basename(f.path) for f in result.inputs.files)
    assert read == ["fixture.py", "id_rsa"]
    errors = [(os.path.basename(d.location.path), d.message) for d in result.inputs.diagnostics if d.severity != "info"]
    assert errors == [("id_rsa", "PEM block has no matching -----END line")]
    assert any(s.kind == "certificate" for s in result.inputs.subjects)


def test_a_truncated_certificate_a_configuration_names_is_diagnosed_whatever_its_name(tmp_path: Path) -> None:
    (tmp_path / "server.txt").write_text("-----BEGIN CERTIFICATE-----\nMIIB\n")
    (tmp_path / "nginx.conf").write_text(
        "http { server { listen 443 ssl; ssl_certificate server.txt; ssl_certificate_key server.txt; } }\n"
    )
    result = _check(tmp_path, "nginx.conf")
    assert any(
        os.path.basename(d.location.path) == "server.txt" and "no matching -----END line" in d.message
        for d in result.inputs.diagnostics
    )


def test_many_begin_lines_cost_linear_time() -> None:
    """One search per distinct label: 50,000 BEGIN lines without an END are answered at once."""
    import time

    from tlslint.pki.detect import has_whole_pem_block

    data = b"-----BEGIN CERTIFICATE-----\n" * 50_000
    started = time.process_time()
    assert not has_whole_pem_block(data)
    assert time.process_time() - started < 2.0  # quadratic: about 50,000 scans of 1.4 MB
    assert has_whole_pem_block(data + b"-----END CERTIFICATE-----\n")
