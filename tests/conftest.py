"""Shared test helpers: run the real CLI in-process or as a subprocess, build policies."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "charging-station"


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(*args: str, cwd: Path | None = None) -> CliResult:
    """Run ``tlslint`` in-process (fast) and capture what a user would see."""
    from tlslint.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:
                code = int(exit_.code or 0)
    finally:
        os.chdir(previous)
    return CliResult(code, out.getvalue(), err.getvalue())


def run_subprocess(*args: str, cwd: Path | None = None) -> CliResult:
    """Run ``python -m tlslint`` as a separate process (for start-up and traceback checks)."""
    process = subprocess.run(
        [sys.executable, "-m", "tlslint", *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )
    return CliResult(process.returncode, process.stdout, process.stderr)


@pytest.fixture
def cli():
    return run_cli


def all_packs_policy():
    """A policy that applies every shipped rule pack, for rule fixture tests."""
    from tlslint.policy import Policy
    from tlslint.rules.loader import pack_dirs

    return Policy("all-packs", "test", "every pack", "", list(pack_dirs()), None, set(), {}, {})


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """Tests never read or write the user's ~/.cache/tlslint."""
    os.environ["TLSLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("tlslint-cache"))
    yield
