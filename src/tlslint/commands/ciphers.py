"""tlslint ciphers — what an OpenSSL cipher string really enables, without needing OpenSSL."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tlslint.catalog.openssl_ciphers import OpenSSLCipher
    from tlslint.catalog.suites import CipherSuite

HELP = "show what an OpenSSL cipher string really enables"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression", help="OpenSSL cipher string, e.g. 'HIGH:!aNULL:!MD5'")
    parser.add_argument(
        "--openssl-version",
        default="3.0",
        metavar="VER",
        help="OpenSSL version whose behaviour to reproduce: 1.1.1, 3.0 (default), 3.2 or later",
    )
    parser.add_argument(
        "--ciphersuites",
        default=None,
        metavar="LIST",
        help="TLS 1.3 Ciphersuites list (default: OpenSSL's built-in list)",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    from tlslint.catalog.openssl_ciphers import (
        DEFAULT_TLS13_CIPHERSUITES,
        CipherStringError,
        default_security_level,
        expand_ciphers,
        parse_ciphersuites,
        security_level_of,
    )
    from tlslint.errors import UsageError

    tls13_text = DEFAULT_TLS13_CIPHERSUITES if args.ciphersuites is None else args.ciphersuites
    try:
        ciphers = expand_ciphers(args.expression, args.openssl_version)
        tls13 = parse_ciphersuites(tls13_text, args.openssl_version)
        level = security_level_of(args.expression, args.openssl_version)
        if level is None:
            level = default_security_level(args.openssl_version)
    except CipherStringError as error:
        raise UsageError(str(error)) from None

    if args.format == "json":
        document = {
            "expression": args.expression,
            "openssl_version": args.openssl_version,
            "security_level": level,
            "cipher_suites": [_suite_json(cipher.suite, cipher.name, cipher.min_version) for cipher in ciphers],
            "tls13_cipher_suites": [_suite_json(suite, suite.iana_name) for suite in tls13],
        }
        json.dump(document, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_table(args.expression, args.openssl_version, level, ciphers, tls13)
    return 0


def _suite_json(suite: CipherSuite, openssl_name: str, protocol: str | None = None) -> dict[str, Any]:
    from tlslint.catalog.weakness import weaknesses

    return {
        "code": suite.code_str,
        "iana_name": suite.iana_name,
        "openssl_name": openssl_name,
        "protocol": protocol or suite.min_version,
        "kx": suite.kx,
        "au": suite.au,
        "enc": suite.cipher if suite.mode in ("NULL", "STREAM", "POLY1305") else f"{suite.cipher}-{suite.mode}",
        "bits": suite.bits,
        "mac": suite.mac,
        "aead": suite.aead,
        "pfs": suite.pfs,
        "recommended": suite.recommended,
        "weaknesses": weaknesses(suite),
    }


def _print_table(
    expression: str, version: str, level: int, ciphers: list[OpenSSLCipher], tls13: list[CipherSuite]
) -> None:
    from tabulate import tabulate

    rows = [_row(s) for s in tls13] + [_row(c.suite, c.min_version) for c in ciphers]
    headers = ["code", "openssl name", "iana name", "since", "kx", "au", "enc", "bits", "mac", "rating"]
    print(tabulate(rows, headers=headers, tablefmt="simple"))
    weak = sum(1 for row in rows if row[-1].startswith("WEAK"))
    print(
        f"\n{len(ciphers)} TLS<=1.2 suites, {len(tls13)} TLS 1.3 suites for {expression!r} "
        f"(OpenSSL {version}, security level {level}); {weak} weak"
    )


def _row(suite: CipherSuite, protocol: str | None = None) -> list[Any]:
    from tlslint.catalog.weakness import rating

    data = _suite_json(suite, suite.openssl_name or suite.iana_name, protocol)
    return [
        data["code"],
        data["openssl_name"],
        data["iana_name"],
        data["protocol"],
        data["kx"],
        data["au"],
        data["enc"],
        data["bits"],
        data["mac"],
        rating(suite),
    ]
