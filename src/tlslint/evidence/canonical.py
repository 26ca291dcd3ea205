"""Canonical JSON (RFC 8785, JSON Canonicalization Scheme) and the report hash.

Why our own ~40 lines instead of a package: RFC 8785 for data without floating-point numbers (the report
holds none: a float would make the hash depend on number formatting, so :func:`canonical` refuses it) is
three rules — object members sorted by their UTF-16 code units, no insignificant whitespace, and the
minimal string escaping that ``json.dumps(..., ensure_ascii=False)`` already produces.
"""

from __future__ import annotations

import hashlib
import json
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


def _plain_bmp(value: Any) -> bool:
    """Whether ``value`` holds no float and no object key outside the Basic Multilingual Plane — then
    Python's code-point key order is RFC 8785's UTF-16 order and the C encoder produces the same text."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in item:
                if not isinstance(key, str) or not (key.isascii() or all(ord(c) < 0x10000 for c in key)):
                    return False
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, float):
            return False
    return True


def canonical(value: Any) -> str:
    """The RFC 8785 form of ``value`` (dicts, lists, strings, ints, booleans and null only)."""
    if _plain_bmp(value):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    out: list[str] = []
    _emit(value, out)
    return "".join(out)


def sha256_of(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()
