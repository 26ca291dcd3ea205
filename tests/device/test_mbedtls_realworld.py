"""The real-world-shaped Mbed TLS corpus (tests/fixtures/realworld/mbedtls, docs/engines/mbedtls-corpus.md):
every finding on it is judged, and nothing else may fire.

Annotations in the fixtures (``//`` or ``/* */`` comments):

* ``expect: RULE`` at the end of a line: a correct finding at exactly that line;
  on a line of its own: a correct finding somewhere in that file.
* ``wrong: RULE (why)``: the rule fires there and the finding was judged wrong; it is kept visible
  (and counted against precision) until the rule is calibrated.

A finding without an annotation fails the test, so does an annotation that does not fire.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from device.support import AT

from conftest import REPO, all_packs_policy

CORPUS = REPO / "tests" / "fixtures" / "realworld" / "mbedtls"
ANNOTATION = re.compile(r"(?://|/\*)\s*(expect|wrong):\s*([A-Z0-9]+-[A-Z0-9-]+(?:\s*,\s*[A-Z0-9]+-[A-Z0-9-]+)*)")


def judged(path: Path) -> list[tuple[str, str, int | None]]:
    """(verdict, rule id, line or None) for every annotation of one file."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = ANNOTATION.search(line)
        if match:
            standalone = not line[: match.start()].strip()
            for rule_id in re.split(r"\s*,\s*", match[2]):
                out.append((match[1], rule_id, None if standalone else number))
    return out


@pytest.fixture(scope="module")
def findings():
    from tlslint.run import lint

    result = lint([str(CORPUS)], all_packs_policy(), at=AT)
    assert not [d for d in result.inputs.diagnostics if d.severity == "error"], result.inputs.diagnostics
    by_file: dict[Path, set[tuple[str, int | None]]] = {}
    for finding in result.findings:
        by_file.setdefault(Path(finding.location.path).resolve(), set()).add((finding.rule_id, finding.location.line))
    return by_file, result


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*.h"))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_finding_is_judged_and_every_judgement_fires(path: Path, findings) -> None:
    by_file, _ = findings
    fired = by_file.get(path.resolve(), set())
    annotations = judged(path)
    for verdict, rule_id, line in annotations:
        lines = {at for rule, at in fired if rule == rule_id}
        where = f"{path.name}:{line}" if line is not None else path.name
        assert (line in lines) if line is not None else lines, f"{verdict}: {rule_id} does not fire at {where}"
    for rule_id, line in fired:
        covered = any(rule == rule_id and at in (line, None) for _, rule, at in annotations)
        assert covered, f"unjudged finding {rule_id} at {path.relative_to(CORPUS)}:{line}"


def test_corpus_precision(findings) -> None:
    """At least 95 % of the findings on the corpus are judged correct (issue 12)."""
    by_file, _ = findings
    right = wrong = 0
    for path in corpus_files():
        verdicts = {(rule, at): verdict for verdict, rule, at in judged(path)}
        for rule_id, line in by_file.get(path.resolve(), set()):
            verdict = verdicts.get((rule_id, line)) or verdicts.get((rule_id, None))
            right += verdict == "expect"
            wrong += verdict == "wrong"
    assert right + wrong >= 40
    assert right / (right + wrong) >= 0.95, (right, wrong)


def test_library_headers_and_tls_less_configurations_give_nothing(findings) -> None:
    _, result = findings
    subjects = {s.id.split("realworld/mbedtls/")[-1] for s in result.inputs.subjects}
    assert not [s for s in subjects if s.startswith(("vendored/", "x509-only/"))], subjects
    assert "zephyr/config-tls-generic.h" in subjects and "esp-kconfig/esp_config.h" in subjects
