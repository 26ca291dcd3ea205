"""nginx configuration as a tree of blocks with includes spliced in, each statement with its own place.

:mod:`.lexer` parses every file into the statement tree crossplane (the maintained ``nginx-crossplane``
fork) would give; this module resolves ``include`` globs, splices included statements into the block
that includes them (remembering the ``include`` line as ``via``) and answers the one question
inheritance asks: "where is the nearest level that writes directive X?".
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Sequence

from tlslint import safe_read
from tlslint.budget import Budget
from tlslint.errors import InputError
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Located, Location, Origin
from tlslint.records import Frozen, Record
from tlslint.sources.nginx.columns import Columns

MAX_INCLUDE_DEPTH = 32
MAX_FILE_BYTES = 8 * 1024 * 1024


class Stmt(Record):
    """One nginx directive, with its block when it opens one."""

    __slots__ = ("name", "args", "location", "via", "block", "arg_spans")

    name: str
    args: list[str]
    location: Location
    via: tuple[Location, ...]  # the include lines that brought it in, outermost first
    block: Block | None
    #: Each argument's (start, end) on the directive's line where it could be found there (None elsewhere),
    #: as numbers: a location is made only for an argument someone asks about (see :attr:`arg_locations`).
    arg_spans: tuple[tuple[int, int] | None, ...]

    def __init__(
        self,
        name: str,
        args: list[str],
        location: Location,
        via: tuple[Location, ...] = (),
        block: Block | None = None,
        arg_spans: tuple[tuple[int, int] | None, ...] = (),
    ) -> None:
        self.name = name
        self.args = args
        self.location = location
        self.via = via
        self.block = block
        self.arg_spans = arg_spans

    @property
    def arg_locations(self) -> tuple[Location | None, ...]:
        """Each argument's span where it could be found on the directive's line (None elsewhere)."""
        where = self.location
        return tuple(
            None if span is None else Location(where.path, where.line, span[0] + 1, where.line, span[1] + 1)
            for span in self.arg_spans
        )


class Block(Record):
    """An nginx block (``http``, ``server``, ``location`` ...) and its statements, includes spliced in."""

    __slots__ = ("name", "args", "location", "parent", "via", "stmts", "_by_name")

    name: str  # "main", "http", "server", "location", "stream", "upstream", "if", ...
    args: list[str]
    location: Location
    parent: Block | None
    via: tuple[Location, ...]
    stmts: list[Stmt]
    #: Simple statements by name, built on the first lookup (the tree is complete by then). Without it
    #: every inherited lookup scanned the whole ``http`` block: 20,000 servers took minutes.
    _by_name: dict[str, tuple[Stmt, ...]] | None

    def __init__(
        self,
        name: str,
        args: list[str],
        location: Location,
        parent: Block | None = None,
        via: tuple[Location, ...] = (),
        stmts: list[Stmt] | None = None,
    ) -> None:
        self.name = name
        self.args = args
        self.location = location
        self.parent = parent
        self.via = via
        self.stmts = [] if stmts is None else stmts
        self._by_name = None

    @property
    def children(self) -> list[Block]:
        return [s.block for s in self.stmts if s.block is not None]

    def own(self, name: str) -> list[Stmt]:
        """Statements named ``name`` written at this level (including spliced-in includes)."""
        return list(self._index().get(name, ()))

    def _index(self) -> dict[str, tuple[Stmt, ...]]:
        if self._by_name is None:
            index: dict[str, tuple[Stmt, ...]] = {}
            for stmt in self.stmts:
                if stmt.block is None:  # tuples (most names are written once): nearest() hands them out as they are
                    index[stmt.name] = (*index.get(stmt.name, ()), stmt)
            self._by_name = index
        return self._by_name

    def nearest(self, name: str) -> tuple[tuple[Stmt, ...], Block] | None:
        """The statements of the nearest level (this block or an enclosing one) that writes ``name``."""
        block: Block | None = self
        while block is not None:  # the index read directly: this runs for every setting of every endpoint
            index = block._by_name if block._by_name is not None else block._index()
            found = index.get(name)
            if found:
                return found, block
            block = block.parent
        return None

    def context(self) -> tuple[str, ...]:
        names = []
        block: Block | None = self
        while block is not None:
            names.append(block.name)
            block = block.parent
        return tuple(reversed(names))


def located(stmts: Sequence[Stmt], owner: Block, here: Block, value: object) -> Located[object]:
    """A value read from ``stmts`` (written in ``owner``), as seen from block ``here``."""
    origin, via = provenance(stmts, owner, here)
    return Located(value, origin, stmts[-1].location, via)


def provenance(stmts: Sequence[Stmt], owner: Block, here: Block) -> tuple[Origin, tuple[Location, ...]]:
    """The origin and ``via`` of a value read from ``stmts`` (written in ``owner``), as seen from block
    ``here``: explicit when written at that level in the file itself; inherited from an enclosing level
    (``here`` added to the places it came through) or from an included file."""
    via = stmts[-1].via
    if owner is not here:
        return Origin.INHERITED, (*via, here.location)
    return (Origin.INHERITED if via else Origin.EXPLICIT), via


def display(path: str) -> str:
    from tlslint.run import display_path

    return display_path(path)


def build(
    path: str,
    text: str,
    budget: Budget | None = None,
    check: Callable[[str, Location], Diagnostic | None] | None = None,
) -> tuple[Block, list[Diagnostic], list[str]]:
    """Parse ``text`` (the file at ``path``) and its includes into a :class:`Block` tree.

    Returns the root block, diagnostics (parse errors; missing or refused include files as warnings)
    and the files read. :mod:`.lexer` parses one file at a time (as crossplane's ``single``);
    includes are resolved here, the way nginx does (relative to the main file's directory, globs in
    sorted order), and read through :mod:`tlslint.safe_read`: crossplane would open any path, FIFOs
    and devices included.
    Every statement placed into the tree is charged to ``budget``: each file is parsed once, but
    includes that include each other several times multiply its statements. ``check`` is asked about
    each statement named for TLS as it is placed (:class:`tlslint.sources.nginx.directives.ReleaseCheck`):
    what it says joins the diagnostics.

    The tree's blocks point at their parents, a reference cycle: a caller done with the tree calls
    :func:`dismantle`, so that it is freed at once rather than by the garbage collector."""
    splicer = _Splicer(path, text, budget if budget is not None else Budget(), check)
    root = Block("main", [], Location(path, 1))
    absolute = splicer.main_file
    splicer.splice(splicer.parsed_by_file[absolute], splicer.columns[absolute].spans, root, (), frozenset({absolute}))
    return root, splicer.diagnostics, splicer.names


def dismantle(root: Block) -> None:
    """Take apart a tree :func:`build` made, once nothing reads it any more: a block's parent link and
    its parent's statements make a cycle, which reference counting alone never frees. A run reads
    thousands of files; without this every tree (a few hundred objects) waited for the cyclic garbage
    collector, whose passes over the run's live values took an eighth of a large run."""
    pending = [root]
    while pending:  # a loop, not recursion: no depth to worry about
        block = pending.pop()
        block.parent = None
        pending.extend(stmt.block for stmt in block.stmts if stmt.block is not None)


class _Splicer:
    """The state of one :func:`build`: the files parsed so far (each once), their columns, what was
    said and read. A class rather than nested functions: a recursive closure refers to itself, and
    that cycle kept every file's parse alive until the garbage collector ran."""

    __slots__ = ("main_file", "main_dir", "diagnostics", "names", "parsed_by_file", "columns", "spend", "check")

    def __init__(
        self, path: str, text: str, budget: Budget, check: Callable[[str, Location], Diagnostic | None] | None
    ) -> None:
        self.main_file = os.path.abspath(path)
        self.main_dir = os.path.dirname(self.main_file)
        self.diagnostics: list[Diagnostic] = []
        self.names: list[str] = [path]
        self.parsed_by_file: dict[str, list[dict]] = {self.main_file: _parse_one(text, path, self.diagnostics)}
        # Columns per file (crossplane gives only lines), from the text already read: lines split once.
        # Keyed like parsed_by_file, with each file's name as shown (display_path worked out once per file).
        self.columns: dict[str, Columns] = {self.main_file: Columns(path, text)}
        self.spend = budget.spend
        self.check = check

    def included(self, pattern: str, where: Location) -> list[str]:
        """The files an ``include`` reaches that may be read, each parsed once."""
        diagnostics = self.diagnostics
        target = pattern if os.path.isabs(pattern) else os.path.join(self.main_dir, pattern)
        if glob.has_magic(target):
            matches = sorted(glob.glob(target))
            allowed = [m for m in matches if not safe_read.outside(m)]
            if len(allowed) < len(matches):  # one warning, no names: the directory is not ours to list
                diagnostics.append(
                    Diagnostic(where, f"include {pattern}: matches files outside the scanned tree; not read", "warning")
                )
            matches = allowed
        else:
            matches = [target]
        found = []
        for match in matches:
            key = os.path.abspath(match)
            if key not in self.parsed_by_file:
                try:
                    read = _read_include(match, key)
                except InputError as error:
                    missing = not os.path.lexists(match)
                    message = f"include not found: {pattern}" if missing else f"include {pattern}: {error.message}"
                    refused = missing or isinstance(error, safe_read.ReadRefused)
                    diagnostics.append(Diagnostic(where, message, "warning" if refused else "error"))
                    continue
                self.parsed_by_file[key] = read.parsed
                diagnostics.extend(read.diagnostics)
                self.columns[key] = Columns(read.shown, read.text)
                self.names.append(read.shown)
            found.append(key)
        return found

    def splice(self, parsed: list[dict], locate, block: Block, via: tuple[Location, ...], chain: frozenset) -> None:
        spend = self.spend
        for raw in parsed:
            # Every statement crossplane (and the lexer) gives has these three keys.
            directive = raw["directive"]
            args = list(raw["args"])  # crossplane's arguments are strings; a list of our own
            where, arg_spans = locate(raw["line"], directive, args)
            if directive == "include" and args:
                if len(via) >= MAX_INCLUDE_DEPTH:
                    self.diagnostics.append(Diagnostic(where, "includes nested too deeply; not followed"))
                    continue
                for key in self.included(args[0], where):
                    if key in chain:
                        self.diagnostics.append(Diagnostic(where, "include cycle; not followed", "warning"))
                        continue
                    self.splice(self.parsed_by_file[key], self.columns[key].spans, block, (*via, where), chain | {key})
                continue
            spend("statements", 1, where)
            # The names tlslint.catalog.nginx_directives.judged takes, tested here without a call per statement.
            if self.check is not None and ("ssl" in directive or "tls" in directive):
                said = self.check(directive, where)
                if said is not None:
                    self.diagnostics.append(said)
            stmt = Stmt(directive, args, where, via, None, arg_spans)  # positional: once per statement
            if "block" in raw:
                child = Block(directive, args, where, block, via)
                stmt.block = child
                self.splice(raw["block"], locate, child, via, chain)
            block.stmts.append(stmt)


class _Included(Frozen):
    """One included file as read and parsed: its name as shown, its text, statements and syntax errors."""

    __slots__ = ("shown", "text", "parsed", "diagnostics")

    shown: str
    text: str
    parsed: list[dict]
    diagnostics: tuple[Diagnostic, ...]

    def __init__(self, shown: str, text: str, parsed: list[dict], diagnostics: tuple[Diagnostic, ...]) -> None:
        object.__setattr__(self, "shown", shown)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "parsed", parsed)
        object.__setattr__(self, "diagnostics", diagnostics)


def _read_include(match: str, key: str) -> _Included:
    """The file ``match`` (absolute, as spelled; ``key`` its normalised form) read and parsed; within a
    run once per spelling, however many main files include it (1,000 sites including one snippet read
    and parsed it 1,000 times). The statements are shared: the tree builder never changes them.

    Files are kept up to :data:`MAX_REMEMBERED_INCLUDE_BYTES` of text per run (their statements take
    several times that): a tree where each of 100,000 sites includes a file of its own does not keep
    them all in memory; the files past the limit are read once per includer, as before."""
    scope = safe_read.current()
    fact = ("nginx include", match)
    if scope is not None and fact in scope.facts:
        return scope.facts[fact]  # type: ignore[return-value]
    shown = display(key)
    content = safe_read.read_text(match, limit=MAX_FILE_BYTES)
    diagnostics: list[Diagnostic] = []
    included = _Included(shown, content, _parse_one(content, shown, diagnostics), tuple(diagnostics))
    if scope is not None:
        kept: int = scope.facts.get(_REMEMBERED_BYTES, 0)  # type: ignore[assignment]
        if kept + len(content) <= MAX_REMEMBERED_INCLUDE_BYTES:
            scope.facts[fact] = included
            scope.facts[_REMEMBERED_BYTES] = kept + len(content)
    return included


#: Text of included files a run keeps to parse them once (see :func:`_read_include`).
MAX_REMEMBERED_INCLUDE_BYTES = 4 * 1024 * 1024
_REMEMBERED_BYTES = ("nginx include", "bytes remembered")


def _parse_one(text: str, name: str, diagnostics: list[Diagnostic]) -> list[dict]:
    """One file's statements (``include`` left unresolved); its syntax errors as diagnostics.

    :func:`.lexer.parse` gives what ``crossplane.parse_string`` gives with the options it names:
    one file (``single``), contexts not checked (a conf.d fragment read on its own has its server
    blocks at the top level), nginx's argument checks on (crossplane's directive table: a flag that
    is not on/off or a wrong number of arguments makes nginx refuse to start; it is an error
    diagnostic and the statement is dropped, so the builder only sees well-formed statements)."""
    from tlslint.sources.nginx import lexer

    config = lexer.parse_config(text, name)
    for error in config.get("errors", []):
        message = str(error.get("error", "parse error"))
        diagnostics.append(Diagnostic(Location(name, error.get("line")), f"nginx syntax: {_short(message, name)}"))
    parsed = config.get("parsed", [])
    _miscased_directives(parsed, name, diagnostics)
    return parsed


def _miscased_directives(parsed: list[dict], name: str, diagnostics: list[Diagnostic]) -> None:
    """nginx knows its directives in lower case only: ``SSL_protocols`` is an unknown directive, and nginx
    refuses to start (``nginx -t``), where crossplane, which leaves unknown directives to modules, says
    nothing. Only the case variants of directives some nginx release declares are errors here (a
    module's own directive is not in the table in any case)."""
    from tlslint.catalog._nginx_directive_data import DIRECTIVES

    pending = list(reversed(parsed))  # in the file's order
    while pending:
        stmt = pending.pop()
        directive = stmt["directive"]
        if directive not in DIRECTIVES and directive.lower() in DIRECTIVES:
            message = f'nginx refuses to start: unknown directive "{directive}" (directive names are lower case)'
            diagnostics.append(Diagnostic(Location(name, stmt.get("line")), message))
        pending.extend(reversed(stmt.get("block") or ()))


def _short(message: str, file: str = "") -> str:
    """crossplane's message without its trailing `` in FILE:LINE`` (the diagnostic says where)."""
    if file and f" in {file}:" in message:
        message = message.rsplit(f" in {file}:", 1)[0]
    return message.split(" in /")[0].strip()[:200]
