"""Rules built into tlslint itself rather than shipped in a pack.

They are not predicates over the TLS model: the suppression stage (:mod:`tlslint.suppress`) emits
them about the *suppressions* — an inline ``tlslint: ignore`` without a reason, one that names no
rule, a waiver that has expired. They live in code, not in a pack, because no policy should be able
to deselect them: they are what makes suppressions visible and non-bypassable in CI. They are
always evaluated (every run has a suppression stage), appear in SARIF ``rules[]``, and ``tlslint
explain`` describes them like any other rule. Their severity can be overridden in the configuration
file (``severity:``) like any rule's.
"""

from __future__ import annotations

from functools import cache

from tlslint.model.located import Location
from tlslint.rules.model import Reference, Rule

PACK = "tlslint"

_SPECS: tuple[dict, ...] = (
    {
        "id": "TLSLINT-SUPPRESS-001",
        "title": "Inline suppression without a reason",
        "severity": "medium",
        "message": "'tlslint: ignore[{rules}]' has no reason; it suppresses nothing until one is written after it",
        "rationale": (
            "A suppression is a decision that someone will have to revisit: an auditor, a colleague, you in a "
            "year. Without the reason it is indistinguishable from hiding a problem. tlslint therefore ignores "
            "inline suppressions that do not say why, and reports them."
        ),
        "checks": "every 'tlslint: ignore[RULE-ID,...]' comment in a file tlslint read has text after the ']'",
        "remediation": (
            "Write the reason after the rule list, on the same line, e.g. "
            "'# tlslint: ignore[TLS-PROTO-001] legacy meter needs TLS 1.1 until 2027-06'. For decisions that "
            "need an approver and an expiry date, use a waiver file instead (docs/ci.md)."
        ),
        "fix": "# tlslint: ignore[TLS-PROTO-001] legacy meter needs TLS 1.1 until 2027-06",
    },
    {
        "id": "TLSLINT-SUPPRESS-002",
        "title": "Inline suppression names no known rule",
        "severity": "low",
        "message": "'tlslint: ignore[{rules}]' names {unknown}, which is not a tlslint rule; it suppresses nothing",
        "rationale": (
            "A typo in a rule id silently suppresses nothing, and the finding it was meant for comes back with "
            "no explanation; a suppression that names nothing at all cannot be reviewed."
        ),
        "checks": "every rule id in a 'tlslint: ignore[...]' comment is a rule of a shipped pack",
        "remediation": "Name the rule ids exactly as 'tlslint rules' lists them, separated by commas.",
        "fix": "# tlslint: ignore[TLS-PROTO-001] reason",
    },
    {
        "id": "TLSLINT-WAIVER-001",
        "title": "Waiver has expired",
        "severity": "medium",
        "message": "waiver {waiver} for {target} expired on {expires} (approved by {approver}); it no longer "
        "suppresses anything",
        "rationale": (
            "Waivers are temporary by design: an accepted risk has an owner and a date by which it is fixed or "
            "decided again. An expired waiver stops suppressing, so the finding it covered is reported again, "
            "and the waiver itself is reported so that it gets renewed (with a new approval) or removed."
        ),
        "checks": "every waiver's 'expires' date is on or after the evaluation date (--at, default today)",
        "remediation": (
            "Fix the finding and delete the waiver, or renew it: a new justification, approver and expiry date."
        ),
        "fix": "expires: 2027-06-30",
    },
)


@cache
def builtin_rules() -> tuple[Rule, ...]:
    rules = []
    for spec in _SPECS:
        rules.append(
            Rule(
                id=spec["id"],
                title=spec["title"],
                severity=spec["severity"],
                confidence="high",
                kind="document",
                filters={},
                check=_never_called,
                when=None,
                params={},
                message=spec["message"],
                rationale=spec["rationale"],
                remediation=spec["remediation"],
                remediation_per_engine={"any": spec["fix"]},
                references=(Reference("tlslint", "suppressions", "docs/ci.md"),),
                pack=PACK,
                source=Location("tlslint/builtin_rules.py"),
                spec={
                    "id": spec["id"],
                    "applies_to": {"kind": "document"},
                    "check": {"built-in": spec["checks"]},
                },
                tags=("suppression",),
            )
        )
    return tuple(rules)


def builtin_rule(rule_id: str) -> Rule:
    return next(rule for rule in builtin_rules() if rule.id == rule_id)


def _never_called(subject, params):  # pragma: no cover - the suppression stage emits these findings itself
    raise AssertionError("built-in rules are not evaluated on subjects")
