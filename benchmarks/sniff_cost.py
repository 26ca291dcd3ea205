#!/usr/bin/env python3
"""What the device sources' content sniffs cost on a repository full of unrelated code (ARCHITECTURE §10).

The device sources claim common file names (``*.sh``, ``*.c``, ``*.h``, ``*.cs``, ``Makefile``,
``Dockerfile``), so every such file in a repository is opened and its first 64 KiB matched against a
cheap regular expression; only files that mention curl/wget, ``curl_easy_setopt``/``mbedtls_ssl_conf_*``,
Mbed TLS config macros or .NET/BouncyCastle TLS names are parsed. This benchmark generates a tree of
unrelated files of those kinds (realistic sizes, words like "curl" and "SslStream" in comments and
strings that must *not* be claimed) plus a few relevant ones, and times ``tlslint check`` on it:

    python benchmarks/sniff_cost.py                  # 4,000 unrelated + 10 relevant files
    python benchmarks/sniff_cost.py --unrelated 20000 --runs 3

It reports files per second for the whole tree and for the unrelated files alone, how many files a
source claimed (the build scripts mention "curl" in a comment, so the shell sniff claims them and the
pure-Python tokeniser finds no command), and whether the tree-sitter parsers were imported when no file
needed them (they must not be).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

UNRELATED = {
    "build.sh": """#!/bin/sh
# Build component {n}. (Downloads go through the package mirror, never curl | sh.)
set -eu
CC=${{CC:-gcc}}
for f in src/*.c; do
    "$CC" -O2 -Wall -c "$f" -o "build/$(basename "$f" .c).o"
done
echo "component {n} built"
""",
    "driver.c": """/* Driver {n}: ring buffer for the meter UART. Not a curl_easy_* user. */
#include <stdint.h>
#include <string.h>

#define RING_SIZE {size}

static uint8_t ring[RING_SIZE];
static size_t head, tail;

int ring_put_{n}(uint8_t byte)
{{
    size_t next = (head + 1) % RING_SIZE;
    if (next == tail)
        return -1;
    ring[head] = byte;
    head = next;
    return 0;
}}

int ring_get_{n}(uint8_t *byte)
{{
    if (head == tail)
        return -1;
    *byte = ring[tail];
    tail = (tail + 1) % RING_SIZE;
    return 0;
}}
""",
    "config.h": """#ifndef COMPONENT_{n}_CONFIG_H
#define COMPONENT_{n}_CONFIG_H
/* Sizes for component {n}; the TLS buffers live in mbedtls_config.h, not here. */
#define COMPONENT_{n}_BUFFER_SIZE {size}
#define COMPONENT_{n}_RETRIES 3
#endif
""",
    "Service.cs": """// Service {n}: schedules charging sessions. TLS is configured elsewhere (no SslStream here).
using System;
using System.Collections.Generic;

namespace Cpo.Scheduling
{{
    public class Service{n}
    {{
        private readonly List<int> _slots = new();

        public int Next()
        {{
            _slots.Add({n});
            return _slots.Count;
        }}
    }}
}}
""",
    "Makefile": """CFLAGS = -O2 -Wall
OBJS = ring.o uart.o

all: app{n}

app{n}: $(OBJS)
\t$(CC) $(CFLAGS) -o $@ $(OBJS)

clean:
\trm -f app{n} $(OBJS)
""",
    "Dockerfile": """FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \\
    && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN make -C /src app{n}
""",
}

RELEVANT = {
    "fetch.sh": "#!/bin/sh\ncurl -k --tlsv1.0 -o /tmp/fw.bin https://fw.example.com/fw.bin\n",
    "Dockerfile": "FROM debian\nRUN curl --insecure -o /ca.pem https://pki.example.com/ca.pem\n",
    "Makefile": "fetch:\n\twget --no-check-certificate https://fw.example.com/x\n",
    "client.c": "void f(CURL *h) { curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L); }\n",
    "tls.c": "void g(mbedtls_ssl_config *c) { mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_NONE); }\n",
    "mbedtls_config.h": "#undef MBEDTLS_HAVE_TIME_DATE\n#define MBEDTLS_SSL_IN_CONTENT_LEN 4096\n",
    "Client.cs": "class C { void M(HttpClientHandler h) { h.SslProtocols = SslProtocols.Tls11; } }\n",
    ".curlrc": "insecure\n",
    ".wgetrc": "check_certificate = off\n",
    "Legacy.cs": "class L : DefaultTlsClient { public L(TlsCrypto c) : base(c) { } }\n",
}


def generate(root: Path, unrelated: int, relevant: bool) -> int:
    names = list(UNRELATED)
    for n in range(unrelated):
        name = names[n % len(names)]
        folder = root / f"component{n // len(names)}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(UNRELATED[name].format(n=n, size=256 << (n % 5)), encoding="utf-8")
    if relevant:
        folder = root / "device"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in RELEVANT.items():
            (folder / name).write_text(text, encoding="utf-8")
    return unrelated + (len(RELEVANT) if relevant else 0)


_PROBE = """
import datetime, json, sys, time
start = time.perf_counter()
from tlslint.policy import load_policy
from tlslint.run import lint
result = lint([sys.argv[1]], load_policy("secure-defaults"), at=datetime.date(2026, 11, 24))
print(json.dumps({"seconds": time.perf_counter() - start, "tree_sitter": "tree_sitter" in sys.modules,
                  "parsed": len(result.inputs.files), "findings": len(result.findings)}))
"""


def probe(root: Path) -> dict:
    """Lint in a fresh interpreter and report what was imported (the CLI is timed separately)."""
    done = subprocess.run([sys.executable, "-c", _PROBE, str(root)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def time_cli(root: Path, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tlslint", "check", str(root), "--format", "json", "--at", "2026-11-24"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            env=dict(os.environ),
        )
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--unrelated", type=int, default=4000, help="unrelated .sh/.c/.h/.cs/Makefile/Dockerfile files")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tree (the best is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tlslint-sniff-") as tmp:
        plain, mixed = Path(tmp) / "unrelated", Path(tmp) / "mixed"
        files_plain = generate(plain, args.unrelated, relevant=False)
        files_mixed = generate(mixed, args.unrelated, relevant=True)
        empty = Path(tmp) / "empty"
        empty.mkdir()
        startup = time_cli(empty, args.runs)
        seconds_plain = time_cli(plain, args.runs)
        seconds_mixed = time_cli(mixed, args.runs)
        probe_plain, probe_mixed = probe(plain), probe(mixed)
    print(f"start-up (empty tree):            {startup * 1000:7.0f} ms")
    print(
        f"unrelated only: {files_plain:6d} files  {seconds_plain:6.2f} s  "
        f"{files_plain / seconds_plain:8.0f} files/s  "
        f"({files_plain / max(seconds_plain - startup, 1e-6):8.0f} files/s without start-up); "
        f"claimed {probe_plain['parsed']}, findings {probe_plain['findings']}, "
        f"tree_sitter imported: {probe_plain['tree_sitter']}"
    )
    print(
        f"with relevant:  {files_mixed:6d} files  {seconds_mixed:6.2f} s  "
        f"{files_mixed / seconds_mixed:8.0f} files/s; claimed {probe_mixed['parsed']}, "
        f"findings {probe_mixed['findings']}, tree_sitter imported: {probe_mixed['tree_sitter']}"
    )
    # A build script that mentions "curl" in a comment passes the shell sniff and is tokenised (pure
    # Python, no endpoint comes out); what must never happen is a finding, or tree-sitter being loaded.
    if probe_plain["tree_sitter"] or probe_plain["findings"]:
        print("FAIL: unrelated files produced findings or pulled in tree-sitter", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
