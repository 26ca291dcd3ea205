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

# Imported on first use: rule loading reaches this package on every run (reference resolution) and must
# not pay for the data classes, the crosswalks or the decision table.
_EXPORTS = {
    "effective_params": "tlslint.compliance.verdicts",
    "evaluate_frameworks": "tlslint.compliance.verdicts",
    "find_catalogue": "tlslint.compliance.catalogue",
    "load_amendments": "tlslint.compliance.profile",
    "load_catalogues": "tlslint.compliance.catalogue",
    "load_crosswalks": "tlslint.compliance.crosswalk",
    "load_profile": "tlslint.compliance.profile",
    "profile_from_dimensions": "tlslint.compliance.profile",
    "resolve_reference": "tlslint.compliance.references",
    "with_defaults": "tlslint.compliance.profile",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'tlslint.compliance' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_EXPORTS[name]), name)
