"""Resolve rule references (``{framework: EN18031-1, control: SCM-3}``) against the shipped catalogues.

This runs on every rule load, so it is kept light: it imports neither the catalogue data classes nor a
YAML parser unless the cached index must be rebuilt (see :func:`reference_index`).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from tlslint.errors import ConfigError
from tlslint.model.located import Location

#: Reference namespaces that are reading, not requirement catalogues: IETF RFCs, the OCPP TLS
#: whitepaper's sections and the CA/Browser Forum Baseline Requirements (web PKI, which binds public
#: CAs, not the products tlslint checks). Their ids are not resolved.
INFORMATIVE = frozenset({"RFC", "whitepaper", "CABF-BR"})


def catalogue_paths() -> list[Path]:
    from tlslint.resources import data_dir

    return sorted(data_dir("frameworks").glob("*.yaml"))


@cache
def reference_index() -> dict[str, tuple[str, frozenset[str]]]:
    """alias -> (catalogue key, requirement ids), for resolving rule references on every rule load.

    Parsing ~200 KB of catalogue YAML would cost as much as loading the rule packs, so the index is kept in
    tlslint's cache directory (as the rule-validation cache is), keyed by the SHA-256 of every catalogue's
    bytes: any edit rebuilds it, and a cache that cannot be read or written only costs time."""
    import json

    from tlslint.validation_cache import cache_directory

    paths = catalogue_paths()
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    directory = cache_directory()
    cached = directory / f"framework-index-{digest.hexdigest()[:24]}.json" if directory else None
    if cached is not None:
        try:
            data = json.loads(cached.read_text(encoding="utf-8"))
            return {alias: (key, frozenset(ids)) for alias, (key, ids) in data.items()}
        except (OSError, ValueError, TypeError):
            pass
    index = _build_index(paths)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temporary = cached.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps({a: [k, sorted(ids)] for a, (k, ids) in index.items()}), encoding="utf-8")
            os.replace(temporary, cached)
        except OSError:
            pass
    return index


def _build_index(paths: list[Path]) -> dict[str, tuple[str, frozenset[str]]]:
    """libyaml without schema validation; a catalogue without the expected shape is loaded the slow way,
    which reports the problem with its line."""
    import yaml

    index: dict[str, tuple[str, frozenset[str]]] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in paths:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
            key = f"{data['id']}@{data['edition']}"
            ids = frozenset(str(item["id"]) for item in data["requirements"])
            aliases = list(data["aliases"])
        except Exception:
            from tlslint.compliance.catalogue import load_catalogue

            catalogue = load_catalogue(path)  # raises the located error
            key, ids, aliases = catalogue.key, frozenset(catalogue.requirements), list(catalogue.aliases)
        for alias in aliases:
            index[alias] = (key, ids)
    return index


def resolve_reference(framework: str, control: str, where: Location | str) -> str | None:
    """The qualified requirement id a rule reference names, ``None`` for informative namespaces; an
    unknown framework or requirement is a :class:`ConfigError` at the rule."""
    if framework in INFORMATIVE:
        return None
    index = reference_index()
    if framework not in index:
        from tlslint.schemas import hint

        raise ConfigError(
            where,
            f"reference to unknown framework {framework!r}{hint(framework, list(index) + sorted(INFORMATIVE))}; "
            "add a catalogue under frameworks/ or use an informative namespace (RFC, whitepaper, CABF-BR)",
        )
    key, ids = index[framework]
    if control not in ids:
        from tlslint.schemas import hint

        raise ConfigError(
            where, f"reference {framework} {control}: {key} has no requirement {control!r}{hint(control, ids)}"
        )
    return f"{key}:{control}"
