"""Shared helpers of the evidence-report tests: make a report, load its parts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import REPO, run_cli

FIRMWARE = REPO / "examples" / "firmware"
HARDENED = REPO / "examples" / "firmware-hardened"
AT = "2026-12-01"
ALL_FORMATS = "html,json,oscal-ar,techdoc-csv,cbom"


def available_frameworks() -> set[str]:
    from tlslint.compliance import load_catalogues

    return {catalogue.id for catalogue in load_catalogues().values()}


def make_report(paths: list[str], out: Path, *extra: str, cwd: Path | None = None, formats: str = ALL_FORMATS):
    result = run_cli("report", *paths, "--format", formats, "--output-dir", str(out), "--at", AT, *extra, cwd=cwd)
    return result


def load(out: Path, name: str = "report.json") -> Any:
    return json.loads((out / name).read_text(encoding="utf-8"))


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
