"""A real pre-commit run passes only the staged fragment: its regression must still fail the hook."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from layouts import debian_nginx, make_repo

REPO = Path(__file__).resolve().parents[2]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_pre_commit_on_a_changed_sites_enabled_fragment_lints_it_through_nginx_conf(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    repo = make_repo(tmp_path / "infra")
    _git(repo, "config", "user.email", "t@example.invalid")
    _git(repo, "config", "user.name", "t")
    nginx = debian_nginx(repo)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    shop = nginx / "sites-enabled" / "shop.conf"
    shop.write_text(shop.read_text().replace("    ssl_session_tickets on;\n", "    ssl_protocols TLSv1 TLSv1.2;\n"))
    _git(repo, "add", str(shop.relative_to(repo)))  # the only staged file: the only one the hook is given
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    run = subprocess.run(
        [pre_commit, "try-repo", str(REPO), "tlslint", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = run.stdout + run.stderr
    if run.returncode != 0 and "TLS-PROTO-002" not in output:
        if re.search(r"(?i)could not find a version|connection|network|resolve|timed out|index", output):
            pytest.skip(f"pre-commit could not install the hook (no network?): {output.strip()[-400:]}")
        pytest.fail(output)
    assert run.returncode == 1, output
    # the table groups findings by file: the ssl_protocols line of the staged fragment, with its column
    assert re.search(r"etc/nginx/sites-enabled/shop\.conf\n(?:.*\n)*?\s*6:5 .*TLS-PROTO-002", output), output
