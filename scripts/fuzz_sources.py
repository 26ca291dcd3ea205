#!/usr/bin/env python3
"""Mutation fuzzing of whole runs: no input may crash, hang or blow up ``tlslint check``/``inspect``.

Each mutant is a small repository: one to four files taken from the rule fixtures and examples (or a
whole example directory, so includes and cross-file links are exercised), mutated (truncated, bytes
flipped, lines dropped, duplicated or inserted, expansions doubled), sometimes under hostile file
names (invalid UTF-8, newlines, ANSI escapes, workflow commands), sometimes with a mutated
``.tlslint.yaml``, waiver file or policy file. It is linted by ``check`` in one of the five formats or
by ``inspect``, exactly as the CLI would, with stdout encoding errors as strict as a real UTF-8 pipe.

A mutant fails when the run exits 4, prints a traceback, or does not finish within the time limit.
Mutants run in batches inside a worker subprocess with a memory cap; the parent kills a worker that
stops reporting (a hang in C code, e.g. a backtracking regex, cannot be interrupted from inside) and
counts the mutant it was on as a hang. Every mutant is a pure function of (seed, number), so a failing
one is rebuilt on disk with ``--keep``:

    nice .venv/bin/python scripts/fuzz_sources.py --seed 7 --cases 50000 --keep /tmp/fuzz-failures

The test suite runs a small seeded slice of this (tests/foundation/test_robustness.py).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import io
import json
import os
import random
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: A mutant that takes longer than this is a hang (the slowest seed runs in well under a second).
CASE_TIMEOUT_S = 20.0
#: Address-space cap of a worker (Python, cryptography and the rule packs need about 300 MiB).
WORKER_MEMORY_MIB = 1536
#: Mutants per worker process: amortises the start-up (rule packs are loaded once per worker).
BATCH = 250

INSERTS = (
    b"    - ",
    b"}",
    b"{",
    b"include *;",
    b"include *.conf;",
    b"Include /x",
    b"Include *.conf",
    b'"',
    b"$(",
    b"${A}${A}",
    b"Define A ${A}${A}",
    b"#define MBEDTLS_SSL_MAX_CONTENT_LEN x",
    b"#if 1 ()",
    b"curl -k --tlsv1.0 $X",
    b'X="$X$X"',
    b"  tls: {profile: [}",
    b"SSLCertificateFile",
    b"ssl_verify_client maybe;",
    b"server { listen 443 ssl; }",
    b".include x.cnf",
    b"a = $a$a",
    b"CipherString = $ENV::HOME",
    b"-----BEGIN CERTIFICATE-----",
    b"params: {min_rsa_bits: [x]}",
    b"exclude: ['*a*a*a*a*a*a*a*a*a*a*a*b']",
)
FLIPS = b"{}[]()\"';:#\\\n,=-0x\x00\xff $*"
HOSTILE_NAMES = (
    b"caf\xe9.conf",
    b"new\nline.conf",
    b"\x1b[2Jansi.conf",
    b"::error file=x::forged.conf",
    b"sp ace.conf",
    b"-dash.conf",
    b"x" * 200 + b".conf",
    b"<&>'\".conf",
)
CONFIG_SEEDS = (
    b"policy: [secure-defaults]\nfail-on: medium\nexclude: ['vendor/**', '*.bak']\n",
    b"severity: {TLS-PROTO-002: medium}\nparams: {min_rsa_bits: 3072}\ndisable: [TLS-PROTO-002]\n",
    b"waivers: waivers.yaml\ninline-suppressions: true\nsarif-category: tlslint/x/\n",
    b"policy: [policy.yaml]\nformat: json\nsoft-fail: false\n",
)
WAIVER_SEED = (
    b"waivers:\n  - id: W-1\n    rule: TLS-PROTO-001\n    path: '**/*.conf'\n    justification: legacy peer\n"
    b"    approver: a@example.org\n    expires: 2027-06-30\n  - fingerprint: e629d3eb7848b28667370eca94cdc5b9\n"
    b"    justification: x\n    approver: b@example.org\n    expires: 2026-01-01\n"
)
COMMANDS = (
    ("check", "--format", "table"),
    ("check", "--format", "json"),
    ("check", "--format", "sarif"),
    ("check", "--format", "junit"),
    ("check", "--format", "github"),
    ("inspect", "--format", "table"),
    ("inspect", "--format", "json"),
)


@functools.cache
def seeds() -> list[Path]:
    roots = (REPO / "tests" / "fixtures", REPO / "examples")
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file() and p.stat().st_size < 200_000)


@functools.cache
def seed_directories() -> list[Path]:
    """Example directories with several files: mutants of these exercise includes and linking."""
    found = {p.parent for p in seeds()}
    return sorted(d for d in found if sum(1 for c in d.iterdir() if c.is_file()) >= 2)


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    if not out:
        return bytes(rng.choice(INSERTS))
    operation = rng.choice(("truncate", "flip", "drop", "duplicate", "insert", "insert", "double"))
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
        lines[index:index] = [lines[index]] * rng.choice((1, 2, 50))
    elif operation == "double":  # a chain of lines each expanding the previous one twice
        lines[index:index] = [b"$A$A ${A}${A} $(A)$(A)"] * rng.randint(2, 40)
    else:
        lines.insert(index, rng.choice(INSERTS))
    return b"\n".join(lines)


def _mutated(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.choice((1, 1, 2, 3))):
        data = mutate(data, rng)
    return data


def make_case(seed: int, number: int, directory: Path) -> list[str]:
    """Write mutant ``number`` of ``seed`` under ``directory`` (a fresh repository); return tlslint's argv."""
    rng = random.Random(f"{seed}:{number}")
    files = seeds()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ".git").write_text("gitdir: nowhere\n")  # the mutant is its own repository root
    tree = directory / "tree"
    if rng.random() < 0.3:
        source_dir = rng.choice(seed_directories())
        members = sorted(p for p in source_dir.rglob("*") if p.is_file() and p.stat().st_size < 200_000)
        for member in members:
            target = tree / member.relative_to(source_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(member.read_bytes())
        victims = rng.sample(members, k=min(len(members), rng.randint(1, 2)))
        for victim in victims:
            target = tree / victim.relative_to(source_dir)
            target.write_bytes(_mutated(target.read_bytes(), rng))
    else:
        for index in range(rng.randint(1, 4)):
            source = rng.choice(files)
            target = tree / str(index) / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            target.write_bytes(_mutated(data, rng) if rng.random() < 0.9 else data)
    if rng.random() < 0.15:
        written = sorted(p for p in tree.rglob("*") if p.is_file())
        victim = rng.choice(written)
        hostile = os.fsencode(victim.parent) + b"/" + rng.choice(HOSTILE_NAMES) + os.fsencode(victim.suffix)
        os.rename(os.fsencode(victim), hostile)
    argv = [*rng.choice(COMMANDS)]
    check = argv[0] == "check"
    if check and rng.random() < 0.3:
        (directory / ".tlslint.yaml").write_bytes(_mutated(rng.choice(CONFIG_SEEDS), rng))
    if check and rng.random() < 0.2:
        (directory / "waivers.yaml").write_bytes(_mutated(WAIVER_SEED, rng))
        argv += ["--waivers", "waivers.yaml"]
    if check and rng.random() < 0.1:
        policy = (REPO / "policies" / "secure-defaults.yaml").read_bytes()
        (directory / "policy.yaml").write_bytes(_mutated(policy, rng))
        argv += ["--policy", "policy.yaml"]
    if check:
        argv += ["--at", "2026-11-24"]
    return [*argv, "tree"]


@dataclass(slots=True)
class Report:
    cases: int = 0
    crashes: list[tuple[int, str]] = field(default_factory=list)
    hangs: list[tuple[int, str]] = field(default_factory=list)

    @property
    def failures(self) -> list[tuple[int, str]]:
        return sorted(self.crashes + self.hangs)


class _Hang(BaseException):
    """Raised by the watchdog alarm; a BaseException so that no ``except Exception`` swallows it."""


def _alarm(_signum, _frame) -> None:
    raise _Hang


def run_case_in_process(argv: list[str], directory: Path, timeout: float = CASE_TIMEOUT_S) -> tuple[str, str]:
    """(status, detail) of one tlslint run in this process: ok, crash or hang."""
    from tlslint import cli

    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    # A real stdout: UTF-8, strict (an unencodable file name must not crash the renderer).
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", newline="")
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="backslashreplace", newline="")
    previous = os.getcwd()
    os.chdir(directory)
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(argv)
            out.flush()
            err.flush()
    except _Hang:
        return "hang", f"no answer within {timeout:.0f} s"
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 2
    except BaseException as error:  # anything escaping main is a crash
        return "crash", f"{type(error).__name__}: {error}"[:300]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        os.chdir(previous)
    text = out_bytes.getvalue().decode("utf-8", "replace") + err_bytes.getvalue().decode("utf-8", "replace")
    if code == 4 or "Traceback (most recent call last)" in text:
        lines = text.strip().splitlines() or [""]
        line = next((x for x in lines if "this is a bug" in x or "internal error:" in x), lines[-1])
        return "crash", line[:300]
    return "ok", str(code)


def _cache_constant_work() -> None:
    """Work that no mutant can change (the shipped rule packs, their SARIF help text, the argument
    parser) is most of a small run's time: each worker does it once."""
    from tlslint import cli
    from tlslint.rules import explain, loader

    packs = functools.lru_cache(maxsize=None)(loader.load_pack)
    loader.load_pack = lambda name, directory: list(packs(name, directory))
    cli.build_parser = functools.lru_cache(maxsize=1)(cli.build_parser)
    markdown: dict[tuple[str, str], str] = {}
    original = explain.explain

    def cached_explain(rule) -> str:
        key = (rule.pack, rule.id)
        if key not in markdown:
            markdown[key] = original(rule)
        return markdown[key]

    explain.explain = cached_explain


def _worker(seed: int, start: int, stop: int, timeout: float) -> int:
    """Run mutants [start, stop), one JSON line per mutant on stdout: {"n", "status", "detail"}."""
    _cache_constant_work()
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    with tempfile.TemporaryDirectory(prefix="tlslint-fuzz-") as tmp:
        for number in range(start, stop):
            print(json.dumps({"n": number, "status": "start"}), file=channel)
            directory = Path(tmp) / str(number)
            argv = make_case(seed, number, directory)
            status, detail = run_case_in_process(argv, directory, timeout)
            print(json.dumps({"n": number, "status": status, "detail": detail}), file=channel)
            shutil.rmtree(directory, ignore_errors=True)
    return 0


def _limit_memory(mebibytes: int):
    def apply() -> None:
        limit = mebibytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run(
    seed: int,
    cases: int,
    keep: Path | None = None,
    *,
    start: int = 0,
    timeout: float = CASE_TIMEOUT_S,
    batch: int = BATCH,
    progress=None,
) -> Report:
    """Run mutants [start, start + cases) of ``seed`` in worker subprocesses; keep the failing ones."""
    report = Report()
    number, stop = start, start + cases
    while number < stop:
        command = [sys.executable, __file__, "--worker", "--seed", str(seed), "--start", str(number)]
        command += ["--cases", str(min(batch, stop - number)), "--timeout", str(timeout)]
        worker = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            preexec_fn=_limit_memory(WORKER_MEMORY_MIB),
            env={**os.environ, "NO_COLOR": "1", "TLSLINT_DEBUG": ""},
        )
        current, failure = number, None
        selector = selectors.DefaultSelector()
        selector.register(worker.stdout, selectors.EVENT_READ)
        buffer = b""
        deadline = time.monotonic() + timeout * 2 + 30  # start-up, then each mutant resets it
        while True:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                failure = ("hang", f"worker silent for {timeout * 2 + 30:.0f} s (a hang in C code?)")
                worker.kill()
                break
            chunk = os.read(worker.stdout.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                event = json.loads(line)
                current = event["n"]
                deadline = time.monotonic() + timeout * 2 + 5
                if event["status"] == "start":
                    continue
                report.cases += 1
                if event["status"] != "ok":
                    _record(report, seed, current, event["status"], event["detail"], keep)
                current += 1
                if progress is not None:
                    progress(report)
        selector.close()
        worker.wait()
        if failure is None and current < stop and current < number + batch:
            failure = ("crash", f"worker died (exit {worker.returncode}; memory cap of {WORKER_MEMORY_MIB} MiB?)")
        if failure is not None:
            report.cases += 1
            _record(report, seed, current, *failure, keep)
            current += 1
        number = current
    return report


def _record(report: Report, seed: int, number: int, status: str, detail: str, keep: Path | None) -> None:
    (report.hangs if status == "hang" else report.crashes).append((number, detail))
    if keep is not None:
        target = keep / f"{seed}-{number}"
        shutil.rmtree(target, ignore_errors=True)
        argv = make_case(seed, number, target)
        (target / "ARGV").write_text(" ".join(argv) + f"\n# {status}: {detail}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="number of the first mutant")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=CASE_TIMEOUT_S, help="seconds before a mutant is a hang")
    parser.add_argument("--keep", type=Path, help="directory for the failing mutants (rebuilt as repositories)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(REPO / "src"))
        return _worker(args.seed, args.start, args.start + args.cases, args.timeout)

    def progress(report: Report) -> None:
        if report.cases % 1000 == 0:
            print(f"{report.cases} mutants: {len(report.crashes)} crashes, {len(report.hangs)} hangs", flush=True)

    report = run(args.seed, args.cases, args.keep, start=args.start, timeout=args.timeout, progress=progress)
    print(f"{report.cases} mutants (seed {args.seed}): {len(report.crashes)} crashes, {len(report.hangs)} hangs")
    for detail, count in collections.Counter(d for _, d in report.failures).most_common(30):
        print(f"{count:5d}  {detail}")
    for number, detail in report.failures[:50]:
        print(f"  mutant {number}: {detail}")
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
