"""Assemble an endpoint subject field by field, keeping provenance (shared by the device sources).

The curl, wget, libcurl, Mbed TLS and .NET sources all do the same thing: start from the engine's
defaults, apply what the input sets explicitly, and say ``unknown`` where something cannot be known
statically. :class:`EndpointBuilder` keeps the three apart:

* :meth:`set` records an explicit value at the exact option / macro / call;
* :meth:`default` records the engine default (origin ``default``, with a note) unless a value was set;
* :meth:`unknown` records that the value cannot be determined (origin ``unknown``, value ``None``,
  which rules treat as "not set": tlslint never guesses).

When a command line contains something that may change *any* setting (an unresolved ``$OPTS``, a
``-K file``), :attr:`uncertain` is set and every default becomes ``unknown`` instead.
"""

from __future__ import annotations

from typing import Any

from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject

#: Fields whose absence core rules report (``exists``): an unknown value keeps a placeholder.
PLACEHOLDERS = frozenset(
    {"connection.timeouts.connect", "connection.timeouts.handshake", "extensions.max_fragment_length"}
)


#: URL schemes that carry no TLS by themselves (``ftp`` may be upgraded: see :meth:`plaintext_only`).
PLAINTEXT_SCHEMES = frozenset({"http", "ftp", "ws", "smtp", "imap", "pop3", "ldap", "telnet", "gopher", "mqtt"})
#: Fields that describe the transport rather than TLS: what a plaintext request keeps.
TRANSPORT_PREFIXES = (
    "role",
    "purpose",
    "enabled",
    "url",
    "source.",
    "transfer_protocols",
    "connection.timeouts.connect",
    "connection.timeouts.idle",
    "connection.timeouts.total",
    "connection.retry.",
    "connection.rate_limit",
    "connection.dns.",
    "connection.tcp.",
    "http.redirects.follow",
    "http.redirects.max",
    "http.user_agent",
    "logging.payloads",
    "plaintext_allowed",
    "trusted_network",
)


class EndpointBuilder:
    def __init__(
        self,
        subject_id: str,
        location: Location,
        engine: str,
        *,
        label: str | None = None,
        confidence: str = "high",
    ) -> None:
        self.subject = Subject("endpoint", subject_id, location, engine, label=label)
        self.uncertain: str | None = None  # why defaults cannot be trusted, if they cannot
        self.uncertain_at: Location | None = None
        note = None if confidence == "high" else "derived from program code by a best-effort scan"
        self.subject.set("source.confidence", Located(confidence, Origin.EXPLICIT, location, note=note))

    def has(self, path: str) -> bool:  # pragma: no cover - convenience
        found = self.subject.get(path)
        return found is not None and found.origin is not Origin.DEFAULT

    def get(self, path: str) -> Any:
        return self.subject.value(path)

    def set(
        self,
        path: str,
        value: Any,
        location: Location | None,
        *,
        note: str | None = None,
        items: tuple[Location | None, ...] = (),
        origin: Origin = Origin.EXPLICIT,
    ) -> None:
        if value is None:
            self.unknown(path, location, note or "the value cannot be determined statically")
            return
        self.subject.set(path, Located(value, origin, location, note=note, items=items))

    def unknown(self, path: str, location: Location | None, note: str) -> None:
        """Record that ``path`` cannot be determined. It is listed in ``source.unknown`` (with the
        reason); rules see the field as not set. Only the timeouts, whose absence is itself a
        finding, keep a ``None`` placeholder so that "unknown" is not reported as "missing"."""
        if path in PLACEHOLDERS:
            self.subject.set(path, Located(None, Origin.UNKNOWN, location, note=note))
        else:
            self.subject.fields.pop(path, None)
        found = self.subject.get("source.unknown")
        values = list(found.value) if found else []
        items = tuple(found.items) if found else ()
        if path not in values:
            values.append(path)
            items = (*items, location)
        self.subject.set("source.unknown", Located(values, Origin.UNKNOWN, items[0], note=note, items=items))

    def resolved(self, paths: tuple[str, ...]) -> None:
        """``paths`` are no longer unknown (a later pass found their value): drop them from ``source.unknown``."""
        found = self.subject.get("source.unknown")
        if found is None:
            return
        keep = [(v, i) for v, i in zip(found.value, found.items or (), strict=False) if v not in paths]
        if not keep:
            self.subject.fields.pop("source.unknown", None)
            return
        values, items = [v for v, _ in keep], tuple(i for _, i in keep)
        self.subject.set("source.unknown", Located(values, Origin.UNKNOWN, items[0], note=found.note, items=items))

    def default(self, path: str, value: Any, note: str, location: Location | None = None) -> None:
        """The engine's default, unless the input set the field or made it unknown (a value computed at
        run time replaces the default; tlslint must not fall back to it)."""
        if path in self.subject.fields:
            return
        unknown = self.subject.get("source.unknown")
        if unknown is not None and path in unknown.value:
            return
        if self.uncertain is not None:
            self.unknown(path, self.uncertain_at or location, self.uncertain)
            return
        self.subject.set(path, Located(value, Origin.DEFAULT, location, note=note))

    def append(self, path: str, value: Any, location: Location | None) -> None:
        """Add one element to a list field (keeping the place of each element)."""
        found = self.subject.get(path)
        if found is None or found.origin is Origin.DEFAULT or not isinstance(found.value, list):
            values, items = [], ()
        else:
            values, items = list(found.value), found.items or (found.location,) * len(found.value)
        values.append(value)
        self.subject.set(path, Located(values, Origin.EXPLICIT, location, items=(*items, location)))

    def set_url(self, url: str, location: Location | None) -> None:
        """``url`` and its scheme (no scheme: curl and wget fetch ``host/path`` over http); a loopback host
        is a trusted network — the connection never leaves the device."""
        from tlslint.urls import split_url

        scheme = url.split("://", 1)[0].lower() if "://" in url else "http"
        self.set("url", url, location)
        self.set("url.scheme", scheme, location)
        parts = split_url(url if "://" in url else "//" + url)
        host = (parts.hostname or "") if parts is not None else ""
        if host == "localhost" or host == "::1" or host.startswith("127."):
            self.set(
                "trusted_network", True, location, note=f"loopback ({host}): the connection never leaves the device"
            )

    def plaintext_only(self) -> bool:
        """Whether this client request never reaches TLS: a plaintext URL (``http://``, ``ftp://`` without
        a TLS upgrade, ``ws://``) and no redirect that could lead to an ``https://`` one. TLS settings of such
        a request have no effect; :meth:`drop_tls` removes them so that only transport rules judge it."""
        scheme = self.subject.value("url.scheme")
        if scheme not in PLAINTEXT_SCHEMES or self.subject.get("plaintext_allowed") is not None:
            return False  # not plaintext, or TLS is tried on it (curl --ssl / --ssl-reqd on ftp://)
        follow = self.subject.get("http.redirects.follow")
        return follow is not None and follow.value is False

    def drop_tls(self, note: str) -> None:
        """Remove every TLS field: what remains is the transport (URL, timeouts, retries, redirects)."""
        for path in list(self.subject.fields):
            if not path.startswith(TRANSPORT_PREFIXES):
                del self.subject.fields[path]
        where = self.subject.get("url.scheme")
        self.subject.set("source.no_tls", Located(note, Origin.EXPLICIT, where.location if where else None))

    def build(self) -> Subject:
        return self.subject


def inline_secret(subject_id: str, where: Location, engine: str, kind: str = "password") -> Subject:
    """A secret written in the input (a password option, credentials in a URL): a ``secret`` subject
    located at the value, for TLS-SECRET-001. The value itself is never stored."""
    secret = Subject("secret", subject_id, where, engine)
    secret.set("secret.kind", Located(kind, Origin.EXPLICIT, where))
    secret.set("secret.inline", Located(True, Origin.EXPLICIT, where))
    return secret


def span(path: str, positions: Any, start: int, end: int) -> Location:
    """A :class:`Location` for text offsets ``start``..``end`` (end exclusive)."""
    line, column = positions.at(start)
    end_line, end_column = positions.at(max(start, end - 1))
    return Location(path, line, column, end_line, end_column + 1)
