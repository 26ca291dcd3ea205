"""tlslint schema — print a JSON Schema (the TLS configuration document by default)."""

from __future__ import annotations

import argparse

HELP = "print the JSON Schema of the TLS configuration document (or of rules, policies, outputs)"
SCHEMAS = {
    "document": "tls-configuration.schema.yaml",
    "rule": "rule.schema.yaml",
    "policy": "policy.schema.yaml",
    "check-output": "check-output.schema.yaml",
    "inspect-output": "inspect-output.schema.yaml",
    "framework": "framework.schema.yaml",
    "crosswalk": "crosswalk.schema.yaml",
    "product": "product.schema.yaml",
    "amendments": "amendments.schema.yaml",
    "report": "report.schema.yaml",
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("which", nargs="?", choices=tuple(SCHEMAS), default="document", help="which schema")


def run(args: argparse.Namespace) -> int:
    import json

    from tlslint.schemas import schema

    print(json.dumps(schema(SCHEMAS[args.which]), indent=2))
    return 0
