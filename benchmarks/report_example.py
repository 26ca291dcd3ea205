#!/usr/bin/env python3
"""Wall time of ``tlslint report`` on the bundled firmware example, every format, as a fresh process.

    python benchmarks/report_example.py            # 10 runs
    python benchmarks/report_example.py --runs 20

Budget: < 1.5 s (median) for ``--framework en18031-1 [--framework iec62443-4-2:sl=2]`` with all five
formats. Uses the ``tlslint`` next to the running interpreter, so run it with the project's virtualenv.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET_MS = 1500


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("tlslint")
    sys.path.insert(0, str(REPO / "src"))
    from tlslint.compliance import load_catalogues

    frameworks = ["--framework", "en18031-1"]
    if any(c.id == "iec62443-4-2" for c in load_catalogues().values()):
        frameworks += ["--framework", "iec62443-4-2:sl=2"]
    timings, cpu = [], []
    with tempfile.TemporaryDirectory() as out:
        formats = "html,json,oscal-ar,techdoc-csv,cbom"
        command = [str(exe), "report", "examples/firmware", *frameworks, "--format", formats,
                   "--output-dir", out, "--at", "2026-12-01", "--fail-on", "never"]  # fmt: skip
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            timings.append((time.perf_counter() - start) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    median = statistics.median(timings)
    verdict = "ok" if median < BUDGET_MS else "OVER BUDGET"
    print(f"report-example: median {median:.0f} ms, min {min(timings):.0f}, max {max(timings):.0f} "
          f"(budget {BUDGET_MS} ms) {verdict}; CPU median {statistics.median(cpu):.0f} ms "
          f"(on a loaded machine wall time exceeds CPU time; compare CPU time there)")  # fmt: skip
    return 0 if median < BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
