"""TLS directives the modelled nginx release does not know (see :mod:`tlslint.catalog.nginx_directives`).

A walk over the whole tree, includes spliced in, once the tree is built: which release is modelled is
the run's (``--engine-version nginx=VER``, else the assumed one), while a file's parse is shared by
every file that includes it.
"""

from __future__ import annotations

from tlslint.catalog import engine_defaults
from tlslint.catalog.nginx_directives import directive_problem, judged
from tlslint.model.diagnostic import Diagnostic
from tlslint.sources.nginx.tree import Block


def unknown_to_release(root: Block, engine_versions: dict[str, str]) -> list[Diagnostic]:
    """An error (the version given) or warning (assumed) at each TLS directive the release does not know,
    and a warning at one that looks misspelt from one it knows; each place once."""
    version, given = engine_defaults.version_for("nginx", engine_versions)
    found: dict[Diagnostic, None] = {}
    pending = [root]
    while pending:  # a loop, not recursion: no depth to worry about
        block = pending.pop()
        for stmt in block.stmts:
            if stmt.block is not None:
                pending.append(stmt.block)
            name = stmt.name
            if not judged(name) or name != name.lower():  # a case variant is the tree's own error
                continue
            problem = directive_problem(name, version, given)
            if problem is not None:
                severity, said = problem
                text = f"nginx refuses to start: {said}" if severity == "error" else said
                found[Diagnostic(stmt.location, text, severity)] = None
    return sorted(found, key=lambda d: (d.location.path, d.location.line or 0, d.location.column or 0))
