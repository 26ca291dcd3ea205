"""report.finding_json writes each finding exactly as ``json.dumps(finding.to_json())`` does in the JSON
check report: generated findings of every shape, and the findings of real runs."""

from __future__ import annotations

import datetime
import enum
import json
import math
import random
from pathlib import Path
from typing import Any

import pytest

from tlslint.findings import Finding, Suppression
from tlslint.model.located import Location
from tlslint.report.finding_json import FindingLines
from tlslint.report.safe_text import json_safe
from tlslint.rules.model import Reference

REPO = Path(__file__).resolve().parents[2]
ITEM_JSON = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))

STRINGS = ["", "a", 'quote " and \\ backslash', "\n\t\r\x00\x1f\x7f", "ü€𝄞", "\u2028\u2029", "]},[{", "\ud800 lone"]


class Colour(enum.IntEnum):
    RED = 1


class Name(enum.StrEnum):
    LEAF = "leaf"


def expected(finding: Finding) -> str:
    """What the report wrote before: the finding's dictionary, made safe only if it has to be."""
    text = ITEM_JSON.encode(finding.to_json())
    if any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        text = ITEM_JSON.encode(json_safe(finding.to_json()))
    return text


def _string(rng: random.Random) -> Any:
    text = rng.choice(STRINGS) + "".join(chr(rng.randrange(0x30000)) for _ in range(rng.randrange(3)))
    return Name.LEAF if rng.random() < 0.02 else text


def _path(rng: random.Random) -> Any:
    choices = [
        str(REPO / "examples" / "nginx.conf"),  # inside the repository: written relative, with spelled_path
        "examples/nginx.conf",
        "/elsewhere/ca.pem",  # outside the repository and the working directory
        "/elsewhere/\udcff-undecodable.pem",
        "relative/ü space.conf",
    ]
    return rng.choice(choices)


def _number(rng: random.Random) -> Any:
    if rng.random() < 0.03:
        return rng.choice([True, Colour.RED, 1.5])  # written through to_json
    return rng.choice([None, None, 1, 42, 2**40, 0])


def _location(rng: random.Random) -> Location:
    return Location(_path(rng), _number(rng), _number(rng), _number(rng), _number(rng))


def _scalar(rng: random.Random) -> Any:
    if rng.random() < 0.05:
        return rng.choice([0.5, math.inf, math.nan, Colour.RED, Name.LEAF, ("a", 1)])  # written through to_json
    return rng.choice([_string(rng), 7, -3, 2**70, True, False, None])


REFERENCES = [
    (),
    (Reference("RFC", "5280"),),
    (Reference("OCPP-2.0.1", "A00.FR.508", requirement="ocpp@x:A00.FR.508"), Reference("RFC", "8996")),
    (Reference("NIST", "3.1", relation="context"), Reference("ETSI", "5.4-4", note="n", requirement="etsi:5.4-4")),
]


def _finding(rng: random.Random) -> Finding:
    location = _location(rng)
    return Finding(
        rule_id=_string(rng),
        title=_string(rng),
        severity=rng.choice(["low", "high", "critical"]),
        confidence=rng.choice(["high", "medium"]),
        message=_string(rng),
        location=location,
        related=tuple(rng.choice([location, _location(rng)]) for _ in range(rng.randrange(3))),
        subject_kind=rng.choice(["certificate", "endpoint", _string(rng)]),
        subjects=tuple(_string(rng) for _ in range(rng.randrange(3))),
        field=rng.choice([None, "cert.key.bits", _string(rng)]),
        offending=tuple(_scalar(rng) for _ in range(rng.randrange(4))),
        origin=rng.choice([None, "explicit", "default"]),
        references=rng.choice(REFERENCES),
        fingerprint=rng.choice(["0f9df62cef6249253fcabe92132d50ee", _string(rng)]),
        suppression=Suppression("inline", "accepted", location) if rng.random() < 0.1 else None,
    )


@pytest.mark.parametrize("seed", range(30))
def test_generated_findings_are_written_as_json_writes_them(seed: int) -> None:
    rng = random.Random(seed)
    findings = [_finding(rng) for _ in range(60)]
    lines = FindingLines(ITEM_JSON)
    for finding in findings + findings[::-1]:  # again, from the memory of rules, places and paths
        assert lines.line(finding) == expected(finding)
    assert sum(lines._direct(finding) is not None for finding in findings) >= 10  # not all through to_json


def test_findings_of_one_place_keep_their_own_lines() -> None:
    """The last location is remembered by identity: an equal location elsewhere, or a new one, is written anew."""
    lines = FindingLines(ITEM_JSON)
    rng = random.Random(1)
    base = _finding(rng)
    for line in (3, 3, 4, None):
        place = Location("/elsewhere/a.pem", line)
        finding = Finding(**{**{name: getattr(base, name) for name in Finding.__slots__}, "location": place})
        assert lines.line(finding) == expected(finding)


@pytest.mark.parametrize("tree", ["examples", "tests/fixtures"])
def test_findings_of_real_runs_are_written_as_json_writes_them(tree: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tlslint.policy import load_policy
    from tlslint.run import lint

    monkeypatch.chdir(REPO)
    result = lint([tree], load_policy("secure-defaults"), at=datetime.date(2026, 12, 1), jobs=1)
    assert result.findings
    lines = FindingLines(ITEM_JSON)
    assert [lines.line(finding) for finding in result.findings] == [expected(f) for f in result.findings]
