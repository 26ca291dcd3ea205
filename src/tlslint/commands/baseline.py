"""tlslint baseline — record today's findings so that CI fails only on new ones."""

from __future__ import annotations

import argparse

from tlslint.commands._common import (
    add_config_options,
    add_engine_version_option,
    add_policy_option,
    add_read_options,
    parse_date,
    print_diagnostics,
)

HELP = "create or show a baseline of accepted findings (check --baseline FILE suppresses them)"
DEFAULT_FILE = ".tlslint-baseline.json"


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(parser))
    create = sub.add_parser("create", help="lint PATHs and write every unsuppressed finding to the baseline file")
    create.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    add_policy_option(create)
    create.add_argument(
        "--output", "-o", metavar="FILE", default=DEFAULT_FILE, help=f"baseline file to write (default: {DEFAULT_FILE})"
    )
    create.add_argument("--at", type=parse_date, metavar="YYYY-MM-DD", help="evaluate as of this date")
    create.add_argument("--waivers", metavar="FILE", help="waiver file (waived findings are not recorded)")
    create.add_argument(
        "--no-inline-suppressions", action="store_true", help="record findings suppressed by inline comments too"
    )
    add_read_options(create)
    add_engine_version_option(create)
    add_config_options(create)
    show = sub.add_parser("show", help="list the entries of a baseline file")
    show.add_argument("file", nargs="?", default=DEFAULT_FILE, metavar="FILE", help=f"default: {DEFAULT_FILE}")
    show.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    if args.action == "show":
        return _show(args)
    import sys

    from tlslint.baseline import build, dumps
    from tlslint.commands._common import emit
    from tlslint.commands.check import lint_with_config

    # A baseline records what is there now: ignore any baseline the configuration names.
    args.no_baseline, args.baseline, args.fail_on, args.format = True, None, None, None
    args.soft_fail = args.sarif_include_suppressed = args.sarif_category = None
    result, _config, _code = lint_with_config(args, keep_fields=False)
    if result.input_errors:
        print_diagnostics(result.inputs.diagnostics)
        print("tlslint: baseline not written: some inputs could not be read", file=sys.stderr)
        return 3
    data = build(result.active, policy=result.policy.name)
    emit(dumps(data), args.output)
    total = sum(entry["count"] for entry in data["findings"])
    print(f"tlslint: wrote {total} finding{'s' if total != 1 else ''} to {args.output}", file=sys.stderr)
    return 0


def _show(args: argparse.Namespace) -> int:
    from tlslint.baseline import load_baseline

    baseline = load_baseline(args.file)
    if args.format == "json":
        import json

        print(json.dumps({"file": args.file, "findings": baseline.entries}, indent=2, ensure_ascii=False))
        return 0
    from tabulate import tabulate

    rows = [
        [e.get("path", ""), e.get("rule_id", ""), e.get("severity", ""), e.get("count", 1), e.get("fingerprint")]
        for e in baseline.entries
    ]
    print(tabulate(rows, headers=["path", "rule", "severity", "count", "fingerprint"], tablefmt="plain"))
    print(f"{sum(baseline.counts.values())} findings in {args.file}")
    return 0
