"""URLs as configuration files write them — which may be broken, so parsing never raises."""

from __future__ import annotations

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
