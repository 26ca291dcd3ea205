"""The catalogue against facts from outside it: the IANA registry, RFCs, and the engines' own listings."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.catalog.openssl_oracle import ENV, OPENSSL
from tlslint.catalog.groups import lookup_group, normalise_group
from tlslint.catalog.sigalgs import lookup_sigalg, normalise_sigalg
from tlslint.catalog.suites import all_suites, lookup


def test_every_suite_name_is_unique_and_parsed() -> None:
    suites = all_suites()
    assert len({s.code for s in suites}) == len(suites) >= 340
    assert len({s.iana_name for s in suites}) == len(suites)


@pytest.mark.parametrize(
    ("name", "facts"),
    [
        # RFC 5289: ECDHE_ECDSA with AES-128-GCM; IANA Recommended.
        (
            "0xC0,0x2B",
            dict(kx="ECDHE", au="ECDSA", cipher="AES", mode="GCM", bits=128, aead=True, pfs=True, recommended=True),
        ),
        # RFC 5246: plain RSA key transport, CBC, SHA-1, no forward secrecy.
        ("AES128-SHA", dict(kx="RSA", au="RSA", mode="CBC", mac="SHA1", pfs=False, min_version="SSLv3")),
        # RFC 4346 export suite.
        ("TLS_RSA_EXPORT_WITH_RC4_40_MD5", dict(export=True, bits=40, cipher="RC4", mac="MD5")),
        # RFC 8446.
        ("TLS_CHACHA20_POLY1305_SHA256", dict(tls13=True, kx="any", min_version="TLSv1.3", cipher="CHACHA20")),
        # RFC 7905, GnuTLS spelling.
        ("TLS_DHE_RSA_CHACHA20_POLY1305", dict(iana_name="TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256")),
        # RFC 6655 (the registry spells 0xC0AA "PSK_DHE"); Mbed TLS spelling.
        ("MBEDTLS_TLS_DHE_PSK_WITH_AES_128_CCM_8", dict(code=(0xC0, 0xAA), kx="DHE_PSK", mode="CCM_8")),
        ("TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384", dict(code=(0xC0, 0x30))),
        ("0xc014", dict(openssl_name="ECDHE-RSA-AES256-SHA", min_version="TLSv1.0")),
    ],
)
def test_known_suite_facts(name: str, facts: dict[str, object]) -> None:
    suite = lookup(name)
    assert suite is not None
    for field, value in facts.items():
        assert getattr(suite, field) == value, field


def test_unknown_names() -> None:
    assert lookup("NOT-A-CIPHER") is None
    assert lookup("0x13,0x99") is None


@pytest.mark.skipif(OPENSSL is None, reason="the openssl binary is not installed")
def test_openssl_names_and_protocols_agree_with_the_local_openssl() -> None:
    out = subprocess.run([OPENSSL, "ciphers", "-V", "ALL:COMPLEMENTOFALL"], capture_output=True, text=True, env=ENV)
    for line in out.stdout.splitlines():
        code, _, name = line.split()[:3]
        suite = lookup(code)
        assert suite is not None and suite.openssl_name == name, line


@pytest.mark.skipif(
    shutil.which("gnutls-cli") is None, reason="gnutls-cli is not installed (apt-get install gnutls-bin)"
)
def test_gnutls_names_agree_with_gnutls_cli() -> None:
    out = subprocess.run(["gnutls-cli", "-l"], capture_output=True, text=True).stdout
    checked = 0
    for line in out.splitlines():
        if "\t0x" not in line:
            continue
        name, code = line.split("\t")[0].strip(), line.split("\t")[1]
        suite = lookup(code.replace(" ", ""))
        if suite is not None:
            assert lookup(name) is not None, name
            checked += 1
    assert checked > 100


def test_groups() -> None:
    assert normalise_group("P-256") == normalise_group("prime256v1") == "secp256r1"
    assert normalise_group("X25519") == "x25519"
    hybrid = lookup_group("X25519MLKEM768")
    assert hybrid is not None and hybrid.kind == "hybrid" and hybrid.code == 0x11EC
    assert lookup_group("ffdhe2048").kind == "ffdhe"  # type: ignore[union-attr]
    assert lookup_group("secp192r1").discouraged  # type: ignore[union-attr]
    assert normalise_group("P-999") is None


def test_signature_schemes() -> None:
    assert normalise_sigalg("RSA+SHA256") == "rsa_pkcs1_sha256"
    assert normalise_sigalg("ECDSA+SHA256") == "ecdsa_secp256r1_sha256"
    assert normalise_sigalg("RSA-PSS+SHA256") == normalise_sigalg("rsa_pss_rsae_sha256") == "rsa_pss_rsae_sha256"
    ed = lookup_sigalg("ed25519")
    assert ed is not None and ed.algorithm == "eddsa" and ed.hash == "intrinsic" and ed.code == 0x0807
    assert lookup_sigalg("RSA+SHA1").legacy  # type: ignore[union-attr]
    assert lookup_sigalg("mldsa65").algorithm == "mldsa"  # type: ignore[union-attr]


def test_catalog_import_is_cheap() -> None:
    # Importing the catalogue must not parse tables (other commands import it on every run).
    code = (
        "import time,sys; t=time.perf_counter(); import tlslint.catalog.suites, tlslint.catalog.openssl_ciphers,"
        " tlslint.catalog.groups, tlslint.catalog.sigalgs, tlslint.catalog.offer;"
        " print(time.perf_counter()-t); assert 'tlslint.catalog._suite_data' not in sys.modules"
    )
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)]
    runs.append(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout))
    assert min(runs) < 0.1  # generous for loaded CI machines; typically ~20 ms for all five incl. dataclasses
