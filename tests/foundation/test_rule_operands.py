"""Every literal a shipped rule compares with can occur: a name no suite, group or signature scheme has,
an attribute value no catalogue entry has, or a value outside a field's enumeration makes a condition
that can never hold, and the rule quietly misses what it names (TLS-CIPHER-001 once listed a cipher
that YAML had read as no value)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from conftest import REPO

COMPARISONS = ("equals", "not_equals", "in", "not_in", "any_in", "none_in", "subset_of")
#: The literals a field of each type can equal (YAML reads an unquoted off as False, 10 as an integer).
_LITERAL_TYPES = {
    "bool": (bool,),
    "int": (int,),
    "bytes": (int,),
    "seconds": (int, float),
    **dict.fromkeys(("str", "enum", "versions", "suites", "groups", "sigalgs"), (str,)),
}


def _catalogues() -> dict[str, tuple[Any, Any]]:
    from tlslint.catalog import groups, sigalgs, suites

    return {
        "suites": (suites.all_suites(), suites.lookup),
        "groups": (groups.all_groups(), groups.lookup_group),
        "sigalgs": (sigalgs.all_sigalgs(), sigalgs.lookup_sigalg),
    }


def _leaves(condition: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for combined in ("and", "or"):
        for part in condition.get(combined, ()):
            yield from _leaves(part)
    if "not" in condition:
        yield from _leaves(condition["not"])
    if "path" in condition:
        yield condition


def _literals(spec: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for operator in COMPARISONS:
        operand = spec.get(operator)
        if operator in spec and not (isinstance(operand, dict) and "param" in operand):
            for value in operand if isinstance(operand, list) else [operand]:
                yield operator, value


def _impossible(leaf: dict[str, Any], kind: str, catalogues: dict[str, tuple[Any, Any]]) -> Iterator[str]:
    from tlslint.model.fields import fields_of

    field = fields_of(kind)[leaf["path"]]
    for operator, value in _literals(leaf):
        wanted = _LITERAL_TYPES.get(field.type)
        if wanted is not None and (type(value) not in wanted):
            yield f"{leaf['path']} {operator} {value!r}: a {type(value).__name__}, the field holds {field.type}"
        if field.values and value not in field.values:
            yield f"{leaf['path']} {operator} {value!r}: not one of {field.values}"
        if field.type in catalogues and catalogues[field.type][1](value) is None:
            yield f"{leaf['path']} {operator} {value!r}: no such name in the {field.type} catalogue"
    for quantifier in ("any", "all", "none"):
        element = leaf.get(quantifier)
        if element is None or field.type not in catalogues:
            continue
        entries, lookup = catalogues[field.type]
        attr = element.get("attr")
        occurring = {getattr(entry, attr, None) for entry in entries} if attr else None
        for operator, value in _literals(element):
            if attr is not None and value not in occurring:
                yield f"{leaf['path']} {quantifier} {attr} {operator} {value!r}: no {field.type} entry has it"
            if attr is None and lookup(value) is None:
                yield f"{leaf['path']} {quantifier} {operator} {value!r}: no such name in the {field.type} catalogue"


def test_every_literal_a_shipped_rule_compares_with_can_occur() -> None:
    catalogues = _catalogues()
    checked, impossible = 0, []
    for pack in sorted((REPO / "rules").glob("*/*.yaml")):
        for rule in yaml.safe_load(pack.read_text(encoding="utf-8")) or []:
            kind = rule["applies_to"]["kind"]
            for key in ("when", "check"):
                for leaf in _leaves(rule.get(key) or {}):
                    checked += 1
                    impossible += [f"{rule['id']}: {problem}" for problem in _impossible(leaf, kind, catalogues)]
    assert checked > 200
    assert not impossible, "\n".join(impossible)
