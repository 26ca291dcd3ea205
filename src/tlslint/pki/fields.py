"""Canonical fields of certificate, key and trust-store subjects (filled in by the PKI work)."""

from tlslint.model.fields import FieldSpec

FIELDS_BY_KIND: dict[str, tuple[FieldSpec, ...]] = {"certificate": (), "key": (), "trust_store": ()}
