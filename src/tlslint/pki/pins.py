"""Public-key pinning and DANE (wp:1.8, wp:1.38), offline.

Pins are SHA-256 hashes of the DER SubjectPublicKeyInfo: base64 as curl's ``--pinnedpubkey
sha256//...`` and HPKP wrote them, hex as a TLSA ``3 1 1`` record carries them. TLSA evaluation
follows RFC 6698 / RFC 7671: usage (0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE), selector (0 full
certificate, 1 SPKI), matching type (0 exact, 1 SHA-256, 2 SHA-512).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tlslint.records import Frozen

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes


def spki_sha256(item: x509.Certificate | PublicKeyTypes) -> bytes:
    """SHA-256 of the DER SubjectPublicKeyInfo of a certificate or public key."""
    from tlslint.pki.keys import spki_der

    key = item.public_key() if hasattr(item, "tbs_certificate_bytes") else item
    return hashlib.sha256(spki_der(key)).digest()


def pin_base64(item: x509.Certificate | PublicKeyTypes) -> str:
    """The pin as curl's ``--pinnedpubkey`` wants it after ``sha256//``."""
    return base64.b64encode(spki_sha256(item)).decode("ascii")


def pin_hex(item: x509.Certificate | PublicKeyTypes) -> str:
    """The pin as a TLSA ``3 1 1`` record's certificate-association data."""
    return spki_sha256(item).hex()


def curl_pin(items: Sequence[x509.Certificate | PublicKeyTypes]) -> str:
    """A ``--pinnedpubkey`` value pinning all ``items`` (curl accepts several separated by ``;``)."""
    return ";".join(f"sha256//{pin_base64(item)}" for item in items)


def parse_pins(text: str) -> list[bytes]:
    """SHA-256 pins from a ``sha256//b64;sha256//b64`` string, bare base64 or 64-digit hex values.

    Raises ValueError naming the bad entry (pins are public hashes, safe to quote)."""
    pins = []
    for raw in re.split(r"[;,\s]+", text.strip()):
        if not raw:
            continue
        value = raw.removeprefix("sha256//").removeprefix("pin-sha256=").strip('"')
        if re.fullmatch(r"[0-9a-fA-F]{64}", value):
            pins.append(bytes.fromhex(value))
            continue
        try:
            digest = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"pin {raw[:60]!r} is neither base64 nor hex") from None
        if len(digest) != 32:
            raise ValueError(f"pin {raw[:60]!r} is not a SHA-256 hash ({len(digest)} bytes)")
        pins.append(digest)
    return pins


class PinCheck(Frozen):
    """Which certificates of a chain the configured pins match, and which pins match nothing."""

    __slots__ = ("matched", "unmatched_pins", "backup")

    matched: tuple[int, ...]  # indexes in the chain of certificates that a pin matches
    unmatched_pins: tuple[str, ...]  # base64 of pins that match nothing in the chain
    backup: bool  # more than one distinct pin, so the key can roll over (wp:1.8)

    def __init__(self, matched: tuple[int, ...], unmatched_pins: tuple[str, ...], backup: bool) -> None:
        object.__setattr__(self, "matched", matched)
        object.__setattr__(self, "unmatched_pins", unmatched_pins)
        object.__setattr__(self, "backup", backup)

    @property
    def ok(self) -> bool:
        return bool(self.matched)


def check_pins(pins: Sequence[bytes], chain: Sequence[x509.Certificate]) -> PinCheck:
    """Which certificates of ``chain`` (leaf first) the configured pins match."""
    hashes = [spki_sha256(cert) for cert in chain]
    matched = tuple(i for i, digest in enumerate(hashes) if digest in pins)
    unmatched = tuple(base64.b64encode(pin).decode() for pin in pins if pin not in hashes)
    return PinCheck(matched, unmatched, len(set(pins)) >= 2)


# --- DANE / TLSA --------------------------------------------------------------------------------

USAGES = {0: "PKIX-TA", 1: "PKIX-EE", 2: "DANE-TA", 3: "DANE-EE"}
SELECTORS = {0: "Cert", 1: "SPKI"}
MATCHING = {0: "Full", 1: "SHA2-256", 2: "SHA2-512"}


class Tlsa(Frozen):
    """A TLSA record (DANE): certificate usage, selector, matching type and the data."""

    __slots__ = ("usage", "selector", "matching_type", "data")

    usage: int
    selector: int
    matching_type: int
    data: bytes

    def __init__(self, usage: int, selector: int, matching_type: int, data: bytes) -> None:
        object.__setattr__(self, "usage", usage)
        object.__setattr__(self, "selector", selector)
        object.__setattr__(self, "matching_type", matching_type)
        object.__setattr__(self, "data", data)

    def __str__(self) -> str:
        return f"{self.usage} {self.selector} {self.matching_type} {self.data.hex()}"


def parse_tlsa(text: str) -> Tlsa:
    """A TLSA record from presentation format: ``3 1 1 <hex>``, optionally preceded by the owner
    name, TTL, class and ``TLSA`` as in a zone file; mnemonics (``DANE-EE SPKI SHA2-256``) accepted."""
    tokens = text.split()
    if "TLSA" in (t.upper() for t in tokens):
        tokens = tokens[[t.upper() for t in tokens].index("TLSA") + 1 :]
    if len(tokens) < 4:
        raise ValueError("TLSA record needs usage, selector, matching type and data")

    def number(token: str, names: dict[int, str], what: str) -> int:
        by_name = {name.upper(): code for code, name in names.items()}
        if token.upper() in by_name:
            return by_name[token.upper()]
        if token.isdigit() and 0 <= int(token) <= 255:
            return int(token)
        raise ValueError(f"TLSA {what} {token!r} is not a number 0..255 or a known mnemonic")

    usage = number(tokens[0], USAGES, "usage")
    selector = number(tokens[1], SELECTORS, "selector")
    matching = number(tokens[2], MATCHING, "matching type")
    try:
        data = bytes.fromhex("".join(tokens[3:]))
    except ValueError:
        raise ValueError("TLSA certificate-association data is not hex") from None
    return Tlsa(usage, selector, matching, data)


class TlsaResult(Frozen):
    """Whether a TLSA record matches a certificate of the chain, and why not."""

    __slots__ = ("ok", "matched_index", "reason")

    ok: bool
    matched_index: int | None  # which certificate of the chain matched
    reason: str

    def __init__(self, ok: bool, matched_index: int | None, reason: str) -> None:
        object.__setattr__(self, "ok", ok)
        object.__setattr__(self, "matched_index", matched_index)
        object.__setattr__(self, "reason", reason)


def tlsa_association(cert: x509.Certificate, selector: int, matching_type: int) -> bytes:
    """The certificate-association data a record with ``selector``/``matching_type`` has for ``cert``."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from tlslint.pki.keys import spki_der

    if selector == 0:
        content = cert.public_bytes(Encoding.DER)
    elif selector == 1:
        content = spki_der(cert.public_key())
    else:
        raise ValueError(f"unknown TLSA selector {selector}")
    if matching_type == 0:
        return content
    if matching_type == 1:
        return hashlib.sha256(content).digest()
    if matching_type == 2:
        return hashlib.sha512(content).digest()
    raise ValueError(f"unknown TLSA matching type {matching_type}")


def evaluate_tlsa(
    record: Tlsa,
    chain: Sequence[x509.Certificate],
    *,
    roots: Sequence[x509.Certificate] = (),
    at: datetime.datetime | None = None,
    hostname: str | None = None,
) -> TlsaResult:
    """Does the server's ``chain`` (leaf first, as presented) satisfy ``record``, offline?

    * DANE-EE (3): the leaf matches; nothing else is checked (RFC 7671 §5.1: no name or expiry checks).
    * DANE-TA (2): a CA certificate of the chain (or the leaf's issuer key) matches, and the path from
      the leaf up to it is signed correctly.
    * PKIX-EE (1) / PKIX-TA (0): as 3 / 2, and the chain must also validate against ``roots`` (the
      client's ordinary trust store) at ``at``; without ``roots`` the PKIX part cannot be judged.
    """
    if record.usage not in USAGES or record.selector not in SELECTORS or record.matching_type not in MATCHING:
        return TlsaResult(
            False, None, f"unusable TLSA parameters {record.usage} {record.selector} {record.matching_type}"
        )
    if not chain:
        return TlsaResult(False, None, "empty chain")
    candidates = [0] if record.usage in (1, 3) else list(range(1, len(chain)))
    if record.usage == 2 and len(chain) == 1:
        candidates = []
    matched = next(
        (i for i in candidates if tlsa_association(chain[i], record.selector, record.matching_type) == record.data),
        None,
    )
    if matched is None:
        where = "leaf" if record.usage in (1, 3) else "CA certificate in the chain"
        return TlsaResult(False, None, f"no {where} matches {USAGES[record.usage]} {record}")
    if record.usage == 2 and not _signed_up_to(chain, matched):
        return TlsaResult(False, matched, "chain from the leaf to the matched trust anchor does not verify")
    if record.usage in (0, 1):
        if not roots or at is None:
            return TlsaResult(False, matched, "PKIX usage needs the client's trust anchors and a time to judge")
        from tlslint.pki.chain import verify

        result = verify(chain[0], list(chain[1:]), roots, at=at, hostname=hostname)
        if not result.ok:
            return TlsaResult(False, matched, f"PKIX validation failed: {result.error}")
        if record.usage == 0 and not any(
            tlsa_association(cert, record.selector, record.matching_type) == record.data for cert in result.chain[1:]
        ):
            return TlsaResult(False, matched, "PKIX-TA certificate is not on the validated path")
    return TlsaResult(True, matched, f"{USAGES[record.usage]} matches certificate {matched} of the chain")


def _signed_up_to(chain: Sequence[x509.Certificate], top: int) -> bool:
    from tlslint.pki.chain import issued_by

    return all(issued_by(chain[i], chain[i + 1]) for i in range(top))
