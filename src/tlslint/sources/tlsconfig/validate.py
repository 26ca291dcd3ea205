"""Schema and reference validation of a TLS configuration document, with messages people can act on.

Every problem becomes a :class:`Diagnostic` at the exact line and column of the offending key or
value, phrased in the document's own terms (``endpoints[csms].tls.profile``) and, for typos, with
the nearest valid name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from tlslint.model.diagnostic import Diagnostic
from tlslint.schemas import DOCUMENT_SCHEMA, describe_error, display_path, hint, schema_validator
from tlslint.yamlpos import PathKey, YamlDocument

MAX_DIAGNOSTICS = 20


def check_document(document: YamlDocument) -> list[Diagnostic]:
    if not isinstance(document.data, dict):
        return [Diagnostic(document.loc(()), "a TLS configuration document must be a mapping at the top level")]
    problems = list(_schema_problems(document))
    if not problems:
        problems = [*_reference_problems(document), *_name_problems(document), *_url_problems(document)]
    return problems[:MAX_DIAGNOSTICS]


def _schema_problems(document: YamlDocument) -> Iterator[Diagnostic]:
    from jsonschema.exceptions import best_match

    validator = schema_validator(DOCUMENT_SCHEMA)
    errors = sorted(validator.iter_errors(document.data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for error in errors:
        if error.context:
            error = best_match(error.context)
        yield from describe_error(document, error)


# --- references between parts of the document ------------------------------------------------------


def _ids(document: YamlDocument, section: str) -> dict[str, int]:
    ids: dict[str, int] = {}
    for index, item in enumerate(document.data.get(section) or []):
        ids.setdefault(item["id"], index)
    return ids


def _reference_problems(document: YamlDocument) -> Iterator[Diagnostic]:
    data = document.data
    known = {
        section: _ids(document, section)
        for section in ("engines", "trustStores", "identities", "tlsProfiles", "endpoints")
    }
    for section in known:
        seen: set[str] = set()
        for index, item in enumerate(data.get(section) or []):
            if item["id"] in seen:
                yield Diagnostic(document.loc((section, index, "id")), f"duplicate id '{item['id']}' in {section}")
            seen.add(item["id"])

    def ref(path: PathKey, value: Any, section: str) -> Iterator[Diagnostic]:
        if isinstance(value, str) and value not in known[section]:
            yield Diagnostic(
                document.loc(path),
                f"{display_path(document, path)} refers to '{value}', which is not defined in {section}"
                f"{hint(value, known[section])}",
            )

    for index, profile in enumerate(data.get("tlsProfiles") or []):
        yield from ref(("tlsProfiles", index, "extends"), profile.get("extends"), "tlsProfiles")

    def tls_refs(base: PathKey, tls: dict[str, Any]) -> Iterator[Diagnostic]:
        yield from ref((*base, "profile"), tls.get("profile"), "tlsProfiles")
        yield from ref((*base, "trustStore"), tls.get("trustStore"), "trustStores")
        yield from ref((*base, "identity"), tls.get("identity"), "identities")
        for i, identity in enumerate(tls.get("identities") or []):
            yield from ref((*base, "identities", i), identity, "identities")
        for i, engine in enumerate(tls.get("engines") or []):
            yield from ref((*base, "engines", i), engine, "engines")
        client_auth = tls.get("clientAuth") or {}
        yield from ref((*base, "clientAuth", "trustStore"), client_auth.get("trustStore"), "trustStores")

    for index, endpoint in enumerate(data.get("endpoints") or []):
        base: PathKey = ("endpoints", index)
        yield from tls_refs((*base, "tls"), endpoint.get("tls") or {})
        for t, target in enumerate(endpoint.get("targets") or []):
            yield from tls_refs((*base, "targets", t, "tls"), target.get("tls") or {})
        upstream = (endpoint.get("ocpp") or {}).get("upstreamEndpoint")
        yield from ref((*base, "ocpp", "upstreamEndpoint"), upstream, "endpoints")

    yield from _extends_cycles(document)


def _extends_cycles(document: YamlDocument) -> Iterator[Diagnostic]:
    profiles = {p["id"]: (i, p) for i, p in enumerate(document.data.get("tlsProfiles") or [])}
    reported: set[str] = set()
    for start in profiles:
        chain, current = [], start
        while current in profiles and current not in chain:
            chain.append(current)
            current = profiles[current][1].get("extends")
        if current in chain and current not in reported:
            cycle = [*chain[chain.index(current) :], current]
            reported.update(cycle)
            index = profiles[current][0]
            yield Diagnostic(
                document.loc(("tlsProfiles", index, "extends")),
                f"tlsProfiles extend each other in a cycle: {' -> '.join(cycle)}",
            )


# --- names of suites, groups and signature schemes ---------------------------------------------------


def _name_problems(document: YamlDocument) -> Iterator[Diagnostic]:
    """Cipher-suite, group and signature-scheme names must be ones the catalogue knows; engine
    spellings (OpenSSL, GnuTLS, Mbed TLS) are accepted and normalised by the builder."""
    from tlslint.catalog import groups, sigalgs, suites

    def where_lists() -> Iterator[tuple[PathKey, str, list[Any]]]:
        for index, profile in enumerate(document.data.get("tlsProfiles") or []):
            base: PathKey = ("tlsProfiles", index)
            for version, names in (profile.get("cipherSuites") or {}).items():
                if isinstance(names, list):
                    yield (*base, "cipherSuites", version), version, names
            for key in ("groups", "signatureAlgorithms"):
                if isinstance(profile.get(key), list):
                    yield (*base, key), key, profile[key]

    all_suite_names = [suite.iana_name for suite in suites.all_suites()]
    for path, kind, names in where_lists():
        for position, name in enumerate(names):
            here = (*path, position)
            if kind == "groups":
                if groups.normalise_group(str(name)) is None:
                    yield Diagnostic(document.loc(here), f"{display_path(document, here)}: unknown group '{name}'")
                continue
            if kind == "signatureAlgorithms":
                if sigalgs.normalise_sigalg(str(name)) is None:
                    yield Diagnostic(
                        document.loc(here), f"{display_path(document, here)}: unknown signature scheme '{name}'"
                    )
                continue
            suite = suites.lookup(str(name))
            if suite is None:
                yield Diagnostic(
                    document.loc(here),
                    f"{display_path(document, here)}: unknown cipher suite '{name}'{hint(str(name), all_suite_names)}",
                )
            elif suite.tls13 != (kind == "TLSv1.3"):
                wanted = "TLSv1.3" if suite.tls13 else "TLSv1.2"
                yield Diagnostic(
                    document.loc(here),
                    f"{display_path(document, here)}: {suite.iana_name} is a {wanted} suite; list it under {wanted}",
                )


def _url_problems(document: YamlDocument) -> Iterator[Diagnostic]:
    """URLs must parse and name a scheme and a host (found by fuzzing: ``wss://[abc/ocpp``)."""
    from tlslint.urls import split_url

    for e_index, endpoint in enumerate(document.data.get("endpoints") or []):
        places: list[tuple[PathKey, Any]] = [(("endpoints", e_index, "url"), endpoint.get("url"))]
        for t_index, target in enumerate(endpoint.get("targets") or []):
            places.append((("endpoints", e_index, "targets", t_index, "url"), target.get("url")))
        for path, url in places:
            if not isinstance(url, str):
                continue
            parts = split_url(url)
            if parts is None or not (parts.scheme and parts.hostname):
                yield Diagnostic(
                    document.loc(path), f"{display_path(document, path)}: {json.dumps(url)} is not a valid URL"
                )
