"""C/C++ code: libcurl ``curl_easy_setopt`` calls and Mbed TLS ``mbedtls_ssl_conf_*`` calls (best effort).

Parsed with tree-sitter's C grammar (imported only when a file is claimed, ~15 ms), which gives real
call expressions with exact spans and survives macros and code it cannot fully parse. One endpoint per
libcurl handle per C function (``libcurl:<path>:<function>:<handle>``) and one per Mbed TLS
``mbedtls_ssl_config`` object (``mbedtls-api:<path>:<config expression>``). Argument values are
read when they are literals, enum-like constants or ``#define``\\ s / ``static const`` arrays of the
same file; anything else (a variable, a function result) is recorded as ``unknown``. Every endpoint
carries ``source.confidence: medium``: the scan sees calls, not the control flow that decides whether
they run.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from tlslint.model.located import Location
from tlslint.records import Record
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.sources.endpoint_builder import EndpointBuilder


@cache
def _parser():
    import tree_sitter
    import tree_sitter_c

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_c.language()))


class Arg(Record):
    """One argument of a C call: its text, its syntax node and its place."""

    __slots__ = ("text", "node", "location")

    text: str
    node: Any
    location: Location

    def __init__(self, text: str, node: Any, location: Location) -> None:
        self.text = text
        self.node = node
        self.location = location


#: Where a call sits in the control flow of its function: one (decision, arm, guard) triple per enclosing
#: ``if``/``else``, ``switch`` case or ``?:`` arm, outermost first. Two calls whose paths differ at
#: the same decision run on different arms: at most one of them runs. ``guard`` names the variable when
#: the decision only tests it for NULL (``if (curl)``, ``if (h != NULL)``): such a test does not make
#: the handle's settings conditional.
Branch = tuple[tuple[int, int, str], ...]


class Call(Record):
    """One C function call, with the function and the branch it stands in."""

    __slots__ = ("name", "args", "location", "function", "branch", "order")

    name: str
    args: list[Arg]
    location: Location  # the callee name
    function: str  # enclosing C function, "" at file level
    branch: Branch
    order: int  # byte offset of the call: source order

    def __init__(
        self, name: str, args: list[Arg], location: Location, function: str, branch: Branch = (), order: int = 0
    ) -> None:
        self.name = name
        self.args = args
        self.location = location
        self.function = function
        self.branch = branch
        self.order = order


class CFile(Record):
    """What tlslint reads from a C file: the TLS calls, macros, arrays, parameters and assignments."""

    __slots__ = (
        "path",
        "calls",
        "defines",
        "arrays",
        "parameters",
        "locals",
        "local_calls",
        "returns",
        "assigned_from",
    )

    path: str
    calls: list[Call]
    defines: dict[str, str]
    arrays: dict[str, list[Arg]]
    #: function name -> its parameter names, in order
    parameters: dict[str, list[str]]
    #: function name -> the identifiers it declares locally (parameters included)
    locals: dict[str, set[str]]
    #: calls of functions defined in this file (helpers that may configure a handle)
    local_calls: list[Call]
    #: function name -> identifiers it returns (``return curl;``)
    returns: dict[str, set[str]]
    #: (function, variable, called function, order): ``CURL *h = make_handle();``
    assigned_from: list[tuple[str, str, str, int]]

    def __init__(
        self,
        path: str,
        calls: list[Call] | None = None,
        defines: dict[str, str] | None = None,
        arrays: dict[str, list[Arg]] | None = None,
        parameters: dict[str, list[str]] | None = None,
        locals: dict[str, set[str]] | None = None,
        local_calls: list[Call] | None = None,
        returns: dict[str, set[str]] | None = None,
        assigned_from: list[tuple[str, str, str, int]] | None = None,
    ) -> None:
        self.path = path
        self.calls = [] if calls is None else calls
        self.defines = {} if defines is None else defines
        self.arrays = {} if arrays is None else arrays
        self.parameters = {} if parameters is None else parameters
        self.locals = {} if locals is None else locals
        self.local_calls = [] if local_calls is None else local_calls
        self.returns = {} if returns is None else returns
        self.assigned_from = [] if assigned_from is None else assigned_from


class _Reader:
    """Byte offsets -> 1-based character columns. A line's character offsets are computed once, on
    first use, so a file with very long lines (minified or generated code) stays linear."""

    def __init__(self, path: str, source: bytes) -> None:
        self.path = path
        self.source = source
        self.lines = source.split(b"\n")
        self._widths: dict[int, list[int]] = {}

    def loc(self, node) -> Location:
        (row, col), (erow, ecol) = node.start_point, node.end_point
        return Location(self.path, row + 1, self._column(row, col), erow + 1, self._column(erow, ecol))

    def _column(self, row: int, byte_col: int) -> int:
        line = self.lines[row] if row < len(self.lines) else b""
        if line.isascii():
            return byte_col + 1
        columns = self._widths.get(row)
        if columns is None:
            columns = self._widths[row] = _char_columns(line)
        return columns[min(byte_col, len(columns) - 1)] + 1

    def text(self, node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")


def _char_columns(line: bytes) -> list[int]:
    """For each byte offset of a UTF-8 line (and one past its end), the number of characters before it."""
    columns = []
    count = 0
    for byte in line:
        columns.append(count)
        if byte & 0xC0 != 0x80:  # not a continuation byte: a new character starts here
            count += 1
    columns.append(count)
    return columns


#: Decisions whose arms are alternatives: node type -> the fields (or child types) that are its arms.
_ARMS = {"if_statement": ("consequence", "alternative"), "conditional_expression": ("consequence", "alternative")}


def read(path: str, text: str) -> CFile:
    source = text.encode("utf-8")
    tree = _parser().parse(source)
    reader = _Reader(path, source)
    found = CFile(path)
    # Function names first: a call of a helper defined further down the file is still a local call.
    defined = {name for node in tree.root_node.children if (name := _function_name(node, reader))}
    stack: list[tuple[Any, str, Branch]] = [(tree.root_node, "", ())]
    while stack:
        node, function, branch = stack.pop()
        kind = node.type
        if kind == "function_definition":
            function = _function_name(node, reader) or function
            found.parameters[function] = _parameters(node, reader)
            found.locals.setdefault(function, set()).update(found.parameters[function])
        elif kind == "preproc_def":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is not None and value is not None:
                found.defines[reader.text(name)] = reader.text(value).strip()
        elif kind == "init_declarator":
            _declaration(node, function, reader, found, defined)
        elif kind == "assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and left.type == "identifier":
                _assigned_call(function, reader.text(left), right, node.start_byte, reader, found, defined)
        elif kind == "return_statement" and function:
            value = node.named_children[0] if node.named_children else None
            if value is not None and value.type == "identifier":
                found.returns.setdefault(function, set()).add(reader.text(value))
        elif kind == "call_expression":
            callee = node.child_by_field_name("function")
            arguments = node.child_by_field_name("arguments")
            if callee is not None and callee.type == "identifier" and arguments is not None:
                name = reader.text(callee)
                if name.startswith(("curl_easy_", "mbedtls_")) or name in defined:
                    args = [
                        Arg(reader.text(a), a, reader.loc(a)) for a in arguments.named_children if a.type != "comment"
                    ]
                    call = Call(name, args, reader.loc(callee), function, branch, node.start_byte)
                    (found.local_calls if name in defined else found.calls).append(call)
        stack.extend(reversed(_children(node, function, branch)))
    found.calls.sort(key=lambda c: c.order)
    found.local_calls.sort(key=lambda c: c.order)
    return found


def _children(node, function: str, branch: Branch) -> list[tuple[Any, str, Branch]]:
    """The children of ``node`` with the control-flow path each runs under."""
    arms = _ARMS.get(node.type)
    if node.type == "case_statement":  # each case of a switch is one arm of the switch
        parent = node.parent
        decision = parent.parent.start_byte if parent is not None and parent.parent is not None else node.start_byte
        inner = (*branch, (decision, node.start_byte, ""))
        return [(child, function, inner) for child in node.children]
    if arms is None:
        return [(child, function, branch) for child in node.children]
    guard = _null_test(node.child_by_field_name("condition"))
    out = []
    for index, child in enumerate(node.children):
        name = node.field_name_for_child(index)
        arm = arms.index(name) if name in arms else None
        entry = (node.start_byte, arm, guard if arm == 0 else "")
        out.append((child, function, branch if arm is None else (*branch, entry)))
    return out


_NULL_TEST = re.compile(r"\(?\s*([A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)*)\s*(?:!=\s*(?:NULL|nullptr|0)\s*)?\)?")


def _null_test(condition) -> str:
    """``curl`` for ``(curl)`` / ``(curl != NULL)``; "" for any other condition."""
    if condition is None:
        return ""
    text = condition.text.decode("utf-8", errors="replace") if condition.text else ""
    match = _NULL_TEST.fullmatch(text.strip())
    return match[1].replace(" ", "") if match else ""


def _function_name(node, reader: _Reader) -> str | None:
    if node.type != "function_definition":
        return None
    declarator = node.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")
    if declarator is None:
        return None
    name = declarator.child_by_field_name("declarator")
    return reader.text(name) if name is not None else None


def _declared_name(declarator, reader: _Reader) -> str | None:
    while declarator is not None and declarator.type in ("pointer_declarator", "array_declarator"):
        declarator = declarator.child_by_field_name("declarator")
    return reader.text(declarator) if declarator is not None and declarator.type == "identifier" else None


def _parameters(node, reader: _Reader) -> list[str]:
    declarator = node.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")
    parameters = declarator.child_by_field_name("parameters") if declarator is not None else None
    if parameters is None:
        return []
    names = []
    for parameter in parameters.named_children:
        if parameter.type == "parameter_declaration":
            names.append(_declared_name(parameter.child_by_field_name("declarator"), reader) or "")
    return names


def _declaration(node, function: str, reader: _Reader, found: CFile, defined: set[str]) -> None:
    declarator, value = node.child_by_field_name("declarator"), node.child_by_field_name("value")
    name = _declared_name(declarator, reader)
    if function and name:
        found.locals.setdefault(function, set()).add(name)
    while declarator is not None and declarator.type == "pointer_declarator":  # const char *alpn[]
        declarator = declarator.child_by_field_name("declarator")
    if declarator is not None and declarator.type == "array_declarator" and value is not None:
        inner = declarator.child_by_field_name("declarator")
        if value.type == "initializer_list" and inner is not None:
            found.arrays[reader.text(inner)] = [
                Arg(reader.text(c), c, reader.loc(c)) for c in value.named_children if c.type != "comment"
            ]
    elif name and value is not None:
        _assigned_call(function, name, value, node.start_byte, reader, found, defined)


def _assigned_call(function: str, name: str, value, order: int, reader: _Reader, found: CFile, defined: set[str]):
    """``name = helper(...)`` where ``helper`` is defined in this file (it may return a configured handle)."""
    if value is None or value.type != "call_expression":
        return
    callee = value.child_by_field_name("function")
    if callee is not None and callee.type == "identifier" and reader.text(callee) in defined:
        found.assigned_from.append((function, name, reader.text(callee), order))


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.sources import libcurl_code, mbedtls_api

    result = ParseResult()
    cfile = read(path, text)
    result.subjects.extend(libcurl_code.endpoints(cfile, context))
    result.subjects.extend(mbedtls_api.endpoints(cfile, context))
    return result


# --- value helpers shared by the libcurl and Mbed TLS scanners --------------------------------------


#: Any run of C casts a value may carry: ``(long)``, ``(const char *)``, ``(curl_off_t)(long)`` — one
#: match, so stripping is linear in the length of the value however many casts it has.
_CASTS = re.compile(
    r"(?:\(\s*(?:const\s+)?(?:unsigned\s+)?(?:long|int|char\s*\*|void\s*\*|curl_off_t|size_t)\s*\)\s*)*"
)


def strip_cast(text: str) -> str:
    text = text.strip()
    text = text[_CASTS.match(text).end() :]
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def integer(text: str, defines: dict[str, str], depth: int = 0) -> int | None:
    cleaned = strip_cast(text)
    if cleaned in defines and depth < 5:
        return integer(defines[cleaned], defines, depth + 1)
    match = re.fullmatch(r"(-?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)[uUlL]*", cleaned)
    if match:  # C literals: 0x1F, 0b101, 0644 (octal: file modes), 42
        digits = match[2]
        base = 8 if len(digits) > 1 and digits[0] == "0" and digits[1] not in "xXbB" else 0
        value = int(digits, base) if base else int(digits, 0)
        return -value if match[1] else value
    if cleaned in ("TRUE", "true"):
        return 1
    if cleaned in ("FALSE", "false", "NULL"):
        return 0
    return None


def string(text: str, defines: dict[str, str], depth: int = 0) -> str | None:
    cleaned = strip_cast(text)
    if cleaned in defines and depth < 5:
        return string(defines[cleaned], defines, depth + 1)
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', cleaned)
    # One way to match each blank (no "\s*" on both sides of a repeated group): no backtracking blow-up.
    if parts and re.fullmatch(r'\s*(?:"(?:[^"\\]|\\.)*"\s*)+', cleaned):
        return "".join(parts)
    return None


def symbols(text: str, defines: dict[str, str]) -> list[str] | None:
    """``A | B`` -> ["A", "B"] (identifiers only); None when it is anything else."""
    cleaned = strip_cast(text)
    if cleaned in defines:
        cleaned = strip_cast(defines[cleaned])
    names = [part.strip() for part in cleaned.split("|")]
    if all(re.fullmatch(r"[A-Za-z_]\w*", n) for n in names):
        return names
    return None


def new_builder(subject_id: str, where: Location, engine: str, label: str) -> EndpointBuilder:
    return EndpointBuilder(subject_id, where, engine, label=label, confidence="medium")
