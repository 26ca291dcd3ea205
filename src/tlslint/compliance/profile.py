"""The user's side of compliance mode: the product profile (``product.yaml``) and amendments files.

Both are validated against their schemas (``schemas/product.schema.yaml``,
``schemas/amendments.schema.yaml``); every problem is a located :class:`ConfigError`. Dates are
checked to be real dates, and a requirement id must name a requirement a shipped catalogue holds.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from typing import Any

from tlslint.compliance.model import (
    Amendments,
    Attestation,
    Catalogue,
    Deviation,
    Interface,
    NotApplicable,
    ProductProfile,
    split_qualified,
)
from tlslint.errors import ConfigError

PRODUCT_SCHEMA = "product.schema.yaml"
AMENDMENTS_SCHEMA = "amendments.schema.yaml"
#: product.yaml section.key -> the applicability dimension catalogues read.
DIMENSIONS = {
    ("en18031", "part"): "en18031_part",
    ("iec62443", "sl_target"): "sl_target",
    ("iec62443", "component_type"): "component_type",
    ("ocpp", "role"): "ocpp_role",
    ("ocpp", "version"): "ocpp_version",
    ("ocpp", "security_profile"): "ocpp_security_profile",
}


def load_profile(path: str) -> ProductProfile:
    from tlslint.schemas import load_and_validate

    document = load_and_validate(path, PRODUCT_SCHEMA, "product profile")
    data = document.data
    dimensions = {
        dimension: str(data[section][key])
        for (section, key), dimension in DIMENSIONS.items()
        if key in (data.get(section) or {})
    }
    interfaces = tuple(
        Interface(i["name"], tuple(i["assets"]), tuple(i.get("endpoints") or ())) for i in data.get("interfaces") or ()
    )
    declarations = tuple(
        _not_applicable(entry, document, ("not_applicable", index))
        for index, entry in enumerate(data.get("not_applicable") or ())
    )
    return ProductProfile(
        product={k: str(v) for k, v in (data.get("product") or {}).items()},
        dimensions=dimensions,
        interfaces=interfaces,
        amendments=Amendments(not_applicable=declarations),
        path=path,
        content_hash=hashlib.sha256(Path(path).read_bytes()).hexdigest(),
    )


def profile_from_dimensions(dimensions: dict[str, Any]) -> ProductProfile:
    """A profile holding only applicability dimensions (a policy's defaults)."""
    return ProductProfile(dimensions={k: str(v) for k, v in dimensions.items()})


def with_defaults(profile: ProductProfile, defaults: dict[str, Any]) -> ProductProfile:
    """The profile, with dimensions it leaves unset taken from ``defaults`` (the policy's ``profile``)."""
    merged = {k: str(v) for k, v in defaults.items()}
    merged.update(profile.dimensions)
    return ProductProfile(
        profile.product, merged, profile.interfaces, profile.amendments, profile.path, profile.content_hash
    )


def load_amendments(path: str) -> Amendments:
    from tlslint.schemas import load_and_validate

    document = load_and_validate(path, AMENDMENTS_SCHEMA, "amendments file")
    data = document.data
    attestations = []
    for index, a in enumerate(data.get("attestations") or ()):
        where = ("attestations", index)
        _check_requirement(a["requirement"], document, (*where, "requirement"))
        attestations.append(
            Attestation(
                id=a["id"],
                requirement=a["requirement"],
                question=a["question"],
                result=a["result"],
                answer=a["answer"],
                author=a["author"],
                approver=a["approver"],
                answered_on=_date(a["answered_on"], document, (*where, "answered_on")),
                expires=_date(a["expires"], document, (*where, "expires")),
                evidence=tuple(dict(e) for e in a.get("evidence") or ()),
            )
        )
    deviations = []
    for index, d in enumerate(data.get("deviations") or ()):
        where = ("deviations", index)
        _check_requirement(d["requirement"], document, (*where, "requirement"))
        deviations.append(
            Deviation(
                id=d["id"],
                requirement=d["requirement"],
                kind=d["kind"],
                justification=d["justification"],
                approver=d["approver"],
                approved_on=_date(d["approved_on"], document, (*where, "approved_on")),
                expires=_date(d["expires"], document, (*where, "expires")),
                subjects=tuple(d.get("subjects") or ()),
                counterpart=d.get("counterpart", ""),
            )
        )
    declarations = tuple(
        _not_applicable(entry, document, ("not_applicable", index))
        for index, entry in enumerate(data.get("not_applicable") or ())
    )
    return Amendments(
        tuple(attestations),
        tuple(deviations),
        declarations,
        path,
        hashlib.sha256(Path(path).read_bytes()).hexdigest(),
    )


def _not_applicable(entry: dict[str, Any], document, where: tuple[Any, ...]) -> NotApplicable:
    _check_requirement(entry["requirement"], document, (*where, "requirement"))
    return NotApplicable(
        entry["requirement"],
        entry["reason"],
        entry["declared_by"],
        _date(entry["declared_on"], document, (*where, "declared_on")),
        _date(entry["review_by"], document, (*where, "review_by")),
    )


def _date(text: str, document, where: tuple[Any, ...]) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(document.loc(where), f"{text!r} is not a valid date") from None


def _check_requirement(text: str, document, where: tuple[Any, ...]) -> None:
    from tlslint.compliance.catalogue import load_catalogues

    framework, edition, requirement = split_qualified(text)
    catalogue = load_catalogues().get(f"{framework}@{edition}")
    if catalogue is None or requirement not in catalogue.requirements:
        raise ConfigError(document.loc(where), f"{text} is not a requirement of any shipped catalogue")


def skeleton(catalogues: list[Catalogue]) -> str:
    """A commented ``product.yaml`` asking for every applicability dimension the catalogues read."""
    wanted = {dimension for c in catalogues for dimension in c.dimensions}
    lines = [
        "# tlslint product profile: what no configuration can tell (schema: tlslint schema product).",
        "# Frameworks: " + ", ".join(c.key for c in catalogues),
        "apiVersion: tlslint/product/v1",
        "product:",
        "  manufacturer: ''",
        "  model: ''",
        "  firmware_version: ''",
    ]
    sections: dict[str, list[str]] = {}
    for (section, key), dimension in DIMENSIONS.items():
        if dimension in wanted:
            values = sorted({v for c in catalogues for v in c.dimensions.get(dimension, ())})
            sections.setdefault(section, []).append(f"  {key}: ''   # one of: {', '.join(values)}")
    for section, entries in sections.items():
        lines += [f"{section}:", *entries]
    lines += [
        "interfaces:   # every interface and the assets it carries (security, network, privacy, financial)",
        "  - {name: '', assets: [], endpoints: []}",
        "not_applicable: []   # {requirement: fw@edition:ID, reason, declared_by, declared_on, review_by}",
    ]
    questions = [(c.qualified(r.id), q.ask) for c in catalogues for r in c.requirements.values() for q in r.questions]
    if questions:
        lines.append("# Questions an assessor will ask (answer them in an amendments file as attestations):")
        lines += [f"#   {rid}: {ask}" for rid, ask in questions]
    return "\n".join(lines) + "\n"
