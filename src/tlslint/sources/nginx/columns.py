"""Columns of nginx directives and their arguments, which crossplane does not give (only lines).

crossplane reports statements in text order with their line. This module finds each statement's
directive name, and then its arguments, in the line's text, starting after the previous statement's
last token on that line — so ``ssl_protocols TLSv1; ssl_ciphers X;`` on one line gives each its own
column, and a directive name that reappears inside an earlier argument is not mistaken for it. Each
file's text is split into lines once; every lookup is a scan of one line from a cursor that only moves
forward, so a file costs time linear in its size. An argument that continues on another line (or
cannot be found as written) gets no column rather than a wrong one.
"""

from __future__ import annotations

import re

from tlslint.model.located import Location

# nginx (and crossplane) treat every str.isspace() character as a separator, the line breaks counted
# or not; only "\n" ends a line for them.
_SPACE = " \t\r\f\v\x1c\x1d\x1e\x1f\x85\xa0\u2028\u2029"
_BEFORE = frozenset(_SPACE + ";{}")
_AFTER = frozenset(_SPACE + ";{}#")
#: The spaces and tabs before an argument (only those: an argument on another line gets no column).
_blanks = re.compile("[ \t]*").match
#: An argument's (start, end) on its line, 0-based, end exclusive.
Span = tuple[int, int]


class Columns:
    def __init__(self, path: str, text: str | None) -> None:
        self.path = path
        # Lines as nginx counts them (crossplane's line numbers): split at "\n" only. str.splitlines()
        # also splits at a lone "\r", a form feed or U+2028, and a finding then pointed at another line.
        self.lines = [line.removesuffix("\r") for line in text.split("\n")] if text is not None else []
        self.cursor: dict[int, int] = {}

    def locate(self, line: int | None, name: str, args: list[str]) -> tuple[Location, tuple[Location | None, ...]]:
        """The directive's span (name to last argument found) and each argument's span."""
        where, spans = self.spans(line, name, args)
        return where, tuple(None if s is None else Location(self.path, line, s[0] + 1, line, s[1] + 1) for s in spans)

    def spans(self, line: int | None, name: str, args: list[str]) -> tuple[Location, tuple[Span | None, ...]]:
        """The directive's span (name to last argument found) and each argument's (start, end) on its line:
        the tree builder keeps the numbers, and makes a location of one only when it is asked for.

        Runs for every statement of every file (27,000 on 1,000 generated sites): an argument written
        bare is recognised in the loop, the gap before it skipped by one regular expression match; the
        quoted form, rarer, is left to :meth:`_quoted`."""
        path = self.path
        lines = self.lines
        if line is None or not 0 < line <= len(lines):
            return Location(path, line), (None,) * len(args)
        text = lines[line - 1]
        start = self._word(text, name, self.cursor.get(line, 0))
        if start < 0:
            return Location(path, line), (None,) * len(args)
        end = start + len(name)
        spans: list[Span | None] = []
        for arg in args:
            index = _blanks(text, end).end()
            if text.startswith(arg, index):
                end = index + len(arg)
                spans.append((index, end))
                continue
            found = self._quoted(text, arg, index)
            if found is None:  # this and later arguments are on other lines or written differently: no guess
                spans.extend((None,) * (len(args) - len(spans)))
                break
            spans.append(found)
            end = found[1]  # the spans found follow each other: the last one found ends the directive
        self.cursor[line] = end
        return Location(path, line, start + 1, line, end + 1), tuple(spans)

    @staticmethod
    def _word(text: str, word: str, start: int) -> int:
        """Index of ``word`` as a whole token at or after ``start``, -1 if absent."""
        index = text.find(word, start)
        while index >= 0:
            before_ok = index == 0 or text[index - 1] in _BEFORE
            after = index + len(word)
            if before_ok and (after == len(text) or text[after] in _AFTER):
                return index
            index = text.find(word, index + 1)
        return -1

    @staticmethod
    def _quoted(text: str, arg: str, index: int) -> tuple[int, int] | None:
        """The span of ``arg`` written in quotes at ``index`` ("arg" or 'arg'), None if it is not."""
        quote = text[index : index + 1]
        if quote in ('"', "'") and text.startswith(arg, index + 1) and text.startswith(quote, index + 1 + len(arg)):
            return index, index + len(arg) + 2
        return None
