"""Which main configuration includes a fragment: the answer that makes partial runs equal whole runs.

A server reads ``conf.d/site.conf`` only through its main file (``nginx.conf``, ``apache2.conf``,
``httpd.conf``), with the settings it inherits there. So does tlslint: a fragment that a main file
includes is linted through that main file, whether it was named alone (a pre-commit hook passes only
the changed file) or found in a directory — never on its own with includes resolved against its own
folder. See docs/partial-runs.md.

The main file is looked for in the fragment's directory and every directory above it up to the
repository root (the working directory outside a repository; three levels when the fragment lies
outside both). It counts as the includer only where it really reaches the fragment in a context that
produces endpoints: an nginx ``include`` inside ``events {}``, ``types {}`` or ``map {}`` does not make
the fragment part of a server, and an Apache ``Include`` inside an ``<IfModule>`` that is off is not
read at all. Each main file is parsed once per run for this question (cached by path, size and time).
"""

from __future__ import annotations

import os
from functools import lru_cache

from tlslint.repo import ancestors, repo_root
from tlslint.sources import apache, nginx, openssl_cnf

#: Main-file names per source, looked for in each directory above a fragment (and for httpd in its
#: ``conf/`` subdirectory, where upstream httpd keeps it under the server root).
MAIN_FILES: dict[str, tuple[str, ...]] = {
    "nginx": nginx.MAIN_NAMES,
    "apache": (*apache.MAIN_NAMES, *(f"conf/{name}" for name in apache.MAIN_NAMES)),
    "openssl-cnf": openssl_cnf.MAIN_NAMES,
}

#: nginx blocks in which an included file's servers and ``ssl_*`` directives take effect.
NGINX_ENDPOINT_CONTEXTS = frozenset({"http", "server", "location", "if", "limit_except", "stream", "mail"})

#: Directory levels searched when a fragment is outside the repository and the working directory.
FALLBACK_LEVELS = 3


def is_main(path: str, source: str) -> bool:
    return any(os.path.basename(path) == os.path.basename(name) for name in MAIN_FILES.get(source, ()))


def includer_of(path: str, source: str) -> str | None:
    """The nearest main file of ``source`` that includes ``path`` in an endpoint context, or None."""
    names = MAIN_FILES.get(source)
    if not names or is_main(path, source):
        return None
    target = os.path.realpath(path)
    directory = os.path.dirname(os.path.abspath(path))
    for current in _search_dirs(directory):
        for name in names:
            candidate = os.path.join(current, name)
            if os.path.realpath(candidate) == target or not os.path.isfile(candidate):
                continue
            try:
                stat = os.stat(candidate)
            except OSError:
                continue
            if target in _reached(source, os.path.realpath(candidate), stat.st_mtime_ns, stat.st_size):
                return candidate
    return None


def covered_by(path: str, source: str) -> frozenset[str] | None:
    """Real paths of the files whose endpoints a read of ``path`` reports (what it includes in an
    endpoint context), or None for a source without an include model here. Discovery skips these
    files afterwards; a file included only where it produces nothing (``events {}``) is still read
    on its own."""
    if source not in MAIN_FILES:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _reached(source, os.path.realpath(path), stat.st_mtime_ns, stat.st_size)


def _search_dirs(directory: str) -> list[str]:
    stop = repo_root(directory)
    if stop is None:
        cwd = os.getcwd()
        if directory == cwd or directory.startswith(cwd.rstrip(os.sep) + os.sep):
            stop = cwd
    if stop is None:
        return list(ancestors(directory, levels=FALLBACK_LEVELS))
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
    import crossplane

    payload = crossplane.parse(main, catch_errors=True, comments=False, check_ctx=False, check_args=False, strict=False)
    configs = payload.get("config", [])
    reached: set[str] = set()
    visited: set[tuple[int, bool]] = set()  # each file walked at most once per kind of context: linear

    def walk_file(index: int, effective: bool) -> None:
        if (index, effective) in visited or index >= len(configs):
            return
        visited.add((index, effective))
        if effective and index:
            reached.add(os.path.realpath(configs[index]["file"]))
        walk(configs[index].get("parsed", []), effective)

    def walk(statements: list[dict], effective: bool) -> None:
        for statement in statements:
            if statement.get("directive") == "include":
                for target in statement.get("includes", []):
                    walk_file(target, effective)
            if "block" in statement:
                walk(statement["block"], effective and statement.get("directive") in NGINX_ENDPOINT_CONTEXTS)

    walk_file(0, True)
    return frozenset(reached)


def _apache_reached(main: str) -> frozenset[str]:
    # config.read follows only the includes httpd would: inside decided-true conditional sections and
    # never inside <Directory>/<Location>, which it does not enter.
    from tlslint.sources.apache import config
    from tlslint.yamlpos import read_text

    parsed = config.read(main, read_text(main))
    return frozenset(os.path.realpath(f) for f in parsed.files if os.path.realpath(f) != main)
