"""Which source reads a file: declared type, file name, then the content of the whole file.

Recognition must not be steerable by whoever writes the file (docs/recognition.md):

* the content sniff looks at the whole text (within the input size limit), not at its beginning, so
  a long comment cannot push the TLS settings out of sight;
* when several sources' sniffs match (``site.conf`` with nginx blocks and an ``SSLRandomSeed`` line
  inside a quoted string), the one whose syntax the whole file parses in wins
  (:mod:`tlslint.sources.fits`); if that does not decide it, the file is read by the source with the
  most matching lines and a warning says it was ambiguous;
* a file whose name says nothing (``sites-available/default``, ``gitlab-ssl``, ``lb.conf``) is read
  when its content is a server configuration that parses;
* a user can declare the type (``--type GLOB=SOURCE``, ``types:`` in ``.tlslint.yaml``), which wins.
"""

from __future__ import annotations

import os

from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location
from tlslint.records import Record
from tlslint.sources import registry
from tlslint.sources.fits import FITS

#: Suffixes of templates and samples shipped next to real configuration (``nginx.conf.sample``,
#: ``ssl.conf.dist``): the name below the suffix decides.
TEMPLATE_SUFFIXES = (".sample", ".example", ".dist", ".template", ".tmpl", ".tpl")

#: Sources tried by content alone for a file whose name has no extension (``sites-available/default``).
BY_CONTENT_ALONE = ("nginx", "apache", "haproxy")

#: Sniff hits counted when breaking a tie; enough to tell a real configuration from a stray line.
_MAX_HITS = 200


class Recognition(Record):
    """Which source reads a file (None: none does), and what recognising it had to say."""

    __slots__ = ("entry", "diagnostics")

    entry: registry.SourceEntry | None
    diagnostics: list[Diagnostic]

    def __init__(self, entry: registry.SourceEntry | None, diagnostics: list[Diagnostic] | None = None) -> None:
        self.entry = entry
        self.diagnostics = [] if diagnostics is None else diagnostics


def name_of_interest(path: str) -> str:
    """The base name that decides: ``nginx.conf.sample`` -> ``nginx.conf``."""
    base = os.path.basename(path)
    for suffix in TEMPLATE_SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            return base[: -len(suffix)]
    return base


def candidates(path: str) -> tuple[list[registry.SourceEntry], bool]:
    """Sources that may read ``path``, and whether they were chosen by content alone (so that a
    source must parse the whole file to claim it)."""
    name = name_of_interest(path)
    by_name = registry.candidates(name)
    if by_name:
        return by_name, False
    if "." not in name.lstrip("."):
        return [registry.by_name(source) for source in BY_CONTENT_ALONE], True
    return [], False


def recognise(path: str, text: str) -> Recognition:
    """The source that reads ``path`` given its whole ``text`` (None: not ours)."""
    entries, content_alone = candidates(path)
    sniffed = [entry for entry in entries if entry.sniff is None or entry.sniff.search(text)]
    if content_alone:
        sniffed = [entry for entry in sniffed if entry.name in FITS and FITS[entry.name](path, text)]
    if len(sniffed) <= 1:
        return Recognition(sniffed[0] if sniffed else None)
    fitting = [entry for entry in sniffed if entry.name not in FITS or FITS[entry.name](path, text)]
    if len(fitting) == 1:
        return Recognition(fitting[0])
    pool = fitting or sniffed
    chosen = max(pool, key=lambda entry: _hits(entry, text))  # max() keeps the first on a tie: registry order
    names = " and ".join(entry.name for entry in pool)
    how = "parses as" if fitting else "looks like (but parses as none of)"
    message = (
        f"{how} {names}; read as {chosen.name} — declare its type to decide "
        f"(--type {os.path.basename(path)}={chosen.name}, or 'types:' in .tlslint.yaml)"
    )
    return Recognition(chosen, [Diagnostic(Location(path), message, "warning")])


def _hits(entry: registry.SourceEntry, text: str) -> int:
    if entry.sniff is None:
        return 0
    count = 0
    for _ in entry.sniff.finditer(text):
        count += 1
        if count >= _MAX_HITS:
            break
    return count


def not_read_reason(path: str) -> str:
    """Why a file named on the command line is not read: for its diagnostic."""
    entries, content_alone = candidates(path)
    if not entries:
        return "not a format tlslint reads (by name or content); skipped — declare its type with --type GLOB=SOURCE"
    names = ", ".join(entry.name for entry in entries)
    if content_alone:
        return f"content is not a configuration tlslint reads (tried {names}); skipped — declare its type with --type"
    return f"content does not look like {names}; skipped — declare its type with --type GLOB=SOURCE if it is one"
