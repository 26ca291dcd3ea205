#!/usr/bin/env python3
"""How `tlslint check` scales on nginx configurations (issue 6).

Generates N standalone nginx configuration files — each an `http{}` with two TLS servers (one with
an included snippet), a reverse proxy to a TLS upstream and a `stream{}` TLS listener, with varied
protocol lists, cipher strings with aliases and @SECLEVEL, and ssl_conf_command lines — plus one shared
RSA and one ECDSA certificate they reference, then times one `tlslint check` of the tree:

    python benchmarks/nginx_scale.py                # 1,000 files
    python benchmarks/nginx_scale.py --files 5000

Reports nginx files per second and endpoints per second. Run it with the project's virtualenv.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROTOCOLS = ["TLSv1.2 TLSv1.3", "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3", "TLSv1.3", "TLSv1.2"]
CIPHERS = ["HIGH:!aNULL:!MD5", "ECDHE+AESGCM:ECDHE+CHACHA20", "DEFAULT:@SECLEVEL=2", "ALL:!RC4:@SECLEVEL=0"]

CONF = """\
events {{}}
http {{
    server_tokens {tokens};
    ssl_protocols {protocols};
    ssl_ciphers '{ciphers}';
    server {{
        listen 10.0.{a}.{b}:443 ssl;
        server_name site{n}.example.com;
        ssl_certificate ../certs/{cert}.crt;
        ssl_certificate_key ../certs/{cert}.key;
        include snippets/tls-{m}.conf;
        location /api/ {{
            proxy_pass https://backend{n};
            proxy_ssl_verify {verify};
        }}
    }}
    server {{
        listen 8443 ssl;
        ssl_certificate ../certs/ec.crt;
        ssl_certificate_key ../certs/ec.key;
        ssl_conf_command Ciphersuites TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256;
        ssl_stapling on;
    }}
}}
stream {{
    server {{
        listen 5684 ssl;
        ssl_certificate ../certs/rsa.crt;
        ssl_protocols TLSv1.2;
    }}
}}
"""


def generate(root: Path, count: int) -> None:
    certs = root / "certs"
    certs.mkdir(parents=True)
    for name, args in (
        ("rsa", ["-newkey", "rsa:2048"]),
        ("ec", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]),
    ):
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                *args,
                "-nodes",
                "-keyout",
                str(certs / f"{name}.key"),
                "-out",
                str(certs / f"{name}.crt"),
                "-subj",
                "/CN=bench",
                "-days",
                "30",
            ],
            check=True,
            capture_output=True,
        )
    sites = root / "sites"
    (sites / "snippets").mkdir(parents=True)
    for m in range(4):
        (sites / "snippets" / f"tls-{m}.conf").write_text(
            f"ssl_session_timeout {m + 1}h;\nssl_prefer_server_ciphers {'on' if m % 2 else 'off'};\n"
        )
    for n in range(count):
        text = CONF.format(
            n=n,
            a=n // 250,
            b=n % 250 + 1,
            m=n % 4,
            tokens="off" if n % 3 else "on",
            protocols=PROTOCOLS[n % len(PROTOCOLS)],
            ciphers=CIPHERS[n % len(CIPHERS)],
            cert="rsa" if n % 2 else "ec",
            verify="on" if n % 5 == 0 else "off",
        )
        (sites / f"site{n:05d}.conf").write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("tlslint")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.files)
        start = time.perf_counter()
        result = subprocess.run(
            [str(exe), "check", str(root / "sites"), "--format", "json", "--fail-on", "never"],
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
        if result.returncode not in (0, 1):
            print(result.stderr, file=sys.stderr)
            return 1
        report = json.loads(result.stdout)
        files = report["summary"]["files"]
        findings = report["summary"]["findings"]
        start = time.perf_counter()
        inspect = subprocess.run(
            [str(exe), "inspect", str(root / "sites"), "--format", "json"], capture_output=True, text=True, check=False
        )
        inspect_elapsed = time.perf_counter() - start
        endpoints = len(json.loads(inspect.stdout)["endpoints"])
    print(f"check:   {files} nginx files, {findings} findings in {elapsed:.2f} s -> {files / elapsed:,.0f} files/s")
    print(
        f"inspect: {endpoints} endpoints in {inspect_elapsed:.2f} s -> {endpoints / inspect_elapsed:,.0f} endpoints/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
