#!/usr/bin/env python3
"""Cold-start timings of the commands a pre-commit user feels (ARCHITECTURE §10 budgets, issue 16).

Runs each command as a fresh process N times and reports the median, min and max wall time:

    python benchmarks/startup.py            # 20 runs each
    python benchmarks/startup.py --runs 50
    python benchmarks/startup.py --only one-file --peers-venv /tmp/tlslint-peers   # gixy-ng beside nginx

Budgets: ``tlslint --version`` < 150 ms; ``tlslint check`` of one nginx file, one curl script and one
certificate < 150 ms each (what a pre-commit hook handing over one changed file costs); ``tlslint check``
on the example < 400 ms. The one-file inputs are generated in a temporary git work tree (see
:func:`one_file_inputs`); each command runs once before timing, so that bytecode and tlslint's caches
are warm, as they are for a hook. With ``--peers-venv`` (gixy-ng installed there as ``benchmarks/peers.py`` does),
gixy-ng checks the same nginx file in alternation with tlslint and the ratio is printed.

Uses the ``tlslint`` next to the running interpreter, so run it with the project's virtualenv.
``PYTHONDONTWRITEBYTECODE`` is removed from the commands' environment: without bytecode every run
would compile tlslint again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
BUDGETS_MS = {"version": 150, "check-example": 400, "one-nginx": 150, "one-curl": 150, "one-cert": 150}
CURL_SCRIPT = "#!/bin/sh\nset -e\ncurl --tlsv1.2 -k -o firmware.bin https://updates.example.com/firmware.bin\n"


def tlslint() -> str:
    candidate = Path(sys.executable).with_name("tlslint")
    return str(candidate) if candidate.exists() else "tlslint"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(command: list[str], runs: int, cwd: Path = REPO) -> list[float]:
    return alternate({"one": command}, runs, cwd)["one"]


def alternate(commands: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, list[float]]:
    """Wall milliseconds of each command, run in turn ``runs`` times after one untimed warm-up run each
    (so that a burst of load on a shared machine hits all of them alike)."""
    env = environment()
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            if round_:
                timings[name].append((time.perf_counter() - start) * 1000)
    return timings


def one_file_inputs(root: Path) -> dict[str, Path]:
    """One nginx site file, one curl script and one certificate, in a git work tree as a pre-commit hook
    sees them. The nginx file is ``benchmarks/nginx_scale.py``'s, with the snippet it includes; the
    certificates it names are not in the tree, as in most repositories (they live on the server). The
    row ``one-nginx+certs`` checks the same file where they are, which adds reading two certificates."""
    from nginx_scale import generate
    from peers import generate_certs

    generate(root / "with-certs", 1)
    shutil.copytree(root / "with-certs" / "sites", root / "site")
    (root / "fetch.sh").write_text(CURL_SCRIPT, encoding="utf-8")
    certificate = next(generate_certs(root / "pki", 1, one_key=False).glob("*.pem"))
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(root)], check=False)
    return {
        "nginx": root / "site" / "site00000.conf",
        "curl": root / "fetch.sh",
        "cert": certificate,
        "nginx+certs": root / "with-certs" / "sites" / "site00000.conf",
    }


def one_file_rows(runs: int, peers_venv: str | None) -> list[tuple[str, list[float]]]:
    exe = tlslint()
    gixy = None
    if peers_venv:
        from peers import ensure_peers

        ensure_peers(Path(peers_venv))
        gixy = str(Path(peers_venv) / "bin" / "gixy")
    with tempfile.TemporaryDirectory(prefix="tlslint-startup-") as tmp:
        root = Path(tmp)
        inputs = one_file_inputs(root)
        commands = {f"one-{kind}": [exe, "check", str(path.relative_to(root))] for kind, path in inputs.items()}
        if gixy:
            commands["gixy-ng one-nginx"] = [gixy, str(inputs["nginx"].relative_to(root))]
        timings = alternate(commands, runs, root)
    return list(timings.items())


def report(name: str, timings: list[float]) -> bool:
    """Print one row; True when it is over its budget."""
    median = statistics.median(timings)
    budget = BUDGETS_MS.get(name)
    verdict = "" if budget is None else (" within budget" if median < budget else f" OVER budget {budget} ms")
    print(f"{name:20s} median {median:6.1f} ms  min {min(timings):6.1f}  max {max(timings):6.1f}{verdict}")
    return budget is not None and median >= budget


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", choices=("commands", "one-file"), help="only the command rows or the one-file rows")
    parser.add_argument("--peers-venv", help="virtual environment with gixy-ng (installed there if missing)")
    args = parser.parse_args()
    exe = tlslint()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"tlslint at {exe}; {args.runs} cold runs each; {os.cpu_count()} CPUs; load average {load}")
    failed = False
    if args.only != "one-file":
        commands = {
            "version": [exe, "--version"],
            "check-example": [exe, "check", "examples/charging-station", "--fail-on", "never"],
            "check-example-json": [exe, "check", "examples/charging-station", "--format", "json", "--fail-on", "never"],
            "inspect-example": [exe, "inspect", "examples/charging-station", "--format", "json"],
        }
        for name, command in commands.items():
            failed |= report(name, measure(command, args.runs))
    if args.only != "commands":
        python = [str(Path(sys.executable)), "-c", "pass"]
        rows = [("python -c pass", measure(python, args.runs)), *one_file_rows(args.runs, args.peers_venv)]
        for name, timings in rows:
            failed |= report(name, timings)
        medians = dict((name, statistics.median(timings)) for name, timings in rows)
        if "gixy-ng one-nginx" in medians:
            ratio = medians["gixy-ng one-nginx"] / medians["one-nginx"]
            print(f"one nginx file: gixy-ng time / tlslint time = {ratio:.2f} (above 1: tlslint is faster)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
