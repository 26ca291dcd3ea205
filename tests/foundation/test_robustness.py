"""Hostile input never crashes or hangs a run: a seeded slice of scripts/fuzz_sources.py.

Each mutant is a small repository of mutated fixtures and examples (sometimes under hostile file
names, with a mutated configuration, waiver or policy file), linted by ``check`` in every format or by
``inspect`` in a worker subprocess with a time limit and a memory cap. A failure found by a longer
fuzzing run becomes a regression case in the suite of the source it hit.
"""

from __future__ import annotations

import importlib.util
import sys

from conftest import REPO


def _fuzzer():
    spec = importlib.util.spec_from_file_location("fuzz_sources", REPO / "scripts" / "fuzz_sources.py")
    fuzz = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = fuzz  # dataclasses look their module up there
    spec.loader.exec_module(fuzz)
    return fuzz


def test_mutated_repositories_never_crash_or_hang() -> None:
    report = _fuzzer().run(seed=2026, cases=150, batch=75)
    assert report.cases == 150
    assert not report.failures, "\n".join(f"mutant {n}: {detail}" for n, detail in report.failures)


def test_the_fuzzer_sees_a_crash_and_a_hang(tmp_path, monkeypatch) -> None:
    """The harness itself: an internal error is a crash, a run past the time limit is a hang."""
    fuzz = _fuzzer()
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "nginx.conf").write_text("events {}\n")
    from tlslint.commands import check

    monkeypatch.setattr(check, "run", lambda args: 1 // 0)
    status, detail = fuzz.run_case_in_process(["check", "tree"], tmp_path)
    assert (status, "ZeroDivisionError" in detail) == ("crash", True)

    def forever(args):
        while True:
            pass

    monkeypatch.setattr(check, "run", forever)
    assert fuzz.run_case_in_process(["check", "tree"], tmp_path, timeout=0.5)[0] == "hang"
