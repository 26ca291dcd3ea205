"""tlslint check — lint TLS configurations against a policy."""

from __future__ import annotations

import argparse
import sys

from tlslint.commands._common import (
    SEVERITY_CHOICES,
    add_output_options,
    add_policy_option,
    emit,
    parse_date,
    resolve_policy,
)

HELP = "lint TLS configurations, certificates and keys against a policy"
FORMATS = ("table", "json")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    add_policy_option(parser)
    add_output_options(parser, FORMATS)
    parser.add_argument(
        "--fail-on",
        choices=SEVERITY_CHOICES,
        default="low",
        help="exit 1 when a finding has this severity or higher (default: low; 'never' always exits 0 "
        "unless inputs are broken)",
    )
    parser.add_argument("--at", type=parse_date, metavar="YYYY-MM-DD", help="evaluate as of this date (default: today)")


def run(args: argparse.Namespace) -> int:
    from tlslint.run import exit_code, lint

    policy = resolve_policy(args.policy)
    result = lint(args.paths, policy, at=args.at)
    code = exit_code(result, args.fail_on)
    if (args.format or "table") == "json":
        from tlslint.report.json import check_report

        emit(check_report(result, exit_code=code), args.output)
    else:
        from tlslint.report.table import render

        for diagnostic in result.inputs.diagnostics:
            print(f"tlslint: {diagnostic}", file=sys.stderr)
        emit(render(result, color=args.output is None and sys.stdout.isatty()), args.output)
    return code
