"""nginx configuration as a tree of blocks with includes spliced in, each statement with its own place.

``crossplane`` (the maintained ``nginx-crossplane`` fork) tokenises and parses every file and
resolves ``include`` globs; this module splices included statements into the block that includes
them (remembering the ``include`` line as ``via``) and answers the one question inheritance asks:
"where is the nearest level that writes directive X?".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from tlslint.budget import Budget
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Located, Location, Origin

MAX_INCLUDE_DEPTH = 32


@dataclass(slots=True)
class Stmt:
    name: str
    args: list[str]
    location: Location
    via: tuple[Location, ...] = ()  # the include lines that brought it in, outermost first
    block: Block | None = None


@dataclass(slots=True)
class Block:
    name: str  # "main", "http", "server", "location", "stream", "upstream", "if", ...
    args: list[str]
    location: Location
    parent: Block | None = None
    via: tuple[Location, ...] = ()
    stmts: list[Stmt] = field(default_factory=list)
    #: Simple statements by name, built on the first lookup (the tree is complete by then). Without it
    #: every inherited lookup scanned the whole ``http`` block: 20,000 servers took minutes.
    _by_name: dict[str, list[Stmt]] | None = field(default=None, repr=False, compare=False)

    @property
    def children(self) -> list[Block]:
        return [s.block for s in self.stmts if s.block is not None]

    def own(self, name: str) -> list[Stmt]:
        """Statements named ``name`` written at this level (including spliced-in includes)."""
        if self._by_name is None:
            self._by_name = {}
            for stmt in self.stmts:
                if stmt.block is None:
                    self._by_name.setdefault(stmt.name, []).append(stmt)
        return list(self._by_name.get(name, ()))

    def nearest(self, name: str) -> tuple[list[Stmt], Block] | None:
        """The statements of the nearest level (this block or an enclosing one) that writes ``name``."""
        block: Block | None = self
        while block is not None:
            found = block.own(name)
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


def located(stmts: list[Stmt], owner: Block, here: Block, value: object) -> Located[object]:
    """A value read from ``stmts`` (written in ``owner``), as seen from block ``here``."""
    first = stmts[-1]
    origin = Origin.EXPLICIT if owner is here and not first.via else Origin.INHERITED
    via = first.via
    if owner is not here:
        via = (*via, here.location)
    return Located(value, origin, first.location, via)


def display(path: str) -> str:
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute.startswith(cwd + os.sep):
        return os.path.relpath(absolute, cwd)
    return path


def build(path: str, text: str, budget: Budget | None = None) -> tuple[Block, list[Diagnostic], list[str]]:
    """Parse ``text`` (the file at ``path``) and its includes into a :class:`Block` tree.

    Returns the root block, diagnostics (parse errors; missing include files as warnings) and the
    files read. Every statement placed into the tree is charged to ``budget``: includes that include
    each other several times multiply statements, and crossplane reads each file only once."""
    import crossplane

    budget = budget if budget is not None else Budget()

    payload = crossplane.parse_string(
        text,
        filename=path,
        catch_errors=True,
        comments=False,
        strict=False,
        check_ctx=False,
        # nginx's own argument checks (crossplane's directive table): a flag that is not on/off or a
        # directive with the wrong number of arguments makes nginx refuse to start. It is an error
        # diagnostic and the statement is dropped, so the builder only sees well-formed statements.
        check_args=True,
    )
    configs = payload["config"]
    names = [path] + [display(c["file"]) for c in configs[1:]]
    diagnostics: list[Diagnostic] = []
    for index, config in enumerate(configs):
        for error in config.get("errors", []):
            message = str(error.get("error", "parse error"))
            where = Location(names[index], error.get("line"))
            short = _short(message, config.get("file", ""))
            if "No such file" in message or "Errno 2" in message:
                diagnostics.append(Diagnostic(where, f"include not found: {short}", "warning"))
            else:
                diagnostics.append(Diagnostic(where, f"nginx syntax: {short}"))
    root = Block("main", [], Location(path, 1))

    def splice(parsed: list[dict], file_index: int, block: Block, via: tuple[Location, ...], chain: frozenset) -> None:
        for raw in parsed:
            name = raw.get("directive", "")
            where = Location(names[file_index], raw.get("line"))
            if name == "include" and "includes" in raw:
                if len(via) >= MAX_INCLUDE_DEPTH:
                    diagnostics.append(Diagnostic(where, "includes nested too deeply; not followed"))
                    continue
                for target in raw["includes"]:
                    if target in chain:
                        diagnostics.append(Diagnostic(where, "include cycle; not followed", "warning"))
                        continue
                    splice(configs[target].get("parsed", []), target, block, (*via, where), chain | {target})
                continue
            budget.spend("statements", 1, where)
            stmt = Stmt(name, [str(a) for a in raw.get("args", [])], where, via)
            if "block" in raw:
                child = Block(name, stmt.args, where, block, via)
                stmt.block = child
                splice(raw["block"], file_index, child, via, chain)
            block.stmts.append(stmt)

    splice(configs[0].get("parsed", []) if configs else [], 0, root, (), frozenset({0}))
    return root, diagnostics, names


def _short(message: str, file: str = "") -> str:
    """crossplane's message without its trailing `` in FILE:LINE`` (the diagnostic says where)."""
    if file and f" in {file}:" in message:
        message = message.rsplit(f" in {file}:", 1)[0]
    return message.split(" in /")[0].strip()[:200]
