"""In a git work tree, what .gitignore ignores is not linted (ruff, trivy and zizmor behave the same),
unless named explicitly, --no-gitignore is given, or --untrusted makes the tree's own files untrusted."""

from __future__ import annotations

import subprocess

from ci_helpers import document

from conftest import run_cli


def _repo(tmp_path):
    repo = tmp_path / "repo"
    (repo / "build" / "gen").mkdir(parents=True)
    (repo / "config").mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".gitignore").write_text("build/\n*.generated.yaml\n!keep.generated.yaml\n")
    (repo / "config" / ".gitignore").write_text("local-*.yaml\n")
    for name in (
        "build/gen/tls.yaml",
        "config/tls.yaml",
        "config/x.generated.yaml",
        "config/keep.generated.yaml",
        "config/local-dev.yaml",
    ):
        (repo / name).write_text(document())
    return repo


def _files(result) -> set[str]:
    return {item["path"] for item in result.json()["files"]}


def test_ignored_files_are_skipped_while_walking(tmp_path):
    repo = _repo(tmp_path)
    result = run_cli("check", ".", "--format", "json", cwd=repo)
    assert _files(result) == {"config/tls.yaml", "config/keep.generated.yaml"}


def test_no_gitignore_and_untrusted_read_everything(tmp_path):
    repo = _repo(tmp_path)
    everything = {
        "build/gen/tls.yaml",
        "config/tls.yaml",
        "config/x.generated.yaml",
        "config/keep.generated.yaml",
        "config/local-dev.yaml",
    }
    assert _files(run_cli("check", ".", "--format", "json", "--no-gitignore", cwd=repo)) == everything
    assert _files(run_cli("check", ".", "--format", "json", "--untrusted", cwd=repo)) == everything


def test_an_ignored_file_named_explicitly_is_linted(tmp_path):
    repo = _repo(tmp_path)
    assert _files(run_cli("check", "config/local-dev.yaml", "--format", "json", cwd=repo)) == {"config/local-dev.yaml"}


def test_outside_a_git_work_tree_nothing_is_ignored(tmp_path):
    tree = tmp_path / "plain"
    tree.mkdir()
    (tree / ".gitignore").write_text("*.yaml\n")
    (tree / "tls.yaml").write_text(document())
    assert _files(run_cli("check", ".", "--format", "json", cwd=tree)) == {"tls.yaml"}
