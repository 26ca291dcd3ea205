"""A progress line on stderr for long runs, for people watching a terminal — never in machine output.

It appears only when stderr is a terminal, after the run has taken a second (a pre-commit run on a few
files shows nothing), is redrawn at most five times a second, and is erased when reading is done.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    DELAY_S = 1.0
    INTERVAL_S = 0.2

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.shown_at = 0.0
        self.count = 0
        self.visible = False

    @classmethod
    def for_terminal(cls, quiet: bool = False) -> Progress | None:
        """A progress line when stderr is a terminal (and the user did not ask for quiet), else None."""
        stream = sys.stderr
        if quiet or not (hasattr(stream, "isatty") and stream.isatty()):
            return None
        return cls(stream)

    def file_read(self) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.started < self.DELAY_S or now - self.shown_at < self.INTERVAL_S:
            return
        self.shown_at = now
        self.visible = True
        self.stream.write(f"\rtlslint: {self.count} files read…")
        self.stream.flush()

    def done(self) -> None:
        if self.visible:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.visible = False
