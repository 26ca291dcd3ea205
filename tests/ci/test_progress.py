"""The progress line: on a terminal, for long runs, erased at the end, never in machine output."""

from __future__ import annotations

import io

from tlslint.progress import Progress

from conftest import EXAMPLE, run_cli


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_after_the_delay_and_is_erased():
    stream = Terminal()
    progress = Progress(stream)
    progress.started -= 5  # the run has been going for a while
    for _ in range(3):
        progress.file_read()
    assert "tlslint: 1 files read" in stream.getvalue()
    progress.done()
    assert stream.getvalue().endswith("\r\033[K")


def test_a_short_run_shows_nothing():
    stream = Terminal()
    progress = Progress(stream)
    progress.file_read()
    progress.done()
    assert stream.getvalue() == ""


def test_no_progress_without_a_terminal_or_when_quiet(monkeypatch):
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert Progress.for_terminal() is None
    monkeypatch.setattr("sys.stderr", Terminal())
    assert Progress.for_terminal(quiet=True) is None
    assert Progress.for_terminal() is not None


def test_machine_output_never_carries_it():
    result = run_cli("check", str(EXAMPLE), "--format", "json")
    assert "files read" not in result.out and "files read" not in result.err
