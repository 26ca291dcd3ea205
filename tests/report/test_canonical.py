"""RFC 8785 canonical JSON: the form the report hash is computed over."""

from __future__ import annotations

import pytest

from tlslint.evidence.canonical import canonical, sha256_of


def test_members_sorted_by_utf16_code_units_not_code_points():
    # U+10000 is a surrogate pair (0xD800 0xDC00) in UTF-16 and sorts before U+FB01 there, though its
    # code point is larger: RFC 8785 section 3.2.3.
    data = {"\ufb01": 1, "\U00010000": 2, "a": 3, "B": 4}
    assert canonical(data) == '{"B":4,"a":3,"\U00010000":2,"\ufb01":1}'


def test_no_whitespace_and_minimal_escapes():
    assert canonical({"k": ["a\nb", "\u0001", "é", "</script>", True, None, 0]}) == (
        '{"k":["a\\nb","\\u0001","é","</script>",true,null,0]}'
    )


def test_floats_are_refused():
    with pytest.raises(TypeError, match="float"):
        canonical({"x": 1.5})


def test_hash_ignores_key_order():
    assert sha256_of({"a": 1, "b": [1, 2]}) == sha256_of({"b": [1, 2], "a": 1})
