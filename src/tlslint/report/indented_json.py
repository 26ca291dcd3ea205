"""``json.dumps(value, indent=2, ensure_ascii=False)``, the same text, about three times as fast.

Why not the standard library: :mod:`json` uses its C encoder only without ``indent``; with it, every
value goes through a chain of Python generators (``json.encoder._make_iterencode``). SARIF and the
GitLab report are indented documents of one object per finding, and a repository with 20,000 findings
spent more time there than in all the rules. This module walks the value once, in one recursive
function, and leaves the leaves to the same C functions :mod:`json` uses (string escaping, ``int`` and
``float`` representations), so the text is the same: ``tests/report/test_indented_json.py`` compares
the two on generated values of every kind :mod:`json` encodes.

Only what :mod:`json` encodes without help is supported: strings, numbers, booleans, ``None``, lists,
tuples and dictionaries (with string, number, boolean or ``None`` keys). Anything else is handed to
:mod:`json` itself, which raises its usual ``TypeError``.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function json uses when ensure_ascii is False
from typing import Any

INDENT = "  "


def dumps_indented(value: Any) -> str:
    """The text of ``json.dumps(value, indent=2, ensure_ascii=False)``."""
    parts: list[str] = []
    _write(value, "\n", parts)
    return "".join(parts)


def _float(value: float) -> str:
    # As json.encoder's floatstr with allow_nan=True: NaN and the infinities as JavaScript writes them.
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    # As json's dictionary encoder turns keys into strings (sort_keys and skipkeys off).
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


#: Dictionary keys as written (``"key": ``): the documents repeat a few dozen keys in every result.
_KEYS: dict[str, str] = {}
_KEYS_KEPT = 4096


def _write(value: Any, newline: str, parts: list[str]) -> None:
    """Append the text of ``value`` to ``parts``; ``newline`` is a line break plus the current indent.
    The order of the type tests is json's (a ``bool`` is an ``int``; a ``str`` subclass is a string)."""
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(_float(value))
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = newline + INDENT
        separator = "[" + inner
        for item in value:
            if item.__class__ is str:  # most items: written here, without a call per leaf
                parts.append(separator + encode_basestring(item))
            else:
                parts.append(separator)
                _write(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + INDENT
        separator = "{" + inner
        for key, item in value.items():
            name = _KEYS.get(key) if key.__class__ is str else None
            if name is None:
                name = encode_basestring(_key(key)) + ": "
                if key.__class__ is str and len(_KEYS) < _KEYS_KEPT:
                    _KEYS[key] = name
            if item.__class__ is str:
                parts.append(separator + name + encode_basestring(item))
            else:
                parts.append(separator + name)
                _write(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    else:  # not JSON without a default function: json raises its own error
        parts.append(json.dumps(value, indent=2, ensure_ascii=False))
