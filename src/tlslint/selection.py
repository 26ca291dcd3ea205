"""Rule selection on top of a policy: ``--select``, ``--extend-select``, ``--ignore``, ``--min-confidence``.

The policy says which rules a product must meet; these switches are how a user narrows or widens that
set for one run, with the vocabulary ruff users know. A selector is one of

* a rule id (``TLS-PROTO-001``), matched exactly;
* an id prefix (``TLS-CIPHER``, ``TLS-CIPHER-00``), matching every rule whose id starts with it;
* a pack name (``core``, ``pki``, ``servers``, ``device``, ``ocpp``), matching every rule of that pack;
* ``ALL``, matching every rule.

Matching is case-insensitive. A selector that matches no rule at all is a usage error: a typo must not
silently select nothing (or ignore nothing) while the gate reports green.

Order of application, as in ruff: ``--select`` replaces the policy's selection (drawn from every
shipped pack, so a user may select a rule outside the policy's packs); ``--extend-select`` adds to it;
``--ignore`` removes from the result; ``--min-confidence`` drops rules whose confidence is lower.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tlslint.errors import UsageError
from tlslint.records import Frozen
from tlslint.rules.model import CONFIDENCES, Rule


class Selection(Frozen):
    """The command line's rule selection (``--select``, ``--extend-select``, ``--ignore``, confidence)."""

    __slots__ = ("select", "extend_select", "ignore", "min_confidence")

    select: tuple[str, ...] | None  # None: the policy's own selection
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    min_confidence: str | None

    def __init__(
        self,
        select: tuple[str, ...] | None = None,
        extend_select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        min_confidence: str | None = None,
    ) -> None:
        object.__setattr__(self, "select", select)
        object.__setattr__(self, "extend_select", extend_select)
        object.__setattr__(self, "ignore", ignore)
        object.__setattr__(self, "min_confidence", min_confidence)

    @property
    def is_default(self) -> bool:
        return self.select is None and not self.extend_select and not self.ignore and self.min_confidence is None


def matches(selector: str, rule: Rule) -> bool:
    wanted = selector.strip().upper()
    if wanted == "ALL":
        return True
    rule_id = rule.id.upper()
    return rule_id == wanted or rule_id.startswith(wanted) or rule.pack.upper() == wanted


def _matching(selectors: Iterable[str], rules: Sequence[Rule], option: str) -> list[Rule]:
    chosen: list[Rule] = []
    for selector in selectors:
        hits = [rule for rule in rules if matches(selector, rule)]
        if not hits:
            raise UsageError(f"{option} {selector}: no rule, rule prefix or pack of that name (see 'tlslint rules')")
        chosen.extend(hits)
    return chosen


def apply(selection: Selection, policy_rules: list[Rule], every_rule: Sequence[Rule]) -> list[Rule]:
    """The rules to evaluate: the policy's ``policy_rules`` narrowed or widened by ``selection``.

    ``every_rule`` is every shipped rule (what ``--select`` and ``--extend-select`` draw from and what
    ``--ignore`` is checked against). The result keeps the shipped order, each rule once.
    """
    if selection.is_default:
        return policy_rules
    selected = policy_rules if selection.select is None else _matching(selection.select, every_rule, "--select")
    base = [*selected, *_matching(selection.extend_select, every_rule, "--extend-select")]
    ignored = {rule.id for rule in _matching(selection.ignore, every_rule, "--ignore")}
    confident = (
        CONFIDENCES[: CONFIDENCES.index(selection.min_confidence) + 1] if selection.min_confidence else CONFIDENCES
    )
    wanted = {rule.id for rule in base if rule.id not in ignored and rule.confidence in confident}
    # Keep the policy's objects (they carry the policy's severities) and the shipped order.
    by_id = {rule.id: rule for rule in every_rule} | {rule.id: rule for rule in policy_rules}
    order = [rule.id for rule in every_rule] + [rule.id for rule in policy_rules]
    seen: set[str] = set()
    chosen = []
    for rule_id in order:
        if rule_id in wanted and rule_id not in seen:
            seen.add(rule_id)
            chosen.append(by_id[rule_id])
    return chosen


def split_selectors(values: Iterable[str] | None) -> tuple[str, ...]:
    """``--select A,B --select C`` and ``select: [A, B]`` both give ``("A", "B", "C")``."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in str(value).split(",") if part.strip())
    return tuple(out)
