"""tlslint explain — everything about one rule, offline."""

from __future__ import annotations

import argparse

HELP = "explain a rule: what it checks, why it matters, how to fix it, which controls it serves"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule_id", metavar="RULE_ID")


def run(args: argparse.Namespace) -> int:
    from tlslint.rules.explain import explain, find_rule

    print(explain(find_rule(args.rule_id)))
    return 0
