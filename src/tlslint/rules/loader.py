"""Load rule packs: YAML files under ``rules/<pack>/``, validated against ``schemas/rule.schema.yaml``.

A broken pack is a setup error (exit 2) naming the file, line and problem. Beyond the schema, the
loader checks what a schema cannot: every path is a declared field of the rule's subject kind, every
``{placeholder}`` in the message is known, every ``{param: …}`` is declared, and ids are unique.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

from tlslint.errors import ConfigError, InputError
from tlslint.model.located import Location
from tlslint.rules.conditions import CompileContext, compile_condition
from tlslint.rules.model import ParamSpec, Reference, Rule
from tlslint.schemas import RULE_SCHEMA, describe_error, schema_text, schema_validator
from tlslint.yamlpos import YamlDocument, load_yaml

MESSAGE_PLACEHOLDERS = frozenset({"subject", "value", "offending", "expected", "note"})


@cache
def _validation_cache() -> Any:
    from tlslint.validation_cache import ValidationCache

    return ValidationCache(schema_text(RULE_SCHEMA))


@cache
def _parsed_cache() -> Any:
    from tlslint.validation_cache import ParsedCache

    return ParsedCache("rules")


#: Content keys of the pack files this process loaded (what the parsed-data cache keeps).
_LOADED: set[str] = set()


def pack_dirs() -> dict[str, Path]:
    """Shipped packs by name."""
    from tlslint.resources import data_dir

    root = data_dir("rules")
    return {entry.name: entry for entry in sorted(root.iterdir()) if entry.is_dir()}


def load_pack(name: str, directory: Path) -> list[Rule]:
    rules: list[Rule] = []
    for path in sorted(directory.glob("*.yaml")):
        rules.extend(load_rule_file(str(path), pack=name))
    return rules


def load_packs(names: list[str]) -> list[Rule]:
    available = pack_dirs()
    rules: list[Rule] = []
    seen: dict[str, Location] = {}
    for name in names:
        if name not in available:
            raise ConfigError("policy", f"unknown rule pack '{name}' (available: {', '.join(available)})")
        for rule in load_pack(name, available[name]):
            if rule.id in seen:
                raise ConfigError(rule.source, f"rule id {rule.id} is also defined at {seen[rule.id]}")
            seen[rule.id] = rule.source
            rules.append(rule)
    _validation_cache().save()
    _parsed_cache().save(_LOADED)
    return rules


def load_rule_file(path: str, *, pack: str) -> list[Rule]:
    """Load one pack file. The common case — a valid file — takes the fast path: libyaml's C loader
    and one schema check per rule. Only a file with a problem is re-read with positions, so that the
    error names the exact line and column (rule loading is on every run's critical path)."""
    from tlslint.yamlpos import read_text

    try:
        text = read_text(path)
    except InputError:
        return _load_with_positions(path, pack)
    known_valid, parsed = _validation_cache(), _parsed_cache()
    key = known_valid.key(text)
    data = parsed.get(key) if key in known_valid else None  # these bytes parsed and passed before
    if data is None:
        import yaml  # only for bytes the parsed-data cache does not know: a warm run never imports it

        try:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            data = None
    items = data if isinstance(data, list) else [data]
    if data is None or not all(isinstance(item, dict) for item in items):
        return _load_with_positions(path, pack)
    if key not in known_valid:
        if not all(_validator().is_valid(item) for item in items):
            return _load_with_positions(path, pack)
        known_valid.add(key)
    parsed.add(key, data)
    _LOADED.add(key)
    starts = _rule_lines(text)
    return [_compile(item, pack, Location(path, starts.get(str(item["id"])), 1)) for item in items]


def _rule_lines(text: str) -> dict[str, int]:
    """Line of each ``id:`` key, for locating rules loaded on the fast path."""
    import re

    return {
        match[1]: text.count("\n", 0, match.start()) + 1
        for match in re.finditer(r"^(?:- )?\s*id:\s*['\"]?([A-Za-z0-9-]+)", text, re.MULTILINE)
    }


def _validator() -> Any:
    return schema_validator(RULE_SCHEMA)


def _load_with_positions(path: str, pack: str) -> list[Rule]:
    try:
        document = load_yaml(path)
    except InputError as error:
        raise ConfigError(error.location, error.message) from None
    items = document.data if isinstance(document.data, list) else [document.data]
    return [
        _load_one(document, pack, (index,) if isinstance(document.data, list) else (), item)
        for index, item in enumerate(items)
    ]


def _load_one(document: YamlDocument, pack: str, base: tuple[int, ...], spec: Any) -> Rule:
    from jsonschema.exceptions import best_match

    where = document.loc(base)
    if not isinstance(spec, dict):
        raise ConfigError(where, "invalid rule: a rule must be a mapping")
    error = best_match(_validator().iter_errors(spec))
    if error is not None:
        error.path.extendleft(reversed(base))
        diagnostic = next(describe_error(document, error))
        raise ConfigError(diagnostic.location, f"invalid rule: {diagnostic.message}")
    return _compile(spec, pack, where)


def _compile(spec: dict[str, Any], pack: str, where: Location) -> Rule:
    """A schema-valid rule, checked for what the schema cannot see and compiled."""
    params = {
        name: ParamSpec(name, p["type"], p["default"], p["doc"]) for name, p in (spec.get("params") or {}).items()
    }
    kind = spec["applies_to"]["kind"]
    context = CompileContext(kind=kind, source=where, params=params)
    check = compile_condition(spec["check"], context)
    when = compile_condition(spec["when"], context) if "when" in spec else None
    filters = {
        key: tuple(value) if isinstance(value, list) else (value,)
        for key, value in spec["applies_to"].items()
        if key != "kind"
    }
    _check_placeholders(spec["message"], set(params), where)
    remediation = spec["remediation"]
    return Rule(
        id=spec["id"],
        title=spec["title"],
        severity=spec["severity"],
        confidence=spec["confidence"],
        kind=kind,
        filters=filters,
        check=check,
        when=when,
        params=params,
        message=spec["message"],
        rationale=spec["rationale"].strip(),
        remediation=remediation["text"].strip(),
        remediation_per_engine=dict(remediation.get("per_engine") or {}),
        references=_references(spec["references"], where),
        pack=pack,
        source=where,
        spec=spec,
        tags=tuple(spec.get("tags") or ()),
        subsumed_by=tuple(spec.get("subsumed_by") or ()),
        paths=tuple(dict.fromkeys(context.paths)),
        judged_by_fields=True,
    )


def _references(specs: list[dict[str, Any]], where: Location) -> tuple[Reference, ...]:
    """The rule's references, each resolved against the shipped framework catalogues: an id no catalogue
    knows (``EN18031-1 LGM-1``: LGM exists only in parts 2 and 3) is a load error."""
    from tlslint.compliance.references import resolve_reference

    out = []
    for spec in specs:
        control = str(spec["control"])
        resolved = resolve_reference(spec["framework"], control, where)
        out.append(Reference(spec["framework"], control, spec.get("note"), resolved, spec.get("relation")))
    return tuple(out)


def _check_placeholders(message: str, params: set[str], where: Location) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}
    except ValueError as error:
        raise ConfigError(where, f"invalid message template: {error}") from None
    unknown = names - MESSAGE_PLACEHOLDERS - params
    if unknown:
        raise ConfigError(where, f"message uses unknown placeholder(s): {', '.join(sorted(unknown))}")
