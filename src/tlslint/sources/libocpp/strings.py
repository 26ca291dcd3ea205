"""Positions inside JSON string values.

libocpp keeps the CSMS connection list as JSON *inside* a JSON string
(``InternalCtrlr.NetworkConnectionProfiles``) and cipher lists as ``:``-separated strings. To point
a finding at ``"securityProfile": 1`` of slot 2, or at one cipher name, we map offsets in the
decoded string back to columns in the file, undoing JSON escapes (``\\"``, ``\\\\``, ``\\uXXXX``).

A JSON string never spans lines, so every decoded character sits on the string's own line. When the
text at the reported position is not the string we expect (YAML folding, a tool that rewrote the
file), :class:`StringMap` degrades to the string's own location instead of guessing.
"""

from __future__ import annotations

import json
from typing import Any

from tlslint.errors import InputError
from tlslint.model.located import Location
from tlslint.yamlpos import PathKey, YamlDocument, load_yaml

_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class StringMap:
    """Maps offsets in a decoded string value to file locations."""

    def __init__(self, text_lines: list[str], where: Location, value: str) -> None:
        self.where = where
        self.value = value
        self._columns: list[int] | None = None  # 1-based file column of each decoded character
        self._ends: list[int] = []  # file column just after each decoded character's (escaped) text
        if where.line is None or where.column is None or where.line > len(text_lines):
            return
        line = text_lines[where.line - 1]
        start = where.column - 1
        if start >= len(line) or line[start] != '"':
            return
        columns, ends, decoded = _decode(line, start + 1)
        if decoded == value:
            self._columns, self._ends = columns, ends

    @property
    def exact(self) -> bool:
        return self._columns is not None

    def at(self, start: int, end: int | None = None) -> Location:
        """Location of the decoded characters ``[start, end)``; the whole string if unmappable."""
        columns = self._columns
        if columns is None or not 0 <= start < len(columns):
            return self.where
        last = self._ends[min(end, len(columns)) - 1] if end is not None and end > start else self._ends[start]
        return Location(self.where.path, self.where.line, columns[start], self.where.line, last)


def _decode(line: str, index: int) -> tuple[list[int], list[int], str]:
    """Decode a JSON string body starting at ``index`` (after the quote): the file columns where each
    decoded character starts and ends, and the decoded text."""
    columns: list[int] = []
    ends: list[int] = []
    out: list[str] = []
    while index < len(line):
        char = line[index]
        if char == '"':
            break
        if char != "\\":
            columns.append(index + 1)
            out.append(char)
            index += 1
            ends.append(index + 1)
            continue
        kind = line[index + 1 : index + 2]
        if kind in _SIMPLE_ESCAPES:
            columns.append(index + 1)
            out.append(_SIMPLE_ESCAPES[kind])
            index += 2
            ends.append(index + 1)
            continue
        if kind == "u":
            code = int(line[index + 2 : index + 6], 16)
            width = 6
            if 0xD800 <= code < 0xDC00 and line[index + 6 : index + 8] == "\\u":
                low = int(line[index + 8 : index + 12], 16)
                if 0xDC00 <= low < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    width = 12
            columns.append(index + 1)
            out.append(chr(code))
            index += width
            ends.append(index + 1)
            continue
        break  # not valid JSON: let the caller fall back
    return columns, ends, "".join(out)


class EmbeddedJson:
    """A JSON document stored in a string value, with file locations for its values."""

    def __init__(self, strings: StringMap, data: Any, document: YamlDocument) -> None:
        self.strings = strings
        self.data = data
        self._document = document
        self._line_starts = [0]
        for number, char in enumerate(strings.value):
            if char == "\n":
                self._line_starts.append(number + 1)

    def loc(self, path: PathKey) -> Location:
        inner = self._document.loc(path)
        if inner.line is None or inner.column is None or inner.line > len(self._line_starts):
            return self.strings.where
        start = self._line_starts[inner.line - 1] + inner.column - 1
        end = None
        if inner.end_line is not None and inner.end_column is not None and inner.end_line <= len(self._line_starts):
            end = self._line_starts[inner.end_line - 1] + inner.end_column - 1
        return self.strings.at(start, end)


def embedded_json(strings: StringMap, what: str) -> EmbeddedJson:
    """Parse the JSON held in a string value. Raises :class:`InputError` at the string's location."""
    try:
        data = json.loads(strings.value)
    except json.JSONDecodeError as error:
        # The decoder's message names the position, never the content (it may hold passwords).
        where = strings.at(error.pos) if strings.exact else strings.where
        raise InputError(where, f"{what} is not valid JSON: {error.msg}") from None
    try:
        document = load_yaml(strings.where.path, strings.value)
    except InputError as error:
        raise InputError(strings.where, f"{what}: {error.message}") from None
    return EmbeddedJson(strings, data, document)
