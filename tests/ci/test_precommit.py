"""The pre-commit hook: its file pattern comes from the source registry, and it really works."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ci_helpers import document

from conftest import REPO, run_cli


def _hook() -> dict:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return hook


def test_hook_files_pattern_is_generated_from_the_registry() -> None:
    from tlslint.precommit import files_regex

    assert _hook()["files"] == files_regex(), "regenerate: tlslint config files-pattern"
    assert run_cli("config", "files-pattern").out.strip() == files_regex()


def test_hook_pattern_matches_every_source_pattern() -> None:
    from tlslint.sources.registry import SOURCES

    pattern = re.compile(_hook()["files"])
    for entry in SOURCES:
        for glob in (*entry.patterns, *entry.hook_patterns):
            if glob == "*":
                continue
            name = glob.replace("*", "example")
            assert pattern.search(f"firmware/etc/{name}"), (entry.name, glob)
            assert entry.matches_name(name) or glob in entry.hook_patterns
    # The hook hands over what tlslint reads, not every staged file: certificates and keys by their usual
    # names (content-recognised material with another name is found by 'tlslint check .' in CI).
    for name in ("certs/server.pem", "tls/privkey.pem", "keys/station.key", "deploy/id_rsa", "sites-enabled/default"):
        assert pattern.search(name), name
    for name in ("src/main.rs", "README.md", "docs/logo.png", "src/tlslint/cli.py"):
        assert not pattern.search(name), name


def test_hook_definition() -> None:
    hook = _hook()
    assert hook["id"] == "tlslint" and hook["language"] == "python"
    assert hook["entry"] == "tlslint check --no-unread-warnings" and hook["pass_filenames"] is True
    assert hook["require_serial"] is True


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_pre_commit_try_repo_fails_on_a_bad_config_and_passes_after_the_fix(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    repo = tmp_path / "firmware"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.invalid")
    _git(repo, "config", "user.name", "t")
    (repo / "README.md").write_text("not a TLS configuration\n", encoding="utf-8")
    (repo / "tls.yaml").write_text(document("TLSv1.1"), encoding="utf-8")
    _git(repo, "add", "README.md", "tls.yaml")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(REPO), "tlslint", "--verbose"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    bad = try_repo()
    output = bad.stdout + bad.stderr
    if bad.returncode != 0 and "TLS-PROTO-001" not in output:
        if re.search(r"(?i)could not find a version|connection|network|resolve|timed out|index", output):
            pytest.skip(f"pre-commit could not install the hook (no network?): {output.strip()[-400:]}")
        pytest.fail(output)
    assert bad.returncode == 1, output
    assert "TLS-PROTO-001" in output and "tls.yaml" in output
    # Fix the configuration (TLS 1.2+, AEAD suites), stage it: the hook passes.
    fixed = document("TLSv1.2").replace("_AES_128_CBC_SHA", "_AES_128_GCM_SHA256")
    (repo / "tls.yaml").write_text(fixed, encoding="utf-8")
    _git(repo, "add", "tls.yaml")
    good = try_repo()
    assert good.returncode == 0, good.stdout + good.stderr


def _readme_block(marker: str) -> str:
    """The fenced block of the README that starts with the line ``marker``."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(marker)
    return text[start : text.index("```", start)]


def test_the_readme_local_hook_works_as_pasted(tmp_path: Path) -> None:
    """The README's pre-commit snippet, pasted into a fresh repository, with a real ``pre-commit run``:
    it fails on a weak configuration, says nothing about a staged file tlslint does not read, and passes
    once the configuration is fixed."""
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    repo = tmp_path / "firmware"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        _readme_block("# .pre-commit-config.yaml (tlslint installed in the environment)"), encoding="utf-8"
    )
    (repo / "package.json").write_text('{"name": "ui"}\n', encoding="utf-8")
    (repo / "tls.yaml").write_text(document("TLSv1.1"), encoding="utf-8")
    _git(repo, "add", ".")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",  # tlslint installed here
    }

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "run", "--verbose"], cwd=repo, env=env, capture_output=True, text=True, timeout=300
        )

    bad = run()
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "TLS-PROTO-001" in bad.stdout and "package.json" not in bad.stdout
    fixed = document("TLSv1.2").replace("_AES_128_CBC_SHA", "_AES_128_GCM_SHA256")
    (repo / "tls.yaml").write_text(fixed, encoding="utf-8")
    _git(repo, "add", "tls.yaml")
    good = run()
    assert good.returncode == 0, good.stdout + good.stderr
