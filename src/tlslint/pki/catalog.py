"""Curated names: well-known test/demo PKIs, and well-known public web-PKI roots.

Matching is on subject and issuer names (and DNS SANs for reserved example domains) — never on key
material. A match is evidence, not proof, which is why the rules that use these lists carry
``confidence: medium``.
"""

from __future__ import annotations

import functools
import re

#: (name, pattern, why). The pattern is searched, case-insensitively, in the RFC 4514 subject and
#: issuer strings (and in DNS SANs for the reserved-domain entry).
TEST_PKI: tuple[tuple[str, str, str], ...] = (
    (
        "openssl-default-org",
        r"O=Internet Widgits Pty Ltd",
        "OpenSSL's default organisation when `openssl req` prompts are skipped",
    ),
    ("openssl-default-state", r"ST=Some-State", "OpenSSL's default state when prompts are skipped"),
    ("go-generate-cert", r"O=Acme Co(,|$)", "organisation written by Go's crypto/tls generate_cert.go"),
    ("mkcert", r"O=mkcert development (CA|certificate)", "mkcert local development CA and its leaves"),
    ("caddy-local", r"CN=Caddy Local Authority", "Caddy's internal (self-managed) CA"),
    ("minica", r"CN=minica root ca", "minica, a small development CA"),
    (
        "letsencrypt-staging",
        r"(Fake LE|\(STAGING\)|happy hacker fake CA)",
        "Let's Encrypt staging hierarchy (untrusted by design)",
    ),
    ("mitmproxy", r"(CN|O)=mitmproxy", "mitmproxy interception CA"),
    ("burp", r"PortSwigger", "Burp Suite interception CA"),
    ("fiddler", r"DO_NOT_TRUST", "Fiddler interception root (DO_NOT_TRUST_FiddlerRoot)"),
    ("charles", r"Charles Proxy", "Charles Proxy interception CA"),
    ("snakeoil", r"snakeoil", "Debian/Ubuntu ssl-cert self-signed snakeoil certificate"),
    ("localhost", r"CN=localhost(,|$)", "a localhost certificate is a development artefact"),
    ("example-domain", r"(^|[.=])example\.(com|net|org)($|,)", "RFC 2606 reserved example domains"),
    ("test-word", r"(CN|O|OU)=[^,]*\b(test|testing|demo|dummy|sample)\b", "names that say test, demo, dummy or sample"),
    ("do-not-use", r"(do not (use|trust)|not for production)", "names that say they must not be used"),
)

_TEST_PKI_RE = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern, _ in TEST_PKI)
_EXAMPLE_DOMAIN = next(index for index, (name, _) in enumerate(_TEST_PKI_RE) if name == "example-domain")


def test_pki_match(subject: str, issuer: str, dns_names: list[str]) -> str | None:
    """The name of the first well-known test PKI the certificate matches, or None."""
    first = min(_first_pattern(subject), _issuer_pattern(issuer))
    if first > _EXAMPLE_DOMAIN:
        pattern = _TEST_PKI_RE[_EXAMPLE_DOMAIN][1]
        if any(pattern.search("=" + dns) for dns in dns_names):
            first = _EXAMPLE_DOMAIN
    return _TEST_PKI_RE[first][0] if first < len(_TEST_PKI_RE) else None


def _first_pattern(text: str) -> int:
    """Position in :data:`TEST_PKI` of the first pattern found in ``text``; past the end when none is."""
    return next((index for index, (_, pattern) in enumerate(_TEST_PKI_RE) if pattern.search(text)), len(_TEST_PKI_RE))


#: A tree has few issuers and many certificates: each issuer name is searched once.
_issuer_pattern = functools.lru_cache(maxsize=1024)(_first_pattern)


#: Common names of widely distributed public web-PKI roots (present in the Mozilla/OS bundles). A
#: private device trust store holding several of these is a copy of the system bundle: it trusts
#: every public CA to vouch for the CSMS (OCPP 2.0.1 errata 2025-01 warns against CA bundles).
PUBLIC_ROOT_CNS = frozenset(
    name.lower()
    for name in (
        "ISRG Root X1",
        "ISRG Root X2",
        "DigiCert Global Root CA",
        "DigiCert Global Root G2",
        "DigiCert Global Root G3",
        "DigiCert High Assurance EV Root CA",
        "DigiCert Assured ID Root CA",
        "DigiCert Trusted Root G4",
        "Baltimore CyberTrust Root",
        "GlobalSign Root CA",
        "GlobalSign",
        "USERTrust RSA Certification Authority",
        "USERTrust ECC Certification Authority",
        "AAA Certificate Services",
        "COMODO RSA Certification Authority",
        "COMODO ECC Certification Authority",
        "Amazon Root CA 1",
        "Amazon Root CA 2",
        "Amazon Root CA 3",
        "Amazon Root CA 4",
        "Starfield Services Root Certificate Authority - G2",
        "Starfield Root Certificate Authority - G2",
        "Go Daddy Root Certificate Authority - G2",
        "Entrust Root Certification Authority",
        "Entrust Root Certification Authority - G2",
        "Microsoft RSA Root Certificate Authority 2017",
        "Microsoft ECC Root Certificate Authority 2017",
        "GTS Root R1",
        "GTS Root R2",
        "GTS Root R3",
        "GTS Root R4",
        "Certum Trusted Network CA",
        "QuoVadis Root CA 2 G3",
        "T-TeleSec GlobalRoot Class 2",
        "D-TRUST Root Class 3 CA 2 2009",
        "SSL.com Root Certification Authority RSA",
        "Buypass Class 2 Root CA",
        "Sectigo Public Server Authentication Root R46",
        "Actalis Authentication Root CA",
        "SwissSign Gold CA - G2",
        "HARICA TLS RSA Root CA 2021",
        "Telia Root CA v2",
        "IdenTrust Commercial Root CA 1",
        "Certigna",
        "XRamp Global Certification Authority",
        "SecureTrust CA",
        "Secure Global CA",
    )
)

#: At or above this many public roots (or certificates), a store is taken for a system bundle copy.
SYSTEM_BUNDLE_PUBLIC_ROOTS = 10
SYSTEM_BUNDLE_SIZE = 100
