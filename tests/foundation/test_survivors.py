"""What outlives the subjects' settings is copied out of their memory before they are let go of
(:mod:`tlslint.survivors`): equal copies that share no object with the originals, but for the values."""

from __future__ import annotations

from tlslint.commands._common import resolve_policy
from tlslint.findings import Failure
from tlslint.model.located import Located, Location
from tlslint.model.subject import Subject
from tlslint.rules.conditions import Outcome, Verdict
from tlslint.rules.loader import load_packs
from tlslint.survivors import copy_survivors


def _identity(subject: Subject) -> tuple[object, ...]:
    return (subject.kind, subject.id, subject.location, subject.engine, subject.label, subject.scope)


def test_copies_are_equal_new_objects_and_failures_point_at_them() -> None:
    policy = resolve_policy(None)
    rule = next(r for r in policy.select(load_packs(policy.packs)) if r.id == "TLS-PROTO-001")
    path = "sites/a.conf"
    protocols = Located(["TLSv1", "TLSv1.2"], location=Location(path, 4, 19), via=(Location(path, 2, 1),))
    first = Subject(
        "endpoint",
        "server[0.0.0.0:443]",
        Location(path, 3, 5),
        "nginx",
        {"protocols": protocols},
        label="site a",
        scope=Location(path, 3, 5, 9, 5),
    )
    second = Subject("endpoint", "server[0.0.0.0:8443]", Location(path, 10, 5), "nginx", {"protocols": protocols})
    outcome = Outcome(Verdict.FAIL, "protocols", protocols, ("TLSv1",), "TLSv1.2 or later")
    failures = [Failure(rule, subject, outcome, "high", {}) for subject in (first, second)]

    copies = copy_survivors([first, second], failures)

    assert [_identity(copy) for copy in copies] == [_identity(first), _identity(second)]
    assert not any(copy.fields for copy in copies)
    assert first.fields and second.fields  # the originals are the caller's to let go of
    for copy, original in zip(copies, (first, second), strict=True):
        assert copy is not original
        assert copy.id is not original.id
        assert copy.location is not original.location and copy.location.path is not original.location.path
    assert copies[0].label is not first.label and copies[0].scope is not first.scope
    assert copies[0].location.path is copies[1].location.path  # one path string per file, as read

    assert [failure.subject for failure in failures] == copies
    assert all(failure.subject is copy for failure, copy in zip(failures, copies, strict=True))
    for failure in failures:
        assert failure.outcome == outcome and failure.outcome.located is not protocols
        located = failure.outcome.located
        assert located.location is not protocols.location and located.via[0] is not protocols.via[0]
        assert located.value is protocols.value  # values are shared between endpoints already: not copied
    assert failures[0].outcome.located is failures[1].outcome.located  # one original, one copy
