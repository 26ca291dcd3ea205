"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme) and the report hash.

Why our own ~40 lines instead of a package: RFC 8785 for data without floating-point numbers (the report
holds none: a float would make the hash depend on number formatting, so :func:`canonical` refuses it) is
three rules — object members sorted by their UTF-16 code units, no insignificant whitespace, and the
minimal string escaping that ``json.dumps(..., ensure_ascii=False)`` already produces.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any


def _utf16_key(text: str) -> bytes:
    return text.encode("utf-16-be")


def _emit(value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append("{")
        for index, key in enumerate(sorted(value, key=_utf16_key)):
            if not isinstance(key, str):
                raise TypeError(f"object key {key!r} is not a string")
            if index:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _emit(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _emit(item, out)
        out.append("]")
    elif isinstance(value, bool) or value is None or isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, int):
        out.append(str(value))
    else:
        raise TypeError(f"{type(value).__name__} has no canonical JSON form (floats are refused on purpose)")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _refuse_float(token: str) -> Any:
    raise TypeError(f"float {token} has no canonical JSON form (floats are refused on purpose)")


def canonical(value: Any) -> str:
    """The RFC 8785 form of ``value`` (dicts, lists, strings, ints, booleans and null only).

    Fast path: the C encoder with sorted keys. It is RFC 8785 exactly when no text holds a character
    outside the Basic Multilingual Plane (then code-point order is UTF-16 order) and there is no float —
    both checked on the output by C code (a regex, and a re-parse whose float hook refuses)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    json.loads(text, parse_float=_refuse_float)
    if _ASTRAL.search(text) is None:
        return text
    out: list[str] = []
    _emit(value, out)
    return "".join(out)


def sha256_of(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()
