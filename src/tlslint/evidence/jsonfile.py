"""``report.json`` as written: one top-level key per line and, in lists, one item per line — readable,
grep- and diff-friendly — with every value in compact JSON (the C encoder: indenting would take the slow
pure-Python one). The order is deterministic; the content hashes (RFC 8785) to
``integrity.report_sha256``."""

from __future__ import annotations

import json
from typing import Any


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def render(document: dict[str, Any]) -> str:
    lines = ["{"]
    keys = sorted(document)
    for position, key in enumerate(keys):
        comma = "," if position < len(keys) - 1 else ""
        value = document[key]
        if isinstance(value, list) and value:
            lines.append(f"{json.dumps(key)}: [")
            lines.extend(f"  {_compact(item)}," for item in value[:-1])
            lines.append(f"  {_compact(value[-1])}")
            lines.append(f"]{comma}")
        else:
            lines.append(f"{json.dumps(key)}: {_compact(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"
