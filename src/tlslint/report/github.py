"""GitHub Actions workflow commands: one annotation per unsuppressed finding, then a summary line.

``::error``/``::warning``/``::notice`` with file, line, column and end position, so each finding is
shown on the line in the pull request's diff. critical/high → error, medium/low → warning,
info → notice. Unreadable inputs are ``::error`` annotations too. GitHub shows at most 10 annotations
of each kind per step; the summary line (plain text) always gives the totals.
"""

from __future__ import annotations

from collections.abc import Iterator

from tlslint.model.located import Location
from tlslint.report.safe_text import printable
from tlslint.run import LintResult

_COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "warning", "info": "notice"}


def _data(text: str) -> str:
    """A command's data, escaped as GitHub's workflow-command rules say (``%``, CR, LF); every other
    control character is shown as an escape, so nothing in it can end the line or colour the log."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _where(location: Location) -> str:
    from tlslint.repo import repo_relative

    parts = [f"file={_property(repo_relative(location.path))}"]
    if location.line is not None:
        parts.append(f"line={location.line}")
        if location.column is not None:
            parts.append(f"col={location.column}")
        if location.end_line is not None:
            parts.append(f"endLine={location.end_line}")
            if location.end_column is not None and location.column is not None:
                parts.append(f"endColumn={location.end_column}")
    return ",".join(parts)


def render(result: LintResult) -> str:
    return "".join(render_lines(result))


def render_lines(result: LintResult) -> Iterator[str]:
    """The annotations as lines of text, one at a time."""
    from tlslint.report.table import summary

    for diagnostic in result.inputs.diagnostics:
        command = "error" if diagnostic.severity == "error" else "warning"
        yield f"::{command} {_where(diagnostic.location)},title=tlslint::{_data(diagnostic.message)}\n"
    for finding in result.active:
        title = _property(f"{finding.rule_id} ({finding.severity}): {finding.title}")
        command = _COMMAND[finding.severity]
        yield f"::{command} {_where(finding.location)},title={title}::{_data(finding.message)}\n"
    yield summary(result) + "\n"  # printable: no line break, so it cannot start a command
