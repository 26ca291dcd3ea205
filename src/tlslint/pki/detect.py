"""Recognise PKI material by content, cheaply.

A firmware tree holds certificates and keys under any name (``csms``, ``ca.bin``, ``id_device``),
so file extensions are only a hint. :func:`sniff` looks at the bytes: PEM armour (``-----BEGIN X-----``)
or the outer ASN.1 DER shape of a certificate, CRL, PKCS#7, PKCS#12 or private key. It never
imports ``cryptography``: it runs on every file of a repository and must stay fast; parsing happens
in :mod:`tlslint.pki.load` only for files that pass here.
"""

from __future__ import annotations

import functools
import os
import re
from typing import NamedTuple

#: PEM armour as RFC 7468 writes it (labels are upper-case ASCII, spaces allowed).
PEM_BEGIN = re.compile(rb"-----BEGIN ([A-Z0-9][A-Z0-9 #]*?)-----")

#: PEM labels that carry something tlslint reads or at least recognises as PKI.
PEM_LABELS = frozenset(
    {
        "CERTIFICATE",
        "X509 CERTIFICATE",
        "TRUSTED CERTIFICATE",
        "PKCS7",
        "CMS",
        "X509 CRL",
        "PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
        "RSA PRIVATE KEY",
        "EC PRIVATE KEY",
        "DSA PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
        "PUBLIC KEY",
        "RSA PUBLIC KEY",
        "CERTIFICATE REQUEST",
        "NEW CERTIFICATE REQUEST",
        "EC PARAMETERS",
        "DH PARAMETERS",
    }
)

#: Extensions that, on their own, say "this is PKI material": such a file that does not sniff as PKI
#: gets a diagnostic instead of being skipped silently. ``.key`` is not here: many unrelated files
#: (licence keys, API tokens) use it.
PKI_EXTENSIONS = frozenset({".pem", ".crt", ".cer", ".der", ".p12", ".pfx", ".p7b", ".p7c", ".crl", ".csr"})

# DER object identifiers (content octets) that tell the containers apart.
_OID_PKCS7_SIGNED = bytes.fromhex("2a864886f70d010702")  # 1.2.840.113549.1.7.2
_OID_PKCS7_DATA = bytes.fromhex("2a864886f70d010701")  # 1.2.840.113549.1.7.1

_SEQUENCE, _INTEGER, _OCTET_STRING, _OID, _BIT_STRING = 0x30, 0x02, 0x04, 0x06, 0x03
_UTC_TIME, _GENERALIZED_TIME, _CONTEXT_0 = 0x17, 0x18, 0xA0


class Sniff(NamedTuple):
    """What a file appears to hold (a named tuple, not a frozen dataclass: every run sniffs files and
    defines this, and a named tuple costs a sixth as much to define).

    ``kind`` is ``pem`` (then ``labels`` lists the PEM block labels in order) or one of
    ``der-certificate``, ``der-crl``, ``der-pkcs7``, ``pkcs12``, ``der-private-key``,
    ``der-encrypted-private-key``.
    """

    kind: str
    labels: tuple[str, ...] = ()


def sniff(data: bytes) -> Sniff | None:
    """Classify ``data`` (the whole file or at least its first 64 KiB) or return None."""
    if b"-----BEGIN " in data[: 1 << 20]:
        labels = tuple(m.group(1).decode("ascii") for m in PEM_BEGIN.finditer(data))
        known = tuple(label for label in labels if label in PEM_LABELS)
        if known:
            return Sniff("pem", labels)
        return None
    return _sniff_der(data)


def has_whole_pem_block(data: bytes) -> bool:
    """Whether ``data`` holds a whole PEM block of a known label: a BEGIN line, lines of base64 (or
    ``Name: value`` headers, blank lines), then the END line of the same label. Code that writes PEM
    (``b"-----BEGIN CERTIFICATE-----\\n"`` ... ``b"-----END CERTIFICATE-----"``) has other text after its
    BEGIN marker, so it holds none. Each BEGIN is followed only until the first line that is not part
    of a block, which a later BEGIN line never is: the whole search is linear in ``data``."""
    for match in PEM_BEGIN.finditer(data):
        label = match.group(1)
        if label.decode("ascii") not in PEM_LABELS:
            continue
        end_line = b"-----END " + label + b"-----"
        newline = data.find(b"\n", match.end())
        if newline < 0 or data[match.end() : newline].strip():
            continue  # text after the marker on its line: a string literal, a sentence
        position = newline + 1
        while position < len(data):
            newline = data.find(b"\n", position)
            line = data[position : newline if newline >= 0 else len(data)].strip()
            if line.startswith(end_line):
                return True
            if line and not (_BASE64_LINE.fullmatch(line) or _HEADER_LINE.match(line)):
                break
            if newline < 0:
                break
            position = newline + 1
    return False


_BASE64_LINE = re.compile(rb"[A-Za-z0-9+/=]+")
_HEADER_LINE = re.compile(rb"[A-Za-z][A-Za-z0-9-]*: ")


def has_pki_extension(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in PKI_EXTENSIONS


def _header(data: bytes, offset: int) -> tuple[int, int, int] | None:
    """(tag, offset of the contents, length of the contents) of the TLV at ``offset``.

    Length -1 means BER indefinite length (PKCS#12 files written by some Java tools use it)."""
    if offset + 2 > len(data):
        return None
    tag = data[offset]
    first = data[offset + 1]
    if first < 0x80:
        return tag, offset + 2, first
    if first == 0x80:
        return tag, offset + 2, -1
    count = first & 0x7F
    if count > 4 or offset + 2 + count > len(data):
        return None
    length = int.from_bytes(data[offset + 2 : offset + 2 + count], "big")
    return tag, offset + 2 + count, length


def _children(data: bytes, start: int, end: int, limit: int = 5) -> list[tuple[int, int, int]]:
    """Up to ``limit`` direct children (tag, content offset, length) of a constructed value."""
    out = []
    offset = start
    while offset < end and len(out) < limit:
        header = _header(data, offset)
        if header is None or header[2] < 0:
            if header is not None:
                out.append(header)
            break
        out.append(header)
        offset = header[1] + header[2]
    return out


def _sniff_der(data: bytes) -> Sniff | None:
    outer = _header(data, 0)
    if outer is None or outer[0] != _SEQUENCE:
        return None
    _, start, length = outer
    if length >= 0:
        # A DER object fills the file; allow a little trailing junk (a newline from an editor).
        if start + length > len(data) or len(data) - (start + length) > 16 or length < 16:
            return None
        end = start + length
    else:
        end = len(data)
    parts = _children(data, start, end)
    if not parts:
        return None
    tags = [p[0] for p in parts]
    # PKCS#7 / CMS ContentInfo: SEQUENCE { OID signedData, [0] ... }
    if tags[0] == _OID and data[parts[0][1] : parts[0][1] + parts[0][2]] == _OID_PKCS7_SIGNED:
        return Sniff("der-pkcs7")
    if tags[0] == _INTEGER:
        version = data[parts[0][1] : parts[0][1] + parts[0][2]]
        # PFX: SEQUENCE { INTEGER 3, ContentInfo { OID data, ... }, MacData }
        if version == b"\x03" and len(parts) >= 2 and parts[1][0] == _SEQUENCE:
            inner_end = end if parts[1][2] < 0 else parts[1][1] + parts[1][2]
            inner = _children(data, parts[1][1], inner_end, 1)
            if inner and inner[0][0] == _OID and data[inner[0][1] : inner[0][1] + inner[0][2]] == _OID_PKCS7_DATA:
                return Sniff("pkcs12")
        # PKCS#8 PrivateKeyInfo: { INTEGER 0|1, AlgorithmIdentifier, OCTET STRING }
        if version in (b"\x00", b"\x01") and len(tags) >= 3 and tags[1] == _SEQUENCE and tags[2] == _OCTET_STRING:
            return Sniff("der-private-key")
        # PKCS#1 RSAPrivateKey: { INTEGER 0, INTEGER n, INTEGER e, ... }
        if version == b"\x00" and len(tags) >= 3 and tags[1] == _INTEGER and tags[2] == _INTEGER:
            return Sniff("der-private-key")
        # SEC1 ECPrivateKey: { INTEGER 1, OCTET STRING, [0] params?, [1] public? }
        if version == b"\x01" and len(tags) >= 2 and tags[1] == _OCTET_STRING:
            return Sniff("der-private-key")
        return None
    if tags[0] != _SEQUENCE:
        return None
    # EncryptedPrivateKeyInfo: { AlgorithmIdentifier, OCTET STRING }
    if len(tags) == 2 and tags[1] == _OCTET_STRING:
        return Sniff("der-encrypted-private-key")
    # Certificate / CertificateList: { tbs SEQUENCE, AlgorithmIdentifier, BIT STRING }
    if len(tags) == 3 and tags[1] == _SEQUENCE and tags[2] == _BIT_STRING:
        tbs = _children(data, parts[0][1], parts[0][1] + parts[0][2], 5)
        tbs_tags = [t[0] for t in tbs]
        if not tbs_tags:
            return None
        if tbs_tags[0] == _CONTEXT_0:
            return Sniff("der-certificate")  # explicit [0] version: v2/v3 certificate
        if tbs_tags[0] == _SEQUENCE and len(tbs_tags) >= 3 and tbs_tags[2] in (_UTC_TIME, _GENERALIZED_TIME):
            return Sniff("der-crl")  # v1 CRL: signature, issuer, thisUpdate
        if tbs_tags[0] == _INTEGER and len(tbs_tags) >= 4:
            if tbs_tags[3] in (_UTC_TIME, _GENERALIZED_TIME):
                return Sniff("der-crl")  # v2 CRL: version, signature, issuer, thisUpdate
            if tbs_tags[1:4] == [_SEQUENCE, _SEQUENCE, _SEQUENCE]:
                return Sniff("der-certificate")  # v1 certificate: serial, signature, issuer, validity
    return None


@functools.lru_cache(maxsize=4)  # asked by load's damage check, then by facts, for the same bytes object
def certificate_parts(der: bytes) -> tuple[bytes, bytes] | None:
    """The issuer Name and the SubjectPublicKeyInfo of a DER certificate, each as its whole encoding
    (tag, length, contents), or None when ``der`` does not have the shape of RFC 5280 4.1.

    Many certificates of a run share these bytes (one issuing CA; a fleet under one key):
    :mod:`tlslint.pki.facts` and :mod:`tlslint.pki.keys` decode each distinct encoding once. Read with
    the same few lines as :func:`sniff` rather than through ``cryptography``, which offers neither
    encoding without decoding it first (~7 us for a name, ~20 us for an EC key and its digest)."""
    outer = _header(der, 0)
    if outer is None or outer[0] != _SEQUENCE or outer[2] < 0 or outer[1] + outer[2] > len(der):
        return None
    tbs = _header(der, outer[1])
    if tbs is None or tbs[0] != _SEQUENCE or tbs[2] < 0:
        return None
    offset, end = tbs[1], tbs[1] + tbs[2]
    if end > len(der):
        return None
    spans: list[tuple[int, int, int]] = []  # (tag, start, stop) of the first fields
    while offset < end and len(spans) < 7:
        header = _header(der, offset)
        if header is None or header[2] < 0 or header[1] + header[2] > end:
            return None
        spans.append((header[0], offset, header[1] + header[2]))
        offset = header[1] + header[2]
    if spans and spans[0][0] == _CONTEXT_0:  # the explicit version of a v2/v3 certificate
        spans = spans[1:]
    # serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
    if [span[0] for span in spans[:6]] != [_INTEGER, *[_SEQUENCE] * 5]:
        return None
    issuer, key = spans[2], spans[5]
    return der[issuer[1] : issuer[2]], der[key[1] : key[2]]


def der_key_format(data: bytes) -> str:
    """``pkcs8``, ``pkcs1`` or ``sec1`` for an unencrypted DER private key (see :func:`sniff`)."""
    outer = _header(data, 0)
    if outer is None:
        return "pkcs8"
    tags = [part[0] for part in _children(data, outer[1], len(data), 2)]
    if len(tags) == 2 and tags[1] == _INTEGER:
        return "pkcs1"
    if len(tags) == 2 and tags[1] == _OCTET_STRING:
        return "sec1"
    return "pkcs8"
