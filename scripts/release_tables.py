"""What the scripts that generate tlslint's release tables share: reading a clone of an engine's
repository at its release tags, and writing "which releases know which names" as ranges
(``scripts/apache_ssl_directives.py``, ``scripts/nginx_directives.py``, ``scripts/haproxy_keywords.py``)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable

Release = tuple[int, ...]


def git(repo: str, *args: str) -> str:
    done = subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True)
    return done.stdout.decode("utf-8", "replace")  # a few sources have Latin-1 bytes in comments


def ranges(lines: list[Release], knows: Callable[[Release], bool]) -> tuple[tuple[Release, Release | None], ...]:
    """The (first, last) runs of ``lines`` (releases in order) for which ``knows``; the last run's end is
    None when it reaches the newest release."""
    found: list[tuple[Release, Release | None]] = []
    start = previous = None
    for release in lines:
        if knows(release):
            start = start or release
            previous = release
        elif start is not None:
            found.append((start, previous))
            start = None
    if start is not None:
        found.append((start, None if previous == lines[-1] else previous))
    return tuple(found)


def print_ranges(
    names: Iterable[str], lines: list[Release], tables: dict[Release, set[str]], mapping: str = "DIRECTIVES"
) -> None:
    """``NEWEST`` and the ``mapping`` of a generated module: each name's :func:`ranges`."""
    print(f"NEWEST = {lines[-1]!r}")
    print()
    print(f"{mapping}: dict[str, tuple[tuple[tuple[int, int, int], tuple[int, int, int] | None], ...]] = {{")
    for name in names:
        print(f'    "{name}": {ranges(lines, lambda release, name=name: name in tables[release])!r},')
    print("}")
