"""Baselines: the findings a repository already had, so that CI fails only on new ones.

A baseline is a reviewable JSON file (``tlslint baseline create``), one entry per fingerprint with a
count — two identical findings are two occurrences, and a third one is new. Fingerprints do not
contain line numbers (see :mod:`tlslint.findings`), so edits elsewhere in a file do not turn old
findings into new ones, and a finding moved to another file is new.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from tlslint.errors import ConfigError
from tlslint.findings import Finding
from tlslint.records import Record

FORMAT_VERSION = 1


class Baseline(Record):
    """A baseline file: the fingerprints of accepted findings, with how many of each."""

    __slots__ = ("path", "counts", "entries")

    path: str
    counts: Counter[str]
    entries: list[dict[str, Any]]

    def __init__(
        self, path: str, counts: Counter[str] | None = None, entries: list[dict[str, Any]] | None = None
    ) -> None:
        self.path = path
        self.counts = Counter() if counts is None else counts
        self.entries = [] if entries is None else entries

    def consume(self, fingerprint: str) -> bool:
        """True (and one occurrence fewer) when the baseline still holds ``fingerprint``."""
        if self.counts[fingerprint] > 0:
            self.counts[fingerprint] -= 1
            return True
        return False


def build(findings: list[Finding], *, policy: str) -> dict[str, Any]:
    from tlslint import __version__
    from tlslint.repo import repo_relative

    grouped: dict[str, dict[str, Any]] = {}
    for finding in findings:
        entry = grouped.get(finding.fingerprint)
        if entry is None:
            grouped[finding.fingerprint] = {
                "fingerprint": finding.fingerprint,
                "rule_id": finding.rule_id,
                "severity": finding.severity,
                "path": repo_relative(finding.location.path),
                "message": finding.message,
                "count": 1,
            }
        else:
            entry["count"] += 1
    entries = sorted(grouped.values(), key=lambda e: (e["path"], e["rule_id"], e["fingerprint"]))
    return {"tlslint_baseline": FORMAT_VERSION, "tool_version": __version__, "policy": policy, "findings": entries}


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise ConfigError(path, "baseline file not found (create it with 'tlslint baseline create')") from None
    except OSError as error:
        raise ConfigError(path, f"cannot read baseline: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path}:{error.lineno}:{error.colno}", f"baseline is not valid JSON: {error.msg}") from None
    except UnicodeDecodeError:
        raise ConfigError(path, "baseline is not UTF-8 text") from None
    if not isinstance(data, dict) or data.get("tlslint_baseline") != FORMAT_VERSION:
        raise ConfigError(path, f'not a tlslint baseline (expected "tlslint_baseline": {FORMAT_VERSION})')
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise ConfigError(path, "baseline has no 'findings' list")
    baseline = Baseline(path)
    for index, entry in enumerate(entries):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        count = entry.get("count", 1) if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not isinstance(count, int) or count < 1:
            raise ConfigError(path, f"baseline entry {index + 1} needs a 'fingerprint' and a positive 'count'")
        baseline.counts[fingerprint] += count
        baseline.entries.append(entry)
    return baseline
