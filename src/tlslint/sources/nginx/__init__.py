"""nginx configuration files (``nginx.conf``, ``conf.d/*.conf``, ``sites-enabled/*``, ``nginx -T`` output).

Parsing uses ``crossplane`` from the maintained ``nginx-crossplane`` fork (Apache-2.0), imported
only when an nginx file is read. :mod:`.tree` splices includes into their blocks; :mod:`.build`
applies nginx's inheritance (``http`` → ``server`` → ``location``; ``ssl_conf_command`` all or
nothing per level), the built-in defaults of the nginx version (``--engine-version nginx=VER``),
and computes each endpoint's effective offer with :mod:`tlslint.sources.openssl_offer`.

A file that another nginx configuration nearby includes (``conf.d/x.conf`` next to ``nginx.conf``)
yields no endpoints of its own: they are reported once, through the main file, with the
inheritance of its ``http`` block.
"""

from __future__ import annotations

import os
from functools import lru_cache

from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location
from tlslint.repo import ancestors
from tlslint.sources.base import ParseContext, ParseResult

#: Main-file names looked for in the directory of a fragment and its parents.
MAIN_NAMES = ("nginx.conf",)
PARENT_LEVELS = 3


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.sources.nginx import build, tree

    result = ParseResult()
    if _included_elsewhere(path):
        return result
    try:
        root, diagnostics, _files = tree.build(path, text)
    except Exception as error:  # crossplane raises on unbalanced input it cannot recover from
        if os.environ.get("TLSLINT_DEBUG"):
            raise
        result.diagnostics.append(Diagnostic(Location(path), f"nginx syntax: {error}"))
        return result
    result.diagnostics.extend(diagnostics)
    builder = build.Builder(path, root, dict(context.engine_versions))
    builder.run()
    result.diagnostics.extend(builder.diagnostics)
    if any(d.severity == "error" for d in diagnostics):
        # A statement nginx cannot parse (wrong argument count, a ";" missing): nginx refuses to start
        # and what is left of the file is not what it says; the errors say why, no endpoints.
        return result
    result.subjects.extend(builder.subjects)
    return result


def _included_elsewhere(path: str) -> bool:
    """Whether a main nginx.conf in this directory or a parent includes ``path``."""
    real = os.path.realpath(path)
    if os.path.basename(path) in MAIN_NAMES:
        return False
    for directory in ancestors(os.path.dirname(real), levels=PARENT_LEVELS):
        for name in MAIN_NAMES:
            candidate = os.path.join(directory, name)
            if candidate != real and os.path.isfile(candidate):
                try:
                    stat = os.stat(candidate)
                except OSError:
                    continue
                if real in _includes_of(candidate, stat.st_mtime_ns, stat.st_size):
                    return True
    return False


@lru_cache(maxsize=32)
def _includes_of(main: str, mtime: int, size: int) -> frozenset[str]:
    """Real paths of every file the main configuration includes (directly or transitively)."""
    from tlslint import safe_read
    from tlslint.sources.nginx import tree

    try:
        _root, _diagnostics, files = tree.build(main, safe_read.read_text(main))
    except Exception:  # unreadable, refused or broken: the fragment is linted on its own
        return frozenset()
    return frozenset(os.path.realpath(name) for name in files[1:])
