"""``report.oscal-ar.json``: NIST OSCAL 1.2 assessment results, emitted by our own code.

Why our own emitter: compliance-trestle's models would cost 64 MiB of dependencies and half a second of
import at run time; the document is plain JSON, and the test suite validates it with trestle's models.

Mapping (one OSCAL ``result`` per framework):

* ``reviewed-controls``: the requirements in scope; not-applicable ones under ``exclude-controls``;
* ``findings``: one per requirement, target ``objective-id`` = the requirement, status *satisfied*
  (pass, not-applicable) or *not-satisfied* (fail, manual, not-covered) with reason pass/fail/other and
  the tlslint status as a property, so a manual item is never read as a pass;
* ``observations``: per requirement the automated evidence (method EXAMINE; subjects are the endpoints as
  inventory items; relevant evidence = the input files with their SHA-256), and per attestation an
  INTERVIEW observation;
* ``risks``: deviations, status *deviation-approved* (or *open* once expired).

OSCAL ``control-id`` is a token (no spaces): ``CR 1.9 RE1`` becomes ``cr_1.9_re1`` and the original id
is kept as a property. UUIDs are UUIDv5 of the report hash and the element's key: deterministic.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from tlslint.evidence.cbom import NAMESPACE

OSCAL_VERSION = "1.2.1"
NS = "https://tlslint.dev/ns/oscal"
SATISFIED = {"pass", "not-applicable"}
REASON = {"pass": "pass", "fail": "fail"}


def _token(text: str) -> str:
    token = re.sub(r"[^A-Za-z0-9_.-]+", "_", text).lower()
    return token if re.match(r"[A-Za-z_]", token) else f"_{token}"


def _prop(name: str, value: Any) -> dict[str, str]:
    return {"name": name, "ns": NS, "value": str(value)}


def render(document: dict[str, Any]) -> str:
    report_hash = document["integrity"]["report_sha256"]
    head = document["header"]

    def uid(*key: str) -> str:
        return str(uuid.uuid5(NAMESPACE, "|".join(("oscal", report_hash, *key))))

    at = f"{head['at']}T00:00:00+00:00"
    plan = uid("assessment-plan")
    inventory = [
        {
            "uuid": uid("endpoint", e["id"]),
            "description": f"TLS {e.get('role') or 'endpoint'} {e['label']} ({e['engine']})",
            "props": [_prop("endpoint-id", e["id"]), _prop("location", _where(e))],
        }
        for e in document["inventory"]["endpoints"]
    ]
    evidence = [
        {
            "href": f"file:{i['path']}",
            "description": f"input file read by the {i['parser']} parser",
            "props": [_prop("sha256", i["sha256"]), _prop("size", i["size"])],
        }
        for i in head["inputs"]
    ]
    results = [_result(framework, uid, at, inventory, evidence) for framework in document["frameworks"]]
    if not results:
        results = [
            {
                "uuid": uid("result", "no-framework"),
                "title": "tlslint static analysis (no framework selected)",
                "description": "No framework was selected; see report.json for the findings.",
                "start": at,
                "reviewed-controls": {"control-selections": [{"include-all": {}}]},
            }
        ]
    body = {
        "assessment-results": {
            "uuid": uid("assessment-results"),
            "metadata": {
                "title": "tlslint evidence report",
                "last-modified": at,
                "version": report_hash,
                "oscal-version": OSCAL_VERSION,
                "props": [_prop("report-sha256", report_hash), _prop("tool-version", head["tool"]["version"])],
            },
            "import-ap": {"href": f"#{plan}"},
            "results": results,
            "back-matter": {
                "resources": [
                    {
                        "uuid": plan,
                        "title": "No assessment plan",
                        "description": "Continuous static analysis by tlslint; the scope and method are stated in "
                        "report.json (header.invocation, header.method).",
                    }
                ]
            },
        }
    }
    # Compact: an indented dump takes the pure-Python encoder (0.2 s for a two-framework report).
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def _where(entry: dict[str, Any]) -> str:
    location = entry.get("location") or {}
    return ":".join(str(location[k]) for k in ("path", "line", "column") if location.get(k) is not None) or "-"


def _result(framework: dict[str, Any], uid: Any, at: str, inventory: list[Any], evidence: list[Any]) -> dict[str, Any]:
    ref = framework["ref"]
    included, excluded = [], []
    observations: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    risks: list[dict[str, Any]] = []
    endpoint_uuid = {item["props"][0]["value"]: item["uuid"] for item in inventory}
    for item in framework["requirements"]:
        requirement, status = item["requirement"], item["status"]
        control = {"control-id": _token(requirement)}
        (excluded if status == "not-applicable" else included).append(control)
        related = []
        subjects = sorted({s["id"] for link in item.get("links", []) for s in link.get("subjects", [])})
        if item.get("links"):
            observation = {
                "uuid": uid(ref, requirement, "examine"),
                "title": f"Automated evidence for {requirement}",
                "description": _evidence_text(item),
                "methods": ["EXAMINE"],
                "types": ["finding"],
                "collected": at,
            }
            refs = [
                {"subject-uuid": endpoint_uuid[s], "type": "inventory-item"} for s in subjects if s in endpoint_uuid
            ]
            if refs:
                observation["subjects"] = refs
            files = _files_of(item, evidence)
            if files:
                observation["relevant-evidence"] = files
            observations.append(observation)
            related.append({"observation-uuid": observation["uuid"]})
        for attestation in item.get("attestations", []):
            observation = {
                "uuid": uid(ref, requirement, "attestation", attestation["id"]),
                "title": f"Attestation {attestation['id']} for {requirement}",
                "description": attestation.get("answer") or "(no answer text)",
                "methods": ["INTERVIEW"],
                "collected": at,
                "props": [
                    _prop("attestation-id", attestation["id"]),
                    _prop("state", attestation.get("state", "valid")),
                ],
            }
            observations.append(observation)
            related.append({"observation-uuid": observation["uuid"]})
        risk_refs = []
        for deviation in item.get("deviations", []):
            risk = {
                "uuid": uid(ref, requirement, "deviation", deviation["id"]),
                "title": f"Deviation {deviation['id']} from {requirement}",
                "description": deviation.get("justification") or "(no justification)",
                "statement": f"{deviation.get('kind', 'deviation')} deviation approved by "
                f"{deviation.get('approver') or 'nobody'}, expires {deviation.get('expires') or 'never'}",
                "status": "deviation-approved" if deviation.get("state") != "expired" else "open",
            }
            risks.append(risk)
            risk_refs.append({"risk-uuid": risk["uuid"]})
        target_status: dict[str, Any] = {"state": "satisfied" if status in SATISFIED else "not-satisfied"}
        target_status["reason"] = REASON.get(status, "other")
        finding = {
            "uuid": uid(ref, requirement, "finding"),
            "title": f"{requirement} {item.get('title', '')}".strip(),
            "description": item.get("reason") or item.get("summary") or status,
            "props": [
                _prop("tlslint-status", status),
                _prop("basis", item.get("basis", "")),
                _prop("requirement", requirement),
            ],
            "target": {"type": "objective-id", "target-id": _token(requirement), "status": target_status},
        }
        if related:
            finding["related-observations"] = related
        if risk_refs:
            finding["related-risks"] = risk_refs
        findings.append(finding)
    selection: dict[str, Any] = {"include-controls": included} if included else {"include-all": {}}
    if excluded:
        selection["exclude-controls"] = excluded
    result: dict[str, Any] = {
        "uuid": uid(ref, "result"),
        "title": f"{ref}: {framework.get('title', ref)}",
        "description": f"Per-requirement results for {ref} (catalogue {framework.get('catalogue_version', '?')}, "
        f"SHA-256 {framework.get('sha256', '?')}).",
        "start": at,
        "props": [_prop("framework", ref)],
        "reviewed-controls": {"control-selections": [selection]},
    }
    if inventory:
        result["local-definitions"] = {"inventory-items": inventory}
    for key, items in (("observations", observations), ("findings", findings), ("risks", risks)):
        if items:
            result[key] = items
    return result


def _files_of(item: dict[str, Any], evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The input files (with their SHA-256) the requirement's evidence was read from."""
    places = {
        subject["location"].rsplit(":", 2)[0] if subject.get("location") else ""
        for link in item.get("links", [])
        for subject in link.get("subjects", [])
    }
    places |= {subject.get("location") or "" for link in item.get("links", []) for subject in link.get("subjects", [])}
    return [e for e in evidence if e["href"].removeprefix("file:") in places]


def _evidence_text(item: dict[str, Any]) -> str:
    lines = []
    for link in item.get("links", []):
        verdicts = ", ".join(f"{s['id']}: {s['verdict']}" for s in link.get("subjects", [])) or "no subject in scope"
        lines.append(f"{link['rule']} ({link['relation']}): {verdicts}")
    return "; ".join(lines)
