"""The read stage: each discovered file is recognised, then parsed by its source (or through the main file
that includes it), once per run.

Reading a file is split in two so that ``--jobs`` can do the expensive half in other processes
(:mod:`tlslint.parallel`) and still give the output of one process, byte for byte:

* :meth:`Reader.plan` and :meth:`Reader.outcome` look at the file system and parse; they change nothing
  the run has gathered, so they may run anywhere, in any order, and be thrown away;
* :meth:`Reader.read` applies them to :class:`~tlslint.run.ParsedInputs` in discovery order — which file
  was already read, which fragment is read through its main file, what the diagnostics say — exactly as
  a single process does.

Sources that keep state across files (``shares_state`` in the registry: certificates, Kestrel, C#) are
always parsed here, in order, by the main process.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

from tlslint import safe_read
from tlslint.declared import DeclaredTypes
from tlslint.errors import InputError, describe_bug
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location, share_equal_lists
from tlslint.records import Frozen, Record
from tlslint.run import CONFIG_FILE_NAMES, InputFile, ParsedInputs, display_path
from tlslint.sources import registry
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.yamlpos import MAX_BYTES


class Failure(Frozen):
    """Why a file could not be read or parsed, as the diagnostic it becomes. A file met while walking a
    directory that tlslint refuses to open (a FIFO, a link out of the tree) is worth a warning; one named
    on the command line is an input error."""

    __slots__ = ("location", "message", "refused", "internal")

    location: Location
    message: str
    refused: bool  # severity depends on whether the file was named
    internal: bool  # a parser bug (exit 4)

    def __init__(self, location: Location, message: str, refused: bool = False, internal: bool = False) -> None:
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "refused", refused)
        object.__setattr__(self, "internal", internal)

    def diagnostic(self, explicit: bool) -> Diagnostic:
        return Diagnostic(self.location, self.message, "warning" if self.refused and not explicit else "error")


def failure_of(path: str, error: Exception) -> Failure:
    from tlslint.safe_read import ReadRefused

    if isinstance(error, ReadRefused):
        return Failure(error.location, error.message, refused=True)
    if isinstance(error, InputError):
        return Failure(error.location, error.message)
    if isinstance(error, OSError):
        return Failure(Location(path), f"cannot read: {error.strerror or error}")
    if isinstance(error, RecursionError):
        return Failure(Location(path), "nested too deeply to parse")
    if os.environ.get("TLSLINT_DEBUG"):  # a parser bug: show the traceback to the developer
        raise error
    return Failure(
        Location(path), f"internal error while parsing ({describe_bug(error)}); this is a bug", internal=True
    )


def record_failure(path: str, error: Exception, parsed: ParsedInputs, *, explicit: bool = True) -> None:
    apply_failure(failure_of(path, error), parsed, explicit)


def apply_failure(failure: Failure, parsed: ParsedInputs, explicit: bool) -> None:
    if failure.internal:
        parsed.internal_errors += 1
    parsed.diagnostics.append(failure.diagnostic(explicit))


class Plan(Record):
    """What to do with one discovered file: read it by content (``entry.by_content``), parse it with
    ``entry``, or parse its includer ``main`` with ``entry`` instead; or nothing (``entry`` None)."""

    __slots__ = ("entry", "main", "diagnostics", "failure")

    entry: registry.SourceEntry | None
    main: str | None  # the main file that includes this one, shown as display_path shows it
    diagnostics: list[Diagnostic]  # from recognition
    failure: Failure | None

    def __init__(
        self,
        entry: registry.SourceEntry | None = None,
        main: str | None = None,
        diagnostics: list[Diagnostic] | None = None,
        failure: Failure | None = None,
    ) -> None:
        self.entry = entry
        self.main = main
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.failure = failure


class Outcome(Record):
    """One parse of one file by one source."""

    __slots__ = ("result", "failure", "sha256", "size")

    result: ParseResult | None
    failure: Failure | None
    sha256: str
    size: int

    def __init__(
        self, result: ParseResult | None = None, failure: Failure | None = None, sha256: str = "", size: int = 0
    ) -> None:
        self.result = result
        self.failure = failure
        self.sha256 = sha256
        self.size = size


class Reader:
    """Reads each file once (by its real path, however it was spelled or linked) with the source that
    recognises it; a fragment that a main file includes is read through that main file."""

    def __init__(self, context: ParseContext, parsed: ParsedInputs, types: DeclaredTypes, warn_unread: bool) -> None:
        #: Warn about a named file no source reads (off for pre-commit, which hands files over by name).
        self.warn_unread = warn_unread
        self.context = context
        self.parsed = parsed
        self.types = types
        self.done: set[str] = set()  # real paths read, directly or as an include
        self.included: set[str] = set()  # parsed.included, for membership tests
        #: Plans and parse outcomes worked out ahead (by other processes); used once, then dropped.
        self.ahead: Callable[[str], tuple[Plan, dict[tuple[str, str], Outcome]] | None] = lambda path: None

    # --- the part that changes nothing: may run in another process ---------------------------------

    def plan(self, path: str) -> Plan:
        try:
            entry, diagnostics = self._recognise(path)
        except Exception as error:
            return Plan(failure=failure_of(path, error))
        if entry is not None and entry.by_content:
            return Plan(entry, None, diagnostics)
        main, source = self._includer(path, entry)
        if main is not None:  # linted through the main file, with what it inherits there
            return Plan(source, display_path(main), diagnostics)
        return Plan(entry, None, diagnostics)

    def outcome(self, path: str, entry: registry.SourceEntry) -> Outcome:
        from tlslint.yamlpos import decode_text, read_limited

        try:
            raw = read_limited(path)
            with self.context.budget.for_file():
                result = entry.load().parse(path, decode_text(path, raw), self.context)
        except Exception as error:
            return Outcome(failure=failure_of(path, error))
        return Outcome(result, None, hashlib.sha256(raw).hexdigest(), len(raw))

    def _includer(
        self, path: str, entry: registry.SourceEntry | None
    ) -> tuple[str | None, registry.SourceEntry | None]:
        """The main file that includes ``path`` and its source. A fragment whose own content says too
        little to be recognised (an nginx snippet of ``add_header`` lines) is still found this way."""
        from tlslint.includers import includer_of
        from tlslint.recognise import candidates

        for candidate in [entry] if entry is not None else candidates(path)[0]:
            main = includer_of(path, candidate.name)
            if main is not None:
                return main, candidate
        return None, None

    def _recognise(self, path: str) -> tuple[registry.SourceEntry | None, list[Diagnostic]]:
        """The source that reads ``path`` (or None) and what recognition has to say about it."""
        from tlslint.recognise import candidates, recognise

        if os.path.islink(path) and not os.path.exists(path):
            raise InputError(path, "is a broken symbolic link")
        declared = self.types.source_for(path)
        if declared is not None:
            return registry.by_name(declared), []
        head = safe_read.read_head(path, registry.SNIFF_BYTES)
        by_name, content_alone = candidates(path)
        # Program text (C, C#, shell): PEM armour in it is a string literal, not a certificate file.
        program = not content_alone and any(entry.program for entry in by_name)
        for entry in () if program else registry.content_sources():
            if entry.load().claims(path, head):
                return entry, []
        binary = b"\x00" in head
        if by_name and binary and not content_alone:
            raise InputError(path, "is a binary file, not a text configuration")
        # Recognition looks at the whole file (within the size limit), not at its beginning.
        text = None
        if by_name and not binary:
            whole = head if len(head) < registry.SNIFF_BYTES else safe_read.read_head(path, MAX_BYTES + 1)
            text = whole.decode("utf-8", errors="replace")
        script = registry.by_shebang(path, head) if content_alone and text is not None else []
        if script:  # an extensionless shell script (/etc/init.d/S90x): its shebang says what it is
            return next((entry for entry in script if entry.sniff is None or entry.sniff.search(text)), None), []
        if text is not None:
            recognition = recognise(path, text)
            return recognition.entry, list(recognition.diagnostics)
        return None, []

    # --- the part that gathers, in discovery order ----------------------------------------------------

    def read(self, path: str, explicit: bool) -> None:
        real = safe_read.real_path(path)
        if real in self.done:
            return
        self.done.add(real)
        if os.path.basename(path) in CONFIG_FILE_NAMES:
            self.parsed.config_files.append(path)
        ahead = self.ahead(path)
        plan, outcomes = ahead if ahead is not None else (self.plan(path), {})
        self.parsed.diagnostics.extend(plan.diagnostics)
        if plan.failure is not None:
            apply_failure(plan.failure, self.parsed, explicit)
            return
        entry = plan.entry
        if entry is not None and entry.by_content:
            read_pki_bytes(path, entry, entry.load(), self.context, self.parsed, outcomes.get((path, entry.name)))
            return
        if plan.main is not None:
            main = safe_read.real_path(plan.main)
            if main not in self.done:
                self.done.add(main)
                self._parse(plan.main, entry, explicit, outcomes)
            return
        if entry is not None:
            self._parse(path, entry, explicit, outcomes)
        elif explicit and self.warn_unread:
            from tlslint.recognise import not_read_reason

            self.parsed.diagnostics.append(Diagnostic(Location(path), not_read_reason(path), "warning"))

    def _parse(
        self, path: str, entry: registry.SourceEntry, explicit: bool, outcomes: dict[tuple[str, str], Outcome]
    ) -> None:
        outcome = outcomes.get((path, entry.name)) or self.outcome(path, entry)
        if outcome.failure is not None:
            apply_failure(outcome.failure, self.parsed, explicit)
            return
        result = outcome.result
        assert result is not None  # an outcome holds a result or a failure (Reader.outcome)
        module = entry.load()
        if hasattr(module, "finish"):  # a cross-file pass after every file is read (C# callbacks)
            self.parsed.finishers.setdefault(entry.module, module)
        record(path, entry.name, outcome.sha256, outcome.size, result, self.parsed)
        for included in result.read:
            shown = display_path(included)
            if shown not in self.included:
                self.included.add(shown)
                self.parsed.included.append(shown)
        # Files whose endpoints this result reports are not read again on their own.
        self.done.update(
            safe_read.real_path(covered) for covered in (result.read if result.covers is None else result.covers)
        )


def read_pki_bytes(
    path: str, entry: registry.SourceEntry, module, context: ParseContext, parsed: ParsedInputs, ahead=None
) -> None:
    """Certificates and keys, recognised by content: read as bytes by the PKI source, or taken as a worker
    read them ahead (``ahead``, :func:`tlslint.sources.pki_files.read_ahead`); its scan pairs keys and
    builds chains across files in the main process."""
    from tlslint.pki.load import read_pki_file

    if ahead is not None:
        parsed.finishers.setdefault(entry.module, module)
        record(path, entry.name, ahead.sha256, ahead.size, module.adopt(ahead, context), parsed)
        return
    try:
        data = read_pki_file(path)
        result = module.parse_bytes(path, data, context)
    except Exception as error:
        record_failure(path, error, parsed)
        return
    parsed.finishers.setdefault(entry.module, module)
    record(path, entry.name, hashlib.sha256(data).hexdigest(), len(data), result, parsed)


def record(path: str, source: str, sha256: str, size: int, result: ParseResult, parsed: ParsedInputs) -> None:
    for subject in result.subjects:
        if subject.kind == "endpoint":  # a tree's endpoints repeat the same lists (certificates' differ)
            share_equal_lists(subject.fields.values(), parsed._equal_lists)
    parsed.subjects.extend(result.subjects)
    parsed.diagnostics.extend(result.diagnostics)
    parsed.files.append(InputFile(path, source, sha256, size))


def finish(context: ParseContext, parsed: ParsedInputs) -> None:
    """Cross-file passes of the sources that need one (e.g. PKI chains), after every file is read."""
    for name, module in parsed.finishers.items():
        try:
            result = module.finish(context)
        except Exception as error:
            record_failure(name, error, parsed)
            continue
        parsed.subjects.extend(result.subjects)
        parsed.diagnostics.extend(result.diagnostics)
