"""Where the repository is: the root that fingerprints, SARIF URIs, baselines and waivers are relative to.

The root of a path is the nearest enclosing directory holding ``.git`` (a directory, or a file for
worktrees and submodules), ``.hg`` or ``.svn``. Outside any repository the working directory is the
root. Paths relative to the root use forward slashes on every platform, so the same repository
checked from a different directory, or on another machine, gives the same fingerprints.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache, lru_cache

_MARKERS = (".git", ".hg", ".svn")


def ancestors(directory: str, *, levels: int | None = None) -> Iterator[str]:
    """``directory`` and the directories above it, nearest first, up to the filesystem root (or
    ``levels`` directories in all). The one upward walk behind repository roots, configuration
    discovery and "is this fragment included by a main config file nearby"."""
    current = directory
    count = 0
    while levels is None or count < levels:
        yield current
        count += 1
        parent = os.path.dirname(current)
        if parent == current:
            return
        current = parent


@lru_cache(maxsize=4096)
def _root_of_dir(directory: str) -> str | None:
    for current in ancestors(directory):
        if any(os.path.exists(os.path.join(current, marker)) for marker in _MARKERS):
            return current
    return None


def repo_root(path: str = ".") -> str | None:
    """The repository root enclosing ``path`` (a file or directory), or None outside any repository."""
    absolute = os.path.abspath(path)
    directory = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
    return _root_of_dir(directory)


def repo_relative(path: str) -> str:
    """``path`` relative to its repository root (or to the working directory outside a repository),
    with forward slashes; an absolute path when it lies outside both."""
    return _repo_relative(path, os.getcwd())


def forget_paths() -> None:
    """Let go of the paths remembered by the last run (a run starts with this)."""
    _repo_relative.cache_clear()


# Cached per (path, working directory): every finding, fingerprint and location of a file asks again. Not
# bounded within a run: findings are built rule by rule over every file, so a bounded cache smaller than
# the tree misses on every call (at 10,000 files, a 4,096-entry cache cost 0.7 s of 12 s).
@cache
def _repo_relative(path: str, cwd: str) -> str:
    absolute = os.path.normpath(os.path.join(cwd, path))
    root = repo_root(absolute) or cwd
    if absolute == root or absolute.startswith(root.rstrip(os.sep) + os.sep):
        return os.path.relpath(absolute, root).replace(os.sep, "/")
    return absolute.replace(os.sep, "/")
