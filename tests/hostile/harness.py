"""Run tlslint on hostile input the way an attacker's pull request would meet it in CI.

Every case runs ``python -m tlslint`` in a subprocess under a wall-clock timeout and an address-space
limit, so a hang or a memory explosion fails the one test instead of the whole suite or the machine.
:func:`assert_survived` states what every hostile case must satisfy; each test adds what is specific
to its input (which diagnostic, which findings must still be reported, which secret must not appear).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Generous on a loaded 2-core machine, small against a hang (the defects this guards took minutes).
DEFAULT_TIMEOUT_S = 60.0
#: The whole process, Python and cryptography included; the explosions this guards grew to many GiB.
DEFAULT_MEMORY_MIB = 1024

#: A marker planted in hostile inputs; it must never reach any output.
SECRET_MARKER = "TLSLINTSECRETMARKER7f3a9c"


@dataclass(frozen=True, slots=True)
class Outcome:
    args: tuple[str, ...]
    code: int | None  # None: killed by the timeout
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def _limit_memory(mebibytes: int):
    def apply() -> None:
        limit = mebibytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_limited(
    *args: str,
    cwd: Path,
    timeout: float = DEFAULT_TIMEOUT_S,
    memory_mib: int = DEFAULT_MEMORY_MIB,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
) -> Outcome:
    """``python -m tlslint ARGS`` in ``cwd`` with a timeout and a memory cap; never raises on a hang."""
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("TLSLINT_DEBUG", None)
    try:
        process = subprocess.run(
            [sys.executable, "-m", "tlslint", *args],
            cwd=cwd,
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=timeout,
            env=environment,
            preexec_fn=_limit_memory(memory_mib),
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        return Outcome(args, None, _decode(expired.stdout), _decode(expired.stderr))
    return Outcome(args, process.returncode, _decode(process.stdout), _decode(process.stderr))


def _decode(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="replace")


def assert_survived(outcome: Outcome, *, secrets: tuple[str, ...] = (SECRET_MARKER,)) -> None:
    """What every hostile input must give: an answer in time, no crash, no traceback, no leaked secret."""
    assert outcome.code is not None, f"tlslint {' '.join(outcome.args)} did not finish in time"
    assert outcome.code != 4, f"internal error (exit 4):\n{outcome.err[-2000:]}"
    assert outcome.code >= 0, f"killed by signal {-outcome.code} (memory limit?):\n{outcome.err[-2000:]}"
    assert "Traceback (most recent call last)" not in outcome.text, outcome.text[-2000:]
    assert "MemoryError" not in outcome.text, outcome.text[-2000:]
    for secret in secrets:
        assert secret not in outcome.text, f"secret {secret!r} leaked into the output"
