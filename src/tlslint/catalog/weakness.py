"""Why a cipher suite is weak: plain facts about a suite that tables and rules can show."""

from __future__ import annotations

from tlslint.catalog.suites import CipherSuite

__all__ = ["rating", "weaknesses"]

# Broken or trivially attackable: these make a suite "weak" outright.
_BROKEN_CIPHERS = {"RC4": "RC4 is broken (RFC 7465)", "DES": "single DES", "RC2": "RC2", "NULL": "no encryption"}


def weaknesses(suite: CipherSuite) -> list[str]:
    """Short reasons this suite is weak or legacy; empty for a modern AEAD suite with forward secrecy."""
    reasons = []
    if suite.cipher in _BROKEN_CIPHERS:
        reasons.append(_BROKEN_CIPHERS[suite.cipher])
    if suite.export:
        reasons.append("export-grade")
    if suite.au == "anon":
        reasons.append("no authentication")
    if suite.mac == "MD5":
        reasons.append("MD5 MAC")
    if suite.cipher in ("3DES", "IDEA"):
        reasons.append("64-bit block cipher (Sweet32)")
    if 0 < suite.bits < 128:
        reasons.append(f"{suite.bits}-bit key")
    if not suite.pfs and suite.kx not in ("any",):
        reasons.append("no forward secrecy")
    if suite.mode == "CBC":
        reasons.append("CBC mode (MAC-then-encrypt)")
    if suite.mac == "SHA1":
        reasons.append("SHA-1 MAC")
    return reasons


def rating(suite: CipherSuite) -> str:
    """ "WEAK" (do not use), "legacy" (works, but not recommended by current guidance) or "ok"."""
    reasons = weaknesses(suite)
    hard = [r for r in reasons if not r.startswith(("no forward secrecy", "CBC mode", "SHA-1 MAC"))]
    if hard:
        return "WEAK: " + ", ".join(hard)
    if reasons:
        return "legacy: " + ", ".join(reasons)
    return "ok"
