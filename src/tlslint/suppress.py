"""The filter stage (ARCHITECTURE §2, §7): inline suppressions, waivers and baselines.

Findings are never dropped here. A suppressed finding gets a :class:`~tlslint.findings.Suppression`
(how, why, by whom, until when) and stays in the JSON output; renderers count it separately. The
stage also emits findings of its own (:mod:`tlslint.builtin_rules`) about the suppressions: inline
comments without a reason or naming no rule, and expired waivers.

Inline suppressions are found generically, from a finding's file and line — not by the parsers — so
every input format with comments gets them. The comment syntax comes from the file's extension
(:data:`COMMENT_STYLES`). A comment suppresses the findings whose span contains its line, or that
start on the first non-comment line below a block of comment-only lines containing it::

    # tlslint: ignore[TLS-PROTO-001] legacy meter needs TLS 1.1 until 2027-06
    versions: {min: TLSv1.1, max: TLSv1.3}
    versions: {min: TLSv1.1, max: TLSv1.3}  # tlslint: ignore[TLS-PROTO-001,TLS-PROTO-002] reason
"""

from __future__ import annotations

import datetime
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from tlslint.findings import Finding, Suppression, fingerprint
from tlslint.model.located import Location
from tlslint.records import Record

if TYPE_CHECKING:
    from tlslint.safe_read import FileRead

#: Comment openers by file extension. Strict JSON has no comments: use a waiver for JSON inputs.
#: Anything not listed uses ``#`` (YAML, nginx, Apache, HAProxy, shell, TOML, openssl.cnf, ...).
COMMENT_STYLES: dict[str, tuple[str, ...]] = {
    ".json": (),
    ".ini": ("#", ";"),
    ".cnf": ("#", ";"),
    ".cfg": ("#", ";"),
    ".conf": ("#", ";"),
    ".c": ("//", "/*"),
    ".h": ("//", "/*"),
    ".cc": ("//", "/*"),
    ".cpp": ("//", "/*"),
    ".hpp": ("//", "/*"),
    ".cs": ("//", "/*"),
    ".java": ("//", "/*"),
    ".kt": ("//", "/*"),
    ".js": ("//", "/*"),
    ".ts": ("//", "/*"),
    ".go": ("//", "/*"),
    ".jsonc": ("//", "/*"),
    ".json5": ("//", "/*"),
    ".xml": ("<!--",),
    ".config": ("<!--",),
    ".csproj": ("<!--",),
}
DEFAULT_COMMENT_STYLE: tuple[str, ...] = ("#",)
_CLOSERS = {"/*": "*/", "<!--": "-->"}

_MARKER = re.compile(r"tlslint:\s*ignore(-file)?\[([^\]]*)\](.*)$", re.IGNORECASE)
_RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")


def comment_style(path: str) -> tuple[str, ...]:
    return COMMENT_STYLES.get(os.path.splitext(path)[1].lower(), DEFAULT_COMMENT_STYLE)


class InlineSuppression(Record):
    """A ``tlslint: ignore[...]`` comment, and which rules it was used for."""

    __slots__ = ("location", "rules", "reason", "text", "standalone", "whole_file", "used")

    location: Location  # the 'tlslint:' marker
    rules: tuple[str, ...]
    reason: str
    text: str  # the marker as written (no secrets live in a suppression comment)
    standalone: bool  # the comment is the whole line
    whole_file: bool  # 'tlslint: ignore-file[...]': every finding of these rules in the file
    used: set[str]  # the rule ids it suppressed a finding of

    def __init__(
        self,
        location: Location,
        rules: tuple[str, ...],
        reason: str,
        text: str,
        standalone: bool,
        whole_file: bool = False,
        used: set[str] | None = None,
    ) -> None:
        self.location = location
        self.rules = rules
        self.reason = reason
        self.text = text
        self.standalone = standalone
        self.whole_file = whole_file
        self.used = set() if used is None else used


def _comment_start(line: str, opener: str) -> int:
    """Index of the first ``opener`` that starts a comment (at line start or after whitespace)."""
    start = 0
    while True:
        index = line.find(opener, start)
        if index < 0:
            return -1
        if index == 0 or line[index - 1] in " \t":
            return index
        start = index + 1


def scan_line(path: str, number: int, line: str, style: tuple[str, ...]) -> InlineSuppression | None:
    if "tlslint" not in line.lower():
        return None
    for opener in style:
        index = _comment_start(line, opener)
        if index < 0:
            continue
        comment = line[index + len(opener) :]
        closer = _CLOSERS.get(opener)
        if closer and closer in comment:
            comment = comment[: comment.index(closer)]
        match = _MARKER.search(comment)
        if match is None:
            continue
        column = index + len(opener) + match.start() + 1
        rules = tuple(dict.fromkeys(r.strip().upper() for r in match.group(2).split(",") if r.strip()))
        reason = match.group(3).strip().lstrip("-—:").strip()
        text = match.group(0).strip()
        location = Location(path, number, column, number, index + len(opener) + len(comment.rstrip()) + 1)
        standalone = not line[:index].strip()
        return InlineSuppression(location, rules, reason, text, standalone, whole_file=bool(match.group(1)))
    return None


def scan_file(path: str, read: FileRead | None = None) -> tuple[list[InlineSuppression], set[int]]:
    """The suppression comments of ``path`` and the numbers of its comment-only lines (a suppression may
    stand in a block of them above a finding). ``read`` is what the run recorded when it read the file:
    a file without the word tlslint in it is not opened again."""
    style = comment_style(path)
    if not style or (read is not None and not read.mentions_tlslint):
        return [], set()
    from tlslint import safe_read
    from tlslint.errors import InputError

    try:
        text = safe_read.read_text(path)
    except InputError:  # reported when the file itself was read
        return [], set()
    if "tlslint" not in text.lower():
        return [], set()
    found = []
    comment_lines: set[int] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        suppression = scan_line(path, number, line, style)
        if suppression is not None:
            found.append(suppression)
        stripped = line.strip()
        if stripped and any(stripped.startswith(opener) for opener in style):
            comment_lines.add(number)
    return found, comment_lines


class _FileSuppressions:
    """One file's valid suppression comments, looked up by line. A comment covers a finding from within
    the finding's lines, from the comment block right above it, from within its scope (the block of its
    subject), or for the whole file; only the comments on those lines are looked at. A generated file
    with a comment in each of its 2,000 servers had each of its 28,000 findings look at every comment:
    4.8 s."""

    __slots__ = ("suppressions", "lines", "whole", "comment_lines")

    def __init__(self, suppressions: list[InlineSuppression], comment_lines: set[int]) -> None:
        self.suppressions = suppressions  # in line order, as scan_file finds them
        self.lines = [suppression.location.line or 0 for suppression in suppressions]
        self.whole = [index for index, suppression in enumerate(suppressions) if suppression.whole_file]
        self.comment_lines = comment_lines

    def covering(self, finding: Finding) -> list[InlineSuppression]:
        """The comments that apply to ``finding``, in file order."""
        start = finding.location.line
        if start is None:
            return []
        end = max(finding.location.end_line or start, start)
        above = start - 1
        while above in self.comment_lines:
            above -= 1
        scope = finding.scope
        in_scope = scope is not None and scope.path == finding.location.path and scope.line and scope.end_line
        near = {*self.whole, *self._between(start, end), *self._between(above + 1, start - 1)}
        if in_scope:
            near.update(self._between(scope.line, scope.end_line))  # type: ignore[union-attr, arg-type]
        found = []
        for index in sorted(near):
            suppression, line = self.suppressions[index], self.lines[index]
            if (
                suppression.whole_file
                or start <= line <= end
                or (suppression.standalone and above < line < start)
                or (in_scope and scope.line <= line <= scope.end_line)  # type: ignore[union-attr, operator]
            ):
                found.append(suppression)
        return found

    def _between(self, low: int, high: int) -> range:
        """Indexes of the comments on lines ``low`` to ``high``."""
        return range(bisect_left(self.lines, low), bisect_right(self.lines, high))


class SuppressOptions(Record):
    """How findings are suppressed in a run: inline comments, waivers, baseline, built-in severities."""

    __slots__ = ("at", "inline", "waivers", "baseline", "severity", "waiver_warning_days")

    at: datetime.date
    inline: bool
    waivers: str | None
    baseline: str | None
    severity: dict[str, str]  # overrides for the built-in rules
    waiver_warning_days: int  # TLSLINT-WAIVER-004: say so this many days before a waiver expires

    def __init__(
        self,
        at: datetime.date,
        inline: bool = True,
        waivers: str | None = None,
        baseline: str | None = None,
        severity: dict[str, str] | None = None,
        waiver_warning_days: int = 30,
    ) -> None:
        self.at = at
        self.inline = inline
        self.waivers = waivers
        self.baseline = baseline
        self.severity = {} if severity is None else severity
        self.waiver_warning_days = waiver_warning_days


def apply(
    findings: list[Finding],
    files: Iterable[str],
    options: SuppressOptions,
    is_rule: Callable[[str], bool],
    evaluated: frozenset[str] = frozenset(),
    reads: Mapping[str, FileRead] | None = None,
) -> list[Finding]:
    """Mark suppressed findings and return them together with the stage's own findings.

    ``files`` are the files this run read (``reads``: what it recorded of them, by absolute path);
    ``evaluated`` the rule ids it evaluated. The hygiene rules
    (unused suppressions, stale waivers and baseline entries) judge only those, so a partial run (the
    files pre-commit hands over) reports the same about a file as a whole run."""
    from tlslint.builtin_rules import MIN_REASON, builtin_rule
    from tlslint.repo import repo_relative

    files = list(files)
    meta: list[Finding] = []

    def report(rule_id: str, location: Location, anchor: str, **values: str) -> None:
        rule = builtin_rule(rule_id)
        meta.append(
            Finding(
                rule_id=rule.id,
                title=rule.title,
                severity=options.severity.get(rule.id, rule.severity),
                confidence=rule.confidence,
                message=rule.message.format(**values),
                location=location,
                related=(),
                subject_kind="document",
                subjects=(location.path,),
                field=None,
                offending=(anchor,),
                origin="explicit",
                references=rule.references,
                fingerprint=fingerprint(rule.id, location, [anchor], None, [anchor]),
            )
        )

    waivers = []
    if options.waivers:
        from tlslint.waivers import load_waivers

        waivers = load_waivers(options.waivers)
        for waiver in waivers:
            if waiver.expired(options.at):
                report(
                    "TLSLINT-WAIVER-001",
                    waiver.location,
                    f"{waiver.id}|{waiver.target}",
                    waiver=waiver.id,
                    target=waiver.target,
                    expires=waiver.expires.isoformat(),
                    approver=waiver.approver,
                )
        for waiver in waivers:
            if waiver.rule is not None and not is_rule(waiver.rule):
                report(
                    "TLSLINT-WAIVER-002",
                    waiver.location,
                    f"{waiver.id}|{waiver.rule}",
                    waiver=waiver.id,
                    rule=waiver.rule,
                )
            days = (waiver.expires - options.at).days
            if not waiver.expired(options.at) and days < options.waiver_warning_days:
                report(
                    "TLSLINT-WAIVER-004",
                    waiver.location,
                    f"{waiver.id}|{waiver.target}|{waiver.expires.isoformat()}",
                    waiver=waiver.id,
                    target=waiver.target,
                    expires=waiver.expires.isoformat(),
                    days=str(days),
                )
    live_waivers = [w for w in waivers if not w.expired(options.at)]
    matched_waivers: set[int] = set()
    if live_waivers:
        from tlslint.waivers import WaiverIndex

        waiver_for = WaiverIndex(live_waivers).first_match

    inline: dict[str, _FileSuppressions] = {}
    if options.inline:
        for path in files:
            found, comments = scan_file(path, reads.get(os.path.abspath(path)) if reads is not None else None)
            valid = []
            for suppression in found:
                unknown = [r for r in suppression.rules if not _RULE_ID.match(r) or not is_rule(r)]
                values = {"rules": ",".join(suppression.rules)}
                if not suppression.rules or unknown:
                    report(
                        "TLSLINT-SUPPRESS-002",
                        suppression.location,
                        suppression.text,
                        unknown=", ".join(unknown) or "no rule",
                        **values,
                    )
                elif len(suppression.reason) < MIN_REASON:
                    report("TLSLINT-SUPPRESS-001", suppression.location, suppression.text, **values)
                else:
                    valid.append(suppression)
            if valid:
                inline[path] = _FileSuppressions(valid, comments)

    baseline = None
    if options.baseline:
        from tlslint.baseline import load_baseline

        baseline = load_baseline(options.baseline)

    for finding in findings:
        path = finding.location.path
        covering = []
        if path in inline:
            covering = [s for s in inline[path].covering(finding) if finding.rule_id in s.rules]
            if covering:
                # Used even when a waiver wins below: the comment still says something true about this line.
                covering[0].used.add(finding.rule_id)
        waiver = waiver_for(finding) if live_waivers else None
        if waiver is not None:
            matched_waivers.add(id(waiver))
            finding.suppression = Suppression(
                "waiver",
                waiver.justification,
                waiver.location,
                approver=waiver.approver,
                expires=waiver.expires.isoformat(),
                waiver_id=waiver.id,
            )
        elif covering:
            finding.suppression = Suppression("inline", covering[0].reason, covering[0].location)
        elif baseline is not None and baseline.consume(finding.fingerprint):
            finding.suppression = Suppression("baseline", f"in baseline {baseline.path}", Location(baseline.path))

    for in_file in inline.values():
        for suppression in in_file.suppressions:
            unused = [rule for rule in suppression.rules if rule in evaluated and rule not in suppression.used]
            if unused:
                rules = ",".join(suppression.rules)
                report(
                    "TLSLINT-SUPPRESS-003",
                    suppression.location,
                    suppression.text,
                    rules=rules,
                    unused=", ".join(unused),
                )
    # The files read, as waivers and baselines name them (none to compare: not worked out).
    read = {repo_relative(path) for path in files} if live_waivers or baseline is not None else set()
    for waiver in live_waivers:
        if id(waiver) not in matched_waivers and waiver.covers(read):
            report(
                "TLSLINT-WAIVER-003",
                waiver.location,
                f"{waiver.id}|{waiver.target}",
                waiver=waiver.id,
                target=waiver.target,
            )
    if baseline is not None:
        for entry in baseline.entries:
            left = baseline.counts[entry["fingerprint"]]
            if left > 0 and entry.get("path") in read:
                baseline.counts[entry["fingerprint"]] = 0  # one report per fingerprint
                report(
                    "TLSLINT-BASELINE-001",
                    Location(baseline.path),
                    f"{entry['fingerprint']}|{entry['path']}",
                    baseline=baseline.path,
                    count=str(left),
                    rule=entry.get("rule_id", "?"),
                    target=entry["path"],
                )
    return findings + meta
