"""tlslint rules — list the rules ``check`` applies: the policy, the configuration file and the selection
options resolved exactly as ``check`` resolves them, plus the built-in rules of the suppression stage."""

from __future__ import annotations

import argparse

from tlslint.commands._common import add_config_options, add_policy_option, add_selection_options

HELP = "list the rules check applies (policy, configuration, selection), with severity and controls"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", default=["."], metavar="PATH", help="where check would run (finds its configuration)"
    )
    add_policy_option(parser)
    parser.add_argument(
        "--framework",
        metavar="ID[@EDITION]",
        help="only the rules linked to this framework's requirements, with the requirements and relations",
    )
    add_selection_options(parser)
    add_config_options(parser)
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    import json

    from tabulate import tabulate

    from tlslint.builtin_rules import builtin_rules
    from tlslint.commands.check import resolve_rules

    config, policy, rules, builtin_severity = resolve_rules(args)
    listed = [(rule, policy.severity_of(rule), "policy") for rule in rules]
    listed += [(rule, builtin_severity.get(rule.id, rule.severity), "built-in") for rule in builtin_rules()]
    overridden = set(policy.severity) | set(builtin_severity)
    disabled = sorted(policy.exclude)
    if args.framework:
        from tlslint.compliance.crosswalk import rules_for_framework

        return rules_for_framework(args.framework, rules, policy, args.format)
    if args.format == "json":
        data = [
            {
                "id": rule.id,
                "title": rule.title,
                "severity": severity,
                "severity_overridden": rule.id in overridden,
                "confidence": rule.confidence,
                "applies_to": rule.kind,
                "pack": rule.pack if origin == "policy" else "built-in",
                "controls": [ref.to_json() for ref in rule.references if ref.is_evidence],
            }
            for rule, severity, origin in listed
        ]
        out = {"policy": policy.name, "configuration": config.file, "disabled": disabled, "rules": data}
        print(json.dumps(out, indent=2))
        return 0
    rows = [
        [rule.id, severity + ("*" if rule.id in overridden else ""), rule.confidence, rule.kind, rule.title]
        for rule, severity, _origin in listed
    ]
    print(tabulate(rows, headers=["rule", "severity", "confidence", "applies to", "title"]))
    print(f"\n{len(rules)} rules of policy {policy.name} and {len(listed) - len(rules)} built-in rules")
    print(f"configuration: {config.file or 'none (built-in defaults)'}")
    if overridden:
        print("* severity overridden by the configuration or policy")
    if disabled:
        print(f"disabled: {', '.join(disabled)}")
    return 0
