"""Which TLS directives an nginx release knows.

nginx refuses to start on a directive none of its modules declares (``unknown directive``). Releases
add TLS directives — ``ssl_conf_command`` in 1.19.4, ``ssl_certificate_cache`` in 1.27.4 — and dropped
one: ``ssl on`` is gone from 1.25.1. The table (:mod:`._nginx_directive_data`) is every directive of
nginx's own modules, read from its sources at every release from 1.0.0 by ``scripts/nginx_directives.py``;
``tests/engines/test_nginx_directives.py`` holds it against the ``nginx`` of the test machine.

Only directives named for TLS (``ssl``/``tls`` in the name) are judged: distributions backport other
directives into older releases (Debian's 1.22.1 has 1.29's ``max_headers``), and third-party modules
declare directives nginx's sources do not have (OpenResty's ``lua_ssl_protocols``, Tengine's
``ssl_sign_certificate``), so an unknown name is never sure to stop nginx. A name one or two letters
from a TLS directive of the release (``ssl_protocol``) is worth a warning all the same.
"""

from __future__ import annotations

from tlslint.catalog._nginx_directive_data import DIRECTIVES
from tlslint.catalog.releases import Span, knows, span_of, version_problem


def judged(name: str) -> bool:
    """Whether ``name`` is a directive this module judges: named for TLS."""
    return "ssl" in name or "tls" in name


def directive_problem(name: str, version: str, given: bool) -> tuple[str, str] | None:
    """None unless ``name`` is a TLS directive that nginx ``version`` does not know; then the severity and
    what to say (an ``error``'s text follows "nginx refuses to start: ", a ``warning`` is a sentence)."""
    if not judged(name):
        return None
    span = span_of(version, 3)
    ranges = DIRECTIVES.get(name)
    if ranges is not None:
        return version_problem("nginx", name, ranges, span, version, given, key="nginx")
    near = _misspelt_from(name, span)
    if near is None:
        return None  # a module's own directive, as far as anyone can tell
    return "warning", (
        f'unknown directive "{name}" (did you mean {near}?): nginx refuses to start unless a module declares it'
    )


def _misspelt_from(name: str, span: Span) -> str | None:
    """The TLS directive of the releases of ``span`` that ``name`` is one letter (two, for a long name) away from: a
    short name is too close to too many (nginx-ct's ``ssl_ct`` is one letter from ``ssl_crl``)."""
    if len(name) < 8:
        return None
    allowed = 1 if len(name) < 12 else 2
    best: tuple[int, str] | None = None
    for known, ranges in DIRECTIVES.items():
        if judged(known) and abs(len(known) - len(name)) <= allowed and knows(ranges, span):
            distance = _edits(name, known)
            if distance <= allowed and (best is None or (distance, known) < best):
                best = (distance, known)
    return None if best is None else best[1]


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions), for two short names."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]
