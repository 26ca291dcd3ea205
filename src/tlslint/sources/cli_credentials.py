"""Credentials in HTTP headers written on curl and wget command lines.

``curl -H 'Authorization: Bearer …'`` / ``wget --header='Private-Token: …'``: a token written into a script
ships with every firmware image and cannot be rotated per device (TLS-SECRET-001). The header value never
leaves this module; only whether it holds a credential does.
"""

from __future__ import annotations

import re

_SECRET_HEADER = re.compile(
    r"^\s*(?:authorization|proxy-authorization|x-api-key|api-key|x-auth-token|private-token|x-access-token)\s*:\s*"
    r"(?:(?:bearer|basic|token|digest)\s+)?\S",
    re.IGNORECASE,
)


def header_holds_credential(header: str) -> bool:
    """Whether ``Name: value`` is an authentication header with a value written in it."""
    return bool(_SECRET_HEADER.match(header))
