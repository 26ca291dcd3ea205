"""Declared file types: ``--type GLOB=SOURCE`` on the command line and ``types:`` in ``.tlslint.yaml``.

A declaration beats recognition by name and content: ``--type 'deploy/lb.conf=haproxy'`` reads that
file as HAProxy whatever it looks like. A glob with a ``/`` is matched against the path relative to
the repository root (the language of ``exclude:``: ``*`` stays within a directory, ``**`` crosses);
one without a ``/`` against the file's base name. The last matching declaration wins, and the
command line comes after the configuration file.
"""

from __future__ import annotations

import os

from tlslint.records import Frozen


class DeclarationError(ValueError):
    """A declaration that is not ``GLOB=SOURCE`` with a known source."""


def parse(text: str) -> tuple[str, str]:
    """``GLOB=SOURCE`` -> (glob, source); the source must be a registry name."""
    from tlslint.sources.registry import names

    glob, sep, source = text.rpartition("=")
    if not sep or not glob.strip() or not source.strip():
        raise DeclarationError(f"expected GLOB=SOURCE, got {text!r}")
    source = source.strip()
    if source not in names():
        raise DeclarationError(f"unknown source {source!r} (one of: {', '.join(names())})")
    return glob.strip(), source


class DeclaredTypes(Frozen):
    """The file types declared with ``--type`` and ``types:`` (glob, source name), in order."""

    __slots__ = ("declarations",)

    declarations: tuple[tuple[str, str], ...]

    def __init__(self, declarations: tuple[tuple[str, str], ...] = ()) -> None:
        object.__setattr__(self, "declarations", declarations)

    def source_for(self, path: str) -> str | None:
        """The declared source of ``path``, or None."""
        if not self.declarations:
            return None
        from tlslint.globs import compile_glob
        from tlslint.repo import repo_relative

        relative = repo_relative(path)
        base = os.path.basename(path)
        for glob, source in reversed(self.declarations):
            subject = relative if "/" in glob else base
            if compile_glob(glob).match(subject):
                return source
        return None
