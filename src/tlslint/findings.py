"""Findings: what a failed rule says about a subject, where, and how to recognise it again.

A fingerprint identifies a finding across edits: rule id, the file (its path relative to the
repository root, see :mod:`tlslint.repo`), the semantic anchor (endpoint id, certificate hash), the
field and the offending value — never the line number, so inserting lines above a finding keeps its
fingerprint, changing the bad value changes it, and checking the repository from another directory
gives the same fingerprints.

Suppressions (inline comments, waivers, baselines) are applied afterwards by :mod:`tlslint.suppress`;
a suppressed finding keeps its place in the output, marked with how and why it was suppressed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring_ascii
from typing import Any

from tlslint.model.fields import display
from tlslint.model.located import Location, Origin
from tlslint.model.subject import Subject
from tlslint.records import Record
from tlslint.repo import repo_relative
from tlslint.rules.conditions import Outcome
from tlslint.rules.model import Reference, Rule


class Suppression(Record):
    """How and why a finding is suppressed: an inline comment, a waiver or the baseline."""

    __slots__ = ("kind", "reason", "location", "approver", "expires", "waiver_id")

    kind: str  # inline | waiver | baseline
    reason: str
    location: Location | None  # the comment, the waiver entry, or the baseline file
    approver: str | None  # waivers only
    expires: str | None  # waivers only, YYYY-MM-DD
    waiver_id: str | None

    def __init__(
        self,
        kind: str,
        reason: str,
        location: Location | None = None,
        approver: str | None = None,
        expires: str | None = None,
        waiver_id: str | None = None,
    ) -> None:
        self.kind = kind
        self.reason = reason
        self.location = location
        self.approver = approver
        self.expires = expires
        self.waiver_id = waiver_id

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "reason": self.reason}
        if self.location is not None:
            out["location"] = self.location.to_json()
        for name in ("approver", "expires", "waiver_id"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


class Finding(Record):
    """What a rule reports: where, about which subjects, why (the message), and its fingerprint."""

    __slots__ = (
        "rule_id",
        "title",
        "severity",
        "confidence",
        "message",
        "location",
        "related",
        "subject_kind",
        "subjects",
        "field",
        "offending",
        "origin",
        "references",
        "fingerprint",
        "suppression",
        "related_notes",
        "scope",
    )

    rule_id: str
    title: str
    severity: str
    confidence: str
    message: str
    location: Location
    related: tuple[Location, ...]
    subject_kind: str
    subjects: tuple[str, ...]
    field: str | None
    offending: tuple[Any, ...]
    origin: str | None
    references: tuple[Reference, ...]
    fingerprint: str
    suppression: Suppression | None
    #: What each related location is (parallel to ``related``), for SARIF relatedLocations messages.
    related_notes: tuple[str, ...]
    #: For a finding about its subject as a whole (reported at the subject's own line): the subject's block,
    #: where a suppression comment may stand (see tlslint.suppress). Never rendered.
    scope: Location | None

    def __init__(
        self,
        rule_id: str,
        title: str,
        severity: str,
        confidence: str,
        message: str,
        location: Location,
        related: tuple[Location, ...],
        subject_kind: str,
        subjects: tuple[str, ...],
        field: str | None,
        offending: tuple[Any, ...],
        origin: str | None,
        references: tuple[Reference, ...],
        fingerprint: str,
        suppression: Suppression | None = None,
        related_notes: tuple[str, ...] = (),
        scope: Location | None = None,
    ) -> None:
        self.rule_id = rule_id
        self.title = title
        self.severity = severity
        self.confidence = confidence
        self.message = message
        self.location = location
        self.related = related
        self.subject_kind = subject_kind
        self.subjects = subjects
        self.field = field
        self.offending = offending
        self.origin = origin
        self.references = references
        self.fingerprint = fingerprint
        self.suppression = suppression
        self.related_notes = related_notes
        self.scope = scope

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "title": self.title,
            "severity": self.severity,
            "confidence": self.confidence,
            "message": self.message,
            "location": self.location.to_json(),
            "related_locations": [loc.to_json() for loc in self.related],
            "subject": {"kind": self.subject_kind, "ids": list(self.subjects)},
            "field": self.field,
            "offending": list(_jsonable_all(self.offending)),
            "origin": self.origin,
            "controls": controls_json(self.references),
            "fingerprint": self.fingerprint,
            "suppressed": self.suppression is not None,
        }
        if self.suppression is not None:
            out["suppression"] = self.suppression.to_json()
        return out


#: The controls of each rule's references in JSON, by the identity of its references (every finding of
#: a rule shares them). The tuple is kept with its answer, so its identity cannot be reused by another.
_CONTROLS: dict[int, tuple[tuple[Reference, ...], list[dict[str, str]]]] = {}


def controls_json(references: tuple[Reference, ...]) -> list[dict[str, str]]:
    """``[r.to_json() for r in references if r.is_evidence]``, worked out once per rule; each call gets
    a list of its own, whose dictionaries are shared by the findings of the rule (read, never changed)."""
    known = _CONTROLS.get(id(references))
    if known is None or known[0] is not references:
        if len(_CONTROLS) > 4096:  # a long-lived process that loads rules again and again
            _CONTROLS.clear()
        known = _CONTROLS[id(references)] = (references, [r.to_json() for r in references if r.is_evidence])
    return list(known[1])


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _jsonable_all(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """``tuple(_jsonable(v) for v in values)``; offending values are nearly always strings already."""
    try:
        "".join(values)  # succeeds, in C, only when every value is a string: each is then its own JSON form
    except TypeError:
        return tuple(_jsonable(value) for value in values)
    return values


#: A message names at most this many offending items; the full list stays in ``offending``.
MESSAGE_ITEMS = 5


def _show(value: Any) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        if len(value) > MESSAGE_ITEMS + 1:
            shown = [str(item) for _, item in zip(range(MESSAGE_ITEMS), value, strict=False)]
            return f"{', '.join(shown)} and {len(value) - MESSAGE_ITEMS} more"
        return ", ".join([str(item) for item in value]) or "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Template(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


#: ``json.dumps(..., sort_keys=True)`` without building an encoder for every fingerprint (same text).
_FINGERPRINT_JSON = json.JSONEncoder(sort_keys=True)


def fingerprint(rule_id: str, location: Location, anchors: Iterable[str], path: str | None, offending: Any) -> str:
    normalised, ordered, values = repo_relative(location.path), sorted(anchors), _jsonable_all(tuple(offending))
    try:  # json's own C string encoder, without the encoder's Python layers: exactly its text
        payload = "".join(
            (
                "[",
                encode_basestring_ascii(rule_id),
                ", ",
                encode_basestring_ascii(normalised),
                ", [",
                ", ".join(map(encode_basestring_ascii, ordered)),
                "], ",
                "null" if path is None else encode_basestring_ascii(path),
                ", [",
                _values_json(values),
                "]]",
            )
        )
    except TypeError:  # a float, an enumeration, an id that is not a string: as the encoder writes it
        payload = _FINGERPRINT_JSON.encode([rule_id, normalised, ordered, path, list(values)])
    return hashlib.sha256(payload.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def scalar_json(encode_string: Callable[[str], str]) -> Callable[[Any], str]:
    """A writer of one ``str``, ``int``, ``bool`` or ``None`` as json writes it, strings with
    ``encode_string`` (json's ``encode_basestring_ascii`` or, for ``ensure_ascii=False``,
    ``encode_basestring``); it refuses (TypeError) anything else: a float, an enumeration, another
    object, whose text json decides."""

    def write(value: Any) -> str:
        kind = type(value)
        if kind is str:
            return encode_string(value)
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            return int.__repr__(value)
        if value is None:
            return "null"
        raise TypeError(kind.__name__)

    return write


def values_json(encode_string: Callable[[str], str]) -> Callable[[tuple[Any, ...]], str]:
    """A writer of values (strings, integers, booleans, None) as the items of a JSON list, as json writes
    them with ``encode_string`` (see :func:`scalar_json`); it refuses (TypeError) anything else."""
    scalar = scalar_json(encode_string)

    def write(values: tuple[Any, ...]) -> str:
        try:
            return ", ".join(map(encode_string, values))  # the common case: all strings, in C
        except TypeError:
            return ", ".join(map(scalar, values))

    return write


_values_json = values_json(encode_basestring_ascii)


class Failure(Record):
    """A rule that did not hold for one subject."""

    __slots__ = ("rule", "subject", "outcome", "severity", "params")

    rule: Rule
    subject: Subject
    outcome: Outcome
    severity: str
    params: dict[str, Any]

    def __init__(self, rule: Rule, subject: Subject, outcome: Outcome, severity: str, params: dict[str, Any]) -> None:
        self.rule = rule
        self.subject = subject
        self.outcome = outcome
        self.severity = severity
        self.params = params


def build_findings(failures: list[Failure], shared: SharedParts | None = None) -> list[Finding]:
    """One finding per rule, location and offending value — failover targets that inherit the same
    bad profile line are one finding naming every target, not one per target. ``failures`` are one
    rule's; ``shared`` (see :class:`SharedParts`) may serve the rules before it, on the same subjects."""
    shared = SharedParts() if shared is None else shared.next_rule()
    return [finding_of(group, shared) for group in group_failures(failures).values()]


#: What makes failures one finding: rule, place, field, offending value (and the subject, for a finding
#: reported at the subject rather than at a written value).
GroupKey = tuple[Any, ...]


def group_failures(failures: list[Failure]) -> dict[GroupKey, list[Failure]]:
    """The failures of one finding each, in order of first failure (see :func:`build_findings`)."""
    groups: dict[GroupKey, list[Failure]] = {}
    for failure in failures:
        written = failure.outcome.location
        location = written or failure.subject.location
        key = (
            failure.rule.id,
            location.path,
            location.line,
            location.column,
            failure.outcome.path,
            _jsonable_all(failure.outcome.offending),
            failure.subject.location.path if written is None else "",
            failure.subject.id if written is None else "",
        )
        group = groups.get(key)
        if group is None:
            groups[key] = [failure]
        else:
            group.append(failure)
    return groups


class SharedParts:
    """Parts that many findings have in common, made once and shared (a large run has hundreds of
    thousands of findings; each would otherwise hold its own equal copies): one rule's parameters in
    words, and per subject its id as a one-subject list, and its own place as a one-place list of
    related locations with its note — the same for every rule that reports the subject. Keyed by object
    identity, so a ``SharedParts`` must not outlive the subjects it serves (one evaluation pass), nor
    its parameters the failures of one rule (:meth:`next_rule` lets them go).

    Equal messages are also one string (:meth:`message`): a message names its subject by kind and
    address (``nginx:server[0.0.0.0:443]``), which the sites of a large tree share; on 10,000 generated
    nginx files, 173,846 findings have 98,851 distinct messages."""

    __slots__ = ("params", "subjects", "messages")

    def __init__(self) -> None:
        self.params: dict[int, dict[str, str]] = {}
        self.subjects: dict[int, tuple[tuple[str], tuple[Location], tuple[str]]] = {}
        self.messages: dict[str, str] = {}

    def next_rule(self) -> SharedParts:
        """Ready for the findings of another rule: its parameters are other objects (whose identities
        may be those of the last rule's, once let go of); the subjects are the same."""
        self.params = {}
        return self

    def params_in_words(self, params: dict[str, Any]) -> dict[str, str]:
        words = self.params.get(id(params))
        if words is None:
            words = self.params[id(params)] = {name: _show(v) for name, v in params.items()}
        return words

    def message(self, text: str) -> str:
        """The first string equal to ``text`` that these parts met (compared by value: safe across rules)."""
        return self.messages.setdefault(text, text)

    def of_subject(self, subject: Subject) -> tuple[tuple[str], tuple[Location], tuple[str]]:
        parts = self.subjects.get(id(subject))
        if parts is None:
            note = f"{subject.kind} {subject.display}"
            parts = self.subjects[id(subject)] = ((subject.id,), (subject.location,), (note,))
        return parts


def finding_of(group: list[Failure], shared: SharedParts | None = None) -> Finding:
    """The finding of failures that share a rule, a place and an offending value (one group of
    :func:`group_failures`), located where the first failure's outcome points, else at its subject.
    ``shared`` shares equal parts across findings (see :class:`SharedParts`)."""
    shared = shared or SharedParts()
    first = group[0]
    rule, outcome, subject = first.rule, first.outcome, first.subject
    located = outcome.located
    written = outcome.location
    own = subject.location
    location = written or own
    own_id, own_place, own_note = shared.of_subject(subject)
    if len(group) == 1:  # most findings: one subject
        names, anchors = subject.display, own_id
    else:
        names = ", ".join(dict.fromkeys(f.subject.display for f in group))
        anchors = tuple(dict.fromkeys(f.subject.id for f in group))
    value = located.value if located is not None else None
    offending, hashed = _offending(outcome.offending, value)
    context = _Template(shared.params_in_words(first.params))
    context["subject"] = names
    context["value"] = "(not set)" if value is None else display(subject.kind, outcome.path, value) or _show(value)
    context["offending"] = _show(offending) if offending else "(not set)" if value is None else _show(value)
    context["expected"] = outcome.expected
    context["note"] = located.note if located is not None and located.note else ""
    message = shared.message(rule.message.format_map(context))
    vias = located.via if located is not None else ()
    if vias or len(group) > 1:
        related_places, related_notes = _related(group, written, vias, shared)
    elif written is None or written is own or written == own:  # at the subject's own place: nothing else
        related_places = related_notes = ()
    else:  # a value written away from its one subject: the subject's own place
        related_places, related_notes = own_place, own_note
    return Finding(
        rule.id,
        rule.title,
        first.severity,
        rule.confidence,
        message,
        location,
        related_places,
        subject.kind,
        anchors,
        outcome.path,
        tuple(offending),
        _ORIGIN_TEXT[located.origin] if located is not None else None,  # one shared string
        rule.references,
        fingerprint(rule.id, location, anchors, outcome.path, hashed),
        None,
        related_notes,
        subject.scope if location is own or location == own else None,
    )


def _offending(items: tuple[Any, ...], value: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """A finding's offending values, and what its fingerprint hashes of them. A check names the offending
    items when it can (the weak suites); otherwise the value itself offends, and a whole list (a protocol
    list without TLSv1.3) offends by its items, not as one text of a Python list. The fingerprint keeps
    hashing the list as the one value it was before (its text, ``['TLSv1.2']``), so that baselines and
    waivers written earlier still match."""
    if items:
        return items, items
    if value is None:
        return (), ()
    if isinstance(value, list | tuple):
        return tuple(value), (value,)
    return (value,), (value,)


#: An origin's text (``Origin.value`` is a Python-level property, looked up once per finding otherwise).
_ORIGIN_TEXT = {origin: origin.value for origin in Origin}


def _related(
    group: list[Failure], written: Location | None, vias: tuple[Location, ...], shared: SharedParts
) -> tuple[tuple[Location, ...], tuple[str, ...]]:
    """The related places of a finding with more than its subject's own: the lines its value is inherited
    through, and the subjects' own places when it points elsewhere (a shared include's line)."""
    first = group[0]
    related: dict[Location, str] = {}
    for via in vias:
        related.setdefault(via, "the value is inherited through this line")
    if written is not None and first.subject.location != written:
        for failure in group:
            if failure.subject.location not in related:
                related[failure.subject.location] = shared.of_subject(failure.subject)[2][0]
    own_place, own_note = shared.of_subject(first.subject)[1:]
    if len(related) == 1 and related.get(own_place[0]) is own_note[0]:
        return own_place, own_note
    return tuple(related), tuple(related.values())


def fold_shared_causes(findings: list[Finding], rules: Iterable[Rule]) -> list[Finding]:
    """Drop a finding whose rule is ``subsumed_by`` another rule that fired at the same place (the same
    words, or words within them) of the same subject: one token (``curl -k``) that switches off several
    checks is one mistake, reported once — by the rule that names it best. The dropped rule ids are added
    to the kept finding's message."""
    subsumed = {rule.id: set(rule.subsumed_by) for rule in rules if rule.subsumed_by}
    if not subsumed:
        return findings
    owners = set().union(*subsumed.values())  # only their findings can take in another
    at: dict[tuple[Any, ...], list[Finding]] = {}
    for finding in findings:
        if finding.rule_id in owners:
            at.setdefault(_place(finding), []).append(finding)
    kept = []
    for finding in findings:
        causes = subsumed.get(finding.rule_id)
        if causes is None:
            kept.append(finding)
            continue
        owner = next(
            (
                other
                for other in at.get(_place(finding), ())
                if other.rule_id in causes and _one_place(other.location, finding.location)
            ),
            None,
        )
        if owner is None:
            kept.append(finding)
        elif finding.rule_id not in owner.message:
            owner.message += f" (this also means: {finding.rule_id}, {finding.title[0].lower()}{finding.title[1:]})"
    return kept


def _place(finding: Finding) -> tuple[Any, ...]:
    """The line of a finding and its subjects: where :func:`fold_shared_causes` looks for its owner."""
    return (finding.location.path, finding.location.line, finding.subjects)


def _one_place(a: Location, b: Location) -> bool:
    """Whether two findings on one line point at one thing: the same words, or one inside the other (TLS-PROTO-001
    at the ``TLSv1`` of ``ssl_protocols TLSv1 TLSv1.2``, TLS-PROTO-002 at the whole directive)."""
    return _within(a, b) or _within(b, a)


def _within(inner: Location, outer: Location) -> bool:
    if inner.column is None or outer.column is None:
        return inner.column == outer.column
    inner_end = inner.end_column if inner.end_column is not None else inner.column
    outer_end = outer.end_column if outer.end_column is not None else outer.column
    return outer.column <= inner.column and inner_end <= outer_end
