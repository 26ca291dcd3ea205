"""Load the shipped framework catalogues (``frameworks/*.yaml``).

A catalogue is validated against ``schemas/framework.schema.yaml`` and checked for what a schema cannot
see (unique ids, a parent that exists, an applicability dimension the catalogue declares). Its content
SHA-256 goes into every result built from it.

Rule references name a framework the way people write it (``EN18031-1``, ``OCPP-2.0.1``); each
catalogue lists those names as ``aliases``, and :mod:`tlslint.compliance.references` resolves them.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from tlslint.compliance.model import Catalogue, Provenance, Question, Requirement
from tlslint.compliance.references import INFORMATIVE, catalogue_paths
from tlslint.errors import ConfigError

FRAMEWORK_SCHEMA = "framework.schema.yaml"


def frameworks_dir() -> Path:
    from tlslint.resources import data_dir

    return data_dir("frameworks")


@cache
def load_catalogues() -> dict[str, Catalogue]:
    """Every shipped catalogue by key (``en18031-1@2024``), validated."""
    catalogues: dict[str, Catalogue] = {}
    aliases: dict[str, str] = {}
    for path in catalogue_paths():
        catalogue = load_catalogue(path)
        if catalogue.key in catalogues:
            raise ConfigError(
                str(path), f"catalogue {catalogue.key} is also defined in {catalogues[catalogue.key].path}"
            )
        for alias in catalogue.aliases:
            if alias in aliases or alias in INFORMATIVE:
                raise ConfigError(
                    str(path), f"framework alias {alias!r} is also used by {aliases.get(alias, 'tlslint')}"
                )
            aliases[alias] = catalogue.key
        catalogues[catalogue.key] = catalogue
    return catalogues


def load_catalogue(path: Path) -> Catalogue:
    from tlslint.schemas import load_and_validate

    document = load_and_validate(str(path), FRAMEWORK_SCHEMA, "framework catalogue")
    data = document.data
    dimensions = {name: tuple(str(v) for v in values) for name, values in (data.get("dimensions") or {}).items()}
    requirements: dict[str, Requirement] = {}
    for index, item in enumerate(data["requirements"]):
        where = document.loc(("requirements", index))
        requirement = _requirement(item)
        if requirement.id in requirements:
            raise ConfigError(where, f"requirement {requirement.id} is listed twice")
        if requirement.parent is not None and requirement.parent not in requirements:
            raise ConfigError(
                where, f"requirement {requirement.id} names parent {requirement.parent}, listed nowhere before it"
            )
        for dimension, values in requirement.applies_when.items():
            unknown = set(values) - set(dimensions.get(dimension, ()))
            if dimension not in dimensions or unknown:
                raise ConfigError(
                    where,
                    f"requirement {requirement.id}: applies_when {dimension}={sorted(values)} names an undeclared "
                    "dimension or value",
                )
        requirements[requirement.id] = requirement
    provenance = data["provenance"]
    return Catalogue(
        id=data["id"],
        edition=data["edition"],
        catalogue_version=str(data["catalogue_version"]),
        title=data["title"],
        publisher=data["publisher"],
        aliases=tuple(data["aliases"]),
        complete=data["complete"],
        scope=data["scope"],
        provenance=Provenance(
            provenance["method"],
            tuple(provenance["sources"]),
            str(provenance["checked_on"]),
            provenance.get("notes", ""),
        ),
        dimensions=dimensions,
        requirements=requirements,
        path=str(path),
        content_hash=hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def _requirement(item: dict[str, Any]) -> Requirement:
    return Requirement(
        id=item["id"],
        title=item["title"],
        summary=" ".join(item["summary"].split()),
        group=item.get("group"),
        parent=item.get("parent"),
        kind=item.get("kind", "normative"),
        strength=item.get("strength"),
        applies_when={k: tuple(str(v) for v in values) for k, values in (item.get("applies_when") or {}).items()},
        applicability=item.get("applicability", ""),
        questions=tuple(Question(q["id"], q["ask"]) for q in item.get("questions") or ()),
        deviations=tuple(item.get("deviations") or ()),
        evidence_ids=tuple(item.get("evidence_ids") or ()),
    )


def find_catalogue(name: str) -> Catalogue:
    """``en18031-1``, ``en18031-1@2024`` or an alias (``EN18031-1``) -> the catalogue; an unknown name
    is a usage error listing what ships."""
    catalogues = load_catalogues()
    if name in catalogues:
        return catalogues[name]
    framework, _, edition = name.partition("@")
    matches = [
        c
        for c in catalogues.values()
        if (c.id == framework or framework in c.aliases) and (not edition or c.edition == edition)
    ]
    if not matches:
        raise ConfigError("--framework", f"unknown framework '{name}' (shipped: {', '.join(sorted(catalogues))})")
    return max(matches, key=lambda c: c.edition)
