"""JSON Schemas shipped in ``schemas/``: reading them once, validating against them, and saying what is
wrong in words a person can act on.

Every YAML input with a schema — the TLS configuration document, rule packs, policies, the project
configuration, waiver files — goes through here, so they all report problems the same way: at the
offending key or value's line and column, in the file's own terms (``endpoints[csms].tls.profile``),
with the nearest valid name for a typo.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

from tlslint.errors import ConfigError, InputError
from tlslint.model.diagnostic import Diagnostic
from tlslint.yamlpos import PathKey, YamlDocument

DOCUMENT_SCHEMA = "tls-configuration.schema.yaml"
RULE_SCHEMA = "rule.schema.yaml"
POLICY_SCHEMA = "policy.schema.yaml"
CONFIG_SCHEMA = "config.schema.yaml"


@cache
def schema_text(name: str) -> str:
    from tlslint.resources import data_dir

    return (data_dir("schemas") / name).read_text(encoding="utf-8")


@cache
def schema(name: str) -> dict[str, Any]:
    """A shipped schema as data (they are written as YAML so that they can carry comments)."""
    import yaml

    return yaml.load(schema_text(name), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def schema_validator(name: str) -> Any:
    """One validator per schema and run: building one walks the whole schema."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name))


def load_and_validate(path: str, schema_name: str, what: str) -> YamlDocument:
    """Load a YAML file with positions and validate it; any problem is a :class:`ConfigError` at file:line."""
    from tlslint.yamlpos import load_yaml

    if not os.path.isfile(path):
        raise ConfigError(path, f"{what} not found")
    try:
        document = load_yaml(path)
    except InputError as error:
        raise ConfigError(error.location, error.message) from None
    if document.data is None:
        document.data = {}
    # Importing jsonschema and walking a schema costs ~50 ms of every run; a file whose exact bytes
    # already passed this schema under this tlslint version passes again.
    cache, key = _known_valid(path, schema_name)
    if key is not None and key in cache:
        return document
    from jsonschema.exceptions import best_match

    error = best_match(schema_validator(schema_name).iter_errors(document.data))
    if error is not None:
        diagnostic = next(describe_error(document, error))
        raise ConfigError(diagnostic.location, f"invalid {what}: {diagnostic.message}")
    if key is not None:
        cache.add(key)
        cache.save()
    return document


def load_validated_data(path: str, schema_name: str, what: str) -> Any:
    """The data of a schema-valid YAML file whose callers need no positions (a policy: its later problems
    are reported by file); see :func:`remembered_summary`."""
    return remembered_summary(path, schema_name, what, lambda document: document.data)


def remembered_summary(path: str, schema_name: str, what: str, summarise: Callable[[YamlDocument], Any]) -> Any:
    """``summarise(document)`` of a schema-valid YAML file, remembered in the parsed-data cache by the
    file's path and bytes: a warm run of an unchanged policy or configuration imports no YAML parser
    (~15 ms). ``summarise`` returns JSON data (what a caller needs: the data, the lines of some keys);
    a result that JSON cannot carry unchanged is not remembered. Anything not remembered is loaded and
    validated by :func:`load_and_validate`, which reports a problem at its line."""
    known_valid, digest = _known_valid(path, schema_name)
    parsed = _parsed_cache_for(schema_name)
    key = None if digest is None else f"{digest} {path}"
    if key is not None and digest in known_valid:
        summary = parsed.get(key)
        if summary is not None:
            return copy.deepcopy(summary)  # the cache keeps its own copy for the next load in this process
    summary = summarise(load_and_validate(path, schema_name, what))
    if key is not None:
        parsed.add(key, copy.deepcopy(summary))
        parsed.save(parsed.recent(key))
    return summary


@cache
def _parsed_cache_for(schema_name: str) -> Any:
    from tlslint.validation_cache import ParsedCache

    return ParsedCache(schema_name.split(".", 1)[0])


@cache
def _cache_for(schema_name: str) -> Any:
    from tlslint.validation_cache import ValidationCache

    return ValidationCache(schema_text(schema_name), kind=schema_name.split(".", 1)[0])


def _known_valid(path: str, schema_name: str) -> tuple[Any, str | None]:
    import hashlib

    from tlslint import safe_read
    from tlslint.errors import InputError

    digest = safe_read.digest_of(path)  # the bytes this run already read, never a second open
    if digest is None:
        try:
            digest = hashlib.sha256(safe_read.read_bytes(path)).hexdigest()
        except InputError:
            return None, None
    return _cache_for(schema_name), digest


def display_path(document: YamlDocument, path: Iterable[str | int]) -> str:
    """``('endpoints', 0, 'tls')`` → ``endpoints[csms].tls`` (list items by their ``id`` when they have one)."""
    text, node = "", document.data
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            name = item.get("id") if isinstance(item, dict) else None
            text += f"[{name}]" if isinstance(name, str) else f"[{part}]"
            node = item
        else:
            text += f".{part}" if text else part
            node = node.get(part) if isinstance(node, dict) else None
    return text or "document"


def nearest(name: str, choices: Iterable[str]) -> str | None:
    import difflib  # only to phrase an error

    matches = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def hint(name: str, choices: Iterable[str]) -> str:
    suggestion = nearest(name, choices)
    return f" (did you mean '{suggestion}'?)" if suggestion else ""


def describe_error(document: YamlDocument, error: Any) -> Iterator[Diagnostic]:
    """Phrase one jsonschema error at the location of the offending key or value."""
    path: PathKey = tuple(error.absolute_path)
    where = display_path(document, path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        for key in error.instance:
            if key not in allowed:
                yield Diagnostic(
                    document.key_loc((*path, key)),
                    f"unknown key '{key}' in {where}{hint(key, allowed)}",
                )
        return
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        yield Diagnostic(document.loc(path), f"{where} is missing the required key '{missing}'")
        return
    if kind == "enum":
        choices = [str(choice) for choice in error.validator_value if choice not in (False, None)]
        got = error.instance
        suggestion = hint(got, choices) if isinstance(got, str) else ""
        yield Diagnostic(
            document.loc(path), f"{where}: {json.dumps(got)} is not one of {', '.join(choices)}{suggestion}"
        )
        return
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        yield Diagnostic(document.loc(path), f"{where}: expected {expected}, got {_kind_of(error.instance)}")
        return
    if kind == "const":
        yield Diagnostic(document.loc(path), f"{where} must be {json.dumps(error.validator_value)}")
        return
    if kind == "pattern":
        description = error.schema.get("description") or f"must match {error.validator_value}"
        yield Diagnostic(document.loc(path), f"{where}: {json.dumps(error.instance)} is not valid ({description})")
        return
    yield Diagnostic(document.loc(path), f"{where}: {error.message}")


def _kind_of(value: object) -> str:
    """What a YAML value is, in the words of a type error; YAML's own surprises say how to avoid them."""
    if value is None:
        return "no value (YAML reads an unquoted NULL, null or ~ as none: quote a name)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()} (YAML reads an unquoted yes, no, on or off as one: quote a name)"
    if isinstance(value, float):
        return f"the number {value!r} (quote a version or a name)"
    return {dict: "a mapping", list: "a list", str: "text", int: "a number"}.get(type(value), type(value).__name__)
