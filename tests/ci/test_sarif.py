"""SARIF 2.1.0 for GitHub code scanning: the checklist of the peers note §3, and Microsoft's validator."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from ci_helpers import make_repo

from conftest import EXAMPLE, REPO, run_cli

VALIDATOR_PACKAGE = "@microsoft/sarif-multitool@5"
CACHE = REPO / ".tlslint-cache" / "sarif-multitool"  # .tlslint-cache/ is git-ignored


def _sarif(*args: str, cwd: Path | None = None) -> tuple[int, dict]:
    result = run_cli("check", *args, "--format", "sarif", cwd=cwd)
    return result.code, json.loads(result.out)


def test_rules_cover_every_evaluated_rule_with_help_and_security_severity() -> None:
    code, log = _sarif(str(EXAMPLE))
    assert code == 1
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    listed = json.loads(run_cli("rules", "--format", "json").out)["rules"]
    ids = [rule["id"] for rule in rules]
    assert set(ids) >= {rule["id"] for rule in listed} | {"TLSLINT-SUPPRESS-001", "TLSLINT-WAIVER-001"}
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["name"] and rule["name"] != rule["id"]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"].startswith(f"# {rule['id']}")
        assert "helpUri" not in rule  # this checkout names no published rule documentation
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert "security" in rule["properties"]["tags"] and len(rule["properties"]["tags"]) <= 20
        severity = float(rule["properties"]["security-severity"])
        assert isinstance(rule["properties"]["security-severity"], str) and 0.0 < severity <= 10.0
    proto = rules[ids.index("TLS-PROTO-001")]
    assert proto["properties"]["security-severity"] == "9.5"
    assert "en18031-1@2024:SCM-3" in proto["properties"]["tags"]  # resolved framework@edition:requirement
    kx = rules[ids.index("TLS-KX-001")] if "TLS-KX-001" in ids else None
    if kx is not None:  # a requirement the rule conflicts with is never a tag of its findings
        assert not any("A00.FR.318" in tag for tag in kx["properties"]["tags"])


def test_results_are_specific_located_and_fingerprinted() -> None:
    _, log = _sarif(str(EXAMPLE))
    run = log["runs"][0]
    data = run_cli("check", str(EXAMPLE), "--format", "json").json()
    assert len(run["results"]) == data["summary"]["findings"]
    for result, finding in zip(run["results"], [f for f in data["findings"] if not f["suppressed"]], strict=True):
        assert result["ruleId"] == finding["rule_id"]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"].startswith(finding["message"])
        assert result["partialFingerprints"] == {"tlslint/v1": finding["fingerprint"]}
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {
            "uri": "examples/charging-station/tls-configuration.yaml",
            "uriBaseId": "%SRCROOT%",
            "index": 0,
        }
        region = location["region"]
        assert region["startLine"] == finding["location"]["line"]
        assert region["startColumn"] == finding["location"]["column"]
        assert region["endLine"] >= region["startLine"] and "endColumn" in region


def test_run_has_invocation_artifacts_and_automation_id(tmp_path: Path) -> None:
    _, log = _sarif(str(EXAMPLE))
    run = log["runs"][0]
    assert run["invocations"] == [
        {
            "executionSuccessful": True,
            "exitCode": 1,
            "exitCodeDescription": "unsuppressed findings at or above the fail threshold",
        }
    ]
    import hashlib

    (artifact,) = run["artifacts"]
    digest = hashlib.sha256((EXAMPLE / "tls-configuration.yaml").read_bytes()).hexdigest()
    assert artifact["hashes"] == {"sha-256": digest}
    assert run["automationDetails"]["id"] == "tlslint/secure-defaults/"
    # A broken input: exit code 3 is in the invocation, with a notification naming the file.
    (tmp_path / "bad.yaml").write_text("apiVersion: tlslint/v1\nkind: [\n", encoding="utf-8")
    code, log = _sarif(str(tmp_path))
    invocation = log["runs"][0]["invocations"][0]
    assert code == 3 and invocation["exitCode"] == 3 and invocation["executionSuccessful"] is False
    assert "bad.yaml" in json.dumps(invocation["toolExecutionNotifications"])


def test_uris_are_repository_relative_from_any_directory(tmp_path: Path) -> None:
    from ci_helpers import document

    repo = make_repo(tmp_path / "repo", {"odd dir/c:tls.yaml": document()})
    _, log = _sarif(".", cwd=repo / "odd dir")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"odd%20dir/c%3Atls.yaml"}  # no scheme-like first segment, no absolute path


def test_suppressed_results_only_on_request(tmp_path: Path) -> None:
    from ci_helpers import document

    text = document().replace("    versions:", "    # tlslint: ignore[TLS-PROTO-001] meter until 2027\n    versions:")
    repo = make_repo(tmp_path / "repo", {"tls.yaml": text})
    _, log = _sarif(".", cwd=repo)
    assert "TLS-PROTO-001" not in {r["ruleId"] for r in log["runs"][0]["results"]}
    assert log["runs"][0]["properties"]["tlslint/summary"]["suppressed"] == 1
    _, log = _sarif(".", "--sarif-include-suppressed", cwd=repo)
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "TLS-PROTO-001"]
    assert result["suppressions"][0]["kind"] == "inSource"
    assert result["suppressions"][0]["justification"] == "meter until 2027"


def test_same_input_same_sarif() -> None:
    first = run_cli("check", str(EXAMPLE), "--format", "sarif", "--at", "2026-01-01").out
    second = run_cli("check", str(EXAMPLE), "--format", "sarif", "--at", "2026-01-01").out
    assert first == second
    assert str(REPO) not in first  # no absolute paths of the checkout


@pytest.mark.parametrize("fmt", ["sarif", "gitlab"])
@pytest.mark.parametrize("with_results", [True, False])
def test_a_report_written_piece_by_piece_is_its_own_indented_json(tmp_path: Path, fmt: str, with_results: bool) -> None:
    """Results are encoded one by one and written into the report's text (issue 16: the SARIF log of a
    large repository was held whole, dictionaries and text): the text must still be exactly what
    ``json.dumps(data, indent=2)`` writes for the data it holds — with results, and with none."""
    repo = EXAMPLE if with_results else make_repo(tmp_path / "repo", {"README.txt": "nothing to lint\n"})
    text = run_cli("check", str(repo), "--format", fmt, "--at", "2026-01-01").out
    data = json.loads(text)
    assert bool(data["runs"][0]["results"] if fmt == "sarif" else data) is with_results
    assert json.dumps(data, indent=2, ensure_ascii=False) + "\n" == text


# --- Microsoft's SARIF validator -------------------------------------------------------------------


def _validator() -> Path:
    """The SARIF Multitool binary, installed from npm into the git-ignored cache on first use."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("npm/node not installed: cannot install @microsoft/sarif-multitool")
    CACHE.mkdir(parents=True, exist_ok=True)
    locate = "console.log(require(require.resolve('@microsoft/sarif-multitool', {paths: [process.argv[1]]})))"

    def find() -> Path | None:
        found = subprocess.run(["node", "-e", locate, str(CACHE)], capture_output=True, text=True, check=False)
        path = Path(found.stdout.strip()) if found.returncode == 0 else None
        return path if path is not None and path.is_file() else None

    binary = find()
    if binary is None:
        try:
            install = subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(CACHE), VALIDATOR_PACKAGE],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.skip("npm install of the SARIF validator timed out (no network?)")
        if install.returncode != 0:
            pytest.skip(f"npm install {VALIDATOR_PACKAGE} failed (no network?): {install.stderr.strip()[-300:]}")
        binary = find()
        if binary is None:
            pytest.skip("the SARIF validator has no binary for this platform")
    if not os.access(binary, os.X_OK):
        binary.chmod(binary.stat().st_mode | 0o111)  # npm may skip the package's chmod postinstall
    return binary


def _validate(binary: Path, sarif: Path, tmp_path: Path) -> list[dict]:
    out = tmp_path / "validation.sarif"
    process = subprocess.run(
        [str(binary), "validate", "--rule-kind", "Sarif;Ghas", "--log", "ForceOverwrite", "-o", str(out), str(sarif)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"},
    )
    assert out.is_file(), process.stdout + process.stderr
    results = json.loads(out.read_text(encoding="utf-8-sig"))["runs"][0].get("results", [])
    return [r for r in results if r.get("level", "warning") in ("error", "warning")]


def test_sarif_of_the_readme_example_passes_microsofts_validator(tmp_path: Path) -> None:
    binary = _validator()
    sarif = tmp_path / "example.sarif"
    assert run_cli("check", str(EXAMPLE), "--format", "sarif", "--output", str(sarif), cwd=REPO).code == 1
    problems = _validate(binary, sarif, tmp_path)
    assert problems == [], json.dumps(problems, indent=1)[:4000]


def test_sarif_with_suppressions_and_waivers_passes_microsofts_validator(tmp_path: Path) -> None:
    from ci_helpers import document

    binary = _validator()
    text = document().replace("    versions:", "    # tlslint: ignore[TLS-PROTO-001] meter until 2027\n    versions:")
    repo = make_repo(tmp_path / "repo", {"tls.yaml": text, "bad.yaml": "apiVersion: tlslint/v1\nkind: [\n"})
    (repo / "w.yaml").write_text(
        "waivers:\n"
        "  - {rule: TLS-CIPHER-003, justification: old meter until 2027, approver: jane, expires: 2020-01-01}\n"
        "  - {rule: TLS-CIPHER-003, justification: old meter until 2027, approver: jane, expires: 2099-01-01}\n",
        encoding="utf-8",
    )
    sarif = tmp_path / "s.sarif"
    args = ("check", ".", "--format", "sarif", "--sarif-include-suppressed", "--waivers", "w.yaml", "-o", str(sarif))
    assert run_cli(*args, cwd=repo).code == 3
    problems = _validate(binary, sarif, tmp_path)
    assert problems == [], json.dumps(problems, indent=1)[:4000]


def test_the_validator_test_can_fail(tmp_path: Path) -> None:
    """A SARIF file with known defects must be rejected, or the tests above prove nothing."""
    binary = _validator()
    _, log = _sarif(str(EXAMPLE))
    run = log["runs"][0]
    del run["tool"]["driver"]["rules"][0]["shortDescription"]
    run["results"][0]["ruleIndex"] = 10_000
    sarif = tmp_path / "broken.sarif"
    sarif.write_text(json.dumps(log), encoding="utf-8")
    rules = {problem["ruleId"] for problem in _validate(binary, sarif, tmp_path)}
    assert {"SARIF1009", "GH2012"} <= rules, rules
