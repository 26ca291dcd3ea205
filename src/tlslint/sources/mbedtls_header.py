"""Reading an Mbed TLS configuration header: directives, ``#if`` branches and quoted includes.

The result is the last word on every macro the header writes (a later ``#undef`` wins over a
``#define``), each with its place and whether it is *certain*: a ``#define`` inside a branch that
depends on a macro defined elsewhere (a Kconfig ``CONFIG_*`` symbol) may or may not happen, so the
macro is unknown. What a macro not written in the file means is the caller's business
(:class:`Resolver`): off in a full configuration, the stock default in a user configuration.

Lines ending in ``\\`` continue on the next line, as for the C preprocessor; every token keeps its
physical line and column. Quoted ``#include "x.h"`` is followed when the file is found beside the
header or in a directory above it (up to the repository root), so a configuration that includes a
shared one is read with it; nothing outside that tree is opened.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable

from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location
from tlslint.records import Record
from tlslint.sources.cpp_expr import ExpressionError, evaluate

MAX_INCLUDE_DEPTH = 4
MAX_INCLUDED_BYTES = 1024 * 1024

_DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<comment>(?://|/\*)[ \t]*)?#[ \t]*"
    r"(?P<directive>define|undef|ifdef|ifndef|if|elif|else|endif|include)\b[ \t]*(?P<rest>.*)$"
)
#: The stock configuration itself, included by a header that then trims it with #undef.
_STOCK_INCLUDE = re.compile(r'\s*[<"]mbedtls/(?:mbedtls_)?config\.h[>"]')
#: Library-internal headers that derive or check options instead of choosing them.
_INTERNAL_INCLUDES = re.compile(r"(?:^|/)(?:check_config|build_info|config_adjust_\w+|config_psa)\.h$")


class Macro(Record):
    """A macro of an Mbed TLS configuration header: defined, undefined or commented out, and where."""

    __slots__ = ("name", "state", "value", "location", "certain", "value_at")

    name: str
    state: str  # "defined" | "undefined" | "commented"
    value: str
    location: Location
    certain: bool  # False: inside a branch that depends on what tlslint cannot see
    value_at: Callable[[int], Location] | None  # where offset N of the value is

    def __init__(
        self,
        name: str,
        state: str,
        value: str,
        location: Location,
        certain: bool = True,
        value_at: Callable[[int], Location] | None = None,
    ) -> None:
        self.name = name
        self.state = state
        self.value = value
        self.location = location
        self.certain = certain
        self.value_at = value_at


class Header(Record):
    """What an Mbed TLS configuration header defines, with its includes and guards."""

    __slots__ = ("macros", "written", "diagnostics", "includes", "guards", "stock_include", "api_declarations")

    macros: dict[str, Macro]
    written: set[str]  # every name any #define/#undef line mentions
    diagnostics: list[Diagnostic]
    includes: list[tuple[str, Location, bool]]  # (target, where, followed)
    guards: set[str]  # include guards of the header and what it includes
    stock_include: Location | None  # #include "mbedtls/mbedtls_config.h": the stock file is the base
    api_declarations: bool  # declares Mbed TLS types or functions: a library header

    def __init__(
        self,
        macros: dict[str, Macro] | None = None,
        written: set[str] | None = None,
        diagnostics: list[Diagnostic] | None = None,
        includes: list[tuple[str, Location, bool]] | None = None,
        guards: set[str] | None = None,
        stock_include: Location | None = None,
        api_declarations: bool = False,
    ) -> None:
        self.macros = {} if macros is None else macros
        self.written = set() if written is None else written
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.includes = [] if includes is None else includes
        self.guards = set() if guards is None else guards
        self.stock_include = stock_include
        self.api_declarations = api_declarations


class _Line(Record):
    """A logical line of a C header (continuations joined) and where each piece of it was written."""

    __slots__ = ("path", "number", "text", "segments")

    path: str
    number: int
    text: str
    segments: tuple[tuple[int, int, int], ...]  # (offset in text, physical line, column of that offset)

    def __init__(self, path: str, number: int, text: str, segments: tuple[tuple[int, int, int], ...]) -> None:
        self.path = path
        self.number = number
        self.text = text
        self.segments = segments

    def location(self, start: int, end: int) -> Location:
        line, column = self._at(start)
        end_line, end_column = self._at(max(start, end - 1))
        return Location(self.path, line, column, end_line, end_column + 1)

    def _at(self, offset: int) -> tuple[int, int]:
        # Binary search: a hostile list continued over 100,000 lines must not make this quadratic.
        index = max(0, bisect.bisect_right(self.segments, (offset, float("inf"), 0)) - 1)
        chosen = self.segments[index]
        return chosen[1], chosen[2] + offset - chosen[0]


def logical_lines(path: str, text: str) -> list[_Line]:
    """Physical lines joined where they end in a backslash, remembering where each piece came from."""
    out: list[_Line] = []
    pending: list[str] = []
    segments: list[tuple[int, int, int]] = []
    length = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        continued = raw.endswith("\\")
        piece = raw[:-1] if continued else raw
        segments.append((length, number, 1))
        pending.append(piece)
        length += len(piece)
        if not continued:
            out.append(_Line(path, segments[0][1], "".join(pending), tuple(segments)))
            pending, segments, length = [], [], 0
    if pending:
        out.append(_Line(path, segments[0][1], "".join(pending), tuple(segments)))
    return out


_API = re.compile(
    r"^\s*(?:typedef\b|struct\s+mbedtls_\w+\s*\{|(?:extern\s+)?(?:const\s+)?(?:int|void|size_t|unsigned|char|"
    r"mbedtls_\w+_t)\s*\**\s*mbedtls_\w+\s*\()"
)


class Resolver:
    """What ``defined(X)`` and a bare ``X`` mean for a macro the header has not written (yet)."""

    def defined(self, name: str) -> bool | None:  # pragma: no cover - interface
        return None

    def value(self, name: str) -> int | None:  # pragma: no cover - interface
        return None


def read_header(path: str, text: str, resolver: Resolver, *, root: str | None = None) -> Header:
    """Every macro the header (and the quoted includes it reaches) writes, with branch evaluation."""
    header = Header()
    lines = _expand(path, text, header, root, depth=0, seen={os.path.realpath(path)})
    _evaluate(lines, header, resolver)
    return header


def _expand(path: str, text: str, header: Header, root: str | None, depth: int, seen: set[str]) -> list:
    """Logical directive lines of ``path`` with quoted includes spliced in (marked by a push/pop
    pair so an unbalanced included file cannot unbalance the includer)."""
    out: list = []
    for line in logical_lines(path, text):
        if _API.match(line.text):
            header.api_declarations = True
        match = _DIRECTIVE.match(line.text)
        if not match:
            continue
        if match["directive"] != "include" or match["comment"]:
            out.append((line, match))
            continue
        target = re.match(r'\s*"([^"]+)"', match["rest"])
        where = line.location(match.start("rest"), len(line.text))
        if _STOCK_INCLUDE.match(match["rest"]) and header.stock_include is None:
            header.stock_include = where
            continue
        if target is None:  # <system.h> or a macro (#include MBEDTLS_USER_CONFIG_FILE): not ours to read
            continue
        name = target[1]
        if _INTERNAL_INCLUDES.search(name):
            continue
        found = _find_include(path, name, root) if depth < MAX_INCLUDE_DEPTH else None
        if found is None or os.path.realpath(found) in seen:
            header.includes.append((name, where, False))
            continue
        from tlslint import safe_read
        from tlslint.errors import InputError

        try:  # regular files inside the scanned tree only (tlslint.safe_read)
            data = safe_read.read_bytes(found, limit=MAX_INCLUDED_BYTES)
        except InputError:
            header.includes.append((name, where, False))
            continue
        if b"\x00" in data:
            header.includes.append((name, where, False))
            continue
        header.includes.append((name, where, True))
        from tlslint.run import display_path

        included = _expand(
            display_path(found),
            data.decode("utf-8", errors="replace"),
            header,
            root,
            depth + 1,
            seen | {os.path.realpath(found)},
        )
        out.append(("push", None))
        out.extend(included)
        out.append(("pop", None))
    _guard(out, header)
    return out


def _find_include(path: str, name: str, root: str | None) -> str | None:
    """``name`` beside ``path`` or in a directory above it, never outside ``root`` (the repository,
    else the working directory when the header lies in it, else the header's own directory); only
    regular files."""
    from tlslint.repo import ancestors

    if "\x00" in name or os.path.isabs(name) or ".." in name.replace("\\", "/").split("/"):
        return None
    here = os.path.dirname(os.path.abspath(path))
    if root is None:
        cwd = os.getcwd()
        root = cwd if here == cwd or here.startswith(cwd.rstrip(os.sep) + os.sep) else here
    top = os.path.realpath(root)
    for directory in ancestors(here, levels=16):
        real = os.path.realpath(os.path.join(directory, name))
        if (real == top or real.startswith(top + os.sep)) and os.path.isfile(real):
            return os.path.join(directory, name)
        if os.path.realpath(directory) == top:
            break
    return None


def _guard(lines: list, header: Header) -> None:
    """``#ifndef X`` / ``#define X`` as the first two directives of a file: an include guard, not
    defined before its own ``#define`` (so the file is read), whatever the name looks like."""
    directives = [(line, match) for line, match in lines if line not in ("push", "pop")][:2]
    if len(directives) < 2:
        return
    (_, m1), (_, m2) = directives
    name = None
    if m1["directive"] == "ifndef" and not m1["comment"]:
        name = (m1["rest"].split() or [None])[0]
    elif m1["directive"] == "if" and not m1["comment"]:
        found = re.fullmatch(r"\s*!\s*defined\s*\(?\s*(\w+)\s*\)?\s*", _strip_comment(m1["rest"]))
        name = found[1] if found else None
    if name and m2["directive"] == "define" and not m2["comment"] and (m2["rest"].split() or [""])[0] == name:
        header.guards.add(name)


def _strip_comment(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text)
    return text.split("//", 1)[0].split("/*", 1)[0].strip()


def _blank_comments(text: str) -> str:
    """``text`` without its comments, each character of a ``/* */`` comment turned into a blank so
    the offsets of what follows (suite names of a multi-line list) stay right."""
    text = re.sub(r"/\*.*?\*/", lambda m: " " * len(m[0]), text)
    return text.split("//", 1)[0].split("/*", 1)[0].rstrip()


def _and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def _evaluate(lines: list, header: Header, resolver: Resolver) -> None:
    macros = header.macros
    # (this branch taken, some branch of the chain taken, state of the enclosing block): the state of
    # the current line is known from the top entry alone, so deep nesting stays linear.
    stack: list[tuple[bool | None, bool | None, bool | None]] = []
    marks: list[int] = []

    def defined(name: str) -> bool | None:
        macro = macros.get(name)
        if macro is None and name in header.guards:
            return False  # an include guard is not defined before its own #define
        if macro is None or macro.state == "commented":
            return resolver.defined(name)
        if not macro.certain:
            return None
        return macro.state == "defined"

    def value(name: str) -> int | None:
        macro = macros.get(name)
        if macro is None or macro.state == "commented":
            return resolver.value(name)
        if not macro.certain or macro.state != "defined":
            return None if not macro.certain else 0
        from tlslint.sources.mbedtls import parse_int

        return parse_int(macro.value)

    def condition(line: _Line, match) -> bool | None:
        directive, rest = match["directive"], _strip_comment(match["rest"])
        try:
            if directive in ("ifdef", "ifndef"):
                word = rest.split()[0] if rest.split() else ""
                if not re.fullmatch(r"[A-Za-z_]\w*", word):
                    raise ExpressionError(f"#{directive} needs a macro name")
                answer = defined(word)
                return answer if directive == "ifdef" or answer is None else not answer
            return evaluate(rest, defined, value)
        except ExpressionError as error:
            header.diagnostics.append(
                Diagnostic(
                    line.location(match.start("rest"), len(line.text)), f"{error}; branch read as unknown", "warning"
                )
            )
            return None

    for line, match in lines:
        if line == "push":
            marks.append(len(stack))
            continue
        if line == "pop":
            del stack[marks.pop() :]
            continue
        directive = match["directive"]
        commented = bool(match["comment"])
        if commented and directive not in ("define", "undef"):
            continue
        if directive in ("if", "ifdef", "ifndef"):
            enclosing = _current(stack)
            if enclosing is False:
                stack.append((False, True, False))  # nothing in a skipped block is evaluated
                continue
            taken = condition(line, match)
            stack.append((taken, taken, enclosing))
            continue
        if directive in ("elif", "else"):
            if not stack:
                continue
            _, any_taken, enclosing = stack[-1]
            if enclosing is False:
                continue
            if directive == "else":
                stack[-1] = (None if any_taken is None else not any_taken, True, enclosing)
                continue
            if any_taken is True:
                stack[-1] = (False, True, enclosing)
                continue
            taken = condition(line, match)
            # After an unknown earlier branch, a true #elif is only maybe taken.
            now = taken if any_taken is False else (False if taken is False else None)
            stack[-1] = (now, _or(any_taken, taken), enclosing)
            continue
        if directive == "endif":
            if stack:
                stack.pop()
            continue
        state_here = _current(stack)
        if state_here is False:
            continue
        rest = _strip_comment(match["rest"]) if directive == "undef" else match["rest"]
        parts = rest.split(None, 1)
        if not parts:
            continue
        name = parts[0].split("(")[0]
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            continue
        header.written.add(name)
        if not name.startswith(("MBEDTLS_", "PSA_WANT_")) and not (directive == "define" and not commented):
            continue
        start = match.start("rest") + (len(match["rest"]) - len(match["rest"].lstrip()))
        column_start = match.start("indent") + len(match["indent"]) if commented else start
        location = line.location(column_start, start + len(name))
        if commented:
            if name not in macros or macros[name].state == "commented":
                macros[name] = Macro(name, "commented", "", location)
            continue
        raw_value = ""
        value_start = start + len(name)
        if directive == "define" and len(parts) > 1:
            tail = match["rest"][len(match["rest"]) - len(match["rest"].lstrip()) + len(parts[0]) :]
            value_start += len(tail) - len(tail.lstrip())
            raw_value = _blank_comments(tail.lstrip())
        offset = match.start("rest") + (value_start - match.start("rest"))

        def value_at(index: int, _line: _Line = line, _offset: int = offset) -> Location:
            return _line.location(_offset + index, _offset + index + 1)

        macros[name] = Macro(
            name,
            "defined" if directive == "define" else "undefined",
            raw_value,
            location,
            certain=state_here is True,
            value_at=value_at,
        )


def _current(stack: list[tuple[bool | None, bool | None, bool | None]]) -> bool | None:
    if not stack:
        return True
    taken, _, enclosing = stack[-1]
    return _and(enclosing, taken)
