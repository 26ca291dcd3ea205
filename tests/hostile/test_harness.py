"""The harness itself must catch what it guards against, or every hostile test passes for nothing."""

from __future__ import annotations

import pytest
from hostile.harness import SECRET_MARKER, Outcome, assert_survived, run_limited


def test_a_clean_run_survives(tmp_path):
    (tmp_path / "empty.conf").write_text("# nothing\n")
    assert_survived(run_limited("check", "empty.conf", cwd=tmp_path))


@pytest.mark.parametrize(
    "outcome",
    [
        Outcome(("check",), None, "", ""),
        Outcome(("check",), 4, "", "internal error"),
        Outcome(("check",), -9, "", ""),
        Outcome(("check",), 3, "", "Traceback (most recent call last):\n"),
        Outcome(("check",), 1, f"value {SECRET_MARKER}", ""),
    ],
    ids=["hang", "exit-4", "killed", "traceback", "leak"],
)
def test_the_harness_fails_on_each_defect(outcome):
    with pytest.raises(AssertionError):
        assert_survived(outcome)


def test_the_timeout_stops_a_hang(tmp_path):
    outcome = run_limited("--version", cwd=tmp_path, timeout=0.001)
    assert outcome.code is None


def test_an_internal_error_never_quotes_the_input_that_caused_it():
    from tlslint.errors import describe_bug
    from tlslint.units import seconds

    try:
        seconds(SECRET_MARKER)  # raises ValueError with the input in its message
    except ValueError as error:
        assert SECRET_MARKER in str(error)
        text = describe_bug(error)
    assert SECRET_MARKER not in text
    assert text.startswith("ValueError at tlslint/units.py:"), text
