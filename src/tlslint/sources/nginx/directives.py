"""TLS directives the modelled nginx release does not know (see :mod:`tlslint.catalog.nginx_directives`).

Checked as the tree builder places each statement (:func:`tlslint.sources.nginx.tree.build`): which
release is modelled is the run's (``--engine-version nginx=VER``, else the assumed one), while a
file's parse is shared by every file that includes it, so the check cannot be part of the parse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tlslint.catalog import engine_defaults
from tlslint.catalog._nginx_directive_data import DIRECTIVES
from tlslint.catalog.nginx_directives import directive_problem
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location

if TYPE_CHECKING:
    from tlslint.budget import Budget

#: What :func:`directive_problem` says, by (version, given) and directive name. Bounded by the names a
#: run meets that contain "ssl" or "tls"; made-up ones past the limit are worked out again each time.
_PROBLEMS: dict[tuple[str, bool], dict[str, tuple[str, str] | None]] = {}
_PROBLEMS_KEPT = 4096


class ReleaseCheck:
    """An error (the version given) or warning (assumed) at each TLS directive the release does not know,
    and a warning at one that looks misspelt from one it knows; each place once."""

    __slots__ = ("version", "given", "_problems", "_said", "_budget")

    def __init__(self, engine_versions: dict[str, str], budget: Budget | None = None) -> None:
        self.version, self.given = engine_defaults.version_for("nginx", engine_versions)
        # By directive name, for every file of the run (and of later runs) with this version: the sites of
        # a tree repeat the same dozen TLS directives, and working one out takes microseconds.
        self._problems = _PROBLEMS.setdefault((self.version, self.given), {})
        self._said: set[Location] = set()  # a file included twice places its statements twice
        self._budget = budget  # the file's: see below

    def __call__(self, name: str, where: Location) -> Diagnostic | None:
        """What to say at a statement named ``name`` (only names with ``ssl`` or ``tls`` are judged;
        a name in another case is the tree's own error)."""
        if name != name.lower():
            return None
        if self._budget is not None and name not in DIRECTIVES:
            # An unknown name is compared with every TLS directive (charged even when remembered from
            # another file, so that what a file may hold does not depend on the files read before it).
            self._budget.spend("name_comparisons", 1, where)
        problem = self._problems.get(name, ())
        if problem == ():
            problem = directive_problem(name, self.version, self.given)
            if len(self._problems) < _PROBLEMS_KEPT:
                self._problems[name] = problem
        if problem is None or where in self._said:
            return None
        self._said.add(where)
        severity, said = problem
        return Diagnostic(where, f"nginx refuses to start: {said}" if severity == "error" else said, severity)
