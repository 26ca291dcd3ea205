"""Find secrets in the document: references are fine, inline values are findings (TLS-SECRET-001).

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

#: Keys whose value is a secret written inline, and what kind of secret it is.
INLINE_KEYS = {
    "passphrase": "passphrase",
    "password": "password",
    "apnPassword": "password",
    "pem": "private-key",
    "psk": "psk",
    "token": "token",
}
#: Keys that must hold a reference; an inline value there is still an inline secret.
REFERENCE_KEYS = {
    "passphraseRef": "passphrase",
    "passwordRef": "password",
    "apnPasswordRef": "password",
    "ref": "private-key",
}
REFERENCE = re.compile(r"^(file|secret|tpm|env|vault)://\S+$|^pkcs11:\S+$")


def is_reference(value: Any) -> bool:
    return isinstance(value, str) and bool(REFERENCE.match(value.strip()))


def find(document: YamlDocument) -> list[Subject]:
    return list(_walk(document, document.data, ()))


def _walk(document: YamlDocument, node: Any, path: PathKey) -> Iterator[Subject]:
    if isinstance(node, dict):
        for key, value in node.items():
            here = (*path, key)
            kind = INLINE_KEYS.get(key) or REFERENCE_KEYS.get(key)
            if kind is not None and isinstance(value, str) and value:
                yield _secret(document, here, kind, inline=not is_reference(value))
            else:
                yield from _walk(document, value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(document, value, (*path, index))


def _secret(document: YamlDocument, path: PathKey, kind: str, *, inline: bool) -> Subject:
    from tlslint.sources.tlsconfig.validate import display_path

    where = document.loc(path)
    name = display_path(document, path)
    subject = Subject(kind="secret", id=name, location=where, engine="tlsconfig")
    subject.set("secret.kind", Located(kind, Origin.EXPLICIT, document.key_loc(path)))
    subject.set("secret.inline", Located(inline, Origin.EXPLICIT, where))
    return subject
