"""A run remembers the real path of each directory it met (issue 16: ``realpath`` was 12,000 calls and
66,000 ``lstat`` on 1,000 nginx files). The memory must give exactly what ``os.path.realpath`` gives —
a symbolic link that leaves the tree is still refused, ``link/..`` is resolved after the link — and
the last component is looked at on every call, so a file swapped for a link during a run is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tlslint import safe_read


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """``scanned/`` (the tree) beside ``outside/``, with links both ways."""
    scanned, outside = tmp_path / "scanned", tmp_path / "outside"
    (scanned / "conf").mkdir(parents=True)
    (outside / "deep").mkdir(parents=True)
    (scanned / "conf" / "site.conf").write_text("x")
    (scanned / "x.conf").write_text("x")
    (outside / "x.conf").write_text("secret")
    (outside / "deep" / "y.conf").write_text("secret")
    (scanned / "in").symlink_to(scanned / "conf")  # a directory link inside the tree
    (scanned / "out").symlink_to(outside / "deep")  # a directory link that leaves it
    (scanned / "leak.conf").symlink_to(outside / "x.conf")  # a file link that leaves it
    (scanned / "loop").symlink_to(scanned / "loop")
    return scanned, outside


def _spellings(scanned: Path) -> list[str]:
    names = [
        "conf/site.conf",
        "in/site.conf",
        "out/y.conf",
        "out/../x.conf",  # ".." after the link: outside/x.conf, not scanned/x.conf
        "in/../x.conf",
        "leak.conf",
        "conf/./site.conf",
        "conf/missing/more.conf",
        "loop/x.conf",
        "conf/..",
        "conf/.",
        "conf/",
        "x.conf",
    ]
    return [str(scanned / name) for name in names] + [str(scanned) + "//conf//site.conf"]


def test_the_same_answer_as_realpath_every_time(tree: tuple[Path, Path]) -> None:
    scanned, _ = tree
    scope = safe_read.ReadScope((os.path.realpath(scanned),))
    for _ in range(2):  # the second round is answered from memory
        for path in _spellings(scanned):
            assert scope.real(path) == os.path.realpath(path), path


def test_relative_spellings(tree: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    scanned, _ = tree
    monkeypatch.chdir(scanned)
    scope = safe_read.ReadScope(None)
    for path in ["x.conf", "in/site.conf", "out/../x.conf", "./leak.conf", "../outside/x.conf", "conf/.."]:
        assert scope.real(path) == os.path.realpath(path), path


def test_links_out_of_the_tree_are_refused(tree: tuple[Path, Path]) -> None:
    scanned, _ = tree
    scope = safe_read.ReadScope((os.path.realpath(scanned),))
    assert scope.allows(str(scanned / "in" / "site.conf"))
    assert scope.allows(str(scanned / "in" / ".." / "x.conf"))
    assert scope.allows(str(scanned / "conf" / "site.conf"))  # remembers scanned/conf ...
    assert not scope.allows(str(scanned / "out" / "y.conf"))
    assert not scope.allows(str(scanned / "out" / ".." / "x.conf"))  # lexically scanned/x.conf
    assert not scope.allows(str(scanned / "leak.conf"))
    with safe_read.confined(scope), pytest.raises(safe_read.ReadRefused):
        safe_read.read_bytes(str(scanned / "out" / ".." / "x.conf"))


def test_a_file_swapped_for_a_link_during_the_run_is_refused(tree: tuple[Path, Path]) -> None:
    scanned, outside = tree
    scope = safe_read.ReadScope((os.path.realpath(scanned),))
    target = scanned / "conf" / "site.conf"
    assert scope.allows(str(target))
    target.unlink()
    target.symlink_to(outside / "x.conf")
    assert not scope.allows(str(target))


def test_a_directory_is_resolved_once(tree: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    scanned, _ = tree
    for n in range(50):
        (scanned / "conf" / f"s{n}.conf").write_text("x")
    scope = safe_read.ReadScope((os.path.realpath(scanned),))
    calls = 0
    real_lstat = os.lstat

    def counting(path, *args, **kwargs):
        nonlocal calls
        calls += 1
        return real_lstat(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", counting)
    for n in range(50):
        assert scope.allows(str(scanned / "conf" / f"s{n}.conf"))
    depth = len(Path(scanned).parts)
    # One lstat per file, plus the directory's components once (a few more where they are links);
    # realpath on each file took one per component of every path.
    assert calls <= 50 + 2 * depth < 50 * depth
