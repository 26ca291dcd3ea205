"""tlslint check — lint TLS configurations against a policy."""

from __future__ import annotations

import argparse

from tlslint.commands._common import (
    SEVERITY_CHOICES,
    add_config_options,
    add_engine_version_option,
    add_file_modes_option,
    add_policy_option,
    add_read_options,
    add_selection_options,
    parse_date,
)
from tlslint.commands._outputs import add_output_options, write_outputs
from tlslint.commands._stdin import add_stdin_option

HELP = "lint TLS configurations, certificates and keys against a policy"
FORMAT_HELP = {
    "table": "findings grouped by file, for people (the default)",
    "json": "the versioned report of schemas/check-output.schema.yaml",
    "sarif": "SARIF 2.1.0 for GitHub code scanning and other SARIF viewers",
    "junit": "JUnit XML, one test case per rule, for CI test reports",
    "github": "GitHub Actions workflow annotations",
    "gitlab": "GitLab Code Quality report (artifacts:reports:codequality)",
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    add_policy_option(parser)
    add_output_options(parser, FORMAT_HELP)
    add_stdin_option(parser)
    parser.add_argument(
        "--no-unread-warnings",
        action="store_true",
        help="no warning for a named file that tlslint does not read (the pre-commit hook hands files over by "
        "name); files that cannot be read or parsed are still errors",
    )
    add_selection_options(parser)
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
    add_read_options(parser)
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
    from tlslint.commands._stdin import stdin_as_file

    with stdin_as_file(args):
        result, config, code = lint_with_config(args, keep_fields=False)
        write_outputs(result, config, args, exit_code=code)
    return code


def resolve_rules(args: argparse.Namespace):
    """Configuration, policy and the rules ``check`` evaluates — shared with ``tlslint rules``, so that
    what ``rules`` lists is exactly what ``check`` applies. Returns (config, policy, rules, severity
    overrides of the built-in rules)."""
    from tlslint.commands._common import resolve_policy
    from tlslint.config import customise_policy, from_args
    from tlslint.rules.loader import load_packs

    config = from_args(args)
    policy = resolve_policy(config["policy"])
    loaded = load_packs(policy.packs)
    builtin_severity = customise_policy(policy, loaded, config)
    return config, policy, _select(policy, loaded, config), builtin_severity


def lint_with_config(args: argparse.Namespace, *, ledger: bool = False, keep_fields: bool = True):
    """Configuration, policy, lint, exit code — shared by ``check``, ``baseline create`` and ``report``
    (which asks for the evaluation ledger, and reads the subjects' settings: ``keep_fields``)."""
    import datetime

    from tlslint.config import nested_config_warnings
    from tlslint.declared import DeclaredTypes
    from tlslint.run import exit_code, lint
    from tlslint.suppress import SuppressOptions

    config, policy, rules, builtin_severity = resolve_rules(args)

    at = args.at or datetime.date.today()
    options = SuppressOptions(
        at=at,
        inline=config["inline-suppressions"],
        waivers=config["waivers"],
        baseline=config["baseline"],
        severity=builtin_severity,
        waiver_warning_days=config["waiver-warning-days"],
    )
    result = lint(
        args.paths,
        policy,
        at=at,
        rules=rules,
        suppress=options,
        exclude=tuple(config["exclude"]),
        engine_versions=config["engine-version"],
        check_file_modes=getattr(args, "check_file_modes", False),
        ledger=ledger,
        allow_read=tuple(getattr(args, "allow_read", None) or ()),
        types=DeclaredTypes(tuple(config["types"].items())),
        gitignore=config["respect-gitignore"],
        progress=_progress(args),
        warn_unread=not getattr(args, "no_unread_warnings", False),
        jobs=getattr(args, "jobs", None),
        keep_fields=keep_fields,
    )
    result.inputs.diagnostics[:0] = nested_config_warnings(config, result.inputs.config_files)
    code = exit_code(result, config["fail-on"], soft_fail=config["soft-fail"])
    return result, config, code


def _select(policy, loaded: list, config) -> list:
    """The policy's rules narrowed or widened by --select/--extend-select/--ignore/--min-confidence.
    Rules the policy or the configuration disables stay off whatever is selected."""
    from tlslint.selection import Selection, apply

    selection = Selection(
        select=tuple(config["select"]) if config["select"] is not None else None,
        extend_select=tuple(config["extend-select"]),
        ignore=tuple(config["ignore"]),
        min_confidence=config["min-confidence"],
    )
    policy_rules = policy.select(loaded)
    if selection.is_default:
        return policy_rules
    from tlslint.rules.explain import all_rules

    return [rule for rule in apply(selection, policy_rules, all_rules()) if rule.id not in policy.exclude]


def _progress(args: argparse.Namespace):
    from tlslint.progress import Progress

    return Progress.for_terminal(quiet=bool(getattr(args, "quiet", False)))
