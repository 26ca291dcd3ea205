"""The pre-commit hook's ``files`` pattern, generated from the source registry.

``registry.SOURCES`` is the one place that knows which file names tlslint reads; the hook in
``.pre-commit-hooks.yaml`` must pass exactly those files. ``tests/ci/test_precommit.py`` asserts that
the committed pattern equals :func:`files_regex`; regenerate it with ``tlslint config files-pattern``
(or ``python -m tlslint.precommit``) after adding a source.
"""

from __future__ import annotations

import re


def _glob_to_regex(pattern: str) -> str:
    out = []
    for char in pattern:
        if char == "*":  # within one path segment: "sites-enabled/*" is a file directly in that directory
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(char))
    return "".join(out)


def files_regex() -> str:
    """A Python regex (pre-commit uses ``re.search``) matching the names every source claims.

    A source that claims every name (``*``: certificates and keys are recognised by content) contributes
    its ``hook_patterns`` instead, so the hook hands over what tlslint reads rather than every file; a
    certificate with an unusual name is still found by ``tlslint check .`` over the whole tree."""
    from tlslint.sources.registry import SOURCES

    patterns = sorted({p for entry in SOURCES for p in (*entry.patterns, *entry.hook_patterns) if p != "*"})
    return r"(^|/)(" + "|".join(_glob_to_regex(p) for p in patterns) + r")$"


if __name__ == "__main__":
    print(files_regex())
