"""Argument helpers shared by commands (standard library only: imported at start-up)."""

from __future__ import annotations

import argparse
import datetime
from collections.abc import Iterable, Iterator

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


def emit(text: str | Iterable[str], output: str | None) -> None:
    """Write a report — a string, or pieces of one written as they are produced — to ``output`` or stdout.
    A file name that is not valid UTF-8 reaches the report as surrogate escapes (``os.fsdecode``); they
    are written as ``\\udcXX`` escapes (still a valid JSON string escape, and plain text in XML) instead
    of failing to encode."""
    pieces = (
        chunk.encode("utf-8", "backslashreplace").decode("utf-8")
        for chunk in ((text,) if isinstance(text, str) else _chunks(text))
    )
    if output:
        from tlslint.errors import UsageError

        try:
            with open(output, "w", encoding="utf-8") as handle:
                for piece in pieces:
                    handle.write(piece)
        except OSError as error:
            raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
    else:
        import sys

        for piece in pieces:
            sys.stdout.write(piece)


#: Characters of report text gathered before one write: a report streamed a line per finding would
#: otherwise pay an encoding round trip and a write call per line.
CHUNK_CHARS = 1 << 16


def _chunks(pieces: Iterable[str]) -> Iterator[str]:
    """``pieces`` joined into texts of about :data:`CHUNK_CHARS` (the same characters, in order)."""
    gathered: list[str] = []
    size = 0
    for piece in pieces:
        gathered.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARS:
            yield "".join(gathered)
            gathered, size = [], 0
    if gathered:
        yield "".join(gathered)


def add_config_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("configuration")
    group.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (.tlslint.yaml or pyproject.toml); default: found by walking up to the "
        "repository root",
    )
    group.add_argument("--no-config", action="store_true", help="do not look for a configuration file")
    group.add_argument(
        "--untrusted",
        action="store_true",
        help="for gates on changes nobody vetted: ignore the repository's configuration files and every inline "
        "suppression in the scanned tree (--config, --waivers and --baseline given here still apply)",
    )
    add_type_option(group)


def parse_declaration(text: str) -> tuple[str, str]:
    """argparse type of ``--type GLOB=SOURCE``."""
    from tlslint.declared import DeclarationError, parse

    try:
        return parse(text)
    except DeclarationError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_type_option(parser) -> None:  # type: ignore[no-untyped-def]
    """``--type GLOB=SOURCE`` (repeatable) -> ``args.types``, a list of (glob, source)."""
    parser.add_argument(
        "--type",
        dest="types",
        action="append",
        type=parse_declaration,
        metavar="GLOB=SOURCE",
        help="read the files matching GLOB with SOURCE (nginx, apache, haproxy, openssl-cnf, ...), whatever "
        "their name or content; repeatable, adds to 'types:' in the configuration",
    )


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


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """``--allow-read DIR`` (repeatable) -> ``args.allow_read``: directories outside the scanned trees
    that includes and referenced files may be read from. Command line only: a configuration file in
    the repository must not be able to widen what a run reads (docs/security.md)."""
    parser.add_argument(
        "--allow-read",
        action="append",
        default=[],
        metavar="DIR",
        help="also read files below DIR that the linted configurations include or reference (repeatable; "
        "default: nothing outside the repository of the linted paths)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="parse files and evaluate rules in N processes (default: one per core for 200 files or more; the output "
        "is the same whatever N)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def print_diagnostics(diagnostics) -> None:
    """One line per input diagnostic on stderr, with control characters escaped: a file name or a
    value must not move the terminal cursor or forge a line."""
    import sys

    from tlslint.report.safe_text import printable

    for diagnostic in diagnostics:
        print(f"tlslint: {printable(str(diagnostic))}", file=sys.stderr)


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
        "--no-gitignore",
        action="store_true",
        help="also lint what .gitignore ignores (a git work tree's ignored files are skipped by default)",
    )
    group.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        help="never lint paths matching GLOB (relative to the repository root; repeatable; adds to the configuration)",
    )
