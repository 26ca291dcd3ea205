"""The pipeline: discover → parse → evaluate → findings → filter (ARCHITECTURE §2).

Every stage is a function; the CLI commands and the tests call :func:`lint` or the stages directly.
A file that cannot be read or parsed becomes a diagnostic and the run goes on with the other files.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tlslint import safe_read
from tlslint.declared import DeclaredTypes
from tlslint.findings import Finding, fold_shared_causes
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location
from tlslint.model.subject import Subject
from tlslint.policy import Policy
from tlslint.progress import Progress
from tlslint.records import Record
from tlslint.rules.model import Rule, severity_rank
from tlslint.safe_read import FileRead
from tlslint.sources.base import ParseContext
from tlslint.suppress import SuppressOptions

#: Names of tlslint's own configuration files (tlslint.config decides which one applies).
CONFIG_FILE_NAMES = frozenset({".tlslint.yaml", ".tlslint.yml", "pyproject.toml"})

#: Directories never worth walking into.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"})


class InputFile(Record):
    """A file a source read, as the reports list it."""

    __slots__ = ("path", "source", "sha256", "size")

    path: str  # as displayed: relative to the working directory when inside it
    source: str  # which source read it
    sha256: str  # of the bytes as stored (what an auditor's sha256sum shows)
    size: int  # bytes

    def __init__(self, path: str, source: str, sha256: str, size: int) -> None:
        self.path = path
        self.source = source
        self.sha256 = sha256
        self.size = size


class ParsedInputs(Record):
    """Everything the read stage produced: subjects, diagnostics and the files read."""

    __slots__ = (
        "subjects",
        "diagnostics",
        "files",
        "included",
        "config_files",
        "reads",
        "internal_errors",
        "finishers",
        "engine_versions",
        "_equal_lists",
    )

    subjects: list[Subject]
    diagnostics: list[Diagnostic]
    files: list[InputFile]
    #: Files read through includes of the files above (their inline suppressions apply too).
    included: list[str]
    #: Files named like a tlslint configuration met on the way (nested ones get a warning).
    config_files: list[str]
    #: Every file the run read (absolute path -> digest, line lengths): renderers never reopen a file.
    reads: dict[str, FileRead]
    internal_errors: int
    finishers: dict[str, Any]  # source modules with a cross-file pass
    #: ``--engine-version`` as given (empty: every engine at its documented assumed version)
    engine_versions: dict[str, str]

    def __init__(
        self,
        subjects: list[Subject] | None = None,
        diagnostics: list[Diagnostic] | None = None,
        files: list[InputFile] | None = None,
        included: list[str] | None = None,
        config_files: list[str] | None = None,
        reads: dict[str, FileRead] | None = None,
        internal_errors: int = 0,
        finishers: dict[str, Any] | None = None,
        engine_versions: dict[str, str] | None = None,
    ) -> None:
        self.subjects = [] if subjects is None else subjects
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.files = [] if files is None else files
        self.included = [] if included is None else included
        self.config_files = [] if config_files is None else config_files
        self.reads = {} if reads is None else reads
        self.internal_errors = internal_errors
        self.finishers = {} if finishers is None else finishers
        self.engine_versions = {} if engine_versions is None else engine_versions
        #: The endpoints' lists of strings met so far, each content once (see located.share_equal_lists).
        self._equal_lists: dict[tuple[str, ...], list[str]] = {}

    def engine_assumptions(self) -> list[Any]:
        """The engine versions behind the effective values of these inputs (reported in every format)."""
        from tlslint.catalog.engine_defaults import assumptions

        return assumptions({s.engine for s in self.subjects if s.kind == "endpoint"}, self.engine_versions)


class LintResult(Record):
    """What a run found, with what it was judged by (policy and rules) and the counts of passes."""

    __slots__ = ("inputs", "policy", "rules", "findings", "passes", "applicable", "builtin_severity", "ledger")

    inputs: ParsedInputs
    policy: Policy
    rules: list[Rule]
    findings: list[Finding]
    passes: dict[str, int]
    applicable: dict[str, int]
    #: Severity overrides of the built-in rules (the policy holds the others).
    builtin_severity: dict[str, str]
    #: Compliance mode only (``lint(..., ledger=True)``): every (rule, subject) outcome with its evidence.
    ledger: list[Any] | None

    def __init__(
        self,
        inputs: ParsedInputs,
        policy: Policy,
        rules: list[Rule],
        findings: list[Finding],
        passes: dict[str, int],
        applicable: dict[str, int],
        builtin_severity: dict[str, str] | None = None,
        ledger: list[Any] | None = None,
    ) -> None:
        self.inputs = inputs
        self.policy = policy
        self.rules = rules
        self.findings = findings
        self.passes = passes
        self.applicable = applicable
        self.builtin_severity = {} if builtin_severity is None else builtin_severity
        self.ledger = ledger

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
    """How a path is shown and compared, whatever its spelling (``nginx/x.conf``, ``./nginx//x.conf``,
    ``sub/../nginx/x.conf``, absolute): relative to the working directory when the file is inside it
    or inside the working directory's repository (``../nginx/x.conf`` from a sibling folder), else
    absolute. Included files get the same form as the files named, so one file is one path."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if _inside(absolute, cwd):
        return os.path.relpath(absolute, cwd)
    from tlslint.repo import repo_root

    root = repo_root(cwd)
    if root is not None and _inside(absolute, root):
        return os.path.relpath(absolute, cwd)
    return absolute


def _inside(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def discover(paths: list[str], *, gitignore: bool = True) -> Iterator[tuple[str, bool] | Diagnostic]:
    """Files to consider, with whether each was named explicitly. Symlinked directories are not
    followed (no loops); a missing path is a diagnostic. In a git work tree, directories walked skip
    what its ``.gitignore`` files ignore (``gitignore=False``: everything is considered); a file named
    explicitly is always considered."""
    for path in paths:
        if os.path.isdir(path):
            from tlslint.gitignore import rules_for

            ignore = rules_for(path) if gitignore else None
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
                if ignore is not None:
                    dirs[:] = [d for d in dirs if not ignore.ignored(os.path.join(root, d), is_dir=True)]
                for name in sorted(files):
                    if ignore is not None and ignore.ignored(os.path.join(root, name), is_dir=False):
                        continue
                    yield os.path.join(root, name), False
        elif os.path.exists(path) or safe_read.overlaid(path):
            yield path, True
        elif os.path.islink(path):
            yield Diagnostic(Location(display_path(path)), "is a broken symbolic link")
        else:
            yield Diagnostic(Location(display_path(path)), "no such file or directory")


def parse_inputs(
    paths: list[str],
    context: ParseContext,
    *,
    exclude: tuple[str, ...] = (),
    allow_read: tuple[str, ...] = (),
    types: DeclaredTypes | None = None,
    gitignore: bool = True,
    progress: Progress | None = None,
    warn_unread: bool = True,
    jobs: int | None = None,
) -> ParsedInputs:
    """Parse every file under ``paths``; ``exclude`` are globs on repository-relative paths to skip,
    ``types`` the declared file types (``--type``, ``types:``), ``jobs`` the worker processes that
    parse ahead (``--jobs``; None: one per core for a large tree, see :mod:`tlslint.parallel`).

    Every file is read through :mod:`tlslint.safe_read`, confined to the trees of ``paths``, the
    files the command line names (``openssl-conf=PATH`` too) and the ``allow_read`` directories."""
    from tlslint.repo import forget_paths

    forget_paths()
    named = [
        *paths,
        *([context.engine_versions["openssl-conf"]] if context.engine_versions.get("openssl-conf") else []),
    ]
    with safe_read.confined(safe_read.scope_for(named, allow_read)) as scope:
        try:
            parsed = _parse_inputs(
                paths, context, exclude, types or DeclaredTypes(), gitignore, progress, warn_unread, jobs
            )
        finally:
            if progress is not None:
                progress.done()
    parsed.reads = scope.reads
    return parsed


def _parse_inputs(
    paths: list[str],
    context: ParseContext,
    exclude: tuple[str, ...],
    types: DeclaredTypes,
    gitignore: bool,
    progress: Progress | None,
    warn_unread: bool,
    jobs: int | None,
) -> ParsedInputs:
    from tlslint.globs import compile_glob

    # A pattern also excludes everything below a matching directory.
    excluded = [compile_glob(p.rstrip("/")) for p in exclude]
    from tlslint.parallel import jobs_for, reading_ahead
    from tlslint.reading import Reader, finish

    parsed = ParsedInputs(engine_versions=dict(context.engine_versions))
    reader = Reader(context, parsed, types, warn_unread)
    steps = list(_steps(paths, excluded, gitignore))  # what to read, and what to say, in discovery order
    files = [step[0] for step in steps if isinstance(step, tuple)]
    with reading_ahead(reader, files, jobs_for(jobs, len(files))):
        for step in steps:
            if isinstance(step, Diagnostic):
                parsed.diagnostics.append(step)
                continue
            reader.read(*step)
            if progress is not None:
                progress.file_read()
    from tlslint import link

    link.prepare(context, parsed)  # referenced certificates outside the linted paths
    finish(context, parsed)
    link.link(context, parsed)  # endpoints <-> their certificates, keys and trust stores
    _take_out_url_credentials(parsed)
    return parsed


def _steps(paths: list[str], excluded: list[Any], gitignore: bool) -> Iterator[tuple[str, bool] | Diagnostic]:
    """The discovered files to read (as shown, with whether each was named) and the diagnostics of
    discovery, in order; files below an ``exclude`` pattern are left out (named ones with a warning)."""
    for item in discover(paths, gitignore=gitignore):
        if isinstance(item, Diagnostic):
            yield item
            continue
        path, explicit = item
        if excluded:
            from tlslint.repo import repo_relative

            relative = repo_relative(path)
            if any(glob.match_or_below(relative) for glob in excluded):
                if explicit:  # named, yet not linted: say why
                    message = "excluded by an 'exclude' pattern of the configuration; not linted"
                    yield Diagnostic(Location(display_path(path)), message, "warning")
                continue
        yield display_path(path), explicit


def _take_out_url_credentials(parsed: ParsedInputs) -> None:
    """Credentials in URLs (``https://user:password@host``), wherever a source put them — ids, labels,
    values, notes, diagnostics — are replaced by ``***`` here, once for every source, and each such
    URL becomes an inline ``secret`` subject (TLS-SECRET-001) located where it was written."""
    from tlslint.urls import has_credentials, redact

    secrets: dict[Location, Subject] = {}
    for subject in parsed.subjects:
        subject.id = redact(subject.id)
        if subject.label is not None:
            subject.label = redact(subject.label)
        # Replacing a field's value while iterating is safe: the dictionary keeps its keys.
        for name, located in subject.fields.items():
            value, note = located.value, located.note
            kind = type(value)
            if (
                kind in _SCALARS
                or (kind is str and "@" not in value)  # most values, told apart here without a call
                or not _mentions_credentials(value, has_credentials)
            ) and not (note and has_credentials(note)):
                continue
            where = located.location or subject.location
            subject.fields[name] = located.replace(
                value=_redacted(located.value, redact), note=redact(located.note) if located.note else None
            )
            if where not in secrets:
                secrets[where] = _url_secret(subject, name, where)
    parsed.subjects.extend(secrets.values())
    parsed.diagnostics[:] = [
        d.replace(message=redact(d.message)) if has_credentials(d.message) else d for d in parsed.diagnostics
    ]


#: Field values that cannot hold a URL (most of them: switches, sizes, unset values).
_SCALARS = frozenset({bool, int, float, type(None)})


def _mentions_credentials(value: Any, has_credentials) -> bool:
    if isinstance(value, str):
        return has_credentials(value)
    if isinstance(value, list | tuple):
        try:  # a list of strings (suites, groups, names) without an '@' in any: the common case, in C
            if "@" not in "\0".join(value):
                return False
        except TypeError:  # not all strings
            pass
        return any(_mentions_credentials(item, has_credentials) for item in value)
    if isinstance(value, dict):
        return any(_mentions_credentials(item, has_credentials) for item in value.values())
    return False


def _redacted(value: Any, redact) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list | tuple):
        return type(value)(_redacted(item, redact) for item in value)
    if isinstance(value, dict):
        return {key: _redacted(item, redact) for key, item in value.items()}
    return value


def _url_secret(owner: Subject, field_name: str, where: Location) -> Subject:
    from tlslint.sources.endpoint_builder import inline_secret

    return inline_secret(f"{owner.id} {field_name} (credentials in the URL)", where, owner.engine)


def lint(
    paths: list[str],
    policy: Policy,
    *,
    at: datetime.date | None = None,
    rules: list[Rule] | None = None,
    suppress: SuppressOptions | None = None,
    exclude: tuple[str, ...] = (),
    engine_versions: dict[str, str] | None = None,
    ledger: bool = False,
    allow_read: tuple[str, ...] = (),
    check_file_modes: bool = False,
    types: DeclaredTypes | None = None,
    gitignore: bool = True,
    progress: Progress | None = None,
    warn_unread: bool = True,
    jobs: int | None = None,
    keep_fields: bool = True,
) -> LintResult:
    """Run the pipeline. ``rules`` defaults to the policy's selection of its packs; ``suppress`` to
    inline suppressions only (no waivers, no baseline); ``engine_versions`` (``--engine-version``) to
    the documented engine defaults; ``allow_read`` (``--allow-read``) to reading nothing outside the
    trees of ``paths``. ``ledger`` turns on compliance mode: the result keeps every (rule, subject)
    outcome, each failure tied to its finding's fingerprint and suppression.

    ``keep_fields=False`` (``tlslint check``, which reads no setting once rules are evaluated): the
    subjects of the result keep their identity (kind, id, place, engine) but not their settings, let go
    of as soon as they are evaluated, so the memory they held serves the findings."""
    from tlslint import parallel
    from tlslint.rules.evaluate import Evaluation, findings_by_rule
    from tlslint.suppress import apply

    at = at or datetime.date.today()
    if rules is None:
        from tlslint.rules.loader import load_packs

        rules = policy.select(load_packs(policy.packs))

    def read_inputs(jobs: int | None) -> ParsedInputs:  # with a context of its own: sources keep state in it
        context = ParseContext(at=at, engine_versions=engine_versions or {}, check_file_modes=check_file_modes)
        return parse_inputs(
            paths,
            context,
            exclude=exclude,
            allow_read=allow_read,
            types=types,
            gitignore=gitignore,
            progress=progress,
            warn_unread=warn_unread,
            jobs=jobs,
        )

    with _calm_garbage_collector():
        inputs = read_inputs(jobs)
        entries: list[Any] | None = [] if ledger else None
        counts = Evaluation()
        if entries is None:
            workers = parallel.jobs_for(jobs, len(inputs.files))
            release = None if keep_fields else _drop_fields
            by_rule = parallel.findings_by_rule(rules, inputs.subjects, policy, counts, workers, release=release)
        else:  # compliance mode keeps every outcome, in one process
            by_rule = findings_by_rule(rules, inputs.subjects, policy, counts, entries)
        # Findings never group failures of two rules: built rule by rule, the failures of one rule at a time
        # are alive, not those of the whole run.
        try:
            findings = [finding for built in by_rule for finding in built]
        except parallel.WorkersLost:  # a worker killed after the settings were let go of: all again, here
            inputs, counts = read_inputs(1), Evaluation()
            findings = [
                finding for built in findings_by_rule(rules, inputs.subjects, policy, counts) for finding in built
            ]
        findings = fold_shared_causes(findings, rules)
        known = {rule.id for rule in rules}
        read = [f.path for f in inputs.files] + inputs.included  # suppressions count in every file read
        options = suppress or SuppressOptions(at=at)
        findings = apply(findings, read, options, _rule_exists(known), frozenset(known), inputs.reads)
        findings.sort(key=lambda f: (f.location.path, f.location.line or 0, f.location.column or 0, f.rule_id))
        if entries is not None:
            _tie_to_findings(entries, findings)
        return LintResult(
            inputs,
            policy,
            rules,
            findings,
            dict(counts.passes),
            dict(counts.applicable),
            dict(suppress.severity) if suppress is not None else {},
            entries,
        )


def _drop_fields(subjects: list[Subject]) -> None:
    """What ``lint(keep_fields=False)`` lets go of once the workers hold the subjects."""
    for subject in subjects:
        subject.fields = {}


@contextmanager
def _calm_garbage_collector() -> Iterator[None]:
    """A lint run allocates millions of small objects (located values, findings) that live until the
    report is written, and nearly none in reference cycles (the nginx tree takes its own apart,
    ``tests/foundation/test_cyclic_garbage.py`` checks every source). The default collector would rescan
    those survivors at each older generation's pass, for nothing: 12–20 % of a large run. Within the
    block, what exists already (modules, rule packs, catalogues: never garbage) is frozen, and only the
    young generation is collected, every 50,000 allocations: a short-lived cycle is still freed, a
    survivor is scanned once. The collector's settings are given back at the end (a library caller's
    process goes on)."""
    import gc

    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, _NEVER, _NEVER)
    try:
        yield
    finally:
        # What the run left in the young generations joins the oldest one, where only a full collection
        # looks: the first pass of the restored settings would otherwise scan every survivor at once.
        gc.freeze()
        gc.unfreeze()
        gc.set_threshold(*thresholds)


#: A generation threshold that is never reached within a run (the collector takes a C int).
_NEVER = 2**31 - 1


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
