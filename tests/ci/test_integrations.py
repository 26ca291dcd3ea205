"""The GitHub Action, the GitLab template and the GitLab Code Quality format, run as a user pastes them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import EXAMPLE, REPO, run_cli

HERE = Path(__file__).parent
BAD_NGINX = """\
server {
    listen 443 ssl;
    server_name shop.example;
    ssl_certificate cert.pem;
    ssl_certificate_key key.pem;
    ssl_protocols TLSv1 TLSv1.2;
    ssl_ciphers DEFAULT:@SECLEVEL=0;
}
"""


def _gitlab_schema() -> dict:
    return json.loads((HERE / "gitlab-code-quality.schema.json").read_text())


def test_gitlab_report_matches_the_code_quality_format():
    result = run_cli("check", str(EXAMPLE), "--format", "gitlab", cwd=REPO)
    assert result.code == 1
    issues = json.loads(result.out)
    jsonschema.validate(issues, _gitlab_schema())
    assert issues, "the example has findings"
    assert {issue["location"]["path"] for issue in issues} == {"examples/charging-station/tls-configuration.yaml"}
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    protocol = next(issue for issue in issues if issue["check_name"] == "TLS-PROTO-001")
    assert protocol["severity"] == "blocker" and protocol["location"]["lines"]["begin"] == 127


def test_the_schema_rejects_what_gitlab_rejects():
    bad = [{"description": "x", "check_name": "x", "fingerprint": "x", "severity": "high", "location": {"path": "a"}}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, _gitlab_schema())


def test_gitlab_fingerprints_ignore_line_moves(tmp_path):
    (tmp_path / ".git").mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(f"http {{\n{BAD_NGINX}}}\n")
    before = json.loads(run_cli("check", "nginx.conf", "--format", "gitlab", cwd=tmp_path).out)
    config.write_text(f"# a comment\n\nhttp {{\n{BAD_NGINX}}}\n")
    after = json.loads(run_cli("check", "nginx.conf", "--format", "gitlab", cwd=tmp_path).out)
    assert {i["fingerprint"] for i in before} == {i["fingerprint"] for i in after}
    assert {i["location"]["lines"]["begin"] for i in before} != {i["location"]["lines"]["begin"] for i in after}


def _scratch_repo(tmp_path: Path) -> Path:
    work = tmp_path / "repo"
    (work / "etc").mkdir(parents=True)
    (work / "etc" / "nginx.conf").write_text(f"http {{\n{BAD_NGINX}}}\n")
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    return work


def _expand(value: str, inputs: dict[str, str]) -> str:
    """The two expressions the action uses: ``${{ inputs.NAME }}`` and ``${{ github.action_path }}``."""

    def one(match: re.Match) -> str:
        expression = match.group(1).strip()
        if expression == "github.action_path":
            return str(REPO)
        if expression.startswith("inputs."):
            return inputs[expression.removeprefix("inputs.")]
        raise AssertionError(f"the test does not know the expression {expression}")

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def test_the_github_action_steps_run_as_written(tmp_path):
    action = yaml.safe_load((REPO / "action.yml").read_text())
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs["args"] = "--fail-on high"
    shell_steps = [step for step in action["runs"]["steps"] if "run" in step]
    assert [step["name"] for step in shell_steps] == ["Install tlslint", "Run tlslint"]
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), "inputs must reach the shell through env, not the script"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    work = _scratch_repo(tmp_path)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    codes = []
    for step in shell_steps:
        step_env = {**env, **{key: _expand(value, inputs) for key, value in step.get("env", {}).items()}}
        process = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=work,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        codes.append(process.returncode)
        if step["name"] == "Install tlslint":
            assert process.returncode == 0, process.stderr[-3000:]
            assert (venv / "bin" / "tlslint").exists()
        else:
            annotations = process.stdout
    assert codes == [0, 1]  # findings at or above --fail-on high fail the step
    assert "::error file=etc/nginx.conf,line=" in annotations
    sarif = json.loads((work / inputs["sarif-file"]).read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]


def test_the_gitlab_template_script_runs_as_written(tmp_path):
    template = yaml.safe_load((REPO / "templates" / "gitlab" / "tlslint.gitlab-ci.yml").read_text())
    job = template["tlslint"]
    assert any('pip install --quiet "$TLSLINT_INSTALL"' in line for line in job["before_script"])
    work = _scratch_repo(tmp_path)
    tlslint = Path(sys.executable).parent
    env = {**os.environ, **job["variables"], "PATH": f"{tlslint}{os.pathsep}{os.environ['PATH']}"}
    for line in job["script"]:
        process = subprocess.run(["bash", "-c", line], cwd=work, env=env, capture_output=True, text=True, timeout=300)
        assert process.returncode == 1, process.stderr  # the bad config fails the job
    for artifact in job["artifacts"]["paths"]:
        assert (work / artifact).is_file()
    report = json.loads((work / job["artifacts"]["reports"]["codequality"]).read_text())
    jsonschema.validate(report, _gitlab_schema())
    assert any(issue["check_name"] == "TLS-PROTO-001" for issue in report)
    import xml.etree.ElementTree as ET

    ET.parse(work / job["artifacts"]["reports"]["junit"])


def test_the_template_refuses_to_run_without_an_install_spec(tmp_path):
    template = yaml.safe_load((REPO / "templates" / "gitlab" / "tlslint.gitlab-ci.yml").read_text())
    guard = template["tlslint"]["before_script"][0]
    process = subprocess.run(["bash", "-c", guard], env={**os.environ, "TLSLINT_INSTALL": ""}, capture_output=True)
    assert process.returncode == 2
