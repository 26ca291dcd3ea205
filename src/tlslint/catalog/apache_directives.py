"""Which mod_ssl directives an httpd release knows.

httpd refuses to start on a directive no loaded module declares ("Invalid command 'SSLProtcol',
perhaps misspelled or defined by a module not included in the server configuration"). Every
directive named ``SSL…`` is mod_ssl's, so one that mod_ssl's table for the release does not hold —
a typo, ``SSLHonourCipherOrder``, 2.2's ``SSLMutex`` in a 2.4 server, ``SSLOpenSSLConfCmd`` before
2.4.8 — stops httpd. Directives are compared without regard to case, as httpd compares them.

The table (:mod:`._apache_ssl_directive_data`) is mod_ssl's own, read from httpd's sources at every
2.2 and 2.4 release by ``scripts/apache_ssl_directives.py``; ``tests/engines/test_apache_directives.py``
holds it against the ``apache2`` of the test machine. A directive a build may leave out (OCSP
stapling, SRP) counts as known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tlslint.catalog._apache_ssl_directive_data import DIRECTIVES as _FROM_SOURCES
from tlslint.catalog._apache_ssl_directive_data import NEWEST
from tlslint.catalog.releases import Ranges, closest, knows, span_of, unknown_name, version_problem

if TYPE_CHECKING:
    from tlslint.budget import Budget
    from tlslint.model.located import Location

#: Directives of releases newer than the sources the table was generated from (``NEWEST``), each with
#: where it was seen: ``SSLVHostSNIPolicy`` is in Debian's 2.4.71 (``tests/engines``) and Fedora's
#: 2.4.65 builds (a backport, 2025-11); upstream released it in 2.4.66.
_LATER: dict[str, Ranges] = {"SSLVHostSNIPolicy": (((2, 4, 65), None),)}

DIRECTIVES: dict[str, Ranges] = {**_FROM_SOURCES, **_LATER}

#: Directive names by their lower-case form (httpd compares them without regard to case).
_BY_KEY = {name.lower(): name for name in DIRECTIVES}


def ssl_directive_problem(
    name: str, version: str, given: bool, budget: Budget | None = None, where: Location | None = None
) -> tuple[str, str] | None:
    """None unless ``name`` is a mod_ssl directive (``SSL…``) that httpd ``version`` does not know; then
    the severity and what to say (an ``error``'s text follows "httpd refuses to start: ", a ``warning``
    is a sentence): see :mod:`tlslint.catalog.releases`."""
    key = name.lower()
    if not key.startswith("ssl"):
        return None
    span = span_of(version, 3)
    spelled = _BY_KEY.get(key)
    if spelled is not None:
        return version_problem("httpd", spelled, DIRECTIVES[spelled], span, version, given, key="apache")
    near = closest(name, [known for known, ranges in DIRECTIVES.items() if knows(ranges, span)], budget, where)
    said = f"Invalid command '{name}'"
    return unknown_name("httpd", name, span, NEWEST, version, given, said=said, near=near, key="apache")
