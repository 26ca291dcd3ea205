"""Which main configuration includes a fragment: the answer that makes partial runs equal whole runs.

A server reads ``conf.d/site.conf`` only through its main file (``nginx.conf``, ``apache2.conf``,
``httpd.conf``), with the settings it inherits there. So does tlslint: a fragment that a main file
includes is linted through that main file, whether it was named alone (a pre-commit hook passes only
the changed file) or found in a directory — never on its own with includes resolved against its own
folder. See docs/partial-runs.md.

The main file is looked for in the fragment's directory and every directory above it up to the
repository root (the working directory outside a repository; only its own directory when the
fragment lies outside both). It counts as the includer only where it really reaches the fragment in a context that
produces endpoints: an nginx ``include`` inside ``events {}``, ``types {}`` or ``map {}`` does not make
the fragment part of a server, and an Apache ``Include`` inside an ``<IfModule>`` that is off is not
read at all. Each main file is parsed once per run for this question (cached by path, size and time).
"""

from __future__ import annotations

import importlib
import os
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from tlslint import safe_read
from tlslint.repo import ancestors, repo_root
from tlslint.safe_read import outside, real_path

if TYPE_CHECKING:
    from tlslint.sources.nginx.tree import Block

#: The sources that have main files, and the module whose ``MAIN_NAMES`` names them (imported only when
#: a file of that source is read: an nginx run need not load the Apache and OpenSSL parsers).
_MAIN_NAMES_OF = {
    "nginx": "tlslint.sources.nginx",
    "apache": "tlslint.sources.apache",
    "openssl-cnf": "tlslint.sources.openssl_cnf",
}

#: nginx blocks in which an included file's servers and ``ssl_*`` directives take effect.
NGINX_ENDPOINT_CONTEXTS = frozenset({"http", "server", "location", "if", "limit_except", "stream", "mail"})


@cache
def main_files(source: str) -> tuple[str, ...]:
    """Main-file names of ``source``, looked for in each directory above a fragment (and for httpd in its
    ``conf/`` subdirectory, where upstream httpd keeps it under the server root)."""
    if source not in _MAIN_NAMES_OF:
        return ()
    names = tuple(importlib.import_module(_MAIN_NAMES_OF[source]).MAIN_NAMES)
    return (*names, *(f"conf/{name}" for name in names)) if source == "apache" else names


def is_main(path: str, source: str) -> bool:
    return any(os.path.basename(path) == os.path.basename(name) for name in main_files(source))


def includer_of(path: str, source: str) -> str | None:
    """The nearest main file of ``source`` that includes ``path`` in an endpoint context, or None."""
    names = main_files(source)
    if not names or is_main(path, source):
        return None
    target = real_path(path)
    for candidate in _main_files_above(os.path.dirname(os.path.abspath(path)), names):
        if real_path(candidate) == target or outside(candidate):
            continue
        try:
            stat = os.stat(candidate)
        except OSError:
            continue
        if target in _reached(source, real_path(candidate), stat.st_mtime_ns, stat.st_size):
            return candidate
    return None


def _main_files_above(directory: str, names: tuple[str, ...]) -> tuple[str, ...]:
    """The files named ``names`` in ``directory`` and the directories searched above it, nearest first.
    Asked once per directory in a run (its fragments, a thousand sites in one folder, ask the same), as
    the run's other facts about its tree (:attr:`tlslint.safe_read.ReadScope.facts`)."""
    scope = safe_read.current()
    fact = ("main files above", directory, names)
    if scope is not None and fact in scope.facts:
        return scope.facts[fact]  # type: ignore[return-value]
    found = tuple(
        candidate
        for here in _search_dirs(directory)
        for candidate in (os.path.join(here, name) for name in names)
        if os.path.isfile(candidate)
    )
    if scope is not None:
        scope.facts[fact] = found
    return found


def _search_dirs(directory: str) -> list[str]:
    """The fragment's directory and those above it, up to the repository root (the working directory
    outside a repository) — the same roots a run may read (:mod:`tlslint.safe_read`). A fragment
    outside both is looked at in its own directory only."""
    stop = repo_root(directory)
    if stop is None:
        cwd = os.getcwd()
        if directory == cwd or directory.startswith(cwd.rstrip(os.sep) + os.sep):
            stop = cwd
    if stop is None:
        return [directory]
    found = []
    for current in ancestors(directory):
        found.append(current)
        if current == stop:
            break
    return found


@lru_cache(maxsize=64)
def _reached(source: str, main: str, mtime: int, size: int) -> frozenset[str]:
    """Real paths of the files ``main`` includes where they produce endpoints. A main file that
    cannot be read or parsed includes nothing: its fragments are then linted on their own."""
    try:
        if source == "nginx":
            return _nginx_reached(main)
        if source == "apache":
            return _apache_reached(main)
        if source == "openssl-cnf":
            from tlslint.sources.openssl_cnf import read_cnf

            return frozenset(os.path.realpath(f) for f in read_cnf(main).files if os.path.realpath(f) != main)
    except Exception:
        return frozenset()
    return frozenset()


def _nginx_reached(main: str) -> frozenset[str]:
    # The nginx source's own tree (tlslint.sources.nginx.tree): the same include resolution, limits and
    # file checks as when the main file is linted, not a second imitation of them.
    from tlslint import safe_read
    from tlslint.sources.nginx import tree

    root, _diagnostics, _files = tree.build(main, safe_read.read_text(main))
    try:
        return frozenset(
            os.path.realpath(path) for path in nginx_endpoint_files(root) if os.path.realpath(path) != main
        )
    finally:
        tree.dismantle(root)


def nginx_endpoint_files(root: Block) -> set[str]:
    """Files with a statement in an endpoint context of the spliced tree: the main level or a chain of
    ``http``/``server``/``location``/... blocks. A file whose statements all sit in ``events {}`` or
    ``types {}`` is not among them."""
    found: set[str] = set()
    pending = [root]
    while pending:  # iterative: include depth and block nesting are bounded by the tree builder
        block = pending.pop()
        for stmt in block.stmts:
            found.add(stmt.location.path)
            if stmt.block is not None and stmt.name in NGINX_ENDPOINT_CONTEXTS:
                pending.append(stmt.block)
    return found


def _apache_reached(main: str) -> frozenset[str]:
    # config.read follows only the includes httpd would: inside decided-true conditional sections and
    # never inside <Directory>/<Location>, which it does not enter.
    from tlslint import safe_read
    from tlslint.sources.apache import config

    parsed = config.read(main, safe_read.read_text(main))
    return frozenset(os.path.realpath(f) for f in parsed.files if os.path.realpath(f) != main)
