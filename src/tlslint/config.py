"""The tlslint configuration: ``.tlslint.yaml`` (or ``.yml``) or ``[tool.tlslint]`` in ``pyproject.toml``.

One configuration per repository, whatever the order of the PATHs (docs/repository-config.md): when
every PATH lies in one repository (the nearest directory holding ``.git``, ``.hg`` or ``.svn``), only
that repository's root is looked at — a ``.tlslint.yaml`` deeper in the tree is reported and ignored,
so a contribution cannot add ``sub/.tlslint.yaml`` to switch the gate off for the files it names. When
the PATHs are in several repositories, the working directory's repository decides; outside any
repository, discovery walks up from the PATHs' common directory to the file-system root. In a
directory ``.tlslint.yaml``, ``.tlslint.yml`` and then a ``pyproject.toml`` with a ``[tool.tlslint]``
table are tried. ``--config FILE`` names one explicitly, ``--no-config`` turns discovery off, and
``--untrusted`` (for gates on changes nobody vetted) ignores the repository's configuration and every
suppression written in the tree.

Precedence: command line > configuration file > built-in default. Every effective value remembers
where it came from (``tlslint config show``). Paths in the file (policy files, baseline, waivers)
are relative to the file's directory. The file is validated against ``schemas/config.schema.yaml``;
a mistake is one line naming the file, line and problem (exit 2).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from tlslint.errors import ConfigError
from tlslint.model.located import Location
from tlslint.records import Record
from tlslint.schemas import CONFIG_SCHEMA, remembered_summary, schema_validator

if TYPE_CHECKING:
    from tlslint.yamlpos import YamlDocument

CONFIG_NAMES = (".tlslint.yaml", ".tlslint.yml")

#: Every setting with its default, in the order ``tlslint config show`` prints them.
DEFAULTS: dict[str, Any] = {
    "policy": ["secure-defaults"],
    "fail-on": "low",
    "soft-fail": False,
    "format": "table",
    "baseline": None,
    "waivers": None,
    "inline-suppressions": True,
    "sarif-include-suppressed": False,
    "sarif-category": None,
    "severity": {},
    "params": {},
    "disable": [],
    "exclude": [],
    "select": None,
    "extend-select": [],
    "ignore": [],
    "min-confidence": None,
    "waiver-warning-days": 30,
    "engine-version": {},
    "types": {},
    "respect-gitignore": True,
}
_PATH_KEYS = ("baseline", "waivers")


class Config(Record):
    """The effective settings, each value with where it came from (``sources``: the default, the file and
    line, or the command line)."""

    __slots__ = ("values", "sources", "file", "locations", "ignored", "discovered")

    values: dict[str, Any]
    sources: dict[str, str]
    file: str | None
    #: Where each key (and each severity/params entry, as "severity.RULE") was written in the file.
    locations: dict[str, Location]
    #: Nested configuration files found above the PATHs and ignored (one configuration per repository).
    ignored: list[str]
    #: Whether the file was looked for (not --config, --no-config or --untrusted).
    discovered: bool

    def __init__(
        self,
        values: dict[str, Any] | None = None,
        sources: dict[str, str] | None = None,
        file: str | None = None,
        locations: dict[str, Location] | None = None,
        ignored: list[str] | None = None,
        discovered: bool = False,
    ) -> None:
        self.values = {k: _copy(v) for k, v in DEFAULTS.items()} if values is None else values
        self.sources = dict.fromkeys(DEFAULTS, "default") if sources is None else sources
        self.file = file
        self.locations = {} if locations is None else locations
        self.ignored = [] if ignored is None else ignored
        self.discovered = discovered

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def set(self, key: str, value: Any, source: str) -> None:
        self.values[key] = value
        self.sources[key] = source

    def where(self, key: str) -> Location | str:
        return self.locations.get(key) or self.file or "configuration"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "settings": {key: {"value": self.values[key], "source": self.sources[key]} for key in DEFAULTS},
        }


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value


# --- discovery ---------------------------------------------------------------------------------------


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return any(line.strip().startswith("[tool.tlslint") for line in handle)
    except OSError:
        return False


def _config_in(directory: str) -> str | None:
    for name in CONFIG_NAMES:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return candidate
    candidate = os.path.join(directory, "pyproject.toml")
    if os.path.isfile(candidate) and _has_tool_table(candidate):
        return candidate
    return None


def is_config_file(path: str) -> bool:
    """Whether ``path`` is a tlslint configuration file (by name; a pyproject.toml by its table)."""
    name = os.path.basename(path)
    return name in CONFIG_NAMES or (name == "pyproject.toml" and _has_tool_table(path))


def discover(paths: list[str] | str = ".") -> str | None:
    """The configuration file of a run over ``paths`` (files or directories), or None. Independent
    of the order of ``paths``."""
    from tlslint.repo import ancestors, repo_root

    if isinstance(paths, str):
        paths = [paths]
    directories = []
    for path in paths or ["."]:
        absolute = os.path.abspath(path if os.path.exists(path) else ".")
        directories.append(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))
    roots = {repo_root(directory) for directory in directories}
    if len(roots) == 1 and None not in roots:
        return _config_in(roots.pop())  # type: ignore[arg-type]
    cwd_root = repo_root(os.getcwd())
    if cwd_root is not None:
        return _config_in(cwd_root)
    for directory in ancestors(os.path.commonpath(directories)):
        found = _config_in(directory)
        if found is not None:
            return found
    return None


def nested_configs(paths: list[str], used: str | None) -> list[str]:
    """Configuration files between the PATHs and their repository root that this run ignores (the
    ones inside scanned directories are reported by discovery, which sees every file)."""
    from tlslint.repo import ancestors, repo_root

    found: list[str] = []
    for path in paths:
        absolute = os.path.abspath(path)
        directory = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
        root = repo_root(directory)
        if root is None:
            continue
        for current in ancestors(directory):
            if current == root:
                break
            candidate = _config_in(current)
            if candidate is not None and candidate not in found and not _same(candidate, used):
                found.append(candidate)
    return found


def _refuse_files_from_the_tree(args: Any, paths: list[str]) -> None:
    """Under ``--untrusted``, a configuration, waiver or baseline file must come from outside the
    scanned repository (or the scanned directories outside a repository): the change under test could
    have written it."""
    from tlslint.errors import UsageError
    from tlslint.repo import repo_root

    trees = set()
    for path in paths:
        absolute = os.path.realpath(path)
        trees.add(repo_root(absolute) or (absolute if os.path.isdir(absolute) else os.path.dirname(absolute)))
    for option in ("config", "waivers", "baseline"):
        value = getattr(args, option, None)
        if not value:
            continue
        real = os.path.realpath(value)
        for tree in trees:
            if real == tree or real.startswith(tree.rstrip(os.sep) + os.sep):
                raise UsageError(
                    f"--untrusted: --{option} {value} lies inside the scanned tree, which the change under test "
                    "may have written; pass a trusted copy from outside it"
                )


def _same(path: str, other: str | None) -> bool:
    return other is not None and os.path.realpath(path) == os.path.realpath(other)


# --- loading -----------------------------------------------------------------------------------------


def _display(path: str) -> str:
    from tlslint.run import display_path

    return display_path(path)


def _load_file(path: str) -> tuple[dict[str, Any], dict[str, Location]]:
    if os.path.basename(path) == "pyproject.toml" or path.endswith(".toml"):
        return _load_pyproject(path)
    summary = remembered_summary(path, CONFIG_SCHEMA, "configuration", _summary)
    locations = {key: Location(path, *where) for key, where in summary["keys"].items()}
    return summary["data"], locations


def _summary(document: YamlDocument) -> dict[str, Any]:
    """What a run needs of a configuration file: its data and where each key (and each key of a mapping
    value, ``engine-version.nginx``) is written, as JSON (remembered between runs)."""
    data = document.data
    if not isinstance(data, dict):
        raise ConfigError(document.path, "the configuration must be a mapping")
    keys: dict[str, list[int | None]] = {}
    for key, value in data.items():
        keys[key] = _span(document.key_loc((key,)))
        if isinstance(value, dict):
            for sub in value:
                keys[f"{key}.{sub}"] = _span(document.key_loc((key, sub)))
    return {"data": data, "keys": keys}


def _span(location: Location) -> list[int | None]:
    return [location.line, location.column, location.end_line, location.end_column]


def _load_pyproject(path: str) -> tuple[dict[str, Any], dict[str, Location]]:
    import re
    import tomllib

    from jsonschema.exceptions import best_match

    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        document = tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError(path, "configuration not found") from None
    except OSError as error:
        raise ConfigError(path, f"cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(path, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, f"invalid TOML: {error}") from None
    data = document.get("tool", {}).get("tlslint")
    if data is None:
        raise ConfigError(path, "has no [tool.tlslint] table")
    # TOML parsers give no positions: find each key's line in the [tool.tlslint] tables by text.
    locations: dict[str, Location] = {}
    table = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[+\s*tool\.tlslint(?:\.([A-Za-z0-9_-]+))?\s*\]+", stripped)
        if header:
            table = header.group(1) or ""
            if table:
                locations.setdefault(table, Location(path, number, 1))
            continue
        if stripped.startswith("["):
            table = None
            continue
        key = re.match(r'^"?([A-Za-z0-9_.-]+)"?\s*=', stripped)
        if key and table is not None:
            name = f"{table}.{key.group(1)}" if table else key.group(1)
            locations.setdefault(name, Location(path, number, line.index(key.group(0)[0]) + 1))
    error = best_match(schema_validator(CONFIG_SCHEMA).iter_errors(data))
    if error is not None:
        parts = [str(p) for p in error.absolute_path]
        where: Location | str = Location(path)
        for depth in range(len(parts), 0, -1):
            if ".".join(parts[:depth]) in locations:
                where = locations[".".join(parts[:depth])]
                break
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            unknown = [k for k in error.instance if k not in error.schema.get("properties", {})]
            message = f"unknown key '{unknown[0]}' in [tool.tlslint]" + _hint(unknown[0], DEFAULTS)
            where = locations.get(unknown[0], where)
        else:
            message = f"{'.'.join(parts) or '[tool.tlslint]'}: {error.message}"
        raise ConfigError(where, f"invalid configuration: {message}")
    return data, locations


def _hint(name: str, choices) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def load(explicit: str | None = None, *, start: list[str] | str = ".", discover_file: bool = True) -> Config:
    """Defaults overlaid with the configuration file (explicit, or discovered for the PATHs ``start``)."""
    config = Config()
    path = explicit if explicit is not None else (discover(start) if discover_file else None)
    if path is None:
        return config
    if explicit is not None and not os.path.isfile(explicit):
        raise ConfigError("--config", f"configuration file {explicit} not found")
    shown = _display(path)
    data, locations = _load_file(shown)
    config.file = shown
    config.locations = locations
    base = os.path.dirname(path)
    for key, value in data.items():
        where = locations.get(key)
        source = f"{shown}:{where.line}" if where is not None and where.line else shown
        if key == "policy":
            names = [value] if isinstance(value, str) else list(value)
            value = [_relative_policy(name, base) for name in names]
        elif key in _PATH_KEYS:
            value = _join(base, value)
        elif key == "engine-version":
            value = _engine_versions(value, base, where or shown)
        config.set(key, value, source)
    return config


def _engine_versions(value: dict[str, Any], base: str, where: Location | str) -> dict[str, str]:
    """``engine-version: {nginx: "1.22.1", openssl: "3.0"}`` checked like ``--engine-version``
    (an unknown engine is a configuration error); ``openssl-conf`` is relative to the file."""
    from tlslint.catalog.engine_defaults import EngineVersionError, parse_engine_versions

    text = ",".join(f"{name}={version}" for name, version in value.items())
    try:
        versions = parse_engine_versions(text)
    except EngineVersionError as error:
        raise ConfigError(where, f"engine-version: {error}") from None
    if "openssl-conf" in versions:
        versions["openssl-conf"] = _join(base, versions["openssl-conf"])
    return versions


def _join(base: str, path: str) -> str:
    joined = path if os.path.isabs(path) else os.path.join(base, path)
    return _display(os.path.normpath(joined))


def _relative_policy(name: str, base: str) -> str:
    from tlslint.policy import shipped_policies

    if name in shipped_policies() or not name.endswith((".yaml", ".yml")):
        return name
    return _join(base, name)


def apply_cli(config: Config, args: Any) -> Config:
    """Overlay the command-line options that were given (argparse leaves the others as None/False)."""
    simple = {
        "policy": "policy",
        "fail_on": "fail-on",
        "format": "format",
        "baseline": "baseline",
        "waivers": "waivers",
        "sarif_category": "sarif-category",
    }
    for attribute, key in simple.items():
        value = getattr(args, attribute, None)
        if value is not None:
            config.set(key, value, f"--{key}")
    if getattr(args, "soft_fail", False):
        config.set("soft-fail", True, "--soft-fail")
    if getattr(args, "no_inline_suppressions", False):
        config.set("inline-suppressions", False, "--no-inline-suppressions")
    if getattr(args, "sarif_include_suppressed", False):
        config.set("sarif-include-suppressed", True, "--sarif-include-suppressed")
    if getattr(args, "no_baseline", False):
        config.set("baseline", None, "--no-baseline")
    from tlslint.selection import split_selectors

    for attribute, key in (("select", "select"), ("extend_select", "extend-select"), ("ignore", "ignore")):
        given = getattr(args, attribute, None)
        if given:
            config.set(key, list(split_selectors(given)), f"--{key}")
    if getattr(args, "min_confidence", None):
        config.set("min-confidence", args.min_confidence, "--min-confidence")
    if getattr(args, "no_gitignore", False):
        config.set("respect-gitignore", False, "--no-gitignore")
    if getattr(args, "exclude", None):
        config.set("exclude", [*config["exclude"], *args.exclude], "--exclude")
    given = getattr(args, "engine_versions", None)
    if given:  # per engine: the command line wins over the file
        config.set("engine-version", {**config["engine-version"], **given}, "--engine-version")
    declared = getattr(args, "types", None)
    if declared:
        config.set("types", {**config["types"], **dict(declared)}, "--type")
    if getattr(args, "untrusted", False):
        # Every suppression written in the scanned tree is the contributor's: none applies. Waivers and
        # a baseline given on the command line (trusted copies, e.g. from the base branch) still do.
        config.set("inline-suppressions", False, "--untrusted")
        # A .gitignore is the contributor's too: it could hide the very file the change weakens.
        config.set("respect-gitignore", False, "--untrusted")
    return config


def from_args(args: Any) -> Config:
    paths = getattr(args, "paths", None) or ["."]
    untrusted = getattr(args, "untrusted", False)
    if untrusted:
        _refuse_files_from_the_tree(args, paths)
    discover_file = not getattr(args, "no_config", False) and not untrusted
    config = load(getattr(args, "config", None), start=paths, discover_file=discover_file)
    if discover_file and getattr(args, "config", None) is None:
        config.discovered = True
        config.ignored = nested_configs(paths, config.file)
    return apply_cli(config, args)


def nested_config_warnings(config: Config, seen: list[str]):  # -> list[Diagnostic]
    """A warning for every configuration file this run ignores: those above the PATHs (``config.ignored``)
    and those discovery met in the scanned tree (``seen``). Nothing when no file was discovered on
    purpose (``--no-config``, ``--untrusted``, ``--config``) — then every one is ignored, as asked."""
    from tlslint.model.diagnostic import Diagnostic

    if not config.discovered:
        return []
    used = config.file
    nested = [*config.ignored, *(p for p in seen if is_config_file(p))]
    warnings, shown = [], set()
    for path in nested:
        if _same(path, used) or os.path.realpath(path) in shown:
            continue
        shown.add(os.path.realpath(path))
        message = (
            "nested configuration ignored: one configuration per repository"
            + (f" ({used} applies)" if used else " (the repository root has none)")
            + "; move its settings to the root or pass --config"
        )
        warnings.append(Diagnostic(Location(_display(path)), message, "warning"))
    return warnings


# --- applying it -------------------------------------------------------------------------------------


def customise_policy(policy, rules: list, config: Config) -> dict[str, str]:
    """Apply severity overrides, parameters and disabled rules to ``policy``. ``rules`` are the rules of
    the policy's packs. Returns the severity overrides meant for the built-in rules."""
    from tlslint.builtin_rules import builtin_rules
    from tlslint.rules.model import param_type_problem

    builtin = {rule.id for rule in builtin_rules()}
    in_policy = {rule.id for rule in rules}
    everything: set[str] | None = None

    def known(rule_id: str) -> bool:
        nonlocal everything
        if rule_id in in_policy or rule_id in builtin:
            return True
        if everything is None:
            from tlslint.rules.explain import all_rules

            everything = {rule.id for rule in all_rules()}
        return rule_id in everything

    builtin_severity = {}
    for rule_id, severity in config["severity"].items():
        if not known(rule_id):
            raise ConfigError(config.where(f"severity.{rule_id}"), f"severity override for unknown rule {rule_id}")
        if rule_id in builtin:
            builtin_severity[rule_id] = severity
        elif rule_id in in_policy:
            policy.severity[rule_id] = severity
    for rule_id in config["disable"]:
        if not known(rule_id):
            raise ConfigError(config.where("disable"), f"'disable' names unknown rule {rule_id}")
        policy.exclude.add(rule_id)
    if config["params"]:
        declared = {name for rule in rules for name in rule.params}
        for name, value in config["params"].items():
            if name not in declared:
                raise ConfigError(
                    config.where(f"params.{name}"),
                    f"no rule of policy {policy.name} has a parameter '{name}'" + _hint(name, declared),
                )
            problem = param_type_problem(rules, name, value)
            if problem is not None:
                raise ConfigError(config.where(f"params.{name}"), problem)
            policy.params[name] = value
    if config.file is not None and (config["severity"] or config["params"] or config["disable"]):
        import hashlib

        # The policy as applied differs from the shipped edition: say so in its content hash.
        digest = hashlib.sha256(policy.content_hash.encode())
        digest.update(repr(sorted(policy.severity.items()) + sorted(policy.params.items())).encode())
        digest.update(repr(sorted(policy.exclude)).encode())
        policy.content_hash = digest.hexdigest()
    return builtin_severity


def render_show(config: Config) -> str:
    """``tlslint config show``: the effective configuration as YAML, each value with its source."""
    import json

    lines = [f"# tlslint configuration: {config.file or 'no configuration file (built-in defaults)'}"]
    lines += [f"# ignored (nested; one configuration per repository): {_display(path)}" for path in config.ignored]
    for key in DEFAULTS:
        value = json.dumps(config.values[key], ensure_ascii=False)
        lines.append(f"{key}: {value}  # {config.sources[key]}")
    return "\n".join(lines) + "\n"
