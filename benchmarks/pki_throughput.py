#!/usr/bin/env python3
"""PKI throughput: certificates per second through loading + facts (and, separately, the cross-file pass).

Generates N certificates (default 10,000) in a temporary directory — a few keys reused, so generation
is quick — as a mix of single PEM files, DER files and 3-certificate chain bundles, then times

* ``load + facts``: :meth:`tlslint.pki.scan.PkiScan.add` on every file (sniff, parse, describe, subject),
* ``link``: :meth:`tlslint.pki.scan.PkiScan.finish` (key reuse, key pairing, chain building and
  verification of every leaf against the roots of the run).

Usage: .venv/bin/python benchmarks/pki_throughput.py [--count 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

AT = datetime.date(2026, 11, 24)


def generate(directory: Path, count: int) -> int:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(8)]

    def cert(cn: str, key, issuer_name, issuer_key, *, ca: bool, serial: int) -> x509.Certificate:
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_name or subject)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=3650 if ca else 90))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key((issuer_key or key).public_key()), critical=False
            )
        )
        if not ca:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        return builder.sign(issuer_key or key, hashes.SHA256())

    pem = serialization.Encoding.PEM
    root = cert("Bench Root", keys[0], None, None, ca=True, serial=1 << 100)
    inter = cert("Bench Issuing", keys[1], root.subject, keys[0], ca=True, serial=(1 << 100) + 1)
    (directory / "ca.pem").write_bytes(root.public_bytes(pem))
    written = 1
    index = 0
    while written < count:
        leaf = cert(
            f"host{index}.bench.invalid",
            keys[2 + index % 6],
            inter.subject,
            keys[1],
            ca=False,
            serial=(1 << 90) + index,
        )
        shape = index % 3
        if shape == 0:
            (directory / f"leaf{index}.pem").write_bytes(leaf.public_bytes(pem))
            written += 1
        elif shape == 1:
            (directory / f"leaf{index}.der").write_bytes(leaf.public_bytes(serialization.Encoding.DER))
            written += 1
        else:
            bundle = leaf.public_bytes(pem) + inter.public_bytes(pem) + root.public_bytes(pem)
            (directory / f"chain{index}.pem").write_bytes(bundle)
            written += 3
        index += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--keep", help="generate into (and keep) this directory")
    args = parser.parse_args(argv)

    directory = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tlslint-pki-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    total = generate(directory, args.count)
    print(f"generated {total} certificates in {time.perf_counter() - started:.1f} s ({directory})")

    from tlslint.pki.scan import PkiScan

    files = sorted(str(p) for p in directory.iterdir())
    scan = PkiScan(AT)
    started = time.perf_counter()
    certificates = diagnostics = 0
    for path in files:
        result = scan.add(path)
        certificates += sum(1 for s in result.subjects if s.kind == "certificate")
        diagnostics += len(result.diagnostics)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    scan.finish()
    link_seconds = time.perf_counter() - started

    print(f"load + facts: {certificates} certificates from {len(files)} files in {load_seconds:.2f} s "
          f"= {certificates / load_seconds:,.0f} certificates/s ({diagnostics} diagnostics)")  # fmt: skip
    print(f"link (reuse, pairing, chain verification): {link_seconds:.2f} s "
          f"= {certificates / link_seconds:,.0f} certificates/s")  # fmt: skip
    print(f"total: {certificates / (load_seconds + link_seconds):,.0f} certificates/s on {os.cpu_count()} CPUs")
    if not args.keep:
        shutil.rmtree(directory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
