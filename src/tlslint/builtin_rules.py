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
#: The shortest reason an inline suppression may give: the same as a waiver's justification
#: (schemas/waivers.schema.yaml), so that the informal route is not the lazier one.
MIN_REASON = 10

_SPECS: tuple[dict, ...] = (
    {
        "id": "TLSLINT-SUPPRESS-001",
        "title": "Inline suppression without a reason",
        "severity": "medium",
        "message": "'tlslint: ignore[{rules}]' has no reason of at least 10 characters; it suppresses nothing until "
        "one is written after it",
        "rationale": (
            "A suppression is a decision that someone will have to revisit: an auditor, a colleague, you in a "
            "year. Without the reason it is indistinguishable from hiding a problem. tlslint therefore ignores "
            "inline suppressions that do not say why, and reports them."
        ),
        "checks": "every 'tlslint: ignore[RULE-ID,...]' comment in a file tlslint read has a reason of at least "
        "10 characters after the ']' (as long as a waiver's justification must be)",
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
    {
        "id": "TLSLINT-SUPPRESS-003",
        "title": "Inline suppression suppresses nothing",
        "severity": "low",
        "message": "'tlslint: ignore[{rules}]' suppresses no finding of {unused}; remove it, or the ids that no "
        "longer fire",
        "rationale": (
            "A suppression that no longer matches anything is a trap: the problem it hid was fixed (or moved), "
            "and the comment will silently hide the next, unrelated finding of that rule on that line. Like "
            "ruff's RUF100, tlslint reports suppressions that suppressed nothing in this run. Rules this run did "
            "not evaluate (another policy, --select) are not judged."
        ),
        "checks": "every rule id of a valid inline suppression suppressed at least one finding, when the rule "
        "was evaluated",
        "remediation": "Delete the comment, or the rule ids in it that no longer fire.",
        "fix": "(delete the comment)",
    },
    {
        "id": "TLSLINT-WAIVER-002",
        "title": "Waiver names an unknown rule",
        "severity": "medium",
        "message": "waiver {waiver} names {rule}, which is not a tlslint rule; it suppresses nothing",
        "rationale": (
            "A waiver with a mistyped rule id was approved by someone but protects nothing: the finding it was "
            "meant for is reported anyway, and the record of an accepted risk is wrong."
        ),
        "checks": "every waiver's 'rule' is a rule of a shipped pack or a built-in rule",
        "remediation": "Name the rule exactly as 'tlslint rules' lists it.",
        "fix": "rule: TLS-PROTO-001",
    },
    {
        "id": "TLSLINT-WAIVER-003",
        "title": "Waiver matches no finding",
        "severity": "low",
        "message": "waiver {waiver} for {target} matched no finding in the files it covers; remove it",
        "rationale": (
            "An accepted risk that no longer exists should leave the record: a stale waiver would silently "
            "accept the next finding of that rule in those files without a new decision. Only waivers whose "
            "path covers a file this run read are judged, so a partial run says the same as a whole one."
        ),
        "checks": "every waiver with a 'path' that covers a file this run read matched at least one finding",
        "remediation": "Delete the waiver (the risk it accepted is gone).",
        "fix": "(delete the entry)",
    },
    {
        "id": "TLSLINT-WAIVER-004",
        "title": "Waiver expires soon",
        "severity": "info",
        "message": "waiver {waiver} for {target} expires on {expires} ({days} days); renew it or fix the finding",
        "rationale": (
            "An expiring waiver turns a green gate red on a fixed day. Saying so ahead of time (30 days by "
            "default, 'waiver-warning-days' in the configuration) gives the owner time to fix or renew it."
        ),
        "checks": "no live waiver expires within 'waiver-warning-days' of the evaluation date",
        "remediation": "Fix the finding, or renew the waiver with a new approval and expiry date.",
        "fix": "expires: 2027-12-31",
    },
    {
        "id": "TLSLINT-BASELINE-001",
        "title": "Baseline entry matches no finding",
        "severity": "low",
        "message": "baseline {baseline} holds {count} finding(s) of {rule} in {target} that no longer occur; "
        "recreate the baseline",
        "rationale": (
            "A baseline records the findings a team accepted when it adopted tlslint. Entries for findings that "
            "were fixed are stale: left in place, they would absorb a new finding with the same fingerprint. "
            "Only entries for files this run read are judged."
        ),
        "checks": "every baseline entry for a file this run read matched as many findings as it counts",
        "remediation": "Run 'tlslint baseline create' again (or remove the entries).",
        "fix": "tlslint baseline create . -o .tlslint-baseline.json",
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
