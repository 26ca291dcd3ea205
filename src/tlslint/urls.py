"""URLs as configuration files write them — which may be broken, so parsing never raises — and the
one place that takes credentials out of them (``https://user:password@host``) before any output."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit


def split_url(text: str) -> SplitResult | None:
    """The parts of ``text``, or ``None`` when it is not a URL ``urllib`` can take apart (an unclosed
    ``[`` IPv6 bracket, a port that is not a number)."""
    try:
        parts = urlsplit(text)
        _ = parts.port  # validates the port
    except ValueError:
        return None
    return parts


#: ``scheme://userinfo@`` (and a scheme-relative ``//userinfo@``). The userinfo runs to the *last*
#: ``@`` before the path, so an unencoded ``@`` inside a password is covered too.
_USERINFO = re.compile(r"(?P<start>(?:\b[A-Za-z][A-Za-z0-9+.\-]*:)?//)(?P<userinfo>[^/?#\s\"'<>\\]*)@")
REDACTED = "***"


def has_credentials(text: str) -> bool:
    """Whether ``text`` holds a URL with a user name or password in it (``https://user:pass@host``)."""
    return "@" in text and _USERINFO.search(text) is not None


def redact(text: str) -> str:
    """``text`` with the user-info of every URL in it replaced by ``***``: a user name alone may be a
    token (``https://TOKEN@host``), so none of it is kept."""
    if "@" not in text:
        return text
    return _USERINFO.sub(lambda match: f"{match['start']}{REDACTED}@", text)
