"""The real ``openssl`` binary as a test oracle, and the expressions the differential tests feed it.

The oracle runs with ``OPENSSL_CONF=/dev/null`` so that no system-wide ``CipherString`` or security
level leaks into the comparison; the listing of ``openssl ciphers -V`` is not filtered by security
level either way (only ``-s`` is).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from functools import cache

OPENSSL = shutil.which("openssl")
ENV = {**os.environ, "OPENSSL_CONF": "/dev/null"}


@cache
def openssl_version() -> str | None:
    if not OPENSSL:
        return None
    out = subprocess.run([OPENSSL, "version"], capture_output=True, text=True, env=ENV).stdout
    match = re.match(r"OpenSSL (\d+\.\d+\.\d+)", out)
    return match[1] if match else None


def skip_reason() -> str | None:
    """Why the differential tests cannot run here, or ``None`` if they can."""
    version = openssl_version()
    if version is None:
        return "the openssl binary is not installed (scripts/test installs it with apt-get when run as root)"
    if not version.startswith(("3.0.", "3.1.")):
        return f"the expander's exact order is verified against OpenSSL 3.0/3.1; this machine has {version}"
    return None


def openssl_ciphers(expression: str, *options: str) -> list[tuple[str, str, str]] | None:
    """(code, name, protocol) of the TLS <= 1.2 suites ``openssl ciphers -V -v`` lists; None if OpenSSL rejects it."""
    assert OPENSSL
    # "--" is not accepted by "openssl ciphers"; an expression starting with "-" must not become an option.
    if expression.startswith("-"):
        expression = ":" + expression
    run = subprocess.run([OPENSSL, "ciphers", "-V", *options, expression], capture_output=True, text=True, env=ENV)
    if run.returncode != 0:
        return None
    rows = []
    for line in run.stdout.splitlines():
        fields = line.split()
        # -V lines: "0xC0,0x2C - ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH Au=ECDSA Enc=... Mac=AEAD"
        code, name, protocol = fields[0], fields[2], fields[3]
        if protocol != "TLSv1.3":
            rows.append((code, name, protocol))
    return rows


# --- the expressions ------------------------------------------------------------------------------

ALIASES = [
    "ALL",
    "COMPLEMENTOFALL",
    "COMPLEMENTOFDEFAULT",
    "DEFAULT",
    "HIGH",
    "MEDIUM",
    "LOW",
    "FIPS",
    "eNULL",
    "NULL",
    "aNULL",
    "kRSA",
    "kEDH",
    "kDHE",
    "DH",
    "kEECDH",
    "kECDHE",
    "ECDH",
    "kPSK",
    "kRSAPSK",
    "kECDHEPSK",
    "kDHEPSK",
    "kSRP",
    "aRSA",
    "aDSS",
    "DSS",
    "aECDSA",
    "ECDSA",
    "aPSK",
    "aSRP",
    "EDH",
    "DHE",
    "EECDH",
    "ECDHE",
    "RSA",
    "ADH",
    "AECDH",
    "PSK",
    "SRP",
    "3DES",
    "RC4",
    "RC2",
    "IDEA",
    "SEED",
    "DES",
    "AES",
    "AES128",
    "AES256",
    "AESGCM",
    "AESCCM",
    "AESCCM8",
    "CAMELLIA",
    "CAMELLIA128",
    "CAMELLIA256",
    "CHACHA20",
    "ARIA",
    "ARIAGCM",
    "ARIA128",
    "ARIA256",
    "CBC",
    "MD5",
    "SHA1",
    "SHA",
    "SHA256",
    "SHA384",
    "SSLv3",
    "TLSv1",
    "TLSv1.0",
    "TLSv1.2",
    "TLSv1.1",
    "TLSv1.3",
    "EXP",
    "EXPORT",
    "kDHr",
    "aDH",
    "GOST",
    "kGOST",
    "aGOST",
    "GOST89MAC",
    "SUITEB128",
    "SUITEB128ONLY",
    "SUITEB192",
]

# Aliases combined pairwise ("A+B", "A:!B", "A:-B", "A:+B").
PAIR_ALIASES = [
    "HIGH",
    "FIPS",
    "aNULL",
    "kRSA",
    "kDHE",
    "kECDHE",
    "PSK",
    "aRSA",
    "aDSS",
    "aECDSA",
    "AES",
    "AES128",
    "AESGCM",
    "AESCCM",
    "CHACHA20",
    "CAMELLIA",
    "ARIA",
    "SHA1",
    "SHA256",
    "SHA384",
    "TLSv1",
    "SSLv3",
    "TLSv1.2",
    "eNULL",
    "DHE",
    "ECDHE",
]

SUITE_NAMES = (
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES256-SHA384",
    "AES128-SHA",
    "DHE-RSA-CHACHA20-POLY1305",
    "PSK-AES128-CBC-SHA",
    "NULL-SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "DES-CBC3-SHA",
    "RC4-SHA",
)

# Real-world strings: web-server samples and defaults, generators, distributions, libraries.
REAL_WORLD = (
    "HIGH:!aNULL:!MD5",  # nginx default
    "DEFAULT",  # OpenSSL, Apache, nginx upstream default
    "HIGH:MEDIUM:!MD5:!RC4:!3DES",  # Apache httpd-ssl.conf sample
    "HIGH:MEDIUM:!SSLv2:!PSK:!SRP:!ADH:!AECDH",  # Apache 2.4 mod_ssl default era
    "ALL:!ADH:RC4+RSA:+HIGH:+MEDIUM:+LOW:+EXP",  # Apache SSLProxyCipherSuite documentation example
    "ALL:!ADH:!EXPORT:!SSLv2:RC4+RSA:+HIGH:+MEDIUM:+LOW",  # old Apache ssl.conf
    "HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!aECDH:!EDH-DSS-DES-CBC3-SHA:!KRB5-DES-CBC3-SHA",
    "HIGH:!aNULL:!RC4:!MD5:!SRP:!PSK",  # wget built-in
    "HIGH:!aNULL:!RC4:!MD5:!SRP:!PSK:!kRSA",  # wget PFS mode
    "DEFAULT:@SECLEVEL=2",  # Ubuntu system_default_sect
    "DEFAULT:!PSK:!SRP",
    "PROFILE=SYSTEM",  # RHEL placeholder (not an OpenSSL alias upstream)
    "@SECLEVEL=2:kEECDH:kRSA:kEDH:kPSK:kDHEPSK:kECDHEPSK:-aDSS:-3DES:!DES:!RC4:!RC2:!IDEA:-SEED:!eNULL:!aNULL:!MD5:-SHA384:-CAMELLIA:-ARIA:-AESCCM8",
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305",  # Mozilla intermediate 5.x
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:"
    "ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:"
    "DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:"
    "AES256-SHA256:AES128-SHA:AES256-SHA:DES-CBC3-SHA",  # Mozilla old
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384",  # Mozilla intermediate 4.0
    "EECDH+AESGCM:EDH+AESGCM",  # cipherli.st
    "EECDH+AESGCM:EDH+AESGCM:AES256+EECDH:AES256+EDH",
    "EECDH+CHACHA20:EECDH+AES128:RSA+AES128:EECDH+AES256:RSA+AES256:EECDH+3DES:RSA+3DES:!MD5",  # Cloudflare sslconfig
    "ECDH+AESGCM:DH+AESGCM:ECDH+AES256:DH+AES256:ECDH+AES128:DH+AES:RSA+AESGCM:RSA+AES:!aNULL:!MD5:!DSS",  # hynek
    "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20:!aNULL:!MD5:!DSS",
    "kEECDH+ECDSA+AES128:kEECDH+ECDSA+AES256:kEECDH+AES128:kEECDH+AES256:kEDH+AES128:kEDH+AES256:"
    "DES-CBC3-SHA:+SHA:!aNULL:!eNULL:!LOW:!kECDH:!DSS:!MD5:!RC4:!EXP:!PSK:!SRP:!CAMELLIA:!SEED",  # ssllabs-ish
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",  # HAProxy generator
    "ECDH+AESGCM:ECDH+CHACHA20:DH+AESGCM:ECDH+AES256:DH+AES256:ECDH+AES128:DH+AES:!aNULL:!MD5:!DSS",  # HAProxy docs
    "ECDHE+aRSA+AES256+GCM+SHA384:ECDHE+aRSA+AES128+GCM+SHA256:ECDHE+aRSA+AES256+SHA384:ECDHE+aRSA+AES128+SHA256",
    "TLSv1.2+FIPS:kRSA+FIPS:!eNULL:!aNULL",  # FIPS-style (Red Hat docs)
    "PSK",  # EVerest / OCPP PSK setups
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES256-GCM-SHA384:AES128-GCM-SHA256:AES256-GCM-SHA384",  # OCPP 2.0.1 security profile suites
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",  # IANA names
    "HIGH:!aNULL:!MD5:!3DES:!CAMELLIA:!AES128",
    "ALL:!EXPORT:!LOW:!aNULL:!eNULL:!SSLv2",  # postfix smtpd "high" style
    "aNULL:-aNULL:HIGH:-SSLv3:-TLSv1:HIGH:!MEDIUM:!LOW",  # postfix tls_high_cipherlist-ish
    "EECDH+ECDSA+AESGCM:EECDH+aRSA+AESGCM:EECDH+ECDSA+SHA384:EECDH+ECDSA+SHA256:EECDH+aRSA+SHA384:"
    "EECDH+aRSA+SHA256:EECDH+aRSA+RC4:EECDH:EDH+aRSA:!aNULL:!eNULL:!LOW:!3DES:!MD5:!EXP:!PSK:!SRP:!DSS:!RC4",
    "DEFAULT:!EXP:!LOW:!MEDIUM:!aNULL",
    "SUITEB128",
    "SUITEB192",
    "DEFAULT,HIGH",
    "DEFAULT HIGH",
    "HIGH;!aNULL",
    "HIGH:!aNULL:@STRENGTH",
    "ALL:@STRENGTH:+AES",
    "HIGH:!aNULL:!MD5:@SECLEVEL=3",
)

ODD = (
    "",
    ":",
    "HIGH:",
    "HIGH::aNULL",
    "HIGH+",
    "HIGH+:aNULL",
    "FOO+HIGH",
    "HIGH+FOO",
    "FOO+",
    "HIGH:-",
    "HIGH:!",
    "HIGH:(",
    "@STRENGTH",
    "@SECLEVEL=6:HIGH",
    "HIGH:@SECLEVEL=10",
    "HIGH:@STRENGTHX",
    "HIGH:@strength",
    "HIGH:@STRENGTH+AES",
    "high",
    "DEFAULTS",
    "DEFAULT:DEFAULT",
    "HIGH:DEFAULT",
    "-ALL:HIGH",
    "!ALL:HIGH",
    "+HIGH:HIGH",
    "kRSA+kDHE",
    "AES+CHACHA20",
    "aRSA+aECDSA:HIGH",
    "SHA1+SHA256",
    "TLSv1+TLSv1.2",
    "AES128-SHA+TLSv1.2",
    "AES128-SHA+SHA256",
    "AES128-SHA+HIGH",
    "NULL-SHA256+ALL",
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256:!ECDHE-RSA-AES128-GCM-SHA256:HIGH",
    "ECDHE-RSA-AES128-GCM-SHA256:-ECDHE-RSA-AES128-GCM-SHA256:HIGH",
    "ALL:COMPLEMENTOFALL:-SHA:SHA",
    "ALL:-kRSA:+kDHE:kRSA",
    "COMPLEMENTOFALL:ALL:@STRENGTH",
    "eNULL:ALL:-eNULL:eNULL",
    "DEFAULT:@SECLEVEL=0",
    "DEFAULT:@SECLEVEL=5",
    "HIGH\t!aNULL",
    "HIGH!aNULL",
    "HIGH-SHA1+AES",
    "AES128-SHA+SHA1+HIGH",
    "HIGH:!aNULL:!MD5 ",
)


def expressions() -> list[str]:
    """Every expression the differential test compares (systematic first, then real-world and odd ones)."""
    out: list[str] = []
    out += ALIASES
    for alias in ALIASES:
        out += [f"ALL:!{alias}", f"ALL:COMPLEMENTOFALL:-{alias}:{alias}", f"ALL:+{alias}"]
        out += [f"{alias}:@STRENGTH", f"{alias}:@SECLEVEL=2"]
    for first, second in itertools.permutations(PAIR_ALIASES, 2):
        out.append(f"{first}+{second}")
    for first, second in itertools.combinations(PAIR_ALIASES, 2):
        out += [f"{first}:!{second}", f"{first}:-{second}:{second}", f"{first}:{second}:+{first}"]
    out += list(SUITE_NAMES) + [f"{name}:HIGH:-{name}:{name}" for name in SUITE_NAMES]
    out += [f"@SECLEVEL={level}:ALL" for level in range(6)]
    out += list(REAL_WORLD) + list(ODD)
    seen: set[str] = set()
    return [e for e in out if not (e in seen or seen.add(e))]  # type: ignore[func-returns-value]
