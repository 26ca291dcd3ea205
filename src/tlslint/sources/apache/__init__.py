"""Apache httpd 2.4 (mod_ssl) configuration files.

:mod:`.lexer` tokenizes one file with positions, :mod:`.config` follows includes and conditional
sections into the main server and its virtual hosts, and :mod:`.build` computes each TLS endpoint's
effective values. See docs/engines/apache.md.
"""

from __future__ import annotations

import os
from functools import lru_cache

from tlslint.repo import ancestors
from tlslint.sources.base import ParseContext, ParseResult

#: Main configuration files: a file with one of these names nearby includes the fragments next to it.
MAIN_NAMES = ("apache2.conf", "httpd.conf")


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.catalog import engine_defaults
    from tlslint.sources.apache import build, config

    result = ParseResult()
    if _included_by_main(path):
        return result  # linted through the main configuration that includes it
    version, _ = engine_defaults.version_for("apache", context.engine_versions)
    parsed = config.read(path, text, version=engine_defaults.parse_version(version))
    result.diagnostics.extend(parsed.diagnostics)
    subjects, diagnostics = build.endpoints(parsed, context)
    result.subjects.extend(subjects)
    for diagnostic in diagnostics:
        if diagnostic not in result.diagnostics:
            result.diagnostics.append(diagnostic)
    return result


def _included_by_main(path: str) -> bool:
    """Whether a main configuration (``apache2.conf``/``httpd.conf``) up to two directories above
    ``path`` includes it. Such a fragment is linted as part of the main file, with the settings it
    inherits from there, rather than twice."""
    if os.path.basename(path) in MAIN_NAMES:
        return False
    target = os.path.realpath(path)
    for directory in ancestors(os.path.dirname(os.path.abspath(path)), levels=3):
        for name in MAIN_NAMES:
            for candidate in (os.path.join(directory, name), os.path.join(directory, "conf", name)):
                if os.path.isfile(candidate) and os.path.realpath(candidate) != target:
                    try:
                        stat = os.stat(candidate)
                    except OSError:
                        continue
                    if target in _includes_of(candidate, stat.st_mtime_ns, stat.st_size):
                        return True
    return False


@lru_cache(maxsize=32)
def _includes_of(main: str, mtime: int, size: int) -> frozenset[str]:
    """Real paths of every file a main configuration includes. Cached by path, modification time and
    size: in a tree of many fragments the main file is parsed once, not once per fragment."""
    from tlslint import safe_read
    from tlslint.sources.apache import config

    try:
        parsed = config.read(main, safe_read.read_text(main))
    except Exception:  # a broken main file: lint the fragment on its own
        return frozenset()
    return frozenset(os.path.realpath(f) for f in parsed.files)
