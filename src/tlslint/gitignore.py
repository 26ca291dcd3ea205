"""``.gitignore`` as git applies it to a directory walk, so that build output, virtual environments and
downloaded dependencies in a work tree are not linted (ruff, trivy and zizmor do the same).

Patterns are matched by ``pathspec``'s ``GitIgnoreSpec``, a maintained implementation of git's
wildmatch rules (negation, ``**``, directory-only patterns) — not a regular expression of our own. Each
``.gitignore`` applies to paths below its own directory; a deeper file overrides a shallower one, and
the repository's ``.git/info/exclude`` comes first. An ignored directory is not entered (git cannot
re-include a file inside one). Only the repository's own files are read: the user's global excludes
file lives outside the scanned tree and would make results depend on the machine.

Files named explicitly on the command line are linted even when ignored. ``--untrusted`` turns this
off: a pull request could add a ``.gitignore`` that hides the very file it weakens.
"""

from __future__ import annotations

import os
from functools import cache

#: How much of one ignore file is read; ignore files are small, and this one is attacker-supplied.
MAX_IGNORE_BYTES = 256 * 1024


class IgnoreRules:
    """The ignore files of one git work tree (``root`` holds ``.git``), loaded on first use per directory."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._specs: dict[str, object | None] = {}

    def ignored(self, path: str, *, is_dir: bool) -> bool:
        relative = os.path.relpath(path, self.root).replace(os.sep, "/")
        if relative.startswith("../") or relative == "..":
            return False
        verdict: bool | None = None
        directory = self.root
        parts = relative.split("/")
        # Shallow to deep: .git/info/exclude and the root .gitignore, then each directory's own.
        for depth in range(len(parts)):
            spec = self._spec(directory, first=depth == 0)
            if spec is not None:
                below = "/".join(parts[depth:]) + ("/" if is_dir else "")
                result = spec.check_file(below)
                if result.include is not None:
                    verdict = result.include
            directory = os.path.join(directory, parts[depth])
        return bool(verdict)

    def _spec(self, directory: str, *, first: bool):
        if directory not in self._specs:
            lines = _lines(os.path.join(directory, ".gitignore"))
            if first:
                lines = _lines(os.path.join(directory, ".git", "info", "exclude")) + lines
            self._specs[directory] = _compile(tuple(lines)) if lines else None
        return self._specs[directory]


@cache
def _compile(lines: tuple[str, ...]):
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _lines(path: str) -> list[str]:
    from tlslint import safe_read

    if not os.path.isfile(path) or os.path.islink(path):
        return []
    try:
        data = safe_read.read_head(path, MAX_IGNORE_BYTES)
    except Exception:  # an unreadable ignore file ignores nothing; the walk goes on
        return []
    return data.decode("utf-8", errors="replace").splitlines()


def rules_for(directory: str) -> IgnoreRules | None:
    """The ignore rules of the git work tree that contains ``directory``, or None outside one."""
    from tlslint.repo import repo_root

    root = repo_root(directory)
    if root is None or not os.path.exists(os.path.join(root, ".git")):
        return None
    return IgnoreRules(root)
