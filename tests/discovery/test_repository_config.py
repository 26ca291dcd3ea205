"""One configuration per repository, and a switch for gates on untrusted changes (issue 10 item 5).

A contribution that adds ``0/.tlslint.yaml`` with ``exclude: ["**"]`` must not turn the gate green for
the files it names: the repository root's configuration applies whatever the order of the PATHs, a
nested one gets a warning, and ``--untrusted`` ignores every configuration and suppression in the tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from layouts import make_repo, write_tree

from conftest import run_cli

SITE = "server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.2;\n}\n"
HOSTILE = 'exclude: ["**"]\nfail-on: never\nsoft-fail: true\n'


def _repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo")
    write_tree(repo, {"0/.tlslint.yaml": HOSTILE, "0/a.conf": SITE, "web/site.conf": SITE})
    return repo


@pytest.mark.parametrize("paths", [["0/a.conf", "web/site.conf"], ["web/site.conf", "0/a.conf"], ["0", "web"], ["."]])
def test_a_nested_configuration_governs_nothing_whatever_the_argument_order(tmp_path: Path, paths: list[str]) -> None:
    repo = _repo(tmp_path)
    result = run_cli("check", *paths, "--format", "json", cwd=repo)
    assert result.code == 1, result.out
    data = result.json()
    assert {f["location"]["path"] for f in data["findings"] if f["rule_id"] == "TLS-PROTO-002"} == {
        "0/a.conf",
        "web/site.conf",
    }
    (warning,) = [d for d in data["diagnostics"] if d["location"]["path"] == "0/.tlslint.yaml"]
    assert warning["severity"] == "warning" and "nested configuration ignored" in warning["message"]


def test_the_repository_root_configuration_applies_to_a_nested_first_path(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / ".tlslint.yaml").write_text("severity: {TLS-PROTO-002: info}\nfail-on: high\n", encoding="utf-8")
    for cwd in (repo, repo / "0"):
        paths = ["0/a.conf"] if cwd == repo else ["a.conf"]
        data = run_cli("check", *paths, "--format", "json", cwd=cwd).json()
        (proto,) = [f for f in data["findings"] if f["rule_id"] == "TLS-PROTO-002"]
        assert proto["severity"] == "info"  # the root's override, not the nested file's exclude
    shown = run_cli("config", "show", "0/a.conf", cwd=repo).out
    assert shown.startswith("# tlslint configuration: .tlslint.yaml")
    assert "# ignored (nested; one configuration per repository): 0/.tlslint.yaml" in shown


def test_untrusted_ignores_repository_configuration_and_inline_suppressions(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    marker = "    # tlslint: ignore[TLS-PROTO-002] legacy clients\n"
    site = SITE.replace("    ssl_protocols", marker + "    ssl_protocols")
    write_tree(repo, {".tlslint.yaml": "fail-on: never\ndisable: [TLS-PROTO-002]\n", "site.conf": site})
    assert run_cli("check", ".", cwd=repo).code == 0  # the contribution's own configuration passes it
    data = run_cli("check", ".", "--no-config", "--format", "json", cwd=repo).json()
    (proto,) = [f for f in data["findings"] if f["rule_id"] == "TLS-PROTO-002"]
    assert proto["suppression"]["kind"] == "inline"  # its inline comment would suppress it too
    result = run_cli("check", ".", "--untrusted", "--format", "json", cwd=repo)
    assert result.code == 1
    (proto,) = [f for f in result.json()["findings"] if f["rule_id"] == "TLS-PROTO-002"]
    assert proto.get("suppression") is None
    shown = run_cli("config", "show", "--untrusted", cwd=repo).out
    assert "no configuration file" in shown and "inline-suppressions: false  # --untrusted" in shown


def test_untrusted_keeps_a_configuration_and_waivers_named_on_the_command_line(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write_tree(repo, {".tlslint.yaml": "fail-on: never\n", "site.conf": SITE})
    trusted = tmp_path / "gate.yaml"
    trusted.write_text("disable: [TLS-PROTO-002]\n", encoding="utf-8")
    data = run_cli("check", ".", "--untrusted", "--config", str(trusted), "--format", "json", cwd=repo).json()
    assert not [f for f in data["findings"] if f["rule_id"] == "TLS-PROTO-002"]
    assert data["summary"]["exit_code"] == 1  # fail-on comes from the default, not the tree's file


@pytest.mark.parametrize("option", ["--config", "--waivers", "--baseline"])
def test_untrusted_refuses_trusted_files_taken_from_the_scanned_tree(tmp_path: Path, option: str) -> None:
    repo = make_repo(tmp_path / "repo")
    write_tree(repo, {"site.conf": SITE, "ci/gate.yaml": "fail-on: never\n"})
    result = run_cli("check", ".", "--untrusted", option, "ci/gate.yaml", cwd=repo)
    assert result.code == 2 and "lies inside the scanned tree" in result.err
