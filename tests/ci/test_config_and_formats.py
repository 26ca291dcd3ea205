"""Configuration discovery and precedence, exit-code thresholds, and the junit and github formats."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ci_helpers import by_rule, make_repo

from conftest import run_cli, run_subprocess


def test_config_is_found_walking_up_to_the_repository_root(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / ".tlslint.yaml").write_text("fail-on: critical\nseverity: {TLS-PROTO-001: high}\n", encoding="utf-8")
    result = run_cli("check", "tls.yaml", "--format", "json", cwd=repo / "config")
    assert result.code == 0  # the only critical finding was re-graded to high
    assert by_rule(result.json(), "TLS-PROTO-001")[0]["severity"] == "high"
    # A config above the repository root is not used.
    (tmp_path / ".tlslint.yaml").write_text("fail-on: never\n", encoding="utf-8")
    (repo / ".tlslint.yaml").unlink()
    assert run_cli("check", ".", cwd=repo).code == 1


def test_pyproject_table_and_command_line_precedence(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    text = '[project]\nname = "x"\n\n[tool.tlslint]\nfail-on = "never"\n'
    (repo / "pyproject.toml").write_text(text, encoding="utf-8")
    assert run_cli("check", ".", cwd=repo).code == 0
    assert run_cli("check", ".", "--fail-on", "medium", cwd=repo).code == 1
    assert run_cli("check", ".", "--no-config", cwd=repo).code == 1
    shown = run_cli("config", "show", cwd=repo)
    assert shown.code == 0
    assert 'fail-on: "never"  # pyproject.toml:5' in shown.out
    assert "soft-fail: false  # default" in shown.out
    shown = run_cli("config", "show", "--config", "pyproject.toml", "--format", "json", cwd=repo).json()
    assert shown["settings"]["fail-on"] == {"value": "never", "source": "pyproject.toml:5"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fail-on: hihg\n", '.tlslint.yaml:1:10: invalid configuration: fail-on: "hihg" is not one of'),
        ("baselin: b.json\n", ".tlslint.yaml:1:1: invalid configuration: unknown key 'baselin'"),
        ("severity: {TLS-PROTO-999: low}\n", ".tlslint.yaml:1:12: severity override for unknown rule TLS-PROTO-999"),
        ("params: {min_rsa_bitz: 3072}\n", ".tlslint.yaml:1:10: no rule of policy"),
        ("fail-on: [\n", ".tlslint.yaml:2:1: invalid YAML"),
    ],
)
def test_config_mistakes_are_one_line_errors_with_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / ".tlslint.yaml").write_text(text, encoding="utf-8")
    for _ in range(2):  # the second run reads a schema-valid file's data and key lines from the cache
        result = run_subprocess("check", ".", cwd=repo)
        assert result.code == 2
        assert result.err.startswith(f"tlslint: {message}"), result.err
        assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_config_schema_is_a_valid_json_schema() -> None:
    from jsonschema import Draft202012Validator

    schema = run_cli("config", "schema").json()
    Draft202012Validator.check_schema(schema)
    from tlslint.config import DEFAULTS

    assert set(schema["properties"]) == set(DEFAULTS)


def test_soft_fail_and_fail_on(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    assert run_cli("check", ".", cwd=repo).code == 1
    assert run_cli("check", ".", "--soft-fail", cwd=repo).code == 0
    assert run_cli("check", ".", "--fail-on", "critical", cwd=repo).code == 1
    (repo / "broken.yaml").write_text("apiVersion: tlslint/v1\nkind: [\n", encoding="utf-8")
    assert run_cli("check", ".", "--soft-fail", cwd=repo).code == 3  # broken inputs are never soft


def test_junit_report(tmp_path: Path) -> None:
    text = (Path(__file__).parent / "ci_helpers.py").read_text(encoding="utf-8")
    assert text  # the helpers exist
    from ci_helpers import document

    body = document().replace("    versions:", "    # tlslint: ignore[TLS-PROTO-001] meter until 2027\n    versions:")
    repo = make_repo(tmp_path / "repo", {"tls.yaml": body})
    result = run_cli("check", ".", "--format", "junit", cwd=repo)
    assert result.code == 1
    root = ET.fromstring(result.out)
    suite = root.find("testsuite")
    cases = {case.get("classname"): case for case in suite.iter("testcase")}
    assert cases["TLS-CIPHER-003"].find("failure") is not None
    assert cases["TLS-PROTO-001"].find("skipped").get("message") == "suppressed (inline): meter until 2027"
    assert int(suite.get("failures")) >= 1 and int(suite.get("skipped")) == 1
    assert int(suite.get("tests")) == len(list(suite.iter("testcase")))


@pytest.mark.parametrize("tree", ["suppressed", "broken", "nothing"])
def test_junit_written_case_by_case_is_the_indented_tree(tmp_path: Path, tree: str) -> None:
    """Test cases are built, indented and written one at a time (issue 16: the tree of a large repository
    was held whole): the text must be what indenting and writing the whole tree gives — with failures
    and skipped cases, with input errors, and with no case at all."""
    from ci_helpers import document

    body = document().replace("    versions:", "    # tlslint: ignore[TLS-PROTO-001] meter until 2027\n    versions:")
    files = {
        "suppressed": {"tls.yaml": body},
        "broken": {"tls.yaml": body, "nginx.conf": "http {\n  server {\n"},
        "nothing": {"README.txt": "nothing to lint\n"},
    }[tree]
    repo = make_repo(tmp_path / "repo", files)
    text = run_cli("check", ".", "--format", "junit", cwd=repo).out
    root = ET.fromstring(text)
    assert bool(len(root.find("testsuite").findall("testcase"))) is (tree != "nothing")
    ET.indent(root)
    assert text == '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def test_github_annotations(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    result = run_cli("check", "tls.yaml", "--format", "github", cwd=repo / "config")
    assert result.code == 1
    lines = result.out.splitlines()
    (proto,) = [line for line in lines if "TLS-PROTO-001" in line]
    assert proto.startswith("::error file=config/tls.yaml,line=5,col=21,endLine=5,endColumn=28,title=TLS-PROTO-001")
    assert proto.endswith("::meter enables TLSv1.1; allowed are TLSv1.2 and TLSv1.3")
    assert any(line.startswith("::warning ") and "TLS-CIPHER-003" in line for line in lines)
    assert lines[-1].startswith("2 findings")


def test_exclude_globs_skip_files(tmp_path: Path) -> None:
    from ci_helpers import document

    repo = make_repo(tmp_path / "repo", {"src/tls.yaml": document(), "tests/fixtures/bad.yaml": document()})
    (repo / ".tlslint.yaml").write_text("exclude: ['tests/**']\n", encoding="utf-8")
    data = run_cli("check", ".", "--format", "json", cwd=repo).json()
    assert {f["location"]["path"] for f in data["findings"]} == {"src/tls.yaml"}
    # Also when the file is named explicitly (as pre-commit does).
    data = run_cli("check", "tests/fixtures/bad.yaml", "--format", "json", cwd=repo).json()
    assert data["findings"] == []
