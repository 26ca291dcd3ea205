"""``tlslint check`` lets go of each subject's settings as soon as every rule has looked at it, so a large
run never holds every setting and every finding at once — and its findings stay those of a run that
keeps everything (:func:`tlslint.rules.evaluate.findings_by_rule` with ``release``)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tlslint.commands._common import resolve_policy
from tlslint.findings import build_findings
from tlslint.model.subject import Subject
from tlslint.rules import evaluate
from tlslint.rules.evaluate import Evaluation, evaluate_by_rule, findings_by_rule
from tlslint.rules.loader import load_packs
from tlslint.run import lint, parse_inputs
from tlslint.sources.base import ParseContext

from conftest import REPO


def _tree(root: Path) -> Path:
    # One http-level line that 20 servers inherit: one finding naming all 20, across chunk boundaries.
    servers = "".join(f"    server {{ listen {8000 + n} ssl; server_name s{n}.example; }}\n" for n in range(20))
    (root / "shared.conf").write_text(f"http {{\n    ssl_protocols TLSv1 TLSv1.2;\n{servers}}}\n")
    return root


def test_findings_evaluated_a_chunk_at_a_time_are_the_findings_of_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same findings (every field), same order, same counts in the same key order; each chunk released
    once, in order, after every rule has evaluated it and before the next chunk is evaluated."""
    policy = resolve_policy(None)
    rules = policy.select(load_packs(policy.packs))
    inputs = parse_inputs(
        [str(REPO / "tests" / "fixtures"), str(REPO / "examples"), str(_tree(tmp_path))],
        ParseContext(datetime.date(2026, 6, 1)),
    )
    assert len(inputs.subjects) > 100
    once = Evaluation()
    one = [build_findings(failures) for failures in evaluate_by_rule(rules, inputs.subjects, policy, once)]
    spanning = [f for built in one for f in built if len(f.subjects) >= 20]
    assert spanning, "no finding names the 20 servers: the merge across chunks went untested"

    monkeypatch.setattr(evaluate, "RELEASE_CHUNK", 7)
    released: list[Subject] = []
    steps: list[str] = []
    evaluate_chunk = evaluate.evaluate_by_rule

    def logged(rules, chunk, *args):  # type: ignore[no-untyped-def]
        steps.append("evaluate")
        yield from evaluate_chunk(rules, chunk, *args)

    monkeypatch.setattr(evaluate, "evaluate_by_rule", logged)

    def release(chunk: list[Subject]) -> None:
        steps.append("release")
        position = len(released)
        assert chunk == inputs.subjects[position : position + len(chunk)]  # in order, each once
        assert all(subject.fields or subject.kind != "endpoint" for subject in inputs.subjects[position:])
        released.extend(chunk)
        for subject in chunk:
            subject.fields = {}

    originals = list(inputs.subjects)
    read_values = [located for s in originals for located in s.fields.values()]  # kept alive: ids stay theirs
    read_places = {id(s.location) for s in originals} | {id(located.location) for located in read_values}
    chunked = Evaluation()
    built = list(findings_by_rule(rules, inputs.subjects, policy, chunked, release=release))
    assert released == originals and inputs.subjects == originals  # copies, equal but for the settings
    # What outlives the settings was copied out of their memory (tlslint.survivors), originals still alive here.
    assert not any(
        copy is original or copy.id is original.id for copy, original in zip(inputs.subjects, originals, strict=True)
    )
    assert not any(id(finding.location) in read_places for findings in built for finding in findings)
    assert steps == ["evaluate", "release"] * -(-len(inputs.subjects) // 7)
    assert built == one
    assert list(chunked.passes.items()) == list(once.passes.items())
    assert list(chunked.applicable.items()) == list(once.applicable.items())


def test_one_process_check_keeps_the_identity_of_subjects_not_their_settings(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    kept = lint([str(tree), str(REPO / "examples")], resolve_policy(None), jobs=1)
    released = lint([str(tree), str(REPO / "examples")], resolve_policy(None), jobs=1, keep_fields=False)
    assert released.findings == kept.findings
    assert (released.passes, released.applicable) == (kept.passes, kept.applicable)
    assert [(s.kind, s.id, s.location, s.engine) for s in released.inputs.subjects] == [
        (s.kind, s.id, s.location, s.engine) for s in kept.inputs.subjects
    ]
    assert all(s.fields for s in kept.inputs.subjects if s.kind == "endpoint")
    assert not any(s.fields for s in released.inputs.subjects)


def test_findings_share_equal_parts_but_never_another_findings_words() -> None:
    """Findings of one rule share a subject's one-subject id list and its own related place
    (findings.SharedParts); a value inherited through the subject's own line keeps its own note."""
    from tlslint.findings import Failure
    from tlslint.model.located import Located, Location
    from tlslint.rules.conditions import Outcome, Verdict

    policy = resolve_policy(None)
    rule = next(r for r in policy.select(load_packs(policy.packs)) if r.id == "TLS-PROTO-001")
    params = policy.params_for(rule)
    server = Subject("endpoint", "server[:443]", Location("a.conf", 3, 5), "nginx")
    first_line, second_line = Location("a.conf", 1, 15), Location("a.conf", 2, 15)
    failures = [
        Failure(rule, server, Outcome(Verdict.FAIL, "protocols", Located(["SSLv3"], location=line)), "high", params)
        for line in (first_line, second_line)
    ]
    one, two = build_findings(failures)
    assert one.subjects == two.subjects == ("server[:443]",) and one.subjects is two.subjects
    assert one.related == (server.location,) and one.related is two.related
    assert one.related_notes == ("endpoint server[:443]",)

    # The value is inherited through the subject's own line: that place's note says so.
    inherited = Located(["SSLv3"], location=server.location, via=(server.location,))
    (own,) = build_findings([Failure(rule, server, Outcome(Verdict.FAIL, "protocols", inherited), "high", params)])
    assert own.related == (server.location,)
    assert own.related_notes == ("the value is inherited through this line",)
