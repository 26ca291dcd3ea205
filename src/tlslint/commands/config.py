"""tlslint config — the effective configuration, its JSON Schema, and the pre-commit file pattern."""

from __future__ import annotations

import argparse

from tlslint.commands._common import add_config_options

HELP = "show the effective configuration and where each value came from; print its JSON Schema"


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(parser))
    show = sub.add_parser("show", help="print the effective configuration with the source of every value")
    show.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="where discovery starts (default: .)")
    show.add_argument("--format", dest="show_format", choices=("yaml", "json"), default="yaml")
    add_config_options(show)
    sub.add_parser("schema", help="print the JSON Schema of .tlslint.yaml / [tool.tlslint]")
    sub.add_parser(
        "files-pattern",
        help="print the regular expression of the files tlslint reads (the pre-commit hook's 'files')",
    )


def run(args: argparse.Namespace) -> int:
    import json

    if args.action == "schema":
        from tlslint.schemas import CONFIG_SCHEMA, schema

        print(json.dumps(schema(CONFIG_SCHEMA), indent=2))
        return 0
    if args.action == "files-pattern":
        from tlslint.precommit import files_regex

        print(files_regex())
        return 0
    from tlslint.config import from_args, render_show

    config = from_args(args)
    if args.show_format == "json":
        print(json.dumps(config.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_show(config), end="")
    return 0
