"""The pipeline: discover → parse → evaluate → findings → filter (ARCHITECTURE §2).

Every stage is a function; the CLI commands and the tests call :func:`lint` or the stages directly.
A file that cannot be read or parsed becomes a diagnostic and the run goes on with the other files.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tlslint.errors import InputError
from tlslint.findings import Finding, build_findings, fold_shared_causes
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location
from tlslint.model.subject import Subject
from tlslint.policy import Policy
from tlslint.rules.model import Rule, severity_rank
from tlslint.sources import registry
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.suppress import SuppressOptions

#: Directories never worth walking into.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"})


@dataclass(slots=True)
class InputFile:
    path: str  # as displayed: relative to the working directory when inside it
    source: str  # which source read it
    sha256: str  # of the bytes as stored (what an auditor's sha256sum shows)
    size: int  # bytes


@dataclass(slots=True)
class ParsedInputs:
    subjects: list[Subject] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[InputFile] = field(default_factory=list)
    internal_errors: int = 0
    finishers: dict[str, Any] = field(default_factory=dict)  # source modules with a cross-file pass


@dataclass(slots=True)
class LintResult:
    inputs: ParsedInputs
    policy: Policy
    rules: list[Rule]
    findings: list[Finding]
    passes: dict[str, int]
    applicable: dict[str, int]
    #: Severity overrides of the built-in rules (the policy holds the others).
    builtin_severity: dict[str, str] = field(default_factory=dict)
    #: Compliance mode only (``lint(..., ledger=True)``): every (rule, subject) outcome with its evidence.
    ledger: list[Any] | None = None

    def severity_of(self, rule: Rule) -> str:
        return self.builtin_severity.get(rule.id) or self.policy.severity_of(rule)

    @property
    def all_rules(self) -> list[Rule]:
        """Every rule this run evaluated: the policy's and the suppression stage's built-in ones."""
        from tlslint.builtin_rules import builtin_rules

        return [*self.rules, *builtin_rules()]

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is None]

    @property
    def suppressed(self) -> list[Finding]:
        return [f for f in self.findings if f.suppression is not None]

    def suppressed_by_kind(self) -> dict[str, int]:
        counts = dict.fromkeys(("inline", "waiver", "baseline"), 0)
        for finding in self.suppressed:
            counts[finding.suppression.kind] += 1  # type: ignore[union-attr]
        return counts

    @property
    def input_errors(self) -> int:
        return sum(1 for d in self.inputs.diagnostics if d.severity == "error")


def display_path(path: str) -> str:
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd or absolute.startswith(cwd + os.sep):
        return os.path.relpath(absolute, cwd)
    return path


def discover(paths: list[str]) -> Iterator[tuple[str, bool] | Diagnostic]:
    """Files to consider, with whether each was named explicitly. Symlinked directories are not
    followed (no loops); a missing path is a diagnostic."""
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
                for name in sorted(files):
                    yield os.path.join(root, name), False
        elif os.path.exists(path):
            yield path, True
        elif os.path.islink(path):
            yield Diagnostic(Location(display_path(path)), "is a broken symbolic link")
        else:
            yield Diagnostic(Location(display_path(path)), "no such file or directory")


def parse_inputs(paths: list[str], context: ParseContext, *, exclude: tuple[str, ...] = ()) -> ParsedInputs:
    """Parse every file under ``paths``; ``exclude`` are globs on repository-relative paths to skip."""
    excluded = _exclusion(exclude)
    parsed = ParsedInputs()
    for item in discover(paths):
        if isinstance(item, Diagnostic):
            parsed.diagnostics.append(item)
            continue
        path, explicit = item
        if excluded is not None:
            from tlslint.repo import repo_relative

            if excluded.fullmatch(repo_relative(path)):
                continue
        _parse_file(display_path(path), explicit, context, parsed)
    from tlslint import link

    link.prepare(context, parsed)  # referenced certificates outside the linted paths
    _finish(context, parsed)
    link.link(context, parsed)  # endpoints <-> their certificates, keys and trust stores
    return parsed


def _exclusion(patterns: tuple[str, ...]):
    if not patterns:
        return None
    import re

    from tlslint.waivers import _glob

    # A pattern also excludes everything below a matching directory.
    return re.compile("|".join(f"(?:{_glob(p.rstrip('/')).pattern})(?:/.*)?" for p in patterns))


def _parse_file(path: str, explicit: bool, context: ParseContext, parsed: ParsedInputs) -> None:
    """Read one file with the source that claims it. Every problem becomes a diagnostic."""
    by_name = registry.candidates(path)
    try:
        if os.path.islink(path) and not os.path.exists(path):
            raise InputError(path, "is a broken symbolic link")
        with open(path, "rb") as handle:
            head = handle.read(registry.SNIFF_BYTES)
        if not by_name:  # an extensionless script (init script, /usr/bin helper): its shebang says what it is
            by_name = registry.by_shebang(path, head)
        program = any(entry.program for entry in by_name)
        for entry in () if program else registry.content_sources():
            module = entry.load()
            if module.claims(path, head):
                _read_bytes(path, entry, module, context, parsed)
                return
        if not by_name:
            if explicit:
                parsed.diagnostics.append(Diagnostic(Location(path), "not a format tlslint reads; skipped", "warning"))
            return
        if b"\x00" in head:
            raise InputError(path, "is a binary file, not a text configuration")
        entry = registry.claim_among(by_name, head.decode("utf-8", errors="replace"))
        if entry is None and len(head) == registry.SNIFF_BYTES:
            # Larger than the sniff window: what qualifies it (a curl_easy_setopt call, an ssl_* directive)
            # may come later — look at the whole file (within the size limit of configuration files).
            entry = registry.claim_among(by_name, _whole_text_for_sniffing(path))
        if entry is None:
            return  # e.g. a YAML file that is not a tlslint document: not ours
        from tlslint.yamlpos import decode_text, read_limited

        raw = read_limited(path)
        module = entry.load()
        result = module.parse(path, decode_text(path, raw), context)
        if hasattr(module, "finish"):  # a cross-file pass after every file is read (C# callbacks)
            parsed.finishers.setdefault(entry.module, module)
    except Exception as error:
        _record_failure(path, error, parsed)
        return
    _record(path, entry.name, raw, result, parsed)


def _whole_text_for_sniffing(path: str) -> str:
    from tlslint.yamlpos import MAX_BYTES

    with open(path, "rb") as handle:
        return handle.read(MAX_BYTES).decode("utf-8", errors="replace")


def _read_bytes(path: str, entry: registry.SourceEntry, module, context: ParseContext, parsed: ParsedInputs) -> None:
    from tlslint.pki.load import read_pki_file

    try:
        data = read_pki_file(path)
        result = module.parse_bytes(path, data, context)
    except Exception as error:
        _record_failure(path, error, parsed)
        return
    parsed.finishers.setdefault(entry.module, module)
    _record(path, entry.name, data, result, parsed)


def _record(path: str, source: str, raw: bytes, result: ParseResult, parsed: ParsedInputs) -> None:
    parsed.subjects.extend(result.subjects)
    parsed.diagnostics.extend(result.diagnostics)
    parsed.files.append(InputFile(path, source, hashlib.sha256(raw).hexdigest(), len(raw)))


def _record_failure(path: str, error: Exception, parsed: ParsedInputs) -> None:
    if isinstance(error, InputError):
        parsed.diagnostics.append(Diagnostic(error.location, error.message))
    elif isinstance(error, OSError):
        parsed.diagnostics.append(Diagnostic(Location(path), f"cannot read: {error.strerror or error}"))
    elif isinstance(error, RecursionError):
        parsed.diagnostics.append(Diagnostic(Location(path), "nested too deeply to parse"))
    else:  # a parser bug: reported as such (exit 4), and the run goes on
        if os.environ.get("TLSLINT_DEBUG"):
            raise error
        parsed.internal_errors += 1
        parsed.diagnostics.append(
            Diagnostic(Location(path), f"internal error while parsing ({type(error).__name__}: {error}); this is a bug")
        )


def _finish(context: ParseContext, parsed: ParsedInputs) -> None:
    """Cross-file passes of the sources that need one (e.g. PKI chains), after every file is read."""
    for name, module in parsed.finishers.items():
        try:
            result = module.finish(context)
        except Exception as error:
            _record_failure(name, error, parsed)
            continue
        parsed.subjects.extend(result.subjects)
        parsed.diagnostics.extend(result.diagnostics)


def lint(
    paths: list[str],
    policy: Policy,
    *,
    at: datetime.date | None = None,
    rules: list[Rule] | None = None,
    suppress: SuppressOptions | None = None,
    exclude: tuple[str, ...] = (),
    engine_versions: dict[str, str] | None = None,
    check_file_modes: bool = False,
    ledger: bool = False,
) -> LintResult:
    """Run the pipeline. ``rules`` defaults to the policy's selection of its packs; ``suppress`` to
    inline suppressions only (no waivers, no baseline); ``engine_versions`` (``--engine-version``) to
    the documented engine defaults. ``ledger`` turns on compliance mode: the result keeps every (rule,
    subject) outcome, each failure tied to its finding's fingerprint and suppression."""
    from tlslint.rules.evaluate import evaluate
    from tlslint.suppress import apply

    at = at or datetime.date.today()
    context = ParseContext(at=at, engine_versions=engine_versions or {}, check_file_modes=check_file_modes)
    if rules is None:
        from tlslint.rules.loader import load_packs

        rules = policy.select(load_packs(policy.packs))
    _calm_garbage_collector()
    inputs = parse_inputs(paths, context, exclude=exclude)
    entries: list[Any] | None = [] if ledger else None
    evaluation = evaluate(rules, inputs.subjects, policy, entries)
    findings = fold_shared_causes(build_findings(evaluation.failures), rules)
    known = {rule.id for rule in rules}
    options = suppress or SuppressOptions(at=at)
    findings = apply(findings, [f.path for f in inputs.files], options, _rule_exists(known), frozenset(known))
    findings.sort(key=lambda f: (f.location.path, f.location.line or 0, f.location.column or 0, f.rule_id))
    if entries is not None:
        _tie_to_findings(entries, findings)
    return LintResult(
        inputs,
        policy,
        rules,
        findings,
        dict(evaluation.passes),
        dict(evaluation.applicable),
        dict(suppress.severity) if suppress is not None else {},
        entries,
    )


def _calm_garbage_collector() -> None:
    """A lint run allocates millions of small, mostly acyclic objects (located values, findings) that live
    until the report is written; the default collector rescans them over and over (12–20 % of a large
    run). Freeze what exists now (modules, rule packs, catalogues: never garbage) and collect the young
    generation less often. Cycles are still collected."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _tie_to_findings(entries: list[Any], findings: list[Finding]) -> None:
    """Give each failed ledger entry its finding's fingerprint and suppression (a waived failure is
    still a failure; the roll-up shows it as waived)."""
    by_subject = {(f.rule_id, subject): f for f in findings for subject in f.subjects}
    for entry in entries:
        if entry.outcome == "fail":
            finding = by_subject.get((entry.rule, entry.subject))
            if finding is not None:
                entry.fingerprint = finding.fingerprint
                entry.suppression = finding.suppression.kind if finding.suppression is not None else None


def _rule_exists(known: set[str]):
    """Whether a rule id names a rule: the policy's, a built-in one, or any shipped rule (loaded only
    when a suppression names a rule outside the policy, e.g. for another policy used elsewhere)."""
    everything: set[str] = set()

    def exists(rule_id: str) -> bool:
        if rule_id in known:
            return True
        if not everything:
            from tlslint.builtin_rules import builtin_rules
            from tlslint.rules.explain import all_rules

            everything.update(rule.id for rule in all_rules())
            everything.update(rule.id for rule in builtin_rules())
        return rule_id in everything

    return exists


def exit_code(result: LintResult, fail_on: str, *, soft_fail: bool = False) -> int:
    """The CLI contract: 4 internal error, 3 unreadable input, 1 unsuppressed findings at/above
    ``fail_on`` (never with ``soft_fail``), else 0."""
    if result.inputs.internal_errors:
        return 4
    if result.input_errors:
        return 3
    if soft_fail or fail_on == "never":
        return 0
    if any(severity_rank(f.severity) >= severity_rank(fail_on) for f in result.active):
        return 1
    return 0
