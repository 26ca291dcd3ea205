"""Parse PKI files into typed entries: certificates, private keys (public half only) and CRLs.

One file may hold many objects (a PEM bundle, a PKCS#7 or PKCS#12 container); each entry keeps its
file and, for PEM, the line of its ``-----BEGIN`` marker, so a finding points at the right certificate
in a bundle. A block that fails to parse becomes a :class:`~tlslint.model.diagnostic.Diagnostic` and the
other blocks are still read; a file in which nothing parses raises :class:`~tlslint.errors.InputError`.

Secrets: a private key is loaded only to learn its type, size and public half; the private object is
dropped at once and never stored. Passphrases are used for one call and never kept. No message here
ever includes text from ``cryptography``'s exceptions about keys (they could quote key data in a
future version) — only fixed wording.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

from tlslint.errors import InputError
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location
from tlslint.pki.detect import Sniff, certificate_parts, der_key_format, sniff

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

#: Largest PKI file read (a full OS root bundle is ~250 KB; a PKCS#12 archive a few KB).
MAX_PKI_BYTES = 16 * 1024 * 1024

#: Where a passphrase comes from: given the file path, return its bytes (or None). Callers resolve
#: references (``env:NAME``, ``file:PATH``) with :func:`resolve_secret_ref`; the value is never stored.
PassphraseLookup = Callable[[str], bytes | None]

#: The line that opens a PEM block (RFC 7468: upper-case label, spaces allowed); its block ends at the
#: first ``-----END <same label>-----`` after it (:func:`pem_blocks`).
_PEM_BEGIN_LINE = re.compile(rb"-----BEGIN ([A-Z0-9][A-Z0-9 #]*?)-----\r?\n")
_CERT_LABELS = (b"CERTIFICATE", b"X509 CERTIFICATE", b"TRUSTED CERTIFICATE")
_LEGACY_KEY_LABELS = {b"RSA PRIVATE KEY": "RSA", b"EC PRIVATE KEY": "EC", b"DSA PRIVATE KEY": "DSA"}


class CertEntry:
    """One certificate of a file: where it is, how it was stored, and its DER bytes.

    The parsed ``cryptography`` object is kept only while the file is being described; :meth:`release`
    drops it once its facts are extracted (a 10,000-certificate run must not hold 10,000 parsed
    certificates until the report is written), and :attr:`cert` parses the DER again on the rare later
    use (chain building, linking)."""

    __slots__ = ("_cert", "der", "encoding", "index", "line", "path")

    def __init__(
        self, cert: x509.Certificate | None, path: str, line: int | None, index: int, encoding: str, der: bytes
    ) -> None:
        self._cert = cert
        self.path = path
        self.line = line  # line of the -----BEGIN marker; None for DER and binary containers
        self.index = index  # position among the certificates of the file
        self.encoding = encoding  # pem der pkcs7 pkcs12
        self.der = der

    @property
    def cert(self) -> x509.Certificate:
        if self._cert is None:
            self._cert = _x509().load_der_x509_certificate(self.der)
        return self._cert

    def release(self) -> None:
        """Forget the parsed certificate (its DER stays; :attr:`cert` parses it again when asked)."""
        self._cert = None

    @property
    def location(self) -> Location:
        return Location(self.path, self.line)

    def __reduce__(self) -> tuple[Any, ...]:
        # Travels from a --jobs worker without the parsed certificate, as its values (tlslint.pki.scan.FileFacts).
        return CertEntry, (None, self.path, self.line, self.index, self.encoding, self.der)

    def __repr__(self) -> str:
        return f"CertEntry(path={self.path!r}, line={self.line!r}, index={self.index!r}, encoding={self.encoding!r})"


class KeyEntry:
    """A private key as far as it may be known without keeping it: its public half.

    The records of this module are plain classes, not dataclasses: a run that reads one certificate
    defines them all, and a dataclass costs about 0.4 ms to define, a plain class a hundredth."""

    __slots__ = ("encrypted", "encryption", "format", "index", "line", "path", "public_key", "type_hint")

    def __init__(
        self,
        path: str,
        line: int | None,
        index: int,
        format: str,
        encrypted: bool,
        public_key: PublicKeyTypes | None = None,
        type_hint: str | None = None,
        encryption: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.index = index
        self.format = format  # pkcs1 pkcs8 sec1 pkcs12 openssh
        self.encrypted = encrypted
        self.public_key = public_key  # None when encrypted and no passphrase was given
        self.type_hint = type_hint  # from the PEM label of a legacy encrypted key (RSA, EC, DSA)
        self.encryption = encryption  # legacy PEM DEK-Info cipher name

    @property
    def location(self) -> Location:
        return Location(self.path, self.line)

    def __repr__(self) -> str:  # never the key itself: its kind and place
        return f"KeyEntry(path={self.path!r}, line={self.line!r}, index={self.index!r}, format={self.format!r})"


class CrlEntry:
    """A CRL of a file (a plain class: few runs read one, every run that reads a certificate defines it)."""

    __slots__ = ("crl", "line", "path")

    def __init__(self, crl: Any, path: str, line: int | None) -> None:
        self.crl = crl  # x509.CertificateRevocationList
        self.path = path
        self.line = line


class PkiFile:
    """Everything one file holds, parsed."""

    __slots__ = ("certificates", "crls", "diagnostics", "file_mode", "keys", "path", "sniffed")

    def __init__(self, path: str, sniffed: Sniff) -> None:
        self.path = path
        self.sniffed = sniffed
        self.certificates: list[CertEntry] = []
        self.keys: list[KeyEntry] = []
        self.crls: list[CrlEntry] = []
        self.diagnostics: list[Diagnostic] = []
        self.file_mode: int | None = None  # permission bits (POSIX), for key files

    @property
    def empty(self) -> bool:
        return not (self.certificates or self.keys or self.crls)


def resolve_secret_ref(ref: str) -> bytes:
    """The passphrase a reference points at: ``env:NAME``, ``file:PATH`` / ``file://PATH``.

    Raises :class:`InputError` (without the value) when the reference cannot be resolved."""
    if ref.startswith("env:"):
        value = os.environ.get(ref[4:])
        if value is None:
            raise InputError(ref, "passphrase environment variable is not set")
        return value.encode("utf-8")
    if ref.startswith("file:"):
        path = ref[7:] if ref.startswith("file://") else ref[5:]
        from tlslint import safe_read

        try:
            return safe_read.read_bytes(path, limit=64 * 1024).rstrip(b"\r\n")
        except InputError:
            raise InputError(path, "cannot read the passphrase file") from None
    # Located nowhere rather than at ref[:16]: a literal passphrase given by mistake must not be shown.
    raise InputError("passphrase reference", "must be env:NAME or file:PATH")


def read_pki_file(path: str) -> bytes:
    from tlslint import safe_read

    too_large = f"is larger than {MAX_PKI_BYTES // (1024 * 1024)} MiB; not read as PKI material"
    return safe_read.read_bytes(path, limit=MAX_PKI_BYTES, too_large=too_large)


def load_file(
    path: str,
    data: bytes | None = None,
    *,
    passphrase: PassphraseLookup | None = None,
    sniffed: Sniff | None = None,
) -> PkiFile:
    """Parse one PKI file. ``data`` defaults to the file's bytes; ``sniffed`` to :func:`sniff` of them.

    Raises :class:`InputError` when the file does not look like PKI material or nothing in it parses.
    """
    if data is None:
        data = read_pki_file(path)
    found = sniffed or sniff(data)
    if found is None:
        raise InputError(path, "no PEM block or DER certificate, key, CRL, PKCS#7 or PKCS#12 structure found")
    result = PkiFile(path, found)
    if found.kind == "pem":
        _load_pem(path, data, result, passphrase)
    else:
        _load_der(path, data, found.kind, result, passphrase)
    if result.keys:
        result.file_mode = _file_mode(path)  # judged for key files only
    if result.empty and result.diagnostics:
        first = result.diagnostics[0]
        if first.severity == "error" and len(result.diagnostics) == 1:
            raise InputError(first.location, first.message)
    return result


def _file_mode(path: str) -> int | None:
    if os.name != "posix":
        return None
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


# --- PEM ----------------------------------------------------------------------------------------


def _load_pem(path: str, data: bytes, result: PkiFile, passphrase: PassphraseLookup | None) -> None:
    line, last = 1, 0
    cert_index = key_index = blocks = 0
    for start, label, body, block in pem_blocks(data):
        blocks += 1
        line += data.count(b"\n", last, start)
        last = start
        where = Location(path, line)
        headers, b64 = _split_headers(body)
        try:
            der = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            result.diagnostics.append(Diagnostic(where, f"{label.decode()} block is not valid base64"))
            continue
        if label in _CERT_LABELS:
            if label == b"TRUSTED CERTIFICATE":
                der = _first_der_object(der)  # OpenSSL appends trust settings after the certificate
            cert = _parse_certificate(der, where, result)
            if cert is not None:
                result.certificates.append(CertEntry(cert, path, line, cert_index, "pem", der))
                cert_index += 1
        elif label in (b"PKCS7", b"CMS"):
            for cert in _parse_pkcs7(der, where, result):
                result.certificates.append(CertEntry(cert, path, line, cert_index, "pkcs7", _der_of(cert)))
                cert_index += 1
        elif label == b"X509 CRL":
            crl = _parse_crl(der, where, result)
            if crl is not None:
                result.crls.append(CrlEntry(crl, path, line))
        elif label in (b"PRIVATE KEY", b"ENCRYPTED PRIVATE KEY") or label in _LEGACY_KEY_LABELS:
            entry = _parse_pem_key(label, headers, der, block, where, key_index, result, passphrase)
            if entry is not None:
                result.keys.append(entry)
                key_index += 1
        elif label == b"OPENSSH PRIVATE KEY":
            entry = _parse_openssh_key(block, where, key_index, result, passphrase)
            if entry is not None:
                result.keys.append(entry)
                key_index += 1
        # Public keys, CSRs and parameters are recognised (they make the file PKI) but not linted.
    if not blocks:
        result.diagnostics.append(Diagnostic(Location(path, 1), "PEM block has no matching -----END line"))


def pem_blocks(data: bytes) -> Iterator[tuple[int, bytes, bytes, bytes]]:
    """The PEM blocks of ``data`` in order: (offset, label, text between the BEGIN line and the END marker,
    the whole block). A block runs from its BEGIN line to the first END marker of the same label, and the
    next block is looked for after it; a BEGIN line without one opens no block.

    What ``BEGIN (label)-----\\r?\\n(.*?)-----END \\1-----`` finds, without its cost: that expression tried
    the END marker at every byte of a block (a fifth of reading a certificate), and scanned to the end of
    the data again for every BEGIN line without an END — quadratic in a file of unterminated blocks (2,000
    of them in 1 MB: 13 s). Here each END marker is found with ``bytes.find``, and a label known to have
    no END marker after some BEGIN line has none after a later one either."""
    unterminated: set[bytes] = set()
    resume = 0
    for begin in _PEM_BEGIN_LINE.finditer(data):
        start, label = begin.start(), begin.group(1)
        if start < resume or label in unterminated:
            continue  # inside the block before, or no END marker of its label follows
        end_marker = b"-----END " + label + b"-----"
        end = data.find(end_marker, begin.end())
        if end < 0:
            unterminated.add(label)
            continue
        resume = end + len(end_marker)
        yield start, label, data[begin.end() : end], data[start:resume]


def _split_headers(body: bytes) -> tuple[dict[str, str], bytes]:
    """RFC 1421 headers (``Proc-Type``, ``DEK-Info``) of a legacy encrypted key, and the base64 text."""
    headers: dict[str, str] = {}
    if b":" in body.split(b"\n", 1)[0]:
        head, _, rest = body.partition(b"\n\n") if b"\n\n" in body else body.partition(b"\r\n\r\n")
        for raw in head.splitlines():
            name, _, value = raw.decode("ascii", "replace").partition(":")
            headers[name.strip()] = value.strip()
        body = rest
    return headers, b"".join(body.split())


def _first_der_object(der: bytes) -> bytes:
    if len(der) < 2:
        return der
    first = der[1]
    if first < 0x80:
        return der[: 2 + first]
    count = first & 0x7F
    return der[: 2 + count + int.from_bytes(der[2 : 2 + count], "big")]


def _der_of(cert: x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return cert.public_bytes(Encoding.DER)


@functools.cache
def _x509() -> ModuleType:
    """``cryptography.x509``, imported on first use (a run without PKI files never pays for it) and then
    looked up once, not per certificate."""
    from cryptography import x509

    return x509


def _parse_certificate(der: bytes, where: Location, result: PkiFile) -> x509.Certificate | None:
    try:
        cert = _x509().load_der_x509_certificate(der)
        # cryptography parses lazily: touch what facts read, so damage is reported here, at its block.
        # An issuer name or a key encoded exactly as one decoded before decodes again (facts takes it
        # from its memory of them): a fleet's certificates share both.
        from tlslint.pki.facts import issuer_decoded_before
        from tlslint.pki.keys import decoded_before

        encoded_issuer, encoded_key = certificate_parts(der) or (None, None)
        if not decoded_before(encoded_key):
            cert.public_key()
        if not issuer_decoded_before(encoded_issuer):
            _ = cert.issuer
        _ = (cert.subject, cert.extensions, cert.not_valid_after_utc, cert.signature_algorithm_oid)
        return cert
    except Exception as error:
        result.diagnostics.append(Diagnostic(where, f"certificate does not parse: {_short(error)}"))
        return None


def _parse_pkcs7(der: bytes, where: Location, result: PkiFile) -> list[x509.Certificate]:
    from cryptography.hazmat.primitives.serialization import pkcs7

    try:
        return list(pkcs7.load_der_pkcs7_certificates(der))
    except Exception as error:
        result.diagnostics.append(Diagnostic(where, f"PKCS#7 structure does not parse: {_short(error)}"))
        return []


def _parse_crl(der: bytes, where: Location, result: PkiFile) -> Any:
    from cryptography import x509

    try:
        return x509.load_der_x509_crl(der)
    except Exception as error:
        result.diagnostics.append(Diagnostic(where, f"CRL does not parse: {_short(error)}"))
        return None


def _short(error: Exception) -> str:
    """A one-line reason from a certificate/CRL parser error (these never contain key material)."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:160]


def _parse_pem_key(
    label: bytes,
    headers: dict[str, str],
    der: bytes,
    block: bytes,
    where: Location,
    index: int,
    result: PkiFile,
    passphrase: PassphraseLookup | None,
) -> KeyEntry | None:
    from cryptography.hazmat.primitives import serialization

    if label == b"PRIVATE KEY":
        fmt, encrypted = "pkcs8", False
    elif label == b"ENCRYPTED PRIVATE KEY":
        fmt, encrypted = "pkcs8", True
    else:
        fmt = "sec1" if label == b"EC PRIVATE KEY" else "pkcs1"
        encrypted = "ENCRYPTED" in headers.get("Proc-Type", "")
    hint = _LEGACY_KEY_LABELS.get(label)
    cipher = (headers.get("DEK-Info", "").split(",")[0] or None) if encrypted else None
    entry = KeyEntry(where.path, where.line, index, fmt, encrypted, None, hint, cipher)
    secret = passphrase(where.path) if (encrypted and passphrase is not None) else None
    if encrypted and secret is None:
        return entry  # known to be encrypted; its type stays unknown for PKCS#8
    try:
        if encrypted:
            private = _private_key(serialization.load_pem_private_key, block, secret)
        else:
            private = _private_key(serialization.load_der_private_key, der, None)
    except (ValueError, TypeError):
        problem = "cannot be decrypted with the given passphrase" if encrypted else "does not parse"
        result.diagnostics.append(Diagnostic(where, f"{label.decode().lower()} {problem}"))
        return None
    except Exception:
        result.diagnostics.append(Diagnostic(where, f"{label.decode().lower()} uses an unsupported algorithm"))
        return None
    entry.public_key = private.public_key()
    del private
    return entry


def _parse_openssh_key(
    block: bytes, where: Location, index: int, result: PkiFile, passphrase: PassphraseLookup | None
) -> KeyEntry | None:
    from cryptography.hazmat.primitives import serialization

    try:
        private = serialization.load_ssh_private_key(block, None)
    except TypeError:
        # Encrypted: open it only when the caller has the passphrase (by reference), to learn the key.
        secret = passphrase(where.path) if passphrase is not None else None
        if secret is None:
            return KeyEntry(where.path, where.line, index, "openssh", True)
        try:
            private = serialization.load_ssh_private_key(block, secret)
        except (ValueError, TypeError):
            result.diagnostics.append(
                Diagnostic(where, "OpenSSH private key cannot be decrypted with the given passphrase")
            )
            return KeyEntry(where.path, where.line, index, "openssh", True)
        entry = KeyEntry(where.path, where.line, index, "openssh", True, private.public_key())
        del private
        return entry
    except Exception:
        # OpenSSH keys say whether they are encrypted in clear text ("none" cipher otherwise).
        encrypted = b"bcrypt" in base64.b64decode(b"".join(block.split(b"\n")[1:-1]) + b"==", validate=False)[:64]
        if encrypted:
            return KeyEntry(where.path, where.line, index, "openssh", True)
        result.diagnostics.append(Diagnostic(where, "OpenSSH private key does not parse"))
        return None
    entry = KeyEntry(where.path, where.line, index, "openssh", False, private.public_key())
    del private
    return entry


# --- DER and binary containers ------------------------------------------------------------------


def _load_der(path: str, data: bytes, kind: str, result: PkiFile, passphrase: PassphraseLookup | None) -> None:
    where = Location(path)
    if kind == "der-certificate":
        der = _first_der_object(data)
        cert = _parse_certificate(der, where, result)
        if cert is not None:
            result.certificates.append(CertEntry(cert, path, None, 0, "der", der))
    elif kind == "der-crl":
        crl = _parse_crl(_first_der_object(data), where, result)
        if crl is not None:
            result.crls.append(CrlEntry(crl, path, None))
    elif kind == "der-pkcs7":
        for index, cert in enumerate(_parse_pkcs7(data, where, result)):
            result.certificates.append(CertEntry(cert, path, None, index, "pkcs7", _der_of(cert)))
    elif kind == "pkcs12":
        _load_pkcs12(path, data, result, passphrase)
    elif kind in ("der-private-key", "der-encrypted-private-key"):
        _load_der_key(path, data, kind, result, passphrase)


def _private_key(load: Callable[..., Any], data: bytes, secret: bytes | None) -> Any:
    """A private key read with ``load`` (a ``cryptography`` loader), only to learn its public key.

    For RSA, ``cryptography`` by default runs OpenSSL's full key check, which tests that both factors
    are prime: about 60 ms for a 2048-bit key, most of a one-file run. No TLS server does that when it
    loads its key (nginx and ``openssl pkey`` accept a key with a composite factor; only
    ``openssl rsa -check`` refuses it), so the primes are not tested here. Everything else the check
    looks at is, with integer arithmetic: a key whose numbers do not fit together still does not parse."""
    private = load(data, secret, unsafe_skip_rsa_key_validation=True)
    from cryptography.hazmat.primitives.asymmetric import rsa

    if isinstance(private, rsa.RSAPrivateKey) and not _consistent(private.private_numbers()):
        raise ValueError("the RSA private key's numbers are inconsistent")
    return private


def _consistent(numbers: Any) -> bool:
    """What OpenSSL's RSA key check verifies besides primality: n = pq, e odd and above 1, d the inverse
    of e modulo lcm(p - 1, q - 1), and the CRT values derived from them."""
    from math import lcm

    p, q, d, e, n = numbers.p, numbers.q, numbers.d, numbers.public_numbers.e, numbers.public_numbers.n
    return (
        p > 1
        and q > 1
        and p * q == n
        and e > 1
        and e % 2 == 1
        and (d * e) % lcm(p - 1, q - 1) == 1
        and numbers.dmp1 == d % (p - 1)
        and numbers.dmq1 == d % (q - 1)
        and (numbers.iqmp * q) % p == 1
    )


def _load_der_key(path: str, data: bytes, kind: str, result: PkiFile, passphrase: PassphraseLookup | None) -> None:
    from cryptography.hazmat.primitives import serialization

    where = Location(path)
    encrypted = kind == "der-encrypted-private-key"
    fmt = "pkcs8" if encrypted else der_key_format(data)
    entry = KeyEntry(path, None, 0, fmt, encrypted)
    secret = passphrase(path) if (encrypted and passphrase is not None) else None
    if encrypted and secret is None:
        result.keys.append(entry)
        return
    try:
        private = _private_key(serialization.load_der_private_key, _first_der_object(data), secret)
    except Exception:
        problem = "cannot be decrypted with the given passphrase" if encrypted else "does not parse"
        result.diagnostics.append(Diagnostic(where, f"DER private key {problem}"))
        return
    entry.public_key = private.public_key()
    del private
    result.keys.append(entry)


def _load_pkcs12(path: str, data: bytes, result: PkiFile, passphrase: PassphraseLookup | None) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs12

    where = Location(path)
    given = passphrase(path) if passphrase is not None else None
    # Without a passphrase, try the two "no password" conventions (absent, and empty string).
    attempts: list[bytes | None] = [given] if given is not None else [None, b""]
    loaded = None
    for attempt in attempts:
        # cryptography warns (on stderr, unlocated) when it has to read a malformed bundle leniently;
        # the user gets that as a diagnostic at the file instead.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                loaded = pkcs12.load_pkcs12(data, attempt)
            except Exception:
                continue
        if any("BER" in str(warning.message) for warning in caught):
            result.diagnostics.append(
                Diagnostic(where, "PKCS#12 bundle is not valid DER (read leniently as BER)", "warning")
            )
        break
    if loaded is None:
        if given is None:
            # Protected by a passphrase we do not have: the key inside is encrypted; say what was skipped.
            result.keys.append(KeyEntry(path, None, 0, "pkcs12", True))
            result.diagnostics.append(
                Diagnostic(
                    where,
                    "PKCS#12 file is passphrase-protected (or damaged); its certificates are not linted "
                    "without a passphrase reference",
                    "warning",
                )
            )
        else:
            result.diagnostics.append(Diagnostic(where, "PKCS#12 file cannot be opened with the given passphrase"))
        return
    certs = ([loaded.cert] if loaded.cert is not None else []) + list(loaded.additional_certs)
    for index, item in enumerate(certs):
        result.certificates.append(CertEntry(item.certificate, path, None, index, "pkcs12", _der_of(item.certificate)))
    if loaded.key is not None:
        # An empty or absent password protects nothing: the key is effectively unencrypted.
        result.keys.append(KeyEntry(path, None, 0, "pkcs12", given is not None, loaded.key.public_key()))
