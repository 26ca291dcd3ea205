#!/usr/bin/env python3
"""Throughput of `tlslint check` on a generated repository (ARCHITECTURE §10).

Generates a tree that looks like a firmware monorepo — TLS configuration documents among many
unrelated YAML, JSON, C and shell files — then times one `tlslint check` of the whole tree:

    python benchmarks/large_repo.py                 # 1,000 documents + 4,000 other files
    python benchmarks/large_repo.py --documents 5000 --others 20000

Reports files per second (all files walked) and documents per second (files actually parsed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCUMENT = """\
apiVersion: tlslint/v1
kind: TLSConfiguration
tlsProfiles:
  - id: p{n}
    versions: {{min: {low}, max: TLSv1.3}}
    cipherSuites:
      TLSv1.3: [TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256]
      TLSv1.2: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]
    session: {{tickets: true, cacheTimeout: {timeout}}}
endpoints:
  - id: e{n}
    role: client
    purpose: firmware-download
    tls: {{profile: p{n}}}
    targets:
      - {{id: a, url: "https://fw{n}.example/", priority: 10}}
      - {{id: b, url: "https://fw{n}-dr.example/", priority: 20}}
    connection: {{timeouts: {{connect: 10s}}, retry: {{maxRetries: 3, backoff: {{initial: 5s, max: 5m}}}}}}
"""
OTHERS = {
    ".yaml": "name: build\non: [push]\njobs:\n  test: {{runs-on: ubuntu-latest, steps: [{{run: make {n}}}]}}\n",
    ".json": '{{"name": "component-{n}", "version": "1.{n}.0", "dependencies": {{}}}}\n',
    ".c": "#include <stdio.h>\nint f{n}(void) {{ return {n}; }}\n",
    ".sh": "#!/bin/sh\necho building {n}\n",
}


def generate(root: Path, documents: int, others: int) -> None:
    for n in range(documents):
        folder = root / f"device{n % 50}" / "config"
        folder.mkdir(parents=True, exist_ok=True)
        low = "TLSv1.2" if n % 3 else "TLSv1.1"
        timeout = "300s" if n % 2 else "48h"
        (folder / f"tls-{n}.yaml").write_text(DOCUMENT.format(n=n, low=low, timeout=timeout), encoding="utf-8")
    suffixes = list(OTHERS)
    for n in range(others):
        suffix = suffixes[n % len(suffixes)]
        folder = root / f"component{n % 200}" / "src"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"file-{n}{suffix}").write_text(OTHERS[suffix].format(n=n), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--others", type=int, default=4000)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("tlslint")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.documents, args.others)
        total = args.documents + args.others
        start = time.perf_counter()
        result = subprocess.run(
            [str(exe), "check", ".", "--format", "json", "--fail-on", "never"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
        if result.returncode not in (0, 1):
            print(result.stderr, file=sys.stderr)
            return result.returncode
        import json

        summary = json.loads(result.stdout)["summary"]
    print(f"{total} files ({args.documents} TLS documents) in {elapsed:.2f} s")
    print(f"{total / elapsed:,.0f} files/s walked, {args.documents / elapsed:,.0f} documents/s parsed and checked")
    print(f"{summary['findings']} findings, {summary['rules']} rules")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
