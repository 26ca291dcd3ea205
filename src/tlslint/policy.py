"""Policies: which packs and rules apply, with which parameters and severities (ARCHITECTURE §6).

A policy may ``extends:`` another; the child adds packs and exclusions and overrides parameters and
severities. The resolved policy carries a content hash over every file it was built from, so an
evidence report can say exactly which edition was applied.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from tlslint.errors import ConfigError
from tlslint.model.located import Location
from tlslint.records import Record
from tlslint.resources import DEFAULT_POLICY
from tlslint.rules.model import Rule, param_type_problem


class Policy(Record):
    """A policy: the rule packs it selects, the rules it leaves out, and its parameters and severities."""

    __slots__ = (
        "id",
        "edition",
        "title",
        "description",
        "packs",
        "include",
        "exclude",
        "params",
        "severity",
        "files",
        "content_hash",
        "frameworks",
        "profile",
    )

    id: str
    edition: str
    title: str
    description: str
    packs: list[str]
    include: list[str] | None
    exclude: set[str]
    params: dict[str, Any]
    severity: dict[str, str]
    files: list[str]
    content_hash: str
    #: Framework catalogues the policy produces evidence for ("en18031-1@2024") and default profile dimensions.
    frameworks: list[str]
    profile: dict[str, str]

    def __init__(
        self,
        id: str,
        edition: str,
        title: str,
        description: str,
        packs: list[str],
        include: list[str] | None,
        exclude: set[str],
        params: dict[str, Any],
        severity: dict[str, str],
        files: list[str] | None = None,
        content_hash: str = "",
        frameworks: list[str] | None = None,
        profile: dict[str, str] | None = None,
    ) -> None:
        self.id = id
        self.edition = edition
        self.title = title
        self.description = description
        self.packs = packs
        self.include = include
        self.exclude = exclude
        self.params = params
        self.severity = severity
        self.files = [] if files is None else files
        self.content_hash = content_hash
        self.frameworks = [] if frameworks is None else frameworks
        self.profile = {} if profile is None else profile

    @property
    def name(self) -> str:
        return f"{self.id}@{self.edition}"

    def select(self, rules: list[Rule]) -> list[Rule]:
        chosen = [r for r in rules if r.id not in self.exclude and (self.include is None or r.id in self.include)]
        known = {r.id for r in rules}
        for rule_id in [*(self.include or []), *self.severity]:
            if rule_id not in known:
                raise ConfigError(self.files[-1] if self.files else self.id, f"policy names unknown rule {rule_id}")
        for name, value in self.params.items():
            problem = param_type_problem(chosen, name, value)
            if problem is not None:
                raise ConfigError(self.files[-1] if self.files else self.id, problem)
        return chosen

    def params_for(self, rule: Rule) -> dict[str, Any]:
        values = rule.default_params()
        for name in values:
            if name in self.params:
                values[name] = self.params[name]
        return values

    def severity_of(self, rule: Rule) -> str:
        return self.severity.get(rule.id, rule.severity)


def shipped_policies() -> dict[str, Path]:
    from tlslint.resources import data_dir

    return {path.stem: path for path in sorted(data_dir("policies").glob("*.yaml"))}


def _locate(name: str, relative_to: Path | None) -> Path:
    shipped = shipped_policies()
    if name in shipped:
        return shipped[name]
    candidate = Path(name) if relative_to is None else relative_to / name
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return candidate
    raise ConfigError("--policy", f"unknown policy '{name}' (shipped: {', '.join(shipped)}; or give a .yaml file)")


def load_policy(name: str = DEFAULT_POLICY) -> Policy:
    return _load(name, None, [])


def _load(name: str, relative_to: Path | None, chain: list[str]) -> Policy:
    from tlslint.schemas import POLICY_SCHEMA, load_validated_data

    path = _locate(name, relative_to)
    if str(path) in chain:
        raise ConfigError(str(path), f"policies extend each other in a cycle: {' -> '.join([*chain, str(path)])}")
    data = load_validated_data(str(path), POLICY_SCHEMA, "policy")
    if "extends" in data:
        policy = _load(data["extends"], path.parent, [*chain, str(path)])
    else:
        policy = Policy("", "", "", "", [], None, set(), {}, {})
    policy.id, policy.edition, policy.title = data["id"], data["edition"], data["title"]
    policy.description = data.get("description", "")
    policy.packs = list(dict.fromkeys([*policy.packs, *data.get("packs", [])]))
    if "include" in data:
        policy.include = list(data["include"])
    policy.exclude |= set(data.get("exclude", []))
    policy.params.update(data.get("params") or {})
    policy.severity.update(data.get("severity") or {})
    policy.frameworks = list(dict.fromkeys([*policy.frameworks, *data.get("frameworks", [])]))
    policy.profile.update(data.get("profile") or {})
    policy.files.append(str(path))
    digest = hashlib.sha256(policy.content_hash.encode())
    digest.update(path.read_bytes())
    policy.content_hash = digest.hexdigest()
    if not policy.packs:
        raise ConfigError(Location(str(path)), "policy selects no rule packs")
    return policy


def combine(policies: list[Policy]) -> Policy:
    """Several ``--policy`` options: the union of their packs; later policies win on params and severity."""
    if len(policies) == 1:
        return policies[0]
    first = policies[0]
    merged = Policy(
        id="+".join(p.id for p in policies),
        edition="+".join(p.edition for p in policies),
        title=" + ".join(p.title for p in policies),
        description="combined policies",
        packs=list(dict.fromkeys(pack for p in policies for pack in p.packs)),
        include=None,
        exclude=set.intersection(*(p.exclude for p in policies)),
        params={},
        severity={},
        files=[file for p in policies for file in p.files],
    )
    if all(p.include is not None for p in policies):
        merged.include = list(dict.fromkeys(rule for p in policies for rule in p.include or []))
    for policy in policies:
        merged.params.update(policy.params)
        merged.severity.update(policy.severity)
        merged.frameworks = list(dict.fromkeys([*merged.frameworks, *policy.frameworks]))
        merged.profile.update(policy.profile)
    digest = hashlib.sha256("".join(p.content_hash for p in policies).encode())
    merged.content_hash = digest.hexdigest() if first else ""
    return merged
