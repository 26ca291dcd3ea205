#!/usr/bin/env python3
"""tlslint side by side with the linters users already run, on the same generated inputs (issue 16).

* nginx: gixy-ng (``gixy`` on every file in one process) against ``tlslint check``;
* certificates: pkilint's RFC 5280 validators (one process loading and validating every file) against
  ``tlslint check``;
* 10,000 certificates sharing one key: tlslint's cross-file key-reuse pass at its worst case.

The peers are installed into a scratch virtual environment (``--peers-venv``, default
``/tmp/tlslint-peers``) with pip; tlslint is the one this script runs with. Each measurement is a whole
process under GNU ``time``; runs alternate tlslint and the peer, and the median wall time and the peak
resident memory are printed with the ratio::

    python benchmarks/peers.py                    # 1k and 10k of each
    python benchmarks/peers.py --sizes 1000 --runs 3
    python benchmarks/peers.py --only certs       # the certificate rows alone (also --only nginx)
    python benchmarks/peers.py --scaling 1000,10000,100000   # tlslint alone: files/s and memory per size

Inputs are generated under ``--work`` (default a temporary directory) and reused between sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PKILINT_DRIVER = """
import sys
from pathlib import Path
from pkilint import loader
from pkilint.pkix import certificate, name, extension

validator = certificate.create_pkix_certificate_validator_container(
    certificate.create_decoding_validators(name.ATTRIBUTE_TYPE_MAPPINGS, extension.EXTENSION_MAPPINGS),
    [
        certificate.create_issuer_validator_container([]),
        certificate.create_validity_validator_container(),
        certificate.create_subject_validator_container([]),
        certificate.create_extensions_validator_container([]),
        certificate.create_spki_validator_container([]),
    ],
)
load = loader.RFC5280CertificateDocumentLoader().get_file_loader_func(loader.DocumentFormat.PEM)
findings = 0
for path in sorted(Path(sys.argv[1]).rglob("*.pem")):
    with open(path, "rb") as handle:
        document = load(handle, str(path))
    findings += sum(len(result.finding_descriptions) for result in validator.validate(document.root))
print(findings)
"""


@dataclass
class Measure:
    seconds: float
    peak_mib: float


def ensure_peers(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run([str(python), "-c", "import gixy, pkilint"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "gixy-ng", "pkilint"], check=True)
    return python


def timed(command: list[str], cwd: Path | None = None) -> Measure:
    """Wall seconds and peak RSS of one whole process, from GNU time (output discarded). A process that
    crashed is an error, not a fast measurement."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        process = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        if "Traceback (most recent call last)" in process.stderr:
            raise SystemExit(f"{command[0]} crashed:\n{process.stderr[-1500:]}")
        seconds, kib = report.read().split()[-2:]
    return Measure(float(seconds), int(kib) / 1024)


def median(measures: list[Measure]) -> Measure:
    return Measure(statistics.median(m.seconds for m in measures), max(m.peak_mib for m in measures))


def generate_nginx(root: Path, count: int) -> Path:
    from nginx_scale import generate

    target = root / f"nginx-{count}"
    if not target.exists():
        generate(target, count)
    return target


def generate_certs(root: Path, count: int, *, one_key: bool) -> Path:
    target = root / (f"certs-onekey-{count}" if one_key else f"certs-{count}")
    if target.exists():
        return target
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    target.mkdir(parents=True)
    issuer_key = ec.generate_private_key(ec.SECP256R1())
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bench CA")])
    shared = ec.generate_private_key(ec.SECP256R1())
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for index in range(count):
        key = shared if one_key else ec.generate_private_key(ec.SECP256R1())
        name = f"station-{index:06d}.bench.example"
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(index + 1)
            .not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(issuer_key, hashes.SHA256())
        )
        (target / f"{name}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return target


def tlslint(*args: str) -> list[str]:
    return [sys.executable, "-m", "tlslint", "check", "--format", "json", "--fail-on", "never", *args]


def supports_jobs() -> bool:
    help_text = subprocess.run(tlslint("--help"), capture_output=True, text=True).stdout
    return "--jobs" in help_text


def compare(label: str, ours: list[str], theirs: list[str] | None, runs: int, cwd: Path) -> dict:
    mine, peer = [], []
    for _ in range(runs):
        mine.append(timed(ours, cwd))
        if theirs is not None:
            peer.append(timed(theirs, cwd))
    row = {"input": label, "tlslint_s": median(mine).seconds, "tlslint_mib": median(mine).peak_mib}
    if theirs is not None:
        row |= {"peer_s": median(peer).seconds, "peer_mib": median(peer).peak_mib}
        row["speed_ratio"] = row["peer_s"] / row["tlslint_s"] if row["tlslint_s"] else float("inf")
    return row


def peers(args: argparse.Namespace, work: Path) -> list[dict]:
    python = ensure_peers(Path(args.peers_venv))
    gixy = str(Path(args.peers_venv) / "bin" / "gixy")
    driver = work / "pkilint_driver.py"
    driver.write_text(PKILINT_DRIVER)
    jobs = supports_jobs()
    rows = []
    for size in args.sizes:
        if args.only != "certs":
            rows.extend(_nginx_rows(args, work, size, gixy, jobs))
        if args.only != "nginx":
            certs = generate_certs(work, size, one_key=False)
            rows.append(
                compare(
                    f"{size} certificates", tlslint(str(certs)), [str(python), str(driver), str(certs)], args.runs, work
                )
            )
    if args.only == "nginx":
        return rows
    one_key = generate_certs(work, max(args.sizes), one_key=True)
    rows.append(compare(f"{max(args.sizes)} certificates, one key", tlslint(str(one_key)), None, args.runs, work))
    return rows


def _nginx_rows(args: argparse.Namespace, work: Path, size: int, gixy: str, jobs: bool) -> list[dict]:
    tree = generate_nginx(work, size)
    confs = sorted(str(p) for p in (tree / "sites").glob("site*.conf"))
    rows = [
        compare(
            f"{size} nginx files" + (", -j 1" if jobs else ""),
            tlslint("-j", "1", str(tree)) if jobs else tlslint(str(tree)),
            [gixy, "-f", "json", *confs],
            args.runs,
            work,
        )
    ]
    if jobs:
        rows.append(
            compare(
                f"{size} nginx files, -j 2",
                tlslint("-j", "2", str(tree)),
                [gixy, "-f", "json", *confs],
                args.runs,
                work,
            )
        )
    return rows


def scaling(args: argparse.Namespace, work: Path) -> list[dict]:
    rows = []
    for size in args.scaling:
        tree = generate_nginx(work, size)
        measure = median([timed(tlslint(str(tree)), work) for _ in range(args.runs)])
        rows.append(
            {
                "files": size,
                "seconds": measure.seconds,
                "files_per_s": size / measure.seconds,
                "peak_mib": measure.peak_mib,
            }
        )
    return rows


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[1000, 10000], help="comma list (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs per measurement (median)")
    parser.add_argument("--scaling", type=_sizes, help="tlslint alone at these nginx file counts")
    parser.add_argument(
        "--only", choices=("nginx", "certs"), help="run only the nginx rows or only the certificate rows"
    )
    parser.add_argument("--peers-venv", default="/tmp/tlslint-peers")
    parser.add_argument("--work", help="where generated inputs live (default: a temporary directory)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    if not shutil.which("/usr/bin/time"):
        parser.error("needs GNU time (/usr/bin/time; Debian package 'time')")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="tlslint-peers-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = scaling(args, work) if args.scaling else peers(args, work)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            print(
                "  ".join(
                    f"{key}={value:.3f}" if isinstance(value, float) else f"{key}={value}" for key, value in row.items()
                )
            )
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
