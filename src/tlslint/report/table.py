"""Terminal table: findings grouped by file, severity-coloured on a colour terminal, one summary line."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from itertools import groupby

from tlslint.report.safe_text import printable
from tlslint.rules.model import SEVERITIES
from tlslint.run import LintResult

_COLOURS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m", "info": "\033[2m"}
_RESET = "\033[0m"


def _paint(text: str, severity: str, color: bool) -> str:
    return f"{_COLOURS[severity]}{text}{_RESET}" if color else text


def render(result: LintResult, *, color: bool = False) -> str:
    return "".join(render_lines(result, color=color))


def render_lines(result: LintResult, *, color: bool = False) -> Iterator[str]:
    """The table as pieces of text, one file's findings at a time."""
    from tlslint.report.plain_table import tabulate

    color = color and "NO_COLOR" not in os.environ
    width = _message_width()
    for path, group in groupby(result.active, key=lambda f: f.location.path):
        rows = []
        for finding in group:
            line, column = finding.location.line, finding.location.column
            place = "-" if line is None else (f"{line}" if column is None else f"{line}:{column}")
            severity = _paint(finding.severity, finding.severity, color)
            rows.append([place, severity, printable(finding.rule_id), printable(finding.message)])
        table = tabulate(rows, tablefmt="plain", maxcolwidths=[None, None, None, width])
        yield f"{printable(path)}\n{table}\n\n"
    yield summary(result) + "\n"


def _message_width() -> int:
    """The message column fills the terminal (``COLUMNS`` wins); 90 characters when there is none, so
    that piped output and the README's sample stay stable."""
    import shutil

    columns = shutil.get_terminal_size((128, 24)).columns
    return max(40, columns - 38)


def summary(result: LintResult) -> str:
    counts = Counter(f.severity for f in result.active)
    by_severity = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
    files = len(result.inputs.files)
    text = f"{len(result.active)} finding{'s' if len(result.active) != 1 else ''}"
    if by_severity:
        text += f" ({by_severity})"
    text += f" in {files} file{'s' if files != 1 else ''}; policy {result.policy.name}, {len(result.rules)} rules"
    if result.suppressed:
        kinds = ", ".join(f"{n} {kind}" for kind, n in result.suppressed_by_kind().items() if n)
        text += f"; {len(result.suppressed)} suppressed ({kinds})"
    engines = result.inputs.engine_assumptions()
    if engines:
        text += "; engines " + ", ".join(str(e) for e in engines)
        if any(e.assumed for e in engines):
            text += " (--engine-version to set)"
    errors = sum(1 for d in result.inputs.diagnostics if d.severity == "error")
    if errors:
        text += f"; {errors} input error{'s' if errors != 1 else ''}"
    return printable(text)  # the policy name may come from a file in the repository
