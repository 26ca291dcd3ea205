"""The real-world-shaped server corpus, pinned: every finding tlslint reports there was judged by hand
(tests/fixtures/realworld/servers/judged.yaml, docs/corpus-servers.md).

A new finding, a lost finding, a changed exit code or diagnostic fails this test: a regression in
precision (a wrong finding appears) or in recall (a real weakness is no longer caught) cannot slip
through. When tlslint legitimately changes, judge the difference and update judged.yaml.
"""

from __future__ import annotations

import pytest
import yaml
from realworld import corpus

JUDGED = yaml.safe_load(corpus.JUDGED.read_text(encoding="utf-8"))
#: The bar of issue 11: true findings / all findings on the corpus.
MIN_PRECISION = 0.95


def test_every_case_is_judged() -> None:
    assert sorted(JUDGED) == corpus.cases()


@pytest.mark.parametrize("name", corpus.cases())
def test_findings_are_the_judged_ones(name: str) -> None:
    judged = JUDGED[name]
    actual = corpus.run_case(name)
    assert actual["findings"] == sorted(entry["finding"] for entry in judged["findings"])
    assert actual["diagnostics"] == judged["diagnostics"]
    assert actual["exit"] == judged["exit"]


def test_precision_on_the_corpus() -> None:
    verdicts = [entry["verdict"] for case in JUDGED.values() for entry in case["findings"]]
    assert set(verdicts) <= {"true", "false"}
    assert len(verdicts) >= 100
    precision = verdicts.count("true") / len(verdicts)
    assert precision >= MIN_PRECISION, f"precision {precision:.1%} on {len(verdicts)} findings"
