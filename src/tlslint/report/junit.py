"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure DevOps, CircleCI).

One ``<testsuite>`` per run; in it one ``<testcase>`` per finding (a ``<failure>``; a suppressed
finding is ``<skipped>`` with its reason), one per rule that was evaluated and held everywhere
(passed), and one per input that could not be read (an ``<error>``). Deterministic: no timestamps.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tlslint.report.safe_text import xml_text
from tlslint.run import LintResult


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", {"classname": classname, "name": name, "time": "0"})


def _well_formed(root: ET.Element) -> None:
    """Every attribute and text in characters XML 1.0 allows: file names and values may hold
    control characters, which ElementTree would write raw into an ill-formed document."""
    for element in root.iter():
        for key, value in element.attrib.items():
            element.set(key, xml_text(value))
        if element.text:
            element.text = xml_text(element.text)


def render(result: LintResult, *, exit_code: int) -> str:
    root = ET.Element("testsuites", {"name": "tlslint"})
    suite = ET.SubElement(root, "testsuite", {"name": f"tlslint {result.policy.name}"})
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("policy", result.policy.name),
        ("policy_sha256", result.policy.content_hash),
        ("exit_code", str(exit_code)),
        ("suppressed", str(len(result.suppressed))),
        *((f"suppressed_{k}", str(n)) for k, n in result.suppressed_by_kind().items()),
        *((f"engine_{e.name}", str(e)) for e in result.inputs.engine_assumptions()),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    failures = skipped = errors = tests = 0
    failing_rules = set()
    for finding in result.findings:
        tests += 1
        failing_rules.add(finding.rule_id)
        case = _case(suite, finding.rule_id, f"{finding.location}: {', '.join(finding.subjects)}")
        if finding.suppression is not None:
            skipped += 1
            text = f"suppressed ({finding.suppression.kind}): {finding.suppression.reason}"
            ET.SubElement(case, "skipped", {"message": text})
            continue
        failures += 1
        failure = ET.SubElement(
            case, "failure", {"type": finding.severity, "message": f"[{finding.severity}] {finding.message}"}
        )
        controls = ", ".join(ref.tag for ref in finding.references if ref.is_evidence)
        failure.text = (
            f"{finding.location}: {finding.rule_id} {finding.title}\n{finding.message}\n"
            f"fingerprint: {finding.fingerprint}\ncontrols: {controls}\n"
        )
    for rule in result.rules:
        if rule.id not in failing_rules and result.applicable.get(rule.id):
            tests += 1
            _case(suite, rule.id, f"{rule.title} ({result.passes.get(rule.id, 0)} subjects)")
    for diagnostic in result.inputs.diagnostics:
        if diagnostic.severity != "error":
            continue
        tests += 1
        errors += 1
        case = _case(suite, "TLSLINT-INPUT", str(diagnostic.location))
        ET.SubElement(case, "error", {"type": "input", "message": diagnostic.message}).text = str(diagnostic)
    counts = {"tests": tests, "failures": failures, "errors": errors, "skipped": skipped}
    for element in (root, suite):
        for key, value in counts.items():
            if element is root and key == "skipped":
                continue
            element.set(key, str(value))
    _well_formed(root)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
