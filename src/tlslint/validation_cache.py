"""Remember which files have passed schema validation, so unchanged rule packs, policies, configuration
and waiver files skip it.

Validating ~100 rules against the rule schema costs about 0.1 s — a quarter of the pre-commit budget —
and gives the same answer every run for the same bytes. The cache is keyed by the SHA-256 of the
file's content together with the rule schema and the tlslint version, so any edit, a new schema or
an upgrade validates again. It lives in ``$TLSLINT_CACHE_DIR`` or ``$XDG_CACHE_HOME/tlslint``
(``~/.cache/tlslint``); ``TLSLINT_NO_CACHE=1`` turns it off. A cache that cannot be read or written
is ignored: it only ever saves time, never changes a result.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from tlslint import __version__


def cache_directory() -> Path | None:
    """tlslint's cache directory, or None when caching is off (``TLSLINT_NO_CACHE``)."""
    return _directory()


def _directory() -> Path | None:
    if os.environ.get("TLSLINT_NO_CACHE"):
        return None
    explicit = os.environ.get("TLSLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tlslint"


class ValidationCache:
    def __init__(self, schema_text: str, kind: str = "rules") -> None:
        self._salt = hashlib.sha256(f"{__version__}\0{schema_text}".encode()).hexdigest()[:16]
        directory = _directory()
        self._file = directory / f"validated-{kind}-{self._salt}.json" if directory else None
        self._known: set[str] = set()
        self._added = False
        if self._file is not None:
            try:
                self._known = set(json.loads(self._file.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                self._known = set()

    def key(self, text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def __contains__(self, key: str) -> bool:
        return key in self._known

    def add(self, key: str) -> None:
        if key not in self._known:
            self._known.add(key)
            self._added = True

    def save(self) -> None:
        if self._file is None or not self._added:
            return
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._file.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(sorted(self._known)), encoding="utf-8")
            os.replace(temporary, self._file)
            self._added = False
        except OSError:
            pass


class ParsedCache:
    """The data of YAML files that passed validation, by the SHA-256 of their text: rule packs are parsed on
    every run (~40 ms of a one-file pre-commit run, half of it in the YAML constructor), and the same
    bytes always give the same data. Stored as JSON (never pickle: JSON data cannot run code); only data
    that survives a JSON round trip unchanged is kept. Unlike a validation mark, cached data decides what
    the rules say, so a cache file is used only if it belongs to the user running tlslint and nobody
    else may write it (a cache directory restored by CI from a shared place is ignored, not trusted).
    Same directory, same switches and same fallback as :class:`ValidationCache`."""

    def __init__(self, kind: str) -> None:
        directory = _directory()
        salt = hashlib.sha256(__version__.encode()).hexdigest()[:16]
        self._file = directory / f"parsed-{kind}-{salt}.json" if directory else None
        self._data: dict[str, object] = {}
        self._added = False
        if self._file is not None and _private(self._file):
            try:
                loaded = json.loads(self._file.read_text(encoding="utf-8"))
                self._data = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError, TypeError):
                self._data = {}

    def get(self, key: str) -> object | None:
        return self._data.get(key)

    def add(self, key: str, data: object) -> None:
        if key in self._data or self._file is None:
            return
        try:
            if json.loads(json.dumps(data)) != data:  # dates, tuples, non-string keys: not kept
                return
        except (TypeError, ValueError):
            return
        self._data[key] = data
        self._added = True

    def recent(self, key: str, count: int = 32) -> set[str]:
        """``key`` and the ``count`` - 1 entries added last before it: what a cache of files that are
        not all loaded on every run (policies: one per run, chosen by the user) keeps on saving."""
        return {key, *[other for other in self._data if other != key][-(count - 1) :]}

    def save(self, keep: set[str]) -> None:
        """Write what was added, keeping only the entries of ``keep`` (the files of this run): an edited
        pack does not leave its old versions behind forever."""
        if self._file is None or not self._added:
            return
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._file.with_suffix(f".{os.getpid()}.tmp")
            kept = {key: value for key, value in self._data.items() if key in keep}
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(kept))  # key order kept: it is the order rules are shown in
            os.replace(temporary, self._file)
            self._added = False
        except OSError:
            pass


def _private(path: Path) -> bool:
    """Whether ``path`` and its directory belong to this user and are writable by nobody else."""
    try:
        for item in (path, path.parent):
            status = os.stat(item)
            if status.st_uid != os.getuid() or status.st_mode & 0o022:
                return False
    except (OSError, AttributeError):  # no such file, or no getuid (Windows): not trusted
        return False
    return True
