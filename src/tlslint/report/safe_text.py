"""Text from the scanned tree made safe for each output, so an input cannot forge the output.

File names and values belong to whoever wrote the pull request. Written raw, an ANSI escape moves
the terminal cursor or repaints earlier lines, a newline followed by ``::error`` creates a GitHub
annotation, a C0 control character makes JUnit XML ill-formed, and an undecodable byte of a file name
(kept by Python as a lone surrogate) crashes every UTF-8 writer. Each renderer passes input-derived
text through one of these functions:

* :func:`printable` (terminal table, stderr diagnostics, GitHub data): control characters, Unicode
  direction overrides and undecodable bytes become visible ``\\xNN`` / ``\\uNNNN`` escapes;
* :func:`xml_text` (JUnit): the same, keeping tab and line breaks, which XML 1.0 carries; it forbids
  most other C0 controls;
* :func:`json_safe` (JSON, SARIF): undecodable bytes of file names as ``\\xNN`` text; JSON itself
  escapes control characters.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# The expressions are compiled on first use: most runs print only ASCII, which the fast paths below
# answer without them, and compiling the first one alone cost a one-file run about 6 ms.


@cache
def _unprintable() -> re.Pattern[str]:
    """C0 controls, DEL, C1 controls, lone surrogates (undecodable bytes), and the Unicode characters
    that reorder displayed text (bidi embeddings, overrides and isolates: "Trojan Source")."""
    return re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@cache
def _not_xml() -> re.Pattern[str]:
    """What XML 1.0 cannot carry (``Char`` production: most C0 controls, lone surrogates, U+FFFE/F), and
    what it can but a reader of the CI report should not meet (DEL, C1, direction overrides)."""
    return re.compile(
        "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
    )


@cache
def _surrogate() -> re.Pattern[str]:
    return re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character that could move the cursor, start a line or reorder the display
    shown as an escape; one line in, one line out."""
    if text.isascii() and text.isprintable():  # the common case, in C: nothing to escape (see _unprintable)
        return text
    return _unprintable().sub(_escape, text)


def xml_text(text: str) -> str:
    """``text`` that XML 1.0 can carry (tab, newline and carriage return are kept)."""
    return _not_xml().sub(_escape, text)


def has_undecodable(text: str) -> bool:
    """Whether ``text`` carries a file name's undecodable bytes (surrogate escapes); a quick test that lets
    renderers skip :func:`json_safe`'s walk for the common case."""
    return not text.isascii() and _surrogate().search(text) is not None  # isascii: one pass in C, no regex


def json_safe(value: Any) -> Any:
    """``value`` (JSON data) with the undecodable bytes of file names as ``\\xNN`` text."""
    if isinstance(value, str):
        return _surrogate().sub(_escape, value) if _surrogate().search(value) else value
    if isinstance(value, dict):
        return {json_safe(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value
