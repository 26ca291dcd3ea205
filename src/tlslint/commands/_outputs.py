"""Where ``check`` writes its reports: several formats in one run, the console, colour and verbosity.

``--format`` is repeatable and takes ``FORMAT`` or ``FORMAT:FILE``: a CI job can show the table on
the console *and* write SARIF and JSON for upload in one run (``--format table --format
sarif:tlslint.sarif``). ``--output FILE`` names the file of the first format given without one (the
historical single-report form). When every report goes to a file, the console still gets the table
unless ``-q`` asks for silence. Diagnostics go to stderr whenever the console shows no report that
embeds them (JSON and SARIF carry them inside).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable

from tlslint.records import Frozen

#: Formats that carry the diagnostics inside the report.
_EMBEDS_DIAGNOSTICS = frozenset({"json", "sarif", "gitlab"})


class Output(Frozen):
    """One ``--format`` given on the command line: the format and where it is written."""

    __slots__ = ("format", "path")

    format: str
    path: str | None  # None: standard output

    def __init__(self, format: str, path: str | None) -> None:
        object.__setattr__(self, "format", format)
        object.__setattr__(self, "path", path)


def _format_spec(formats: dict[str, str]):
    def parse(text: str) -> Output:
        name, _, path = text.partition(":")
        name = name.strip().lower()
        if name not in formats:
            choices = ", ".join(formats)
            raise argparse.ArgumentTypeError(
                f"unknown format {name!r} (choose from {choices}; FORMAT:FILE writes a file)"
            )
        return Output(name, path or None)

    return parse


def add_output_options(parser: argparse.ArgumentParser, formats: dict[str, str]) -> None:
    """``--format`` (repeatable, ``FORMAT[:FILE]``), ``--output``, ``--color``, ``-q`` and ``-v``."""
    listed = "; ".join(f"{name}: {text}" for name, text in formats.items())
    parser.add_argument(
        "--format",
        dest="formats",
        action="append",
        type=_format_spec(formats),
        metavar="FORMAT[:FILE]",
        help=f"report format, repeatable; FORMAT:FILE writes that report to FILE ({listed})",
    )
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the (first) report to FILE; the console still shows the table"
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the table: auto (a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always, never",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no console report when reports go to files, and only error diagnostics on stderr",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also list on stderr every file read and which source read it"
    )


def outputs_of(args: argparse.Namespace, default_format: str) -> list[Output]:
    """The reports this run writes, in the order given; the console report comes first when added."""
    given = list(getattr(args, "formats", None) or [])
    if not given:
        given = [Output(default_format, None)]
    if args.output:
        for index, output in enumerate(given):
            if output.path is None:
                given[index] = Output(output.format, args.output)
                break
        else:
            raise _usage("--output names a file, but every --format already names its own")
    to_console = [output for output in given if output.path is None]
    if len(to_console) > 1:
        names = ", ".join(output.format for output in to_console)
        raise _usage(f"only one report can go to standard output (got {names}); give the others a file: FORMAT:FILE")
    if not to_console and not args.quiet:
        given.insert(0, Output("table", None))
    return given


def _usage(message: str) -> Exception:
    from tlslint.errors import UsageError

    return UsageError(message)


def use_color(choice: str, stream=None) -> bool:
    """``--color``: NO_COLOR and FORCE_COLOR (https://no-color.org) decide ``auto``; the flag wins over both."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def render(result, output: Output, config, args: argparse.Namespace, *, exit_code: int) -> str | Iterable[str]:
    if output.format == "json":
        from tlslint.report.json import check_report_lines

        return check_report_lines(result, exit_code=exit_code)  # written piece by piece
    if output.format == "sarif":
        from tlslint.report.sarif import render_lines as sarif

        return sarif(  # written piece by piece
            result,
            exit_code=exit_code,
            include_suppressed=config["sarif-include-suppressed"],
            category=config["sarif-category"],
        )
    if output.format == "junit":
        from tlslint.report.junit import render_lines as junit

        return junit(result, exit_code=exit_code)  # written piece by piece
    if output.format == "github":
        from tlslint.report.github import render_lines as github

        return github(result)  # written line by line
    if output.format == "gitlab":
        from tlslint.report.gitlab import render_lines as gitlab

        return gitlab(result)  # written piece by piece
    from tlslint.report.table import render_lines as table

    return table(result, color=output.path is None and use_color(args.color))  # a file's findings at a time


def write_outputs(result, config, args: argparse.Namespace, *, exit_code: int) -> None:
    """Render every requested report, print diagnostics to stderr when the console needs them."""
    from tlslint.commands._common import emit, print_diagnostics
    from tlslint.report.safe_text import printable

    outputs = outputs_of(args, config["format"])
    console = next((output for output in outputs if output.path is None), None)
    if console is None or console.format not in _EMBEDS_DIAGNOSTICS:
        print_diagnostics(d for d in result.inputs.diagnostics if not args.quiet or d.severity == "error")
    if args.verbose:
        for item in result.inputs.files:
            print(f"tlslint: read {printable(item.path)} as {item.source}", file=sys.stderr)
    for output in outputs:
        emit(render(result, output, config, args, exit_code=exit_code), output.path)
