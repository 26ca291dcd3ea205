"""Per-framework requirement results for the report, from :mod:`tlslint.compliance`'s verdicts."""

from __future__ import annotations

from typing import Any


def evaluate(invocation: Any, result: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(framework sections with requirement results, catalogue records for the header)."""
    if invocation.frameworks:
        from tlslint.errors import UsageError

        raise UsageError("framework catalogues are not available in this version of tlslint")
    return [], []
