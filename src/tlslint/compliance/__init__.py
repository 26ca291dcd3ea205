"""Compliance mode: framework catalogues as data, typed crosswalks, the evaluation ledger and
per-requirement verdicts (docs/compliance.md).

Public API (what renderers such as ``tlslint frameworks`` and ``tlslint report`` use)::

    from tlslint.compliance import (
        load_catalogues, find_catalogue, load_crosswalks,      # shipped data, validated, hashed
        load_profile, load_amendments, with_defaults,          # the user's product.yaml / amendments
        evaluate_frameworks,                                   # lint result (ledger=True) -> ComplianceResult
    )
    result = lint(paths, policy, ledger=True)
    compliance = evaluate_frameworks(result, [find_catalogue("en18031-1")], profile, amendments, at)

The data classes live in :mod:`tlslint.compliance.model` (module docstring: identifiers and
vocabularies); every one has ``to_json()``.
"""

from tlslint.compliance.catalogue import find_catalogue, load_catalogues, resolve_reference
from tlslint.compliance.crosswalk import load_crosswalks
from tlslint.compliance.profile import load_amendments, load_profile, profile_from_dimensions, with_defaults
from tlslint.compliance.verdicts import effective_params, evaluate_frameworks

__all__ = [
    "effective_params",
    "evaluate_frameworks",
    "find_catalogue",
    "load_amendments",
    "load_catalogues",
    "load_crosswalks",
    "load_profile",
    "profile_from_dimensions",
    "resolve_reference",
    "with_defaults",
]
