"""Find secrets in the document: references are fine, inline values are findings (TLS-SECRET-001).

Where a secret may stand is decided by the document schema, not by key names: a property whose schema
is ``$defs/inlineSecret`` (``passphrase``, ``password``, ``pem``…) holds an inline secret, and one whose
schema is ``$defs/secretRef`` (``passphraseRef``, ``privateKey.ref``…) must hold a reference. So
``alternativeAuth.psk: disabled`` is a setting, while ``identities[].privateKey.passphrase`` is a secret.

Each secret becomes a ``secret`` subject located at its value. The value itself is never copied
anywhere — not into fields, messages or ids — so no output format can leak it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tlslint.model.located import Located, Origin
from tlslint.model.subject import Subject
from tlslint.yamlpos import PathKey, YamlDocument

INLINE = "#/$defs/inlineSecret"
REFERENCE_ONLY = "#/$defs/secretRef"
REFERENCE = re.compile(r"^(file|secret|tpm|env|vault)://\S+$|^pkcs11:\S+$")


def is_reference(value: Any) -> bool:
    return isinstance(value, str) and bool(REFERENCE.match(value.strip()))


def secret_kind(key: str) -> str:
    lowered = key.lower()
    if "passphrase" in lowered:
        return "passphrase"
    if "password" in lowered:
        return "password"
    if lowered in ("pem", "ref"):
        return "private-key"
    return "token"


def find(document: YamlDocument) -> list[Subject]:
    from tlslint.schemas import DOCUMENT_SCHEMA, schema

    root = schema(DOCUMENT_SCHEMA)
    return list(_walk(document, document.data, (), root, root["$defs"]))


def _resolve(node: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node and node["$ref"].startswith("#/$defs/"):
        node = definitions[node["$ref"].removeprefix("#/$defs/")]
    return node


def _walk(
    document: YamlDocument, value: Any, path: PathKey, node: dict[str, Any], definitions: dict[str, Any]
) -> Iterator[Subject]:
    if isinstance(value, dict):
        properties = _resolve(node, definitions).get("properties", {})
        for key, item in value.items():
            child = properties.get(key)
            if child is None:
                continue
            reference = child.get("$ref")
            if reference in (INLINE, REFERENCE_ONLY):
                if isinstance(item, str) and item:
                    inline = reference == INLINE or not is_reference(item)
                    yield _secret(document, (*path, key), secret_kind(key), inline=inline)
                continue
            yield from _walk(document, item, (*path, key), child, definitions)
    elif isinstance(value, list):
        items = _resolve(node, definitions).get("items", {})
        for index, item in enumerate(value):
            yield from _walk(document, item, (*path, index), items, definitions)


def _secret(document: YamlDocument, path: PathKey, kind: str, *, inline: bool) -> Subject:
    from tlslint.schemas import display_path

    where = document.loc(path)
    subject = Subject(kind="secret", id=display_path(document, path), location=where, engine="tlsconfig")
    subject.set("secret.kind", Located(kind, Origin.EXPLICIT, document.key_loc(path)))
    subject.set("secret.inline", Located(inline, Origin.EXPLICIT, where))
    return subject
