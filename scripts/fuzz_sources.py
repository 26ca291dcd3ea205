#!/usr/bin/env python3
"""Mutation fuzzing of every source: bad input must become a diagnostic, never an internal error.

Takes the rule fixtures and example trees as seeds, mutates them (truncation, byte flips, deleted,
duplicated and inserted lines) and runs each mutant through the real pipeline. Any "internal error"
diagnostic is a parser bug; the mutant is kept for a regression test.

    .venv/bin/python scripts/fuzz_sources.py --seed 7 --cases 8000 --keep /tmp/crashes

The test suite runs a small, seeded slice of this (tests/foundation/test_robustness.py).
"""

from __future__ import annotations

import argparse
import collections
import datetime
import random
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

INSERTS = (
    b"    - ",
    b"}",
    b"{",
    b"include *;",
    b"Include /x",
    b'"',
    b"#define MBEDTLS_SSL_MAX_CONTENT_LEN x",
    b"curl -k --tlsv1.0 $X",
    b"  tls: {profile: [}",
)
FLIPS = b"{}[]()\"';:#\\\n,=-0x\x00\xff "


def seeds() -> list[Path]:
    roots = (REPO / "tests" / "fixtures", REPO / "examples")
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file() and p.stat().st_size < 200_000)


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    if not out:
        return bytes(out)
    operation = rng.choice(("truncate", "flip", "drop", "duplicate", "insert"))
    if operation == "truncate":
        return bytes(out[: rng.randrange(len(out))])
    if operation == "flip":
        for _ in range(rng.randint(1, 5)):
            out[rng.randrange(len(out))] = rng.choice(FLIPS)
        return bytes(out)
    lines = bytes(out).split(b"\n")
    index = rng.randrange(len(lines))
    if operation == "drop":
        del lines[index]
    elif operation == "duplicate":
        lines.insert(index, lines[index])
    else:
        lines.insert(index, rng.choice(INSERTS))
    return b"\n".join(lines)


def run(seed: int, cases: int, keep: Path | None = None) -> list[tuple[str, str]]:
    """(seed file, message) of every internal error found."""
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    rng = random.Random(seed)
    files = seeds()
    crashes: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(cases):
            source = rng.choice(files)
            case = Path(tmp) / str(number)
            case.mkdir()
            target = case / source.name
            target.write_bytes(mutate(source.read_bytes(), rng))
            parsed = parse_inputs([str(target)], ParseContext(at=datetime.date(2026, 11, 24)))
            for diagnostic in parsed.diagnostics:
                if "internal error" in diagnostic.message:
                    crashes.append((source.name, diagnostic.message))
                    if keep is not None:
                        keep.mkdir(parents=True, exist_ok=True)
                        shutil.copy(target, keep / f"{number}-{source.name}")
            shutil.rmtree(case)
    return crashes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="directory for the mutants that crashed a parser")
    args = parser.parse_args()
    crashes = run(args.seed, args.cases, args.keep)
    print(f"{args.cases} mutants of {len(seeds())} seed files: {len(crashes)} internal errors")
    for message, count in collections.Counter(m for _, m in crashes).most_common(20):
        print(f"{count:5d}  {message}")
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
