"""A rule's outcome remembered by the values it reads, so that subjects with equal settings are judged once.

Endpoints of one tree mostly share their settings: the servers of a site inherit one ``ssl_ciphers``
line, the sites of a fleet include one snippet, and every server gets the same engine defaults. A
rule compiled from conditions (:mod:`tlslint.rules.conditions`) reads nothing of a subject but the
origin and value of the fields it names (``Rule.paths``) and the two fields that make a subject
partial (:data:`~tlslint.rules.conditions.PARTIAL_PATHS`), so its verdict, the deciding field, the
offending elements and the expected words are the same for two subjects whose fields read equal. Only
the located value differs, and it is the subject's own: the outcome holds its ``located`` field, or
nothing.

"Read equal" is kept strict, because two values that compare equal may still print differently
(``1`` and ``True``, ``0.0`` and ``-0.0``): a key part is the field's origin, the value's type and
the value, for strings, integers, booleans and ``None``, and for lists and tuples of strings (as a
tuple). A subject with any other value (a float, a mapping) is judged afresh and not remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tlslint.model.subject import Subject
from tlslint.rules.conditions import PARTIAL_PATHS, Outcome, Params, Verdict
from tlslint.rules.model import Rule

#: One subject's judgement: its outcome, or None when the rule's ``when`` does not hold for it.
Judge = Callable[[Subject], "Outcome | None"]

#: Distinct field combinations remembered per rule and run (a bound on memory, not on correctness).
MAX_REMEMBERED = 4096

_KEYED_SCALARS = frozenset({str, int, bool, type(None)})
_UNSEEN = object()


def judge(rule: Rule, params: Params) -> Judge:
    """How to judge subjects by ``rule`` with ``params`` for one run (the remembered outcomes belong to
    that run's parameters): ``None`` when the rule's ``when`` does not hold, else its check's outcome."""
    when, check = rule.when, rule.check

    def afresh(subject: Subject) -> Outcome | None:
        if when is not None and when(subject, params).verdict is not Verdict.PASS:
            return None
        return check(subject, params)

    if not rule.judged_by_fields:
        return afresh
    paths = (*rule.paths, *PARTIAL_PATHS)
    remembered: dict[tuple[Any, ...], tuple[Any, ...] | None] = {}

    def remembering(subject: Subject) -> Outcome | None:
        fields = subject.fields
        parts = []
        for path in paths:
            found = fields.get(path)
            if found is None:
                parts.append(None)
                continue
            value = found.value
            kind = type(value)
            if kind in _KEYED_SCALARS:
                parts.append((found.origin, kind, value))
            elif kind is list or kind is tuple:
                try:
                    "".join(value)  # in C: fails unless every element is a string
                except TypeError:
                    return afresh(subject)
                parts.append((found.origin, kind, tuple(value)))
            else:
                return afresh(subject)
        key = tuple(parts)
        known = remembered.get(key, _UNSEEN)
        if known is _UNSEEN:
            outcome = afresh(subject)
            if len(remembered) < MAX_REMEMBERED:
                remembered[key] = None if outcome is None else _parts(outcome)
            return outcome
        if known is None:
            return None
        verdict, path, has_located, offending, expected = known
        return Outcome(verdict, path, fields.get(path) if has_located else None, offending, expected)

    return remembering


def _parts(outcome: Outcome) -> tuple[Any, ...]:
    """What another subject with equal fields shares of ``outcome``: all but the located value, whose
    presence is kept (conditions put there the deciding field's own value, or nothing)."""
    return (outcome.verdict, outcome.path, outcome.located is not None, outcome.offending, outcome.expected)
