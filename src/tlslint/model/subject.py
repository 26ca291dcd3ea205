"""The things rules look at.

A rule applies to one kind of :class:`Subject`: an ``endpoint`` (a TLS client or server), a
``certificate``, a ``key``, a ``trust_store`` or a whole ``document``. Every subject exposes its
settings as a flat mapping from canonical field paths (declared in :mod:`tlslint.model.fields`) to
:class:`Located` values, so one rule engine serves all of them.
"""

from __future__ import annotations

from typing import Any

from tlslint.model.located import Located, Location
from tlslint.records import Record

SUBJECT_KINDS = ("endpoint", "certificate", "key", "trust_store", "secret", "document")


class Subject(Record):
    """A thing rules judge (an endpoint, a certificate, a key, ...): its identity and its located fields."""

    __slots__ = ("kind", "id", "location", "engine", "fields", "label", "scope")

    kind: str  # one of SUBJECT_KINDS
    id: str  # semantic anchor, stable across edits: "csms/primary", "server[0.0.0.0:443]", a SHA-256
    location: Location  # where the subject is defined (the endpoint block, the certificate in a bundle)
    engine: str  # which source produced it: "tlsconfig", "nginx", "pem", ...
    fields: dict[str, Located[Any]]
    label: str | None  # a human name when it differs from the id
    #: The block the subject is written in (an nginx ``server {}``), when it is larger than ``location``:
    #: a suppression comment anywhere inside it covers the findings about the subject as a whole.
    scope: Location | None

    def __init__(
        self,
        kind: str,
        id: str,
        location: Location,
        engine: str,
        fields: dict[str, Located[Any]] | None = None,
        label: str | None = None,
        scope: Location | None = None,
    ) -> None:
        self.kind = kind
        self.id = id
        self.location = location
        self.engine = engine
        self.fields = {} if fields is None else fields
        self.label = label
        self.scope = scope

    def __reduce__(self) -> tuple[Any, ...]:  # see Location.__reduce__
        return Subject, (self.kind, self.id, self.location, self.engine, self.fields, self.label, self.scope)

    def get(self, path: str) -> Located[Any] | None:
        return self.fields.get(path)

    def value(self, path: str, default: Any = None) -> Any:
        found = self.fields.get(path)
        return default if found is None else found.value

    def set(self, path: str, value: Located[Any]) -> None:
        self.fields[path] = value

    @property
    def display(self) -> str:
        return self.label or self.id
