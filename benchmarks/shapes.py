#!/usr/bin/env python3
"""Does `tlslint check` stay linear on the layouts real trees have? (issue 16)

`peers.py` and `nginx_scale.py` measure one layout: standalone nginx files sharing two certificates.
A cost that grows with the square of something else — the servers presenting one certificate, the
certificates of a fleet, the vhosts of one main file — does not show there. This script generates each
layout below at N and 2N, times one `tlslint check -j 1` of each, and prints the growth of the time:
about 2 is linear, 4 is quadratic.

* ``fleet``: N nginx sites, each presenting its own certificate and key (a charging-point fleet);
* ``vhosts``: one Apache main file including N vhosts from ``sites-enabled/``, each with its own
  certificate;
* ``haproxy``: one HAProxy configuration with N ``bind ... ssl crt`` lines, each its own combined PEM;
* ``chains``: N leaf certificates, each issued by its own intermediate, all under one root, with the
  intermediates in one bundle;
* ``curl``: N shell scripts, each with a few ``curl`` calls.

    python benchmarks/shapes.py                    # N = 1000
    python benchmarks/shapes.py --size 2000 --only fleet,vhosts

Run it with the project's virtualenv; inputs are generated under ``--work`` (default a temporary
directory) and reused.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class _Issuer:
    """A certificate authority that signs the generated certificates (EC keys: fast to make)."""

    def __init__(self, name: str, parent: _Issuer | None = None) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec

        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = name
        signer = parent or self  # a root signs itself
        self.cert = _certificate(name, self.key.public_key(), signer.key, signer.name, ca=True)

    def pem(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        return self.cert.public_bytes(serialization.Encoding.PEM)


def _certificate(name: str, public_key, signer_key, issuer_name: str, *, ca: bool = False):  # type: ignore[no-untyped-def]
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(START)
        .not_valid_after(START + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
    return builder.sign(signer_key, hashes.SHA256())


def _leaf(name: str, issuer: _Issuer) -> tuple[bytes, bytes]:
    """A leaf certificate and its key, as PEM."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(name, key.public_key(), issuer.key, issuer.name)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _leaf_files(directory: Path, stem: str, name: str, issuer: _Issuer) -> None:
    """``stem.crt`` and ``stem.key`` in ``directory``: a leaf certificate for ``name`` and its key."""
    cert, key = _leaf(name, issuer)
    (directory / f"{stem}.crt").write_bytes(cert)
    (directory / f"{stem}.key").write_bytes(key)


def fleet(root: Path, count: int) -> None:
    ca = _Issuer("Fleet CA")
    (root / "sites").mkdir(parents=True)
    (root / "certs").mkdir()
    for index in range(count):
        name = f"site{index}.fleet.example"
        _leaf_files(root / "certs", f"site{index}", name, ca)
        (root / "sites" / f"site{index}.conf").write_text(
            "events {}\nhttp {\n    server {\n        listen 443 ssl;\n"
            f"        server_name {name};\n"
            f"        ssl_certificate ../certs/site{index}.crt;\n"
            f"        ssl_certificate_key ../certs/site{index}.key;\n"
            "        ssl_protocols TLSv1.2 TLSv1.3;\n    }\n}\n"
        )


def vhosts(root: Path, count: int) -> None:
    ca = _Issuer("Vhost CA")
    (root / "sites-enabled").mkdir(parents=True)
    (root / "ssl").mkdir()
    (root / "apache2.conf").write_text(
        "Listen 443\nSSLProtocol -all +TLSv1.2 +TLSv1.3\nIncludeOptional sites-enabled/*.conf\n"
    )
    for index in range(count):
        name = f"vhost{index}.example"
        _leaf_files(root / "ssl", f"vhost{index}", name, ca)
        (root / "sites-enabled" / f"vhost{index:05d}.conf").write_text(
            "<VirtualHost *:443>\n"
            f"    ServerName {name}\n"
            "    SSLEngine on\n"
            f"    SSLCertificateFile ssl/vhost{index}.crt\n"
            f"    SSLCertificateKeyFile ssl/vhost{index}.key\n"
            "</VirtualHost>\n"
        )


def haproxy(root: Path, count: int) -> None:
    ca = _Issuer("Edge CA")
    (root / "certs").mkdir(parents=True)
    lines = ["global", "    ssl-default-bind-options ssl-min-ver TLSv1.2", "", "frontend edge", "    mode http"]
    for index in range(count):
        cert, key = _leaf(f"edge{index}.example", ca)
        (root / "certs" / f"edge{index}.pem").write_bytes(cert + key)
        lines.append(
            f"    bind 10.{index // 65536}.{index // 256 % 256}.{index % 256}:443 ssl crt certs/edge{index}.pem"
        )
    lines.append("    default_backend app")
    lines += ["", "backend app", "    server app1 192.0.2.10:8443 ssl verify required ca-file certs/edge0.pem", ""]
    (root / "haproxy.cfg").write_text("\n".join(lines))


def chains(root: Path, count: int) -> None:
    root_ca = _Issuer("Chain Root")
    root.mkdir(parents=True)
    bundle = [root_ca.pem()]
    for index in range(count):
        intermediate = _Issuer(f"Intermediate {index}", root_ca)
        bundle.append(intermediate.pem())
        cert, _key = _leaf(f"leaf{index}.chain.example", intermediate)
        (root / f"leaf{index:05d}.pem").write_bytes(cert)
    (root / "bundle.pem").write_bytes(b"".join(bundle))


def curl(root: Path, count: int) -> None:
    root.mkdir(parents=True)
    for index in range(count):
        (root / f"upload{index:05d}.sh").write_text(
            "#!/bin/sh\nset -e\n"
            f"curl --tlsv1.2 --cacert /etc/ssl/ca.pem https://backend{index}.example/api\n"
            f"curl -k https://legacy{index}.example/\n"
            f'curl --ciphers "ECDHE+AESGCM" -o out{index}.bin https://files{index}.example/\n'
        )


SHAPES: dict[str, Callable[[Path, int], None]] = {
    "fleet": fleet,
    "vhosts": vhosts,
    "haproxy": haproxy,
    "chains": chains,
    "curl": curl,
}


def seconds(tree: Path) -> float:
    command = [sys.executable, "-m", "tlslint", "check", "-j", "1", "--format", "json", "--fail-on", "never", str(tree)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000, help="N: each layout is timed at N and 2N")
    parser.add_argument("--only", help="comma list of layouts (default: all)")
    parser.add_argument("--work", help="where generated inputs live (default: a temporary directory)")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(SHAPES)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="tlslint-shapes-"))
    print(f"{'layout':<8} {'N':>6} {'N s':>8} {'2N s':>8} {'growth':>7}")
    for name in names:
        times = []
        for count in (args.size, 2 * args.size):
            tree = work / f"{name}-{count}"
            if not tree.exists():
                SHAPES[name](tree, count)
            seconds(tree)  # once to warm the file cache and the bytecode
            times.append(min(seconds(tree) for _ in range(2)))
        print(f"{name:<8} {args.size:>6} {times[0]:>8.2f} {times[1]:>8.2f} {times[1] / times[0]:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
