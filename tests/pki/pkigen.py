"""Generate certificates and keys for the PKI tests, at test time (private keys are never committed).

Keys are cached per process (RSA generation is the slow part); certificates are cheap.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: The date the tests judge certificates at (fixed, so the suite never rots).
AT = datetime.date(2026, 11, 24)
NOW = datetime.datetime(2026, 11, 24, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)

SERVER = ExtendedKeyUsageOID.SERVER_AUTH
CLIENT = ExtendedKeyUsageOID.CLIENT_AUTH


@functools.cache
def key(kind: str = "ec256", slot: int = 0) -> Any:
    """A private key; ``slot`` gives distinct keys of the same kind."""
    if kind.startswith("rsa"):
        exponent = 3 if kind.endswith("e3") else 65537
        bits = int(kind[3:].removesuffix("e3"))
        return rsa.generate_private_key(exponent, bits)
    if kind == "ec256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "ec384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind == "ec192":
        return ec.generate_private_key(ec.SECP192R1())
    if kind == "ec224":
        return ec.generate_private_key(ec.SECP224R1())
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if kind == "ed448":
        return ed448.Ed448PrivateKey.generate()
    raise ValueError(kind)


def name(cn: str, org: str | None = "Charging Operator GmbH") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


@dataclass
class Issued:
    cert: x509.Certificate
    key: Any

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


_UNSET: Any = object()


def make(
    cn: str,
    *,
    issuer: Issued | None = None,
    key_kind: str = "ec256",
    key_slot: int = 0,
    ca: bool | None = False,
    path_length: int | None = None,
    key_usage: set[str] | Any | None = _UNSET,
    eku: list[Any] | None = _UNSET,
    san: list[str] | None = _UNSET,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
    days: int = 90,
    serial: int | None = None,
    hash_alg: Any = _UNSET,
    ski: bool = True,
    aki: bool = True,
    pointers: bool = True,
    org: str | None = "Charging Operator GmbH",
    subject: x509.Name | None = None,
) -> Issued:
    """One certificate. Defaults make a sound EC P-256 TLS server leaf (or CA with ``ca=True``)."""
    private = key(key_kind, key_slot)
    subject_name = subject or name(cn, org)
    signer = issuer.key if issuer else private
    issuer_name = issuer.cert.subject if issuer else subject_name
    start = not_before or NOW - 10 * DAY
    end = not_after or start + days * DAY
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject_name)
        .issuer_name(issuer_name)
        .public_key(private.public_key())
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
    )
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
    if key_usage is _UNSET:
        key_usage = {"key_cert_sign", "crl_sign"} if ca else {"digital_signature"}
    if key_usage is not None:
        flags = {
            f: f in key_usage
            for f in (
                "digital_signature",
                "content_commitment",
                "key_encipherment",
                "data_encipherment",
                "key_agreement",
                "key_cert_sign",
                "crl_sign",
            )
        }
        builder = builder.add_extension(x509.KeyUsage(**flags, encipher_only=False, decipher_only=False), critical=True)
    if eku is _UNSET:
        eku = None if ca else [SERVER]
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    if san is _UNSET:
        san = None if ca else [cn]
    if san is not None:
        names: list[x509.GeneralName] = []
        for entry in san:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(entry)))
            except ValueError:
                names.append(x509.DNSName(entry))
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    if ski:
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(private.public_key()), critical=False)
    if aki:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False
        )
    if pointers and issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        x509.oid.AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier("http://ocsp.operator.invalid"),
                    )
                ]
            ),
            critical=False,
        )
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier("http://crl.operator.invalid/ca.crl")], None, None, None
                    )
                ]
            ),
            critical=False,
        )
    if hash_alg is _UNSET:
        hash_alg = None if isinstance(signer, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey) else hashes.SHA256()
    cert = builder.sign(signer, hash_alg)
    return Issued(cert, private)


def key_pem(private: Any, *, fmt: str = "pkcs8", passphrase: bytes | None = None) -> bytes:
    formats = {
        "pkcs8": serialization.PrivateFormat.PKCS8,
        "pkcs1": serialization.PrivateFormat.TraditionalOpenSSL,
        "sec1": serialization.PrivateFormat.TraditionalOpenSSL,
        "openssh": serialization.PrivateFormat.OpenSSH,
    }
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    return private.private_bytes(serialization.Encoding.PEM, formats[fmt], encryption)


def write(directory: Path, filename: str, data: bytes, mode: int = 0o644) -> Path:
    path = directory / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.chmod(path, mode)
    return path


def pem(*items: Issued) -> bytes:
    return b"".join(item.pem for item in items)


def ca_hierarchy() -> tuple[Issued, Issued]:
    """A sound root and issuing intermediate."""
    root = make("Operator Root CA", ca=True, key_kind="ec384", days=3650, pointers=False, not_before=NOW - 400 * DAY)
    inter = make(
        "Operator Issuing CA", ca=True, path_length=0, issuer=root, key_slot=1, days=1825, not_before=NOW - 300 * DAY
    )
    return root, inter


def _tlv(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(raw)]) + raw + content


def _children(der: bytes) -> list[bytes]:
    """The complete TLVs inside a DER SEQUENCE (short enough for test certificates)."""
    first = der[1]
    offset = 2 + (first & 0x7F if first & 0x80 else 0)
    out = []
    while offset < len(der):
        first = der[offset + 1]
        if first & 0x80:
            count = first & 0x7F
            size, head = int.from_bytes(der[offset + 2 : offset + 2 + count], "big"), 2 + count
        else:
            size, head = first, 2
        out.append(der[offset : offset + head + size])
        offset += head + size
    return out


_ECDSA_SHA1 = _tlv(0x30, bytes.fromhex("06072a8648ce3d0401"))
_ECDSA_SHA256 = _tlv(0x30, bytes.fromhex("06082a8648ce3d040302"))


def resign(cert: x509.Certificate, issuer_key: Any, *, sha1: bool = False, v1: bool = False) -> x509.Certificate:
    """Re-sign ``cert`` (EC issuer) in ways ``cryptography``'s builder refuses: a SHA-1 signature, or an
    X.509 v1 body without extensions. Dates and names stay as generated, so tests stay deterministic."""
    from cryptography.hazmat.primitives.asymmetric import ec as _ec

    tbs_parts = _children(cert.tbs_certificate_bytes)
    if tbs_parts[0][0] == 0xA0 and v1:
        tbs_parts = tbs_parts[1:]
    if v1:
        tbs_parts = [part for part in tbs_parts if part[0] != 0xA3]
    algorithm = _ECDSA_SHA1 if sha1 else _ECDSA_SHA256
    index = 2 if tbs_parts[0][0] == 0xA0 else 1  # the signature AlgorithmIdentifier follows the serial
    tbs_parts[index] = algorithm
    tbs = _tlv(0x30, b"".join(tbs_parts))
    signature = issuer_key.sign(tbs, _ec.ECDSA(hashes.SHA1() if sha1 else hashes.SHA256()))
    return x509.load_der_x509_certificate(_tlv(0x30, tbs + algorithm + _tlv(0x03, b"\x00" + signature)))


def sha1_signed_leaf(issuer: Issued, cn: str = "csms.operator.net") -> Issued:
    """A SHA-1-signed leaf (``cryptography`` refuses to create SHA-1 signatures itself)."""
    leaf = make(cn, issuer=issuer, key_slot=7)
    return Issued(resign(leaf.cert, issuer.key, sha1=True), leaf.key)


def v1_leaf(issuer: Issued, cn: str = "v1.operator.net") -> Issued:
    """An X.509 v1 leaf: no extensions at all."""
    leaf = make(cn, issuer=issuer, key_slot=8)
    return Issued(resign(leaf.cert, issuer.key, v1=True), leaf.key)


def _probable_prime(n: int) -> bool:
    if n < 2 or n % 2 == 0:
        return n == 2
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


@functools.cache
def roca_key() -> rsa.RSAPrivateKey:
    """An RSA key with the structure of CVE-2017-15361 (Infineon RSALib): both primes are
    k * M + (65537^a mod M) for M the product of the first primes, which is what the detector sees.
    Built from the public description of the flaw, so the detector is tested on a real positive."""
    import random

    primes = [p for p in range(3, 168) if all(p % q for q in range(2, p))]
    modulus_m = 1
    for p in primes:
        modulus_m *= p
    rng = random.Random(15361)  # deterministic test data, not a secret

    low, high = (3 << 1022) // modulus_m + 1, (1 << 1024) // modulus_m - 1  # p*q is a full 2048-bit modulus

    def roca_prime() -> int:
        while True:
            candidate = rng.randrange(low, high) * modulus_m + pow(65537, rng.getrandbits(32), modulus_m)
            if _probable_prime(candidate):
                return candidate

    p, q = roca_prime(), roca_prime()
    e = 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q))
    return numbers.private_key()
