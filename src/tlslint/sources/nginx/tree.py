"""nginx configuration as a tree of blocks with includes spliced in, each statement with its own place.

``crossplane`` (the maintained ``nginx-crossplane`` fork) tokenises and parses every file and
resolves ``include`` globs; this module splices included statements into the block that includes
them (remembering the ``include`` line as ``via``) and answers the one question inheritance asks:
"where is the nearest level that writes directive X?".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

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

    @property
    def children(self) -> list[Block]:
        return [s.block for s in self.stmts if s.block is not None]

    def own(self, name: str) -> list[Stmt]:
        """Statements named ``name`` written at this level (including spliced-in includes)."""
        return [s for s in self.stmts if s.name == name and s.block is None]

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


def build(path: str, text: str) -> tuple[Block, list[Diagnostic], list[str]]:
    """Parse ``text`` (the file at ``path``) and its includes into a :class:`Block` tree.

    Returns the root block, diagnostics (parse errors; missing include files as warnings) and the
    files read."""
    import crossplane

    payload = crossplane.parse_string(
        text,
        filename=path,
        catch_errors=True,
        comments=False,
        strict=False,
        # Argument counts are checked as nginx checks them ("ssl_ciphers HIGH" missing its ";" swallows
        # the next directive and is refused); contexts are not, since a conf.d fragment read on its own
        # has its server blocks at the top level.
        check_ctx=False,
        check_args=True,
    )
    configs = payload["config"]
    names = [path] + [display(c["file"]) for c in configs[1:]]
    diagnostics: list[Diagnostic] = []
    for index, config in enumerate(configs):
        for error in config.get("errors", []):
            message = str(error.get("error", "parse error"))
            where = Location(names[index], error.get("line"))
            if "No such file" in message or "Errno 2" in message:
                diagnostics.append(Diagnostic(where, f"include not found: {_short(message)}", "warning"))
            else:
                diagnostics.append(Diagnostic(where, f"nginx syntax: {_short(message)}"))
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
            stmt = Stmt(name, [str(a) for a in raw.get("args", [])], where, via)
            if "block" in raw:
                child = Block(name, stmt.args, where, block, via)
                stmt.block = child
                splice(raw["block"], file_index, child, via, chain)
            block.stmts.append(stmt)

    splice(configs[0].get("parsed", []) if configs else [], 0, root, (), frozenset({0}))
    return root, diagnostics, names


def _short(message: str) -> str:
    return message.split(" in /")[0].strip()[:200]
