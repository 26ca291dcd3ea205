"""tlslint policies — list the shipped policies."""

from __future__ import annotations

import argparse

HELP = "list the shipped policies"


def configure(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    from tlslint.policy import load_policy, shipped_policies

    rows = []
    for name in shipped_policies():
        policy = load_policy(name)
        rows.append([policy.id, policy.edition, ", ".join(policy.packs), policy.title])
    print(tabulate(rows, headers=["policy", "edition", "packs", "title"]))
    return 0
