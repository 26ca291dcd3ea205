"""JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure DevOps, CircleCI).

One ``<testsuite>`` per run; in it one ``<testcase>`` per finding (a ``<failure>``; a suppressed
finding is ``<skipped>`` with its reason), one per rule that was evaluated and held everywhere
(passed), and one per input that could not be read (an ``<error>``). Deterministic: no timestamps.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from tlslint.report.safe_text import xml_text
from tlslint.run import LintResult


def _case(classname: str, name: str) -> ET.Element:
    return ET.Element("testcase", {"classname": classname, "name": name, "time": "0"})


def _well_formed(root: ET.Element) -> None:
    """Every attribute and text in characters XML 1.0 allows: file names and values may hold
    control characters, which ElementTree would write raw into an ill-formed document."""
    for element in root.iter():
        for key, value in element.attrib.items():
            element.set(key, xml_text(value))
        if element.text:
            element.text = xml_text(element.text)


_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'


def render(result: LintResult, *, exit_code: int) -> str:
    return "".join(render_lines(result, exit_code=exit_code))


def render_lines(result: LintResult, *, exit_code: int) -> Iterator[str]:
    """The report as pieces of text — what indenting and writing the whole tree gives, but one test case
    at a time: a large repository's report would otherwise hold every case as elements and text at once.
    The counts on the suite come first, so they are counted before any case is written."""
    import secrets

    failing = {finding.rule_id for finding in result.findings}
    passing = [rule for rule in result.rules if rule.id not in failing and result.applicable.get(rule.id)]
    errors = [d for d in result.inputs.diagnostics if d.severity == "error"]
    skipped = sum(1 for finding in result.findings if finding.suppression is not None)
    counts = {
        "tests": len(result.findings) + len(passing) + len(errors),
        "failures": len(result.findings) - skipped,
        "errors": len(errors),
        "skipped": skipped,
    }
    root, suite = _skeleton(result, exit_code, counts)
    cases = _cases(result, passing, errors)
    case = next(cases, None)
    # The tree without its cases, with a stand-in nobody can predict where they go.
    stand_in = ET.SubElement(suite, f"tlslint-cases-{secrets.token_hex(8)}") if case is not None else None
    _well_formed(root)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    if stand_in is None:
        yield _HEADER + text + "\n"
        return
    head, tail = text.split(f"<{stand_in.tag} />")
    yield _HEADER + head
    for following in cases:
        yield _case_text(case) + "\n" + _INDENT * _CASE_LEVEL  # the indentation of the next case
        case = following
    yield _case_text(case) + tail + "\n"


_INDENT = "  "
_CASE_LEVEL = 2  # testsuites, testsuite, testcase


def _case_text(case: ET.Element) -> str:
    _well_formed(case)
    ET.indent(case, _INDENT, level=_CASE_LEVEL)
    return ET.tostring(case, encoding="unicode")


def _skeleton(result: LintResult, exit_code: int, counts: dict[str, int]) -> tuple[ET.Element, ET.Element]:
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
    for element in (root, suite):
        for key, value in counts.items():
            if element is root and key == "skipped":
                continue
            element.set(key, str(value))
    return root, suite


def _cases(result: LintResult, passing: list, errors: list) -> Iterator[ET.Element]:
    """Every test case, in order: the findings, the rules that held, the inputs that could not be read."""
    for finding in result.findings:
        case = _case(finding.rule_id, f"{finding.location}: {', '.join(finding.subjects)}")
        if finding.suppression is not None:
            text = f"suppressed ({finding.suppression.kind}): {finding.suppression.reason}"
            ET.SubElement(case, "skipped", {"message": text})
            yield case
            continue
        failure = ET.SubElement(
            case, "failure", {"type": finding.severity, "message": f"[{finding.severity}] {finding.message}"}
        )
        controls = ", ".join(ref.tag for ref in finding.references if ref.is_evidence)
        failure.text = (
            f"{finding.location}: {finding.rule_id} {finding.title}\n{finding.message}\n"
            f"fingerprint: {finding.fingerprint}\ncontrols: {controls}\n"
        )
        yield case
    for rule in passing:
        yield _case(rule.id, f"{rule.title} ({result.passes.get(rule.id, 0)} subjects)")
    for diagnostic in errors:
        case = _case("TLSLINT-INPUT", str(diagnostic.location))
        ET.SubElement(case, "error", {"type": "input", "message": diagnostic.message}).text = str(diagnostic)
        yield case
