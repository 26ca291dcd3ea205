"""Credentials written on curl and wget command lines, as ``secret`` subjects.

``curl -u user:pass``, ``-H 'Authorization: Bearer …'``, ``--oauth2-bearer``, ``https://user:pass@host``,
``wget --password=…`` / ``--header=…``: a secret written into a script ships with every firmware image
and cannot be rotated per device (TLS-SECRET-001). Only a value tlslint can see is reported — a
``$VARIABLE`` it cannot resolve is a reference, not an inline secret. The value itself never leaves
this module: a subject carries booleans and the place of the token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.sources.curl import Option

#: option -> secret kind; "user" values are "name:password" (only the password part is a secret).
_SECRET_OPTIONS = {
    "user": "password",
    "proxy-user": "password",
    "oauth2-bearer": "token",
    "password": "password",
    "httppassword": "password",
    "ftppassword": "password",
    "proxypassword": "password",
    "pass": "passphrase",
    "proxy-pass": "passphrase",
    "privatekeypassword": "passphrase",
}
_SECRET_HEADER = re.compile(
    r"^\s*(?:authorization|proxy-authorization|x-api-key|api-key|x-auth-token|private-token|x-access-token)\s*:\s*"
    r"(?:(?:bearer|basic|token|digest)\s+)?(?P<secret>\S.*?)\s*$",
    re.IGNORECASE,
)
_USERINFO = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/@\s:]*:(?P<secret>[^/@\s]+)@")


def secrets(
    tool: str, endpoint_id: str, label: str, options: Iterable[Option], urls: Iterable[tuple[str, Location, bool]]
) -> list[Subject]:
    """One ``secret`` subject per credential written literally on the command line."""
    found: list[tuple[str, str, Location]] = []  # (kind, how it was given, where)
    for option in options:
        if option.value is None or option.dynamic:
            continue
        where = option.value_location or option.location
        kind = _SECRET_OPTIONS.get(option.name)
        if kind is not None:
            secret = option.value.partition(":")[2] if option.name in ("user", "proxy-user") else option.value
            if secret:
                found.append((kind, f"--{option.name}", where))
        elif option.name == "header" and (match := _SECRET_HEADER.match(option.value)) and match["secret"]:
            found.append(("token", "an Authorization header", where))
    for text, where, dynamic in urls:
        if not dynamic and _USERINFO.match(text):
            found.append(("password", "a password in the URL", where))
    out = []
    for number, (kind, how, where) in enumerate(found, start=1):
        subject = Subject("secret", f"{endpoint_id}:credential#{number}", where, tool, label=f"{label}: {how}")
        subject.set("secret.kind", Located(kind, Origin.EXPLICIT, where))
        subject.set("secret.inline", Located(True, Origin.EXPLICIT, where, note=f"{how} written in the script"))
        subject.set("secret.purpose", Located("other", Origin.EXPLICIT, where))
        out.append(subject)
    return out
