"""A small tokenizer for Apache httpd configuration files that keeps file, line and column.

The format (httpd 2.4, ``server/config.c`` and ``server/util.c`` behaviour):

* one directive per logical line; a ``\\`` at the very end of a line joins the next line;
* ``#`` starts a comment only as the first non-blank character of a line;
* arguments are separated by blanks and may be quoted with ``"`` or ``'`` (a backslash escapes the
  quote character inside quotes);
* ``<Name args>`` opens a section, ``</Name>`` closes it; directive and section names are
  case-insensitive.

The tokenizer builds a tree of :class:`Node` objects and knows nothing about what directives mean.
"""

from __future__ import annotations

from tlslint.errors import InputError
from tlslint.model.located import Location
from tlslint.records import Frozen, Record

#: Deepest section nesting accepted (httpd itself has no limit; hostile input does).
MAX_DEPTH = 64


class Arg(Frozen):
    """One argument of an Apache directive, with its place."""

    __slots__ = ("text", "location")

    text: str
    location: Location

    def __init__(self, text: str, location: Location) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "location", location)


class Node(Record):
    """An Apache directive, or a section with its children."""

    __slots__ = ("name", "args", "location", "children", "end")

    name: str  # as written (compare with .key)
    args: list[Arg]
    location: Location  # the directive name (or the "<" of a section)
    children: list[Node] | None  # None for a directive, a list for a section
    end: Location | None  # the closing tag of a section

    def __init__(
        self,
        name: str,
        args: list[Arg],
        location: Location,
        children: list[Node] | None = None,
        end: Location | None = None,
    ) -> None:
        self.name = name
        self.args = args
        self.location = location
        self.children = children
        self.end = end

    @property
    def key(self) -> str:
        return self.name.lower()

    @property
    def values(self) -> list[str]:
        return [arg.text for arg in self.args]

    @property
    def is_section(self) -> bool:
        return self.children is not None


class _Line(Record):
    """A logical line (continuations joined) and where each piece of it was written."""

    __slots__ = ("text", "number", "pieces")

    text: str
    number: int
    # column offsets: (index in ``text`` where a physical line starts, its line number); used to map an
    # index in a joined logical line back to a physical line and column
    pieces: list[tuple[int, int]]

    def __init__(self, text: str, number: int, pieces: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        self.number = number
        self.pieces = [] if pieces is None else pieces

    def where(self, path: str, index: int, end: int | None = None) -> Location:
        line, start = self.number, 0
        for offset, number in self.pieces:
            if offset <= index:
                line, start = number, offset
        column = index - start + 1
        if end is None:
            return Location(path, line, column)
        return Location(path, line, column, line, end - start + 1)


def _logical_lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    current: _Line | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if current is None:
            current = _Line("", number, [(0, number)])
        else:
            current.pieces.append((len(current.text), number))
        if raw.endswith("\\"):
            current.text += raw[:-1]
            continue
        current.text += raw
        out.append(current)
        current = None
    if current is not None:
        out.append(current)
    return out


def _split(line: _Line, path: str, start: int, stop: int) -> list[Arg]:
    """Arguments in ``line.text[start:stop]`` (ap_getword_conf semantics)."""
    text = line.text
    args: list[Arg] = []
    i = start
    while i < stop:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        begin = i
        if ch in "\"'":
            quote = ch
            i += 1
            chars = []
            while i < stop and text[i] != quote:
                if text[i] == "\\" and i + 1 < stop and text[i + 1] in (quote, "\\"):
                    i += 1
                chars.append(text[i])
                i += 1
            i += 1  # the closing quote (or past the end if missing, as httpd tolerates)
            args.append(Arg("".join(chars), line.where(path, begin, min(i, stop))))
        else:
            while i < stop and not text[i].isspace():
                i += 1
            args.append(Arg(text[begin:i], line.where(path, begin, i)))
    return args


def parse(path: str, text: str) -> list[Node]:
    """The directives and sections of one file. Raises :class:`InputError` for unbalanced sections."""
    root: list[Node] = []
    stack: list[Node] = []
    for line in _logical_lines(text):
        stripped = line.text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        begin = len(line.text) - len(line.text.lstrip())
        siblings = stack[-1].children if stack else root
        assert siblings is not None
        if stripped.startswith("</"):
            name = stripped[2:].rstrip(">").strip()
            if not stack:
                raise InputError(line.where(path, begin), f"</{name}> without matching <{name}> section")
            opened = stack.pop()
            if opened.key != name.lower():
                raise InputError(
                    line.where(path, begin),
                    f"</{name}> closes <{opened.name}> opened at line {opened.location.line}",
                )
            opened.end = line.where(path, begin)
            continue
        if stripped.startswith("<"):
            close = line.text.rfind(">")
            if close < begin:
                raise InputError(line.where(path, begin), f"section {stripped.split()[0]!r} lacks its closing '>'")
            head = line.text[begin + 1 : close]
            name = head.split(None, 1)[0] if head.strip() else ""
            if not name:
                raise InputError(line.where(path, begin), "empty section name")
            name_end = begin + 1 + len(head) - len(head.lstrip()) + len(name)
            node = Node(name, _split(line, path, name_end, close), line.where(path, begin), [])
            siblings.append(node)
            stack.append(node)
            if len(stack) > MAX_DEPTH:
                raise InputError(line.where(path, begin), f"sections nested deeper than {MAX_DEPTH}")
            continue
        end = begin
        while end < len(line.text) and not line.text[end].isspace():
            end += 1
        name = line.text[begin:end]
        siblings.append(Node(name, _split(line, path, end, len(line.text)), line.where(path, begin, end)))
    if stack:
        opened = stack[-1]
        raise InputError(opened.location, f"<{opened.name}> section is never closed")
    return root
