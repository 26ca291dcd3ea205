"""The quick tests in front of safe_text's regular expressions (issue 16: they ran on every finding of
every report) agree with the expressions on every character that matters."""

from __future__ import annotations

import pytest

from tlslint.report import safe_text

#: Every ASCII and Latin-1 character, the direction controls, surrogates (undecodable file-name bytes)
#: and a few others on both sides of them.
CHARACTERS = [chr(code) for code in range(0x100)] + [
    chr(code) for code in (0x200D, 0x200E, 0x200F, 0x202A, 0x202E, 0x2066, 0x2069, 0xD800, 0xDC80, 0xDCFF, 0xE9, 0x4E2D)
]


@pytest.mark.parametrize("char", CHARACTERS, ids=lambda char: f"U+{ord(char):04X}")
def test_the_quick_paths_agree_with_the_expressions(char: str) -> None:
    text = f"finding {char} in site.conf"
    assert safe_text.printable(text) == safe_text._unprintable().sub(safe_text._escape, text)
    assert safe_text.has_undecodable(text) == (safe_text._surrogate().search(text) is not None)
