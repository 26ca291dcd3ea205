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
