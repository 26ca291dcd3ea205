"""Load the typed crosswalks (``frameworks/crosswalks/*.yaml``): rule <-> requirement and requirement <->
requirement, one file per catalogue.

Every id in a crosswalk is a foreign key, checked here: the catalogue, each requirement, each rule
(against every shipped rule) and each ``maps_to`` target. A requirement the crosswalk does not list has
coverage ``none`` and no links — it still appears in every result, as manual (if its catalogue entry
has questions) or not-covered.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from tlslint.compliance.catalogue import frameworks_dir, load_catalogues
from tlslint.compliance.model import Crosswalk, CrosswalkLink, FrameworkLink, Guardrail, Mapping, split_qualified
from tlslint.errors import ConfigError

CROSSWALK_SCHEMA = "crosswalk.schema.yaml"


def crosswalk_paths() -> list[Path]:
    directory = frameworks_dir() / "crosswalks"
    return sorted(directory.glob("*.yaml")) if directory.is_dir() else []


@cache
def load_crosswalks() -> dict[str, Crosswalk]:
    """Crosswalks by catalogue key, every id checked."""
    from tlslint.rules.explain import all_rules

    known_rules = {rule.id for rule in all_rules()}
    crosswalks: dict[str, Crosswalk] = {}
    for path in crosswalk_paths():
        crosswalk = load_crosswalk(path, known_rules)
        if crosswalk.framework in crosswalks:
            raise ConfigError(str(path), f"a second crosswalk for {crosswalk.framework}")
        crosswalks[crosswalk.framework] = crosswalk
    return crosswalks


def load_crosswalk(path: Path, known_rules: set[str]) -> Crosswalk:
    from tlslint.schemas import hint, load_and_validate

    document = load_and_validate(str(path), CROSSWALK_SCHEMA, "crosswalk")
    data = document.data
    catalogues = load_catalogues()
    key = data["framework"]
    if key not in catalogues:
        raise ConfigError(document.loc(("framework",)), f"crosswalk for unknown catalogue {key}{hint(key, catalogues)}")
    catalogue = catalogues[key]
    mappings: dict[str, Mapping] = {}
    for requirement, entry in data["requirements"].items():
        where = document.key_loc(("requirements", requirement))
        if requirement not in catalogue.requirements:
            raise ConfigError(
                where, f"{key} has no requirement {requirement!r}{hint(requirement, catalogue.requirements)}"
            )
        links = []
        for index, link in enumerate(entry.get("links") or ()):
            if link["rule"] not in known_rules:
                raise ConfigError(
                    document.loc(("requirements", requirement, "links", index, "rule")),
                    f"crosswalk link to unknown rule {link['rule']}{hint(link['rule'], known_rules)}",
                )
            scope = {name: tuple(values) for name, values in (link.get("scope") or {}).items()}
            links.append(
                CrosswalkLink(link["rule"], link["relation"], link.get("aspect", ""), scope, link.get("note", ""))
            )
        maps_to = []
        for index, target in enumerate(entry.get("maps_to") or ()):
            _check_target(target["to"], document.loc(("requirements", requirement, "maps_to", index, "to")))
            maps_to.append(FrameworkLink(target["to"], target["relation"], target.get("note", "")))
        guardrails = tuple(
            Guardrail(g["param"], g["op"], g["value"], g.get("note", "")) for g in entry.get("guardrails") or ()
        )
        mappings[requirement] = Mapping(
            catalogue.qualified(requirement),
            entry["coverage"],
            entry.get("residual", ""),
            tuple(links),
            guardrails,
            tuple(maps_to),
        )
    return Crosswalk(key, str(data["version"]), mappings, str(path), hashlib.sha256(path.read_bytes()).hexdigest())


def _check_coverage(coverage: str, residual: str, links: list[CrosswalkLink], where) -> None:
    """Coverage must match the links: full needs evidence, partial says what is left, none has no rule
    that bears on the requirement."""
    relations = {link.relation for link in links}
    if coverage == "full" and "evidence" not in relations:
        raise ConfigError(where, "coverage full needs at least one evidence link")
    if coverage == "partial" and not residual:
        raise ConfigError(where, "coverage partial needs a residual: what tlslint cannot see")
    if coverage == "none" and relations & {"evidence", "supports", "indeterminate"}:
        raise ConfigError(where, "coverage none, but rules are linked as evidence, supports or indeterminate")


def _check_target(target: str, where) -> None:
    try:
        framework, edition, requirement = split_qualified(target)
    except ValueError as error:
        raise ConfigError(where, str(error)) from None
    catalogues = load_catalogues()
    key = f"{framework}@{edition}"
    if key not in catalogues or requirement not in catalogues[key].requirements:
        raise ConfigError(where, f"maps_to names {target}, which no catalogue holds")


def mapping_for(crosswalk: Crosswalk | None, catalogue_key: str, requirement: str) -> Mapping:
    """The crosswalk entry of a requirement, or an empty one (coverage ``none``)."""
    if crosswalk is not None and requirement in crosswalk.mappings:
        return crosswalk.mappings[requirement]
    return Mapping(f"{catalogue_key}:{requirement}", "none")


def rules_for_framework(name: str, rules: list, policy, output: str) -> int:
    """``tlslint rules --framework``: the policy's rules linked to the framework, each with the requirements
    it bears on and how."""
    import json

    from tabulate import tabulate

    from tlslint.compliance.catalogue import find_catalogue

    catalogue = find_catalogue(name)
    crosswalk = load_crosswalks().get(catalogue.key)
    by_rule: dict[str, list[tuple[str, str]]] = {}
    for requirement, mapping in crosswalk.mappings.items() if crosswalk else ():
        for link in mapping.links:
            by_rule.setdefault(link.rule, []).append((requirement, link.relation))
    chosen = [rule for rule in rules if rule.id in by_rule]
    if output == "json":
        data = [
            {
                "id": rule.id,
                "title": rule.title,
                "severity": policy.severity_of(rule),
                "requirements": [{"id": catalogue.qualified(r), "relation": rel} for r, rel in by_rule[rule.id]],
            }
            for rule in chosen
        ]
        print(json.dumps({"policy": policy.name, "framework": catalogue.key, "rules": data}, indent=2))
        return 0
    rows = [
        [rule.id, policy.severity_of(rule), ", ".join(f"{r} ({rel})" for r, rel in by_rule[rule.id]), rule.title[:60]]
        for rule in chosen
    ]
    print(tabulate(rows, headers=["rule", "severity", "requirements (relation)", "title"]))
    print(f"\n{len(chosen)} rules of policy {policy.name} are linked to {catalogue.key}")
    return 0
