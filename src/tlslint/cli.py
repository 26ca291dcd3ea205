"""Command-line front end: argument parsing and the exit-code contract, nothing else.

Each subcommand lives in :mod:`tlslint.commands` as a module with ``HELP``, ``configure(parser)`` and
``run(args) -> int``. Command modules import only the standard library at top level, so that
``tlslint --version`` and argument errors stay fast; the work is imported inside ``run``.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

#: Subcommands in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = (
    "check",
    "inspect",
    "ciphers",
    "explain",
    "rules",
    "frameworks",
    "policies",
    "schema",
    "baseline",
    "config",
    "report",
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on bad usage, which is our contract too; keep its message to one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"tlslint: error: {message} (see '{self.prog} --help')\n")


class _Version(argparse.Action):
    """``--version`` with what a reproducible report needs (tlslint.version); computed only when asked."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        from tlslint.version import version_text

        sys.stdout.write(version_text())
        parser.exit(EXIT_OK)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line. With ``only``, just that sub-command (``main`` passes the one the arguments
    name, so the others are never listed or used): importing every command module and building its
    options would cost each run several milliseconds for nothing."""
    parser = _Parser(
        prog="tlslint",
        description="Lint TLS configurations against security policies (EN 18031, IEC 62443, OCPP, BSI, ...).",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version, policy edition, pack hashes")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS if only is None else (only,):
        module = importlib.import_module(f"tlslint.commands.{name}")
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(command)
        command.set_defaults(_run=module.run, _parser=command)
        _case_insensitive_choices(command)
    return parser


def _case_insensitive_choices(parser: argparse.ArgumentParser) -> None:
    """``--fail-on HIGH`` works like ``--fail-on high``: every option with lower-case word choices and no
    type of its own folds its argument to lower case before argparse checks the choices."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _case_insensitive_choices(child)
        elif (
            action.type is None
            and action.choices
            and all(isinstance(c, str) and c == c.lower() for c in action.choices)
        ):
            action.type = str.lower


def entry() -> int:
    """The process's entry point (the ``tlslint`` script, ``python -m tlslint``): :func:`main`, whose exit
    code the process ends with right after. What is left is frozen first, because the interpreter's exit
    runs one last cyclic collection over every object the run kept: ~6 % of a one-file check's
    instructions, to free memory the system takes back anyway. (:func:`main` itself freezes nothing: tests
    and other callers call it again in the same process.)"""
    code = main()
    gc.freeze()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up builds tens of thousands of objects that live for the whole run (modules, classes, compiled
    # rules, catalogues); the default collector rescans them every 700 allocations, for nothing (1.3 % of
    # a one-file check's instructions). Collect the young generation less often, as the run itself does
    # (tlslint.run._calm_garbage_collector, which also freezes what start-up built).
    gc.set_threshold(50_000, 20, 100)
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
    args, extra = parser.parse_known_args(argv)
    if extra:
        # argparse reports a subcommand's unknown options from the top-level parser; name the subcommand's help.
        (getattr(args, "_parser", None) or parser).error(f"unrecognized arguments: {' '.join(extra)}")
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from tlslint.errors import TlslintError, describe_bug

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
            f"tlslint: internal error: {describe_bug(error)} (this is a bug; set TLSLINT_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
