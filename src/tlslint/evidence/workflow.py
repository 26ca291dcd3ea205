"""``tlslint report questions``: an amendments skeleton with one attestation stub per question that is
still open after evaluation (the product-profile skeleton is ``tlslint frameworks profile-skeleton``)."""

from __future__ import annotations

import json
from typing import Any


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar, whatever it holds


def questions(document: dict[str, Any]) -> str:
    """Attestation stubs for the open questions an attestation can answer (the catalogue's own); the
    questions tlslint generated from unknown values are listed as comments: they are answered by
    fixing the configuration or stating the runtime value (``--engine-version``)."""
    from tlslint.compliance import find_catalogue

    lines = [
        "# Answers to the open questions of a tlslint report (schema: tlslint schema amendments).",
        "# Fill in answer, result (pass | fail), author, approver and dates; pass with --attestations.",
        "apiVersion: tlslint/amendments/v1",
        "attestations:",
    ]
    count = 0
    at = document["header"]["at"]
    for framework in document["frameworks"]:
        catalogue = find_catalogue(framework["ref"])
        for item in framework["requirements"]:
            answerable = {q.id for q in catalogue.requirements[item["requirement"]].questions}
            for question in item["questions"]:
                if question.get("answer"):
                    continue
                qid = f"{framework['ref']}:{item['requirement']}"
                if question["id"] not in answerable:
                    lines.append(f"  # {qid} ({item['status']}): {question['ask']}")
                    continue
                count += 1
                lines += [
                    f"  # {qid} ({item['status']}): {question['ask']}",
                    f"  - id: A-{count}",
                    f"    requirement: {_quoted(qid)}",
                    f"    question: {_quoted(question['id'])}",
                    "    result: pass",
                    '    answer: ""',
                    '    author: ""',
                    '    approver: ""',
                    f'    answered_on: "{at}"',
                    '    expires: ""',
                ]
    if count == 0:
        lines[-1] = "attestations: []"
    return "\n".join(lines) + "\n"
