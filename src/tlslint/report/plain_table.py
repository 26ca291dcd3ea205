"""tabulate's ``plain`` table format for the findings table, without importing tabulate on every run.

Importing tabulate costs a one-file ``check`` about a tenth of its time: tabulate 0.10 reads its own
version from the installed distributions (``importlib.metadata``, which pulls in the ``email``
package and scans ``sys.path``). The findings table uses one small corner of it: rows of strings,
``tablefmt="plain"``, the message column wrapped at a width. This module renders exactly that corner
itself and hands every other table to tabulate, so the output is tabulate's byte for byte:

* cells must be printable ASCII, optionally coloured with SGR codes (``ESC[1;31m``). Anything else
  (non-ASCII text, whose width depends on whether ``wcwidth`` is installed; control characters;
  other escape sequences) goes to tabulate;
* tabulate parses numbers: a column of numbers is right-aligned and may be reformatted (``1e5``). Only
  cells of plain digits (a line number) are handled here; a cell that tabulate could read as another
  number or as a boolean sends the table to tabulate.

``tests/report/test_plain_table.py`` renders about a thousand generated tables with both and checks that
they are equal, and that this module really renders most of them itself.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Sequence
from typing import Any

_SGR = re.compile(r"\x1b\[[0-9;]*m")
#: Printable ASCII with SGR colour codes in between, and nothing else.
_SIMPLE = re.compile(r"(?:[\x20-\x7e]|\x1b\[[0-9;]*m)*")
#: The characters of every number tabulate (through ``int``/``float``) might read in an ASCII cell.
_NUMBERISH = re.compile(r"[\s0-9+\-.,_eE]*[0-9][\s0-9+\-.,_eE]*")
_NUMBER_WORDS = frozenset({"inf", "nan", "infinity"})


def tabulate(rows: Sequence[Sequence[Any]], *, tablefmt: str = "simple", maxcolwidths: Any = None) -> str:
    """``tabulate.tabulate(rows, tablefmt=..., maxcolwidths=...)`` (no headers), rendered here when the
    table is in the subset this module handles, by tabulate otherwise."""
    if tablefmt == "plain":
        rendered = render_plain(rows, maxcolwidths)
        if rendered is not None:
            return rendered
    from tabulate import tabulate as library

    return library(rows, tablefmt=tablefmt, maxcolwidths=maxcolwidths)


def render_plain(rows: Sequence[Sequence[Any]], maxcolwidths: Sequence[int | None] | None) -> str | None:
    """The ``plain`` table tabulate would print, or None when the table is outside the handled subset."""
    if not rows:
        return None
    columns = len(rows[0])
    if columns == 0 or any(len(row) != columns for row in rows):
        return None
    widths = list(maxcolwidths or ())[:columns]
    widths += [None] * (columns - len(widths))
    table: list[list[str]] = []
    for row in rows:
        cells = []
        for cell, width in zip(row, widths, strict=True):
            if not isinstance(cell, str) or not _SIMPLE.fullmatch(cell):
                return None
            if width is not None:
                if "\x1b" in cell or width <= 0:  # tabulate's own wrapping of colour codes, its errors
                    return None
                kind = _kind(cell)
                if kind == "text":  # tabulate wraps text and leaves numbers alone
                    cell = _wrap(cell, width)
                elif kind == "other":
                    return None
            cells.append(cell)
        table.append(cells)
    multiline = any("\n" in cell for row in table for cell in row)
    aligned = []
    for index in range(columns):
        column = [row[index] for row in table]
        kinds = {_kind(cell) for cell in column}
        if "text" in kinds:  # a text column: every cell as it is, left-aligned
            right = False
        elif "other" in kinds:  # maybe a column of numbers that tabulate reformats
            return None
        else:  # empty, or tabulate's int column: "decimal" alignment, which is right for integers
            right = "digits" in kinds
        aligned.append(_align(column, right=right, multiline=multiline))
    lines: list[str] = []
    for row in zip(*(cells for cells, _ in aligned), strict=True):
        if not multiline:
            lines.append("  ".join(row).rstrip())
            continue
        split = [cell.splitlines() for cell in row]
        height = max(map(len, split))
        for line in range(height):
            parts = [
                cell_lines[line] if line < len(cell_lines) else " " * width
                for cell_lines, (_, width) in zip(split, aligned, strict=True)
            ]
            lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _kind(cell: str) -> str:
    """How tabulate types a cell: ``empty``, ``digits`` (an int), ``text`` (a string), or ``other``: a
    cell it might read as a number (of any notation) or as a boolean."""
    visible = _SGR.sub("", cell) if "\x1b" in cell else cell
    if not visible:
        return "empty"
    if visible.isdigit() and visible.isascii():
        return "digits" if visible == cell else "other"
    stripped = visible.strip().lower().lstrip("+-")
    if _NUMBERISH.fullmatch(visible) or stripped in _NUMBER_WORDS or visible in ("True", "False"):
        return "other"
    return "text"


def _visible(text: str) -> int:
    return len(_SGR.sub("", text)) if "\x1b" in text else len(text)


def _align(column: list[str], *, right: bool, multiline: bool) -> tuple[list[str], int]:
    """The column's cells padded to its width, and the width (tabulate's ``_align_column``)."""
    if not right:
        column = [cell.strip() for cell in column]
    width = max((_visible(line) for cell in column for line in cell.split("\n")), default=0)

    def pad(text: str) -> str:
        fill = " " * (width - _visible(text))
        return fill + text if right else text + fill

    if multiline:
        return ["\n".join(pad(line) for line in cell.splitlines()) for cell in column], width
    return [pad(cell) for cell in column], width


@functools.lru_cache(maxsize=8192)
def _wrap(text: str, width: int) -> str:
    """``text`` wrapped as tabulate wraps it. Remembered: a message names its subject by kind and address,
    which the sites of a tree share, so the same message comes back every few findings (10,000 nginx files:
    173,846 findings, 98,851 distinct messages)."""
    if not text.strip():
        return ""
    if len(text) <= width and text.isprintable() and text == text.strip():
        # Fits on one line with nothing at its ends for textwrap to drop: textwrap returns it as it is
        # (most findings' messages; wrapping each took ~20 us, a tenth of a large run's table).
        return text
    return "\n".join(_wrapper(width).wrap(text))


@functools.lru_cache(maxsize=16)
def _wrapper(width: int) -> _Wrapper:
    """One wrapper per width (a TextWrapper keeps no state between calls)."""
    return _Wrapper(width=width, break_long_words=True, break_on_hyphens=True)


class _Wrapper(textwrap.TextWrapper):
    """textwrap as tabulate uses it: a word longer than the width is cut at the width, not after its last
    hyphen as the standard library does."""

    def _handle_long_word(self, reversed_chunks, cur_line, cur_len, width):  # type: ignore[no-untyped-def]
        space_left = 1 if width < 1 else width - cur_len
        if self.break_long_words and space_left > 0:
            chunk = reversed_chunks[-1]
            cur_line.append(chunk[:space_left])
            reversed_chunks[-1] = chunk[space_left:]
        elif not cur_line:
            cur_line.append(reversed_chunks.pop())
