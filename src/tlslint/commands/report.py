"""tlslint report — evidence reports for auditors; ``report verify`` and ``report diff``.

``tlslint report [PATH...]`` writes the chosen formats into ``--output-dir``. The first path may instead be
``verify`` (``tlslint report verify report.json [PATH...]``), ``diff`` (``tlslint report diff OLD NEW``),
or ``questions``; write ``./verify`` for a directory of such a name. The work lives in
:mod:`tlslint.evidence`.
"""

from __future__ import annotations

import argparse

from tlslint.commands._common import add_engine_version_option, add_policy_option, parse_date

HELP = "write an evidence report for auditors (HTML, JSON, OSCAL, EN 18031 techdoc CSV, CycloneDX); verify; diff"
FORMATS = ("html", "json", "oscal-ar", "techdoc-csv", "cbom")
DEFAULT_FORMATS = "html,json"
USAGE = (
    "tlslint report [PATH ...] --framework ID[@EDITION][:k=v,...] ... [--format LIST] [--output-dir DIR] ...\n"
    "       tlslint report questions [PATH ...] --framework ID ... [--profile FILE] > answers.yaml\n"
    "       tlslint report verify REPORT.json [PATH ...]\n"
    "       tlslint report diff OLD.json NEW.json [--format json]"
)


def parse_formats(text: str) -> list[str]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(chosen))


def configure(parser: argparse.ArgumentParser) -> None:
    parser.usage = USAGE
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories (default: .)")
    parser.add_argument(
        "--framework",
        action="append",
        default=[],
        metavar="ID[@EDITION][:k=v]",
        help="framework to report on, repeatable (see 'tlslint frameworks list'), e.g. en18031-1, iec62443-4-2:sl=2",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        type=parse_formats,
        default=None,
        metavar="LIST",
        help=f"comma-separated outputs: {', '.join(FORMATS)} (default: {DEFAULT_FORMATS}; 'json' for diff)",
    )
    parser.add_argument(
        "--output-dir", default="tlslint-report", metavar="DIR", help="where to write (default: tlslint-report)"
    )
    add_policy_option(parser)
    parser.add_argument("--profile", metavar="FILE", help="product profile (product.yaml)")
    parser.add_argument(
        "--attestations", action="append", default=[], metavar="FILE", help="answers to manual questions"
    )
    parser.add_argument(
        "--deviations", action="append", default=[], metavar="FILE", help="requirement-level deviations"
    )
    parser.add_argument("--waivers", metavar="FILE", help="waiver file (finding-level; never turns a fail into a pass)")
    add_engine_version_option(parser)
    parser.add_argument("--at", type=parse_date, metavar="YYYY-MM-DD", help="evaluate as of this date (default: today)")
    parser.add_argument(
        "--fail-on",
        dest="gate",
        choices=("fail", "manual", "never"),
        default="fail",
        help="exit 1 when a requirement fails (default), or also when one is manual; 'never' exits 0",
    )
    parser.add_argument("--config", metavar="FILE", help="configuration file (.tlslint.yaml or pyproject.toml)")
    parser.add_argument("--no-config", action="store_true", help="do not look for a configuration file")


def run(args: argparse.Namespace) -> int:
    import sys

    from tlslint.errors import UsageError

    paths = list(args.paths)
    questions = bool(paths) and paths[0] == "questions"
    if questions:
        paths = paths[1:] or ["."]
    if paths and paths[0] in ("verify", "diff"):
        from tlslint.evidence import verify

        if paths[0] == "verify":
            if len(paths) < 2:
                raise UsageError(
                    "report verify needs the report.json to check: tlslint report verify REPORT.json [PATH ...]"
                )
            return verify.verify(paths[1], paths[2:])
        if len(paths) != 3:
            raise UsageError("report diff needs two reports: tlslint report diff OLD.json NEW.json")
        return verify.diff(paths[1], paths[2], as_json=args.formats == ["json"])
    from tlslint.evidence.build import Invocation, produce, write_outputs

    formats = args.formats or parse_formats(DEFAULT_FORMATS)
    invocation = Invocation(
        paths=paths,
        frameworks=list(args.framework),
        policies=list(args.policy or []),
        profile=args.profile,
        attestations=list(args.attestations),
        deviations=list(args.deviations),
        waivers=args.waivers,
        engine_versions=dict(args.engine_versions or {}),
        at=args.at or __import__("datetime").date.today(),
        config=args.config,
        no_config=args.no_config,
    )
    produced = produce(invocation)
    if questions:
        from tlslint.evidence.workflow import questions as question_stubs

        sys.stdout.write(question_stubs(produced.document))
        return 0
    written = write_outputs(produced.document, formats, args.output_dir)

    for diagnostic in produced.result.inputs.diagnostics:
        print(f"tlslint: {diagnostic}", file=sys.stderr)
    for path in written:
        print(path)
    print(f"report sha256 {produced.document['integrity']['report_sha256']}", file=sys.stderr)
    return produced.exit_code(args.gate)
