"""Inline suppressions, waivers, baselines and the built-in rules that report on them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from ci_helpers import by_rule, document, make_repo
from jsonschema import Draft202012Validator

from conftest import REPO, run_cli

REASON = "legacy meter needs TLS 1.1 until 2027-06"


def _with_comment(comment: str, *, above: bool) -> str:
    lines = document().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "versions:" in line)
    if above:
        lines.insert(index, f"    {comment}\n")
    else:
        lines[index] = lines[index].rstrip("\n") + f"  {comment}\n"
    return "".join(lines)


def _check(repo: Path, *args: str):
    result = run_cli("check", ".", "--format", "json", *args, cwd=repo)
    data = result.json()
    schema = yaml.safe_load((REPO / "schemas" / "check-output.schema.yaml").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(data)
    return result.code, data


@pytest.mark.parametrize("above", [True, False], ids=["line-above", "same-line"])
def test_inline_suppression_with_reason(tmp_path: Path, above: bool) -> None:
    text = _with_comment(f"# tlslint: ignore[TLS-PROTO-001] {REASON}", above=above)
    repo = make_repo(tmp_path / "r", {"tls.yaml": text})
    code, data = _check(repo)
    (finding,) = by_rule(data, "TLS-PROTO-001")
    assert finding["suppressed"] is True
    assert finding["suppression"]["kind"] == "inline"
    assert finding["suppression"]["reason"] == REASON
    assert data["summary"]["suppressed"] == 1 and data["summary"]["suppressed_by_kind"]["inline"] == 1
    assert data["summary"]["findings"] == len([f for f in data["findings"] if not f["suppressed"]])
    assert code == 1  # TLS-CIPHER-003 is still there
    table = run_cli("check", ".", cwd=repo).out
    assert "TLS-PROTO-001" not in table and "1 suppressed (1 inline)" in table


def test_suppression_only_covers_the_named_rule_and_the_next_line(tmp_path: Path) -> None:
    text = document().replace(
        "kind: TLSConfiguration\n", f"kind: TLSConfiguration\n# tlslint: ignore[TLS-PROTO-001] {REASON}\n"
    )
    repo = make_repo(tmp_path / "r", {"tls.yaml": text})
    _, data = _check(repo)
    assert by_rule(data, "TLS-PROTO-001")[0]["suppressed"] is False
    text = _with_comment(f"# tlslint: ignore[TLS-PROTO-002] {REASON}", above=True)
    repo = make_repo(tmp_path / "r2", {"tls.yaml": text})
    _, data = _check(repo)
    assert by_rule(data, "TLS-PROTO-001")[0]["suppressed"] is False


def test_suppression_without_reason_is_reported_and_does_not_suppress(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"tls.yaml": _with_comment("# tlslint: ignore[TLS-PROTO-001]", above=True)})
    code, data = _check(repo)
    assert by_rule(data, "TLS-PROTO-001")[0]["suppressed"] is False
    (meta,) = by_rule(data, "TLSLINT-SUPPRESS-001")
    assert meta["location"]["line"] == 5 and meta["severity"] == "medium"
    assert code == 1


def test_suppression_of_an_unknown_rule_is_reported(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r", {"tls.yaml": _with_comment(f"# tlslint: ignore[TLS-PROTO-01] {REASON}", above=True)}
    )
    _, data = _check(repo)
    assert by_rule(data, "TLS-PROTO-001")[0]["suppressed"] is False
    assert "TLS-PROTO-01" in by_rule(data, "TLSLINT-SUPPRESS-002")[0]["message"]


def test_no_inline_suppressions_for_auditors(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r", {"tls.yaml": _with_comment(f"# tlslint: ignore[TLS-PROTO-001] {REASON}", above=True)}
    )
    _, data = _check(repo, "--no-inline-suppressions")
    assert by_rule(data, "TLS-PROTO-001")[0]["suppressed"] is False
    assert data["summary"]["suppressed"] == 0


@pytest.mark.parametrize(
    ("filename", "line", "rules", "reason"),
    [
        (
            "nginx.conf",
            "    ssl_protocols TLSv1.1;  # tlslint: ignore[TLS-PROTO-001] old meter",
            ("TLS-PROTO-001",),
            "old meter",
        ),
        (
            "openssl.cnf",
            "MinProtocol = TLSv1.1 ; tlslint: ignore[TLS-PROTO-001] old meter",
            ("TLS-PROTO-001",),
            "old meter",
        ),
        (
            "tls.c",
            "  SSL_CTX_set_min_proto_version(ctx, TLS1_1_VERSION); // tlslint: ignore[TLS-PROTO-001,TLS-PROTO-002] x",
            ("TLS-PROTO-001", "TLS-PROTO-002"),
            "x",
        ),
        (
            "tls.c",
            "  /* tlslint: ignore[TLS-PROTO-001] old meter */ SSL_CTX_set_min_proto_version(ctx, 0);",
            ("TLS-PROTO-001",),
            "old meter",
        ),
        ("Web.config", "<!-- tlslint: ignore[TLS-PROTO-001] old meter -->", ("TLS-PROTO-001",), "old meter"),
    ],
)
def test_comment_styles_by_file_type(filename: str, line: str, rules: tuple[str, ...], reason: str) -> None:
    from tlslint.suppress import comment_style, scan_line

    found = scan_line(filename, 7, line, comment_style(filename))
    assert found is not None
    assert found.rules == rules and found.reason == reason
    assert found.location.line == 7 and line[found.location.column - 1 :].startswith("tlslint:")


def test_markers_outside_comments_are_not_suppressions() -> None:
    from tlslint.suppress import comment_style, scan_line

    assert scan_line("a.yaml", 1, 'url: "http://x/#tlslint: ignore[TLS-PROTO-001] no"', comment_style("a.yaml")) is None
    assert scan_line("a.json", 1, '"x": "# tlslint: ignore[TLS-PROTO-001] no"', comment_style("a.json")) is None
    assert scan_line("a.c", 1, 'url = "https://tlslint: ignore[TLS-PROTO-001]";', comment_style("a.c")) is None


def _waivers(repo: Path, expires: str, **match: str) -> Path:
    entry = {
        "id": "W-7",
        **match,
        "justification": "meter firmware cannot do better until 2027",
        "approver": "jane",
        "expires": expires,
    }
    path = repo / ".tlslint-waivers.yaml"
    path.write_text(yaml.safe_dump({"waivers": [entry]}, sort_keys=False), encoding="utf-8")
    return path


def test_waiver_by_rule_and_path_suppresses_until_it_expires(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    _waivers(repo, "2026-06-30", rule="TLS-PROTO-001", path="config/*.yaml")
    args = ("--waivers", ".tlslint-waivers.yaml")
    _, data = _check(repo, *args, "--at", "2026-06-30")
    (finding,) = by_rule(data, "TLS-PROTO-001")
    assert finding["suppression"] == {
        "kind": "waiver",
        "reason": "meter firmware cannot do better until 2027",
        "location": finding["suppression"]["location"],
        "approver": "jane",
        "expires": "2026-06-30",
        "waiver_id": "W-7",
    }
    assert not by_rule(data, "TLSLINT-WAIVER-001")
    # The day after it expires it no longer suppresses, and is itself reported.
    _, data = _check(repo, *args, "--at", "2026-07-01")
    assert by_rule(data, "TLS-PROTO-001")[0]["suppressed"] is False
    (expired,) = by_rule(data, "TLSLINT-WAIVER-001")
    assert expired["location"]["path"].endswith(".tlslint-waivers.yaml") and expired["location"]["line"] == 2
    assert "W-7" in expired["message"] and "2026-06-30" in expired["message"]


def test_waiver_by_fingerprint(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    _, data = _check(repo)
    fingerprint = by_rule(data, "TLS-CIPHER-003")[0]["fingerprint"]
    _waivers(repo, "2099-01-01", fingerprint=fingerprint)
    _, data = _check(repo, "--waivers", ".tlslint-waivers.yaml")
    assert by_rule(data, "TLS-CIPHER-003")[0]["suppression"]["kind"] == "waiver"
    assert by_rule(data, "TLS-PROTO-001")[0]["suppressed"] is False


def test_invalid_waiver_file_is_a_one_line_setup_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    (repo / "w.yaml").write_text(
        "waivers:\n  - rule: TLS-PROTO-001\n    justification: because we can\n    expires: 2027-01-01\n"
    )
    result = run_cli("check", ".", "--waivers", "w.yaml", cwd=repo)
    assert result.code == 2
    assert (
        result.err.strip()
        == "tlslint: w.yaml:2:5: invalid waiver file: waivers[0] is missing the required key 'approver'"
    )


def test_baseline_create_then_only_new_findings_fail(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    created = run_cli("baseline", "create", ".", "-o", "baseline.json", cwd=repo)
    assert created.code == 0, created.err
    baseline = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    assert {e["rule_id"] for e in baseline["findings"]} >= {"TLS-PROTO-001", "TLS-CIPHER-003"}
    code, data = _check(repo, "--baseline", "baseline.json")
    assert code == 0 and data["summary"]["findings"] == 0
    assert data["summary"]["suppressed_by_kind"]["baseline"] == data["summary"]["suppressed"] > 0
    # A copy of the same bad file elsewhere is new: the baseline does not absorb it.
    (repo / "other").mkdir()
    (repo / "other" / "tls.yaml").write_text(document(), encoding="utf-8")
    code, data = _check(repo, "--baseline", "baseline.json")
    assert code == 1
    assert {f["location"]["path"] for f in data["findings"] if not f["suppressed"]} == {"other/tls.yaml"}
    shown = run_cli("baseline", "show", "baseline.json", cwd=repo)
    assert shown.code == 0 and "TLS-PROTO-001" in shown.out


def test_broken_baseline_is_a_one_line_setup_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    (repo / "b.json").write_text("{\n  oops\n}\n")
    result = run_cli("check", ".", "--baseline", "b.json", cwd=repo)
    assert result.code == 2
    assert result.err.startswith("tlslint: b.json:2:3: baseline is not valid JSON") and result.err.count("\n") == 1


def test_builtin_rules_are_explained() -> None:
    from tlslint.builtin_rules import builtin_rules
    from tlslint.rules.explain import explain

    for rule in builtin_rules():
        text = explain(rule)
        assert rule.id in text and "## How to fix it" in text
