"""``techdoc.csv``: one row per EN 18031 technical-documentation evidence item.

Every EN 18031 requirement has two items in the technical documentation: the decision-tree result
(``E.Info.DT.<id>``) and its justification (``E.Just.DT.<id>``) — checked for every requirement of parts
1, 2 and 3 against the identifiers of the public technical-documentation template (Zealience, v1.3).
tlslint fills both: the status with its basis, and the reason with the evidence behind it. Further items
a catalogue names for a requirement (``evidence_ids``, e.g. ``E.Info.SCM-3.SCM``) get the evidence text
too. Each becomes one row, so a manufacturer can paste it into the template. Cells are
guarded against spreadsheet formula injection (inputs are hostile: a value starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return gets a leading apostrophe).
"""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = (
    "evidence_id",
    "framework",
    "requirement",
    "title",
    "status",
    "basis",
    "text",
    "open_questions",
    "references",
    "report_sha256",
)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _evidence(item: dict[str, Any]) -> str:
    parts = []
    if item.get("reason"):
        parts.append(item["reason"])
    for link in item.get("links", []):
        verdicts = [f"{s['id']} {s['verdict']}" for s in link.get("subjects", [])]
        parts.append(f"{link['rule']} ({link['relation']}): {', '.join(verdicts) or 'no subject in scope'}")
    for question in item.get("questions", []):
        if question.get("answer"):
            parts.append(f"{question.get('id', 'question')} answered: {question['answer']}")
    for deviation in item.get("deviations", []):
        parts.append(f"deviation {deviation['id']} ({deviation.get('kind')}, {deviation.get('state')})")
    return "; ".join(parts)


def _references(item: dict[str, Any]) -> str:
    places: dict[str, None] = {}  # each once, in order (a requirement may link every endpoint of a tree)
    for link in item.get("links", []):
        for subject in link.get("subjects", []):
            if subject.get("location"):
                places[subject["location"]] = None
    return " ".join(places)


def rows(document: dict[str, Any]) -> list[list[str]]:
    report_hash = document["integrity"]["report_sha256"]
    out = []
    for framework in document["frameworks"]:
        if not framework["id"].startswith("en18031"):
            continue
        for item in framework["requirements"]:
            open_questions = [q.get("ask", q.get("id", "")) for q in item.get("questions", []) if not q.get("answer")]
            requirement = item["requirement"]
            texts = {
                f"E.Info.DT.{requirement}": f"{item['status']} (basis: {item.get('basis', '')})",
                f"E.Just.DT.{requirement}": _evidence(item),
            }
            for evidence_id in item.get("evidence_ids", []):
                texts.setdefault(evidence_id, _evidence(item))
            for evidence_id, text in texts.items():
                out.append(
                    [
                        _cell(v)
                        for v in (
                            evidence_id,
                            framework["ref"],
                            requirement,
                            item.get("title", ""),
                            item["status"],
                            item.get("basis", ""),
                            text,
                            " | ".join(open_questions),
                            _references(item),
                            report_hash,
                        )
                    ]
                )
    return out


def render(document: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(document))
    return buffer.getvalue()
