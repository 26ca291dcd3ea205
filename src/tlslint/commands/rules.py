"""tlslint rules — list the rules a policy applies."""

from __future__ import annotations

import argparse

from tlslint.commands._common import add_policy_option

HELP = "list the rules a policy applies, with severity and controls"


def configure(parser: argparse.ArgumentParser) -> None:
    add_policy_option(parser)
    parser.add_argument(
        "--framework",
        metavar="ID[@EDITION]",
        help="only the rules linked to this framework's requirements, with the requirements and relations",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    import json

    from tabulate import tabulate

    from tlslint.commands._common import resolve_policy
    from tlslint.rules.loader import load_packs

    policy = resolve_policy(args.policy)
    rules = policy.select(load_packs(policy.packs))
    if args.framework:
        from tlslint.compliance.crosswalk import rules_for_framework

        return rules_for_framework(args.framework, rules, policy, args.format)
    if args.format == "json":
        data = [
            {
                "id": r.id,
                "title": r.title,
                "severity": policy.severity_of(r),
                "confidence": r.confidence,
                "applies_to": r.kind,
                "pack": r.pack,
                "controls": [ref.to_json() for ref in r.references if ref.is_evidence],
            }
            for r in rules
        ]
        print(json.dumps({"policy": policy.name, "rules": data}, indent=2))
        return 0
    rows = [[r.id, policy.severity_of(r), r.kind, r.title] for r in rules]
    print(tabulate(rows, headers=["rule", "severity", "applies to", "title"]))
    print(f"\n{len(rules)} rules in policy {policy.name}")
    return 0
