"""Errors a user can cause. Each becomes one line on stderr, never a traceback."""

from __future__ import annotations

from tlslint.model.located import Location


class TlslintError(Exception):
    """Base class; ``exit_code`` follows the CLI contract (ARCHITECTURE §9)."""

    exit_code = 4


class UsageError(TlslintError):
    """Bad command-line arguments, an unknown policy or rule, a broken configuration file."""

    exit_code = 2


class InputError(TlslintError):
    """An input file could not be read or parsed. Other inputs are still linted."""

    exit_code = 3

    def __init__(self, location: Location | str, message: str) -> None:
        self.location = location if isinstance(location, Location) else Location(location)
        self.message = message
        super().__init__(f"{self.location}: {message}")


class ConfigError(UsageError):
    """A rule pack, policy or tlslint configuration file is invalid (a problem of the setup, exit 2)."""

    def __init__(self, location: Location | str, message: str) -> None:
        self.location = location if isinstance(location, Location) else Location(location)
        self.message = message
        super().__init__(f"{self.location}: {message}")


def describe_bug(error: BaseException) -> str:
    """An internal error as a user may report it: the exception type and where in tlslint it happened —
    never the exception's message, which can quote the hostile input (a key, a password) that caused it.
    ``TLSLINT_DEBUG=1`` shows the whole traceback to whoever runs tlslint on their own files."""
    import os
    import traceback

    package = os.path.dirname(os.path.abspath(__file__))
    frames = [f for f in traceback.extract_tb(error.__traceback__) if os.path.abspath(f.filename).startswith(package)]
    if not frames:
        return type(error).__name__
    last = frames[-1]
    where = os.path.relpath(os.path.abspath(last.filename), os.path.dirname(package)).replace(os.sep, "/")
    return f"{type(error).__name__} at {where}:{last.lineno}"
