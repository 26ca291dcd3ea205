"""Where the shipped data (rule packs, policies, schemas, framework catalogues) lives.

In a wheel the data is copied to ``tlslint/_data/`` (see ``pyproject.toml``). In a source checkout
(editable install, or running the tests) it is read from the repository's top level instead.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Directory of shipped data: ``rules``, ``policies``, ``schemas`` or ``frameworks``."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"tlslint data directory {name!r} is missing from this installation")
