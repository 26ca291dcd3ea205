"""Argument helpers shared by commands (standard library only: imported at start-up)."""

from __future__ import annotations

import argparse
import datetime

SEVERITY_CHOICES = ("critical", "high", "medium", "low", "info", "never")


def parse_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def add_policy_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy",
        action="append",
        metavar="NAME|FILE",
        help="policy to apply (repeatable; default: secure-defaults); see 'tlslint policies'",
    )


def add_output_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument("--format", choices=formats, help=f"output format (default: {formats[0]} on a terminal)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")


def resolve_policy(names: list[str] | None):
    from tlslint.policy import DEFAULT_POLICY, combine, load_policy

    return combine([load_policy(name) for name in (names or [DEFAULT_POLICY])])


def emit(text: str, output: str | None) -> None:
    if output:
        from tlslint.errors import UsageError

        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
    else:
        import sys

        sys.stdout.write(text)


def add_config_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("configuration")
    group.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (.tlslint.yaml or pyproject.toml); default: found by walking up to the "
        "repository root",
    )
    group.add_argument("--no-config", action="store_true", help="do not look for a configuration file")


def parse_engine_versions(text: str) -> dict[str, str]:
    """argparse type of ``--engine-version``: ``nginx=1.22.1,openssl=3.0`` -> a dict."""
    from tlslint.catalog.engine_defaults import EngineVersionError
    from tlslint.catalog.engine_defaults import parse_engine_versions as parse

    try:
        return parse(text)
    except EngineVersionError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class _MergeEngineVersions(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        merged = dict(getattr(namespace, self.dest, None) or {})
        merged.update(values)
        setattr(namespace, self.dest, merged)


def add_file_modes_option(parser: argparse.ArgumentParser) -> None:
    """``--check-file-modes``: judge key file permissions in a version-control working tree too."""
    parser.add_argument(
        "--check-file-modes",
        action="store_true",
        help="judge private-key file permissions (TLS-KEY-002) even inside a git/hg/svn working tree, where "
        "they only reflect the checkout's umask (they are always judged outside one: a deployed filesystem)",
    )


def add_engine_version_option(parser: argparse.ArgumentParser) -> None:
    """``--engine-version ENGINE=VER[,ENGINE=VER...]`` (repeatable) -> ``args.engine_versions`` (a dict,
    empty when not given), to be passed as ``ParseContext(engine_versions=...)``."""
    parser.add_argument(
        "--engine-version",
        dest="engine_versions",
        type=parse_engine_versions,
        action=_MergeEngineVersions,
        default={},
        metavar="ENGINE=VER",
        help="engine and library versions to model, e.g. nginx=1.22.1,openssl=3.0 (also openssl-seclevel=N, "
        "openssl-conf=PATH); unknown versions use the documented defaults",
    )


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """ruff-style rule selection on top of the policy (see tlslint.selection)."""
    group = parser.add_argument_group("rule selection (ids, id prefixes such as TLS-CIPHER, pack names, ALL)")
    group.add_argument("--select", action="append", metavar="RULES", help="evaluate exactly these rules (comma list)")
    group.add_argument(
        "--extend-select", action="append", metavar="RULES", help="evaluate these rules as well as the policy's"
    )
    group.add_argument("--ignore", action="append", metavar="RULES", help="do not evaluate these rules")
    group.add_argument(
        "--min-confidence", choices=("high", "medium", "low"), help="evaluate only rules of at least this confidence"
    )
    group.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        help="never lint paths matching GLOB (relative to the repository root; repeatable; adds to the configuration)",
    )
