"""Which keywords an HAProxy release knows, and how many arguments each takes.

HAProxy reads a ``bind`` or ``server`` line keyword by keyword, each followed by its arguments, and
stops at the first keyword it does not know: ``haproxy -c`` fails and the proxy does not start. The
same goes for the TLS-wide global settings (``ssl-default-*``, ``tune.ssl.*``). Newer releases add
keywords — ``sigalgs`` on binds in 2.8, ``curves`` on servers and ``ssl-default-server-curves`` in
2.9 — so a configuration written for a newer HAProxy stops an older one.

The tables (:mod:`._haproxy_keyword_data`) are HAProxy's own keyword registrations, read from its
sources by ``scripts/haproxy_keywords.py``; ``tests/engines/test_haproxy_keywords.py`` compares them
with what the ``haproxy`` binary of the test machine registers and refuses. A keyword a build may
leave out (QUIC, OpenSSL features) counts as known: tlslint cannot see how the binary was built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tlslint.catalog._haproxy_keyword_data import KEYWORDS, NEWEST
from tlslint.catalog.releases import Span, closest, span_of, unknown_name, version_problem

if TYPE_CHECKING:
    from tlslint.budget import Budget
    from tlslint.model.located import Location

#: The global keywords checked: the TLS-wide ones (the others are not in the tables).
CHECKED_GLOBAL_PREFIXES = ("ssl-default-", "tune.ssl.")


class Keywords:
    """The keywords of one kind — ``bind``, ``server``, ``global``, or the words of ``ssl-default-bind-options``
    (``bind-options``) and ``ssl-default-server-options`` (``server-options``) — for one HAProxy version."""

    __slots__ = ("kind", "version", "given", "span", "_table", "_budget")

    def __init__(self, kind: str, version: str, given: bool, budget: Budget | None = None) -> None:
        self.kind = kind
        self.version = version
        #: Whether the user gave the version (an assumed one makes a version-dependent refusal a warning).
        self.given = given
        #: The release lines the version may mean (one, unless it is given as "2").
        self.span: Span = span_of(version, 2)
        self._table = KEYWORDS[kind]
        self._budget = budget  # the file's: each unknown keyword compared with the known ones is charged

    def arguments(self, keyword: str) -> int | None:
        """How many arguments follow ``keyword`` (-1: a variable number), in any release; None when no
        release knows it (its arguments cannot be told from the next keyword)."""
        known = self._table.get(keyword)
        return None if known is None else known[0]

    def problem(self, keyword: str, where: Location | None = None) -> tuple[str, str] | None:
        """None when this version knows ``keyword``; else the severity and what to say: an ``error``
        whose text follows "HAProxy refuses to start: ", or a ``warning`` that is a whole sentence (the
        refusal depends on a version that was assumed, or is newer than the tables)."""
        known = self._table.get(keyword)
        if known is not None:  # no keyword has been dropped: known from its first release on
            return version_problem(
                "HAProxy", keyword, ((known[1], None),), self.span, self.version, self.given, key="haproxy"
            )
        noun = "option" if self.kind.endswith("-options") else "keyword"  # HAProxy's own word for each
        if keyword.lower() in self._table:
            return "error", f"unknown {noun} '{keyword}' ({noun}s are lower case)"
        known_here = [name for name, (_, first) in self._table.items() if first <= self.span[1]]
        said = f"unknown {noun} '{keyword}'"
        return unknown_name(
            "HAProxy",
            keyword,
            self.span,
            NEWEST,
            self.version,
            self.given,
            said=said,
            near=closest(keyword, known_here, self._budget, where),
            key="haproxy",
        )
