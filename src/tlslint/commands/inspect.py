"""tlslint inspect — the normalised endpoints, with effective values and where each came from."""

from __future__ import annotations

import argparse

from tlslint.commands._common import (
    add_engine_version_option,
    add_output_options,
    add_read_options,
    add_type_option,
    emit,
    parse_date,
    print_diagnostics,
)

HELP = "show the normalised endpoints with effective values and provenance"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    add_output_options(parser, ("table", "json"))
    parser.add_argument("--at", type=parse_date, metavar="YYYY-MM-DD", help="evaluate as of this date")
    add_engine_version_option(parser)
    add_read_options(parser)
    add_type_option(parser)
    parser.add_argument(
        "--no-gitignore", action="store_true", help="also read what .gitignore ignores in a git work tree"
    )
    from tlslint.commands._stdin import add_stdin_option

    add_stdin_option(parser)


def run(args: argparse.Namespace) -> int:
    import datetime

    from tlslint.commands._stdin import stdin_as_file
    from tlslint.declared import DeclaredTypes
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    context = ParseContext(at=args.at or datetime.date.today(), engine_versions=args.engine_versions)
    with stdin_as_file(args):
        inputs = parse_inputs(
            args.paths,
            context,
            allow_read=tuple(args.allow_read),
            types=DeclaredTypes(tuple(args.types or ())),
            gitignore=not args.no_gitignore,
            jobs=args.jobs,
        )
    if args.format == "json":
        from tlslint.report.json import inspect_report

        emit(inspect_report(inputs), args.output)
    else:
        print_diagnostics(inputs.diagnostics)
        emit(_table(inputs), args.output)
    if inputs.internal_errors:
        return 4
    return 3 if any(d.severity == "error" for d in inputs.diagnostics) else 0


def _table(inputs) -> str:
    from tabulate import tabulate

    from tlslint.report.safe_text import printable

    blocks = []
    for subject in inputs.subjects:
        rows = []
        for path, located in sorted(subject.fields.items()):
            value = located.value
            if isinstance(value, bool):
                shown = "true" if value else "false"
            else:
                shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            rows.append([path, printable(shown), str(located.origin), printable(str(located.location or ""))])
        header = printable(f"{subject.kind} {subject.display}  ({subject.location}, {subject.engine})")
        blocks.append(
            header
            + "\n"
            + tabulate(rows, headers=["field", "value", "origin", "where"], maxcolwidths=[None, 60, None, None])
        )
    count = len(inputs.subjects)
    blocks.append(f"{count} subject{'s' if count != 1 else ''} from {len(inputs.files)} file(s)")
    return "\n\n".join(blocks) + "\n"
