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
