"""Command-line front end: argument parsing and the exit-code contract, nothing else.

Each subcommand lives in :mod:`tlslint.commands` as a module with ``HELP``, ``configure(parser)`` and
``run(args) -> int``. Command modules import only the standard library at top level, so that
``tlslint --version`` and argument errors stay fast; the work is imported inside ``run``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from tlslint import __version__

#: Subcommands in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = (
    "check",
    "inspect",
    "ciphers",
    "explain",
    "rules",
    "policies",
    "schema",
    "baseline",
    "config",
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on bad usage, which is our contract too; keep its message to one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"tlslint: error: {message} (see 'tlslint {self.prog.split()[-1]} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tlslint",
        description="Lint TLS configurations against security policies (EN 18031, IEC 62443, OCPP, BSI, ...).",
    )
    parser.add_argument("--version", action="version", version=f"tlslint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"tlslint.commands.{name}")
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from tlslint.errors import TlslintError

    try:
        return int(args._run(args))
    except TlslintError as error:
        from tlslint.report.safe_text import printable

        print(f"tlslint: {printable(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``tlslint check | head``); that is not our error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:
        if os.environ.get("TLSLINT_DEBUG"):
            raise
        print(
            f"tlslint: internal error: {type(error).__name__}: {error} "
            "(this is a bug; set TLSLINT_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
