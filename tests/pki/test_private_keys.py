"""An RSA private key is read as TLS servers read it: its numbers must fit together, but its factors are
not tested for primality (that test cost ~60 ms a key, and nginx loads such a key without complaint)."""

from __future__ import annotations

import datetime
import hashlib
import math
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pkigen import key

from tlslint import run
from tlslint.sources.base import ParseContext


def _pem(numbers: rsa.RSAPrivateNumbers) -> bytes:
    private = numbers.private_key(unsafe_skip_rsa_key_validation=True)
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _composite_factor_key() -> rsa.RSAPrivateNumbers:
    """Consistent RSA numbers whose p is the product of two primes (taken from a generated key)."""
    e = 65537
    for slot in range(20):
        two_primes = key("rsa2048", slot=100 + slot).private_numbers()
        q = key("rsa2048", slot=200 + slot).private_numbers().p  # n: 3,072 bits
        p = two_primes.p * two_primes.q
        lam = math.lcm(p - 1, q - 1)
        if math.gcd(e, lam) == 1:
            d = pow(e, -1, lam)
            return rsa.RSAPrivateNumbers(
                p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q)
            )
    raise AssertionError("no usable composite factor found")


def _read(path: Path) -> run.ParsedInputs:
    return run.parse_inputs([str(path)], ParseContext(at=datetime.date(2026, 12, 4)), jobs=1)


def _spki(numbers: rsa.RSAPrivateNumbers) -> str:
    der = numbers.public_numbers.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def test_a_key_with_a_composite_factor_is_read_as_servers_read_it(tmp_path: Path) -> None:
    numbers = _composite_factor_key()
    (tmp_path / "server.key").write_bytes(_pem(numbers))
    parsed = _read(tmp_path / "server.key")
    assert not [d for d in parsed.diagnostics if "does not parse" in d.message]
    (subject,) = [s for s in parsed.subjects if s.kind == "key"]
    assert subject.value("key.spki_sha256") == _spki(numbers)


@pytest.mark.parametrize(
    "broken",
    [
        lambda n: rsa.RSAPrivateNumbers(n.p, n.q, n.d, n.dmp1, n.dmq1, n.iqmp + 1, n.public_numbers),
        lambda n: rsa.RSAPrivateNumbers(n.p, n.q, n.d + 2, n.dmp1, n.dmq1, n.iqmp, n.public_numbers),
        lambda n: rsa.RSAPrivateNumbers(n.p, n.q, n.d, n.dmp1 + 2, n.dmq1, n.iqmp, n.public_numbers),
    ],
    ids=["iqmp", "d", "dmp1"],
)
def test_a_key_whose_numbers_do_not_fit_together_does_not_parse(tmp_path: Path, broken) -> None:
    sound = key("rsa2048", slot=300).private_numbers()
    (tmp_path / "server.key").write_bytes(_pem(broken(sound)))
    parsed = _read(tmp_path / "server.key")
    assert [d.message for d in parsed.diagnostics] == ["private key does not parse"]


@pytest.mark.skipif(shutil.which("nginx") is None, reason="needs nginx")
def test_nginx_accepts_the_composite_factor_key(tmp_path: Path) -> None:
    """The real engine settles it: ``nginx -t`` loads the key and checks that it fits the certificate."""
    numbers = _composite_factor_key()
    private = numbers.private_key(unsafe_skip_rsa_key_validation=True)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "composite.test")])
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=365))
        .sign(private, hashes.SHA256())
    )
    (tmp_path / "server.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "server.key").write_bytes(_pem(numbers))
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ access_log off; server {{ listen 127.0.0.1:18443 ssl; "
        f"ssl_certificate {tmp_path}/server.crt; ssl_certificate_key {tmp_path}/server.key; }} }}\n",
        encoding="utf-8",
    )
    checked = subprocess.run(["nginx", "-t", "-c", str(conf)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
