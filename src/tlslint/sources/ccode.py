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
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tlslint.model.located import Location
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.sources.endpoint_builder import EndpointBuilder


@cache
def _parser():
    import tree_sitter
    import tree_sitter_c

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_c.language()))


@dataclass(slots=True)
class Arg:
    text: str
    node: Any
    location: Location


@dataclass(slots=True)
class Call:
    name: str
    args: list[Arg]
    location: Location  # the callee name
    function: str  # enclosing C function, "" at file level


@dataclass(slots=True)
class CFile:
    path: str
    calls: list[Call] = field(default_factory=list)
    defines: dict[str, str] = field(default_factory=dict)
    arrays: dict[str, list[Arg]] = field(default_factory=dict)


class _Reader:
    def __init__(self, path: str, source: bytes) -> None:
        self.path = path
        self.source = source
        self.lines = source.split(b"\n")

    def loc(self, node) -> Location:
        (row, col), (erow, ecol) = node.start_point, node.end_point
        return Location(self.path, row + 1, self._column(row, col), erow + 1, self._column(erow, ecol))

    def _column(self, row: int, byte_col: int) -> int:
        line = self.lines[row] if row < len(self.lines) else b""
        return len(line[:byte_col].decode("utf-8", errors="replace")) + 1

    def text(self, node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")


def read(path: str, text: str) -> CFile:
    source = text.encode("utf-8")
    tree = _parser().parse(source)
    reader = _Reader(path, source)
    found = CFile(path)
    stack = [(tree.root_node, "")]
    while stack:
        node, function = stack.pop()
        kind = node.type
        if kind == "function_definition":
            declarator = node.child_by_field_name("declarator")
            while declarator is not None and declarator.type != "function_declarator":
                declarator = declarator.child_by_field_name("declarator")
            if declarator is not None:
                name = declarator.child_by_field_name("declarator")
                if name is not None:
                    function = reader.text(name)
        elif kind == "preproc_def":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is not None and value is not None:
                found.defines[reader.text(name)] = reader.text(value).strip()
        elif kind == "init_declarator":
            declarator, value = node.child_by_field_name("declarator"), node.child_by_field_name("value")
            while declarator is not None and declarator.type == "pointer_declarator":  # const char *alpn[]
                declarator = declarator.child_by_field_name("declarator")
            if declarator is not None and declarator.type == "array_declarator" and value is not None:
                inner = declarator.child_by_field_name("declarator")
                if value.type == "initializer_list" and inner is not None:
                    found.arrays[reader.text(inner)] = [
                        Arg(reader.text(c), c, reader.loc(c)) for c in value.named_children if c.type != "comment"
                    ]
        elif kind == "call_expression":
            callee = node.child_by_field_name("function")
            arguments = node.child_by_field_name("arguments")
            if callee is not None and callee.type == "identifier" and arguments is not None:
                name = reader.text(callee)
                if name.startswith(("curl_easy_", "mbedtls_")):
                    args = [
                        Arg(reader.text(a), a, reader.loc(a)) for a in arguments.named_children if a.type != "comment"
                    ]
                    found.calls.append(Call(name, args, reader.loc(callee), function))
        stack.extend((child, function) for child in reversed(node.children))
    found.calls.sort(key=lambda c: (c.location.line or 0, c.location.column or 0))
    return found


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.sources import libcurl_code, mbedtls_api

    result = ParseResult()
    cfile = read(path, text)
    result.subjects.extend(libcurl_code.endpoints(cfile, context))
    result.subjects.extend(mbedtls_api.endpoints(cfile, context))
    return result


# --- value helpers shared by the libcurl and Mbed TLS scanners --------------------------------------


def strip_cast(text: str) -> str:
    text = text.strip()
    while True:
        match = re.match(
            r"^\(\s*(?:const\s+)?(?:unsigned\s+)?(?:long|int|char\s*\*|void\s*\*|curl_off_t|size_t)\s*\)\s*", text
        )
        if not match:
            break
        text = text[match.end() :]
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def integer(text: str, defines: dict[str, str], depth: int = 0) -> int | None:
    cleaned = strip_cast(text)
    if cleaned in defines and depth < 5:
        return integer(defines[cleaned], defines, depth + 1)
    match = re.fullmatch(r"(-?(?:0x[0-9a-fA-F]+|\d+))[uUlL]*", cleaned)
    if match:
        return int(match[1], 0)
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
    if parts and re.fullmatch(r'(?:\s*"(?:[^"\\]|\\.)*"\s*)+', cleaned):
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
