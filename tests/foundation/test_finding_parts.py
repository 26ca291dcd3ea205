"""Findings share the parts that are equal (issue 16: memory): a subject's id, place and note are made
once for the findings of every rule, a rule's parameters in words once per rule, never across rules."""

from __future__ import annotations

from pathlib import Path

from foundation.test_rule_engine import write_rule

from tlslint.findings import Failure, SharedParts, build_findings
from tlslint.model import Located, Location, Subject
from tlslint.rules.loader import load_rule_file
from tlslint.rules.memo import judge


def _failures(tmp_path: Path, subjects: list[Subject], params: dict) -> list[Failure]:
    tmp_path.mkdir(exist_ok=True)
    rule_file = write_rule(tmp_path, "{path: protocols, none_in: [TLSv1.0]}", "'{subject} {value} {limit}'")
    text = rule_file.read_text(encoding="utf-8").replace(
        "rationale:", "params: {limit: {type: int, default: 1, doc: a limit}}\nrationale:"
    )
    rule_file.write_text(text, encoding="utf-8")
    (rule,) = load_rule_file(str(rule_file), pack="test")
    judged = judge(rule, params)
    return [Failure(rule, subject, judged(subject), "high", params) for subject in subjects]


def _endpoint(name: str, file: str | None = None) -> Subject:
    """An endpoint ``name`` written in ``file`` (default: ``name.conf``)."""
    file = file or f"{name}.conf"
    subject = Subject("endpoint", name, Location(file, 3, 5), "test")
    subject.set("protocols", Located(["TLSv1.0"], location=Location(file, 4, 9)))
    return subject


def test_the_findings_of_two_rules_on_one_subject_share_its_parts(tmp_path: Path) -> None:
    subjects = [_endpoint("a"), _endpoint("b")]
    shared = SharedParts()
    first = build_findings(_failures(tmp_path / "1", subjects, {"limit": 1}), shared)
    second = build_findings(_failures(tmp_path / "2", subjects, {"limit": 1}), shared)
    for one, two in zip(first, second, strict=True):
        assert one.subjects is two.subjects
        assert one.related is two.related and one.related_notes is two.related_notes
    assert first[0].subjects == ("a",) and second[1].subjects == ("b",)
    assert first[0].related_notes == ("endpoint a",)


def test_a_rules_parameters_are_its_own_even_in_an_object_of_the_same_identity(tmp_path: Path) -> None:
    """Each rule's parameters are a dictionary of their own, let go of with its failures; the next rule's
    may be given the same identity. Mutating one dictionary between two rules shows the same thing."""
    subjects = [_endpoint("a")]
    params = {"limit": 1}
    shared = SharedParts()
    (before,) = build_findings(_failures(tmp_path, subjects, params), shared)
    params["limit"] = 2
    (after,) = build_findings(_failures(tmp_path / "next", subjects, params), shared)
    assert before.message.endswith(" 1") and after.message.endswith(" 2")


def test_equal_messages_are_one_string(tmp_path: Path) -> None:
    """Two servers in two files with the same name and address have equal messages, kept as one string;
    messages that differ stay apart."""
    same = [_endpoint("a"), _endpoint("a", "other.conf"), _endpoint("b")]
    first, second, third = build_findings(_failures(tmp_path, same, {"limit": 1}), SharedParts())
    assert first.location != second.location and first.message == second.message
    assert first.message is second.message
    assert third.message != first.message


def test_findings_from_workers_share_equal_messages_again(tmp_path: Path) -> None:
    """A finding travels from its worker with its own message string; the main process keeps one of each."""
    import pickle

    from tlslint.parallel import _restored

    subjects = [_endpoint("a"), _endpoint("a", "other.conf")]
    failures = _failures(tmp_path, subjects, {"limit": 1})
    ids: dict[int, tuple[str]] = {}
    shared = SharedParts()
    one, two = (
        _restored(pickle.loads(pickle.dumps(finding)), failures[0].rule, (index,), subjects, ids, shared)
        for index, finding in enumerate(build_findings(failures, SharedParts()))
    )
    assert one.message == two.message and one.message is two.message
    assert one.subjects == ("a",) and two.subjects == ("a",)
