"""Durations and sizes as people write them in configuration files."""

from __future__ import annotations

import re

_DURATION_PART = re.compile(r"(\d+)(ms|s|m|h|d)")
_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_SIZE = re.compile(r"^\s*(\d+)\s*([KMG]i?B?|[kmg]|B)?\s*(/s)?\s*$")
_MULTIPLIER = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def seconds(value: int | float | str) -> float:
    """``10s`` → 10, ``1h30m`` → 5400, ``250ms`` → 0.25; a bare number is seconds."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        return float(value)
    text = value.strip()
    if text.isdigit():
        return float(text)
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(number + unit for number, unit in parts) != text:
        raise ValueError(f"not a duration: {value!r}")
    return sum(int(number) * _SECONDS[unit] for number, unit in parts)


def size_bytes(value: int | str) -> int:
    """``16KiB`` → 16384, ``2M/s`` → 2097152, ``4k`` → 4096; a bare number is bytes."""
    if isinstance(value, bool):
        raise ValueError(f"not a size: {value!r}")
    if isinstance(value, int):
        return value
    match = _SIZE.match(value)
    if not match:
        raise ValueError(f"not a size: {value!r}")
    unit = (match[2] or "")[:1].upper()
    return int(match[1]) * _MULTIPLIER[unit]
