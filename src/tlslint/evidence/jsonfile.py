"""``report.json`` as written: indented, keys sorted, one trailing newline — deterministic bytes whose
content hashes (RFC 8785) to ``integrity.report_sha256``."""

from __future__ import annotations

import json
from typing import Any


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
