"""A certificate that many server blocks name is looked at once per run (issue 16: 3,000 lookups, each a
scope check and two ``stat`` calls, for two certificates) — and a new run looks again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.pki import pkigen
from tlslint import safe_read
from tlslint.sources import certinfo


def _scope(tree: Path) -> safe_read.ReadScope:
    return safe_read.ReadScope((os.path.realpath(tree),))


def test_looked_at_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert = pkigen.write(tmp_path, "site.crt", pkigen.pem(pkigen.make("a.example", key_kind="ec256")))
    stats = 0
    real_stat = os.stat

    def counting(path, *args, **kwargs):
        nonlocal stats
        stats += str(path) == str(cert)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counting)
    with safe_read.confined(_scope(tmp_path)):
        assert [certinfo.key_type(str(cert)) for _ in range(100)] == ["ECDSA"] * 100
    assert 0 < stats <= 2


def test_a_new_run_sees_the_file_as_it_is_now(tmp_path: Path) -> None:
    cert = tmp_path / "site.crt"
    pkigen.write(tmp_path, "site.crt", pkigen.pem(pkigen.make("a.example", key_kind="ec256")))
    with safe_read.confined(_scope(tmp_path)):
        assert certinfo.key_types([str(cert)]) == {"ECDSA"}
    os.unlink(cert)
    other = tmp_path / "elsewhere"
    other.mkdir()
    pkigen.write(other, "site.crt", pkigen.pem(pkigen.make("a.example", key_kind="rsa2048")))
    cert.symlink_to(other / "site.crt")
    with safe_read.confined(_scope(tmp_path)):
        assert certinfo.key_types([str(cert)]) == {"RSA"}
    with safe_read.confined(_scope(tmp_path / "elsewhere" / "nothing")):  # the link now leaves the tree
        assert certinfo.key_type(str(cert)) is None
