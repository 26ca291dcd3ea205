"""tlslint check — lint TLS configurations against a policy."""

from __future__ import annotations

import argparse
import sys

from tlslint.commands._common import (
    SEVERITY_CHOICES,
    add_config_options,
    add_engine_version_option,
    add_file_modes_option,
    add_policy_option,
    emit,
    parse_date,
)

HELP = "lint TLS configurations, certificates and keys against a policy"
FORMATS = ("table", "json", "sarif", "junit", "github")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    add_policy_option(parser)
    parser.add_argument("--format", choices=FORMATS, help="output format (default: table)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    parser.add_argument(
        "--fail-on",
        choices=SEVERITY_CHOICES,
        help="exit 1 when an unsuppressed finding has this severity or higher (default: low; 'never' always "
        "exits 0 unless inputs are broken)",
    )
    parser.add_argument(
        "--soft-fail",
        action="store_true",
        default=None,
        help="report findings but never exit 1 because of them (input errors still exit 3)",
    )
    parser.add_argument("--at", type=parse_date, metavar="YYYY-MM-DD", help="evaluate as of this date (default: today)")
    add_engine_version_option(parser)
    add_file_modes_option(parser)
    add_config_options(parser)
    group = parser.add_argument_group("suppressions")
    group.add_argument("--baseline", metavar="FILE", help="suppress the findings recorded in FILE (tlslint baseline)")
    group.add_argument("--no-baseline", action="store_true", help="ignore the baseline named in the configuration")
    group.add_argument("--waivers", metavar="FILE", help="waiver file: accepted risks with approver and expiry")
    group.add_argument(
        "--no-inline-suppressions",
        action="store_true",
        help="ignore '# tlslint: ignore[...]' comments (for auditors; waivers and baselines still apply)",
    )
    group.add_argument(
        "--sarif-include-suppressed",
        action="store_true",
        help="emit suppressed findings in SARIF with suppressions[].justification (GitHub may show them as open)",
    )
    group.add_argument("--sarif-category", metavar="ID", help="SARIF automationDetails.id (default tlslint/POLICY/)")


def run(args: argparse.Namespace) -> int:
    result, config, code = lint_with_config(args)
    fmt = config["format"]
    if fmt == "json":
        from tlslint.report.json import check_report

        text = check_report(result, exit_code=code)
    elif fmt == "sarif":
        from tlslint.report.sarif import render

        text = render(
            result,
            exit_code=code,
            include_suppressed=config["sarif-include-suppressed"],
            category=config["sarif-category"],
        )
    elif fmt == "junit":
        from tlslint.report.junit import render

        text = render(result, exit_code=code)
    elif fmt == "github":
        from tlslint.report.github import render

        text = render(result)
    else:
        from tlslint.report.table import render

        text = render(result, color=args.output is None and sys.stdout.isatty())
    if fmt in ("table", "junit"):
        for diagnostic in result.inputs.diagnostics:
            print(f"tlslint: {diagnostic}", file=sys.stderr)
    emit(text, args.output)
    return code


def lint_with_config(args: argparse.Namespace):
    """Configuration, policy, lint, exit code — shared by ``check`` and ``baseline create``."""
    from tlslint.commands._common import resolve_policy
    from tlslint.config import customise_policy, from_args
    from tlslint.rules.loader import load_packs
    from tlslint.run import exit_code, lint
    from tlslint.suppress import SuppressOptions

    config = from_args(args)
    policy = resolve_policy(config["policy"])
    loaded = load_packs(policy.packs)
    builtin_severity = customise_policy(policy, loaded, config)
    rules = policy.select(loaded)
    import datetime

    at = args.at or datetime.date.today()
    options = SuppressOptions(
        at=at,
        inline=config["inline-suppressions"],
        waivers=config["waivers"],
        baseline=config["baseline"],
        severity=builtin_severity,
    )
    result = lint(
        args.paths,
        policy,
        at=at,
        rules=rules,
        suppress=options,
        exclude=tuple(config["exclude"]),
        engine_versions=getattr(args, "engine_versions", None),
        check_file_modes=getattr(args, "check_file_modes", False),
    )
    code = exit_code(result, config["fail-on"], soft_fail=config["soft-fail"])
    return result, config, code
