"""The tlslint TLS configuration document (``apiVersion: tlslint/v1``, ``kind: TLSConfiguration``).

Reading happens in three steps, each in its own module: :mod:`.validate` checks the document against
the JSON Schema and its internal references, :mod:`.build` resolves profiles and turns every endpoint
(and every failover target) into an endpoint subject, and :mod:`.secrets` finds inline secrets.
"""

from __future__ import annotations

from tlslint.sources.base import ParseContext, ParseResult
from tlslint.yamlpos import load_yaml


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.sources.tlsconfig import build, secrets, validate

    document = load_yaml(path, text)
    result = ParseResult()
    result.diagnostics.extend(validate.check_document(document))
    if result.diagnostics:
        return result
    result.subjects.extend(build.endpoints(document))
    result.subjects.extend(secrets.find(document))
    return result
