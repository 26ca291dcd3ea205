#!/usr/bin/env python3
"""Cold-start timings of the commands a pre-commit user feels (ARCHITECTURE §10 budgets).

Runs each command as a fresh process N times and reports the median, min and max wall time:

    python benchmarks/startup.py            # 20 runs each
    python benchmarks/startup.py --runs 50

Budgets: ``tlslint --version`` < 150 ms; ``tlslint check`` on the example < 400 ms.
Uses the ``tlslint`` next to the running interpreter, so run it with the project's virtualenv.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGETS_MS = {"version": 150, "check-example": 400}


def tlslint() -> str:
    candidate = Path(sys.executable).with_name("tlslint")
    return str(candidate) if candidate.exists() else "tlslint"


def measure(command: list[str], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    exe = tlslint()
    commands = {
        "version": [exe, "--version"],
        "check-example": [exe, "check", "examples/charging-station", "--fail-on", "never"],
        "check-example-json": [exe, "check", "examples/charging-station", "--format", "json", "--fail-on", "never"],
        "inspect-example": [exe, "inspect", "examples/charging-station", "--format", "json"],
    }
    print(f"tlslint at {exe}; {args.runs} cold runs each; {os.cpu_count()} CPUs")
    failed = False
    for name, command in commands.items():
        timings = measure(command, args.runs)
        median = statistics.median(timings)
        budget = BUDGETS_MS.get(name)
        verdict = "" if budget is None else (" within budget" if median < budget else f" OVER budget {budget} ms")
        failed |= budget is not None and median >= budget
        print(f"{name:20s} median {median:6.1f} ms  min {min(timings):6.1f}  max {max(timings):6.1f}{verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
