"""Hostile input never reaches the user as a traceback: a seeded slice of scripts/fuzz_sources.py.

Mutants of every fixture and example (truncated, bytes flipped, lines dropped, duplicated, inserted)
go through the real pipeline; each must end as a diagnostic or as findings, never as an internal
error. A crash found by a longer fuzzing run becomes a case in the suite of the source it hit.
"""

from __future__ import annotations

import importlib.util

from conftest import REPO


def test_mutated_inputs_never_cause_internal_errors() -> None:
    spec = importlib.util.spec_from_file_location("fuzz_sources", REPO / "scripts" / "fuzz_sources.py")
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    crashes = fuzz.run(seed=2026, cases=2000)
    assert not crashes, "\n".join(f"{name}: {message}" for name, message in crashes)
