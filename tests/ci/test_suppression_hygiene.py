"""Suppressions that no longer mean anything are reported, like ruff's RUF100: unused inline ignores,
waivers naming unknown rules or matching nothing, waivers about to expire, stale baseline entries."""

from __future__ import annotations

from ci_helpers import by_rule, document, make_repo

from conftest import run_cli


def _check(repo, *args: str) -> dict:
    result = run_cli("check", ".", "--format", "json", "--at", "2026-12-01", *args, cwd=repo)
    assert result.code in (0, 1), result.err
    return result.json()


def test_an_inline_ignore_that_suppresses_nothing_is_reported(tmp_path):
    text = document("TLSv1.2").replace(
        "    versions:", "    # tlslint: ignore[TLS-PROTO-001] meter needs TLS 1.1 until 2027\n    versions:"
    )
    data = _check(make_repo(tmp_path / "r", {"tls.yaml": text}))
    (unused,) = by_rule(data, "TLSLINT-SUPPRESS-003")
    assert "TLS-PROTO-001" in unused["message"] and unused["location"]["line"] == 5


def test_a_used_inline_ignore_is_not_reported(tmp_path):
    text = document().replace(
        "    versions:", "    # tlslint: ignore[TLS-PROTO-001] meter needs TLS 1.1 until 2027\n    versions:"
    )
    data = _check(make_repo(tmp_path / "r", {"tls.yaml": text}))
    assert not by_rule(data, "TLSLINT-SUPPRESS-003")
    assert all(f["suppressed"] for f in by_rule(data, "TLS-PROTO-001"))


def test_an_ignore_for_a_rule_this_run_did_not_evaluate_is_not_judged(tmp_path):
    text = document("TLSv1.2").replace(
        "    versions:", "    # tlslint: ignore[TLS-PROTO-001] meter needs TLS 1.1 until 2027\n    versions:"
    )
    data = _check(make_repo(tmp_path / "r", {"tls.yaml": text}), "--ignore", "TLS-PROTO-001")
    assert not by_rule(data, "TLSLINT-SUPPRESS-003")


def test_a_short_reason_counts_as_none(tmp_path):
    text = document().replace("    versions:", "    # tlslint: ignore[TLS-PROTO-001] ok\n    versions:")
    data = _check(make_repo(tmp_path / "r", {"tls.yaml": text}))
    assert by_rule(data, "TLSLINT-SUPPRESS-001")
    assert not any(f["suppressed"] for f in by_rule(data, "TLS-PROTO-001"))


def test_ignore_file_suppresses_the_rule_everywhere_in_the_file(tmp_path):
    text = "# tlslint: ignore-file[TLS-PROTO-001] lab meter simulator, never shipped\n" + document()
    data = _check(make_repo(tmp_path / "r", {"tls.yaml": text}))
    assert by_rule(data, "TLS-PROTO-001") and all(f["suppressed"] for f in by_rule(data, "TLS-PROTO-001"))
    assert not by_rule(data, "TLSLINT-SUPPRESS-003")


def _waivers(repo, body: str) -> str:
    (repo / "w.yaml").write_text("waivers:\n" + body, encoding="utf-8")
    return "w.yaml"


def test_waiver_hygiene(tmp_path):
    repo = make_repo(tmp_path / "r", {"config/tls.yaml": document(), "other/tls.yaml": document("TLSv1.2")})
    waivers = _waivers(
        repo,
        "  - {id: W1, rule: TLS-PROTO-01, justification: typo in the rule id, approver: jane, expires: 2027-06-30}\n"
        "  - {id: W2, rule: TLS-PROTO-001, path: 'other/**', justification: nothing there any more, approver: jane,"
        " expires: 2027-06-30}\n"
        "  - {id: W3, rule: TLS-PROTO-001, path: 'config/**', justification: meter until the refresh, approver: jane,"
        " expires: 2026-12-20}\n",
    )
    data = _check(repo, "--waivers", waivers)
    assert [f["message"].split()[1] for f in by_rule(data, "TLSLINT-WAIVER-002")] == ["W1"]
    assert [f["message"].split()[1] for f in by_rule(data, "TLSLINT-WAIVER-003")] == ["W2"]
    (soon,) = by_rule(data, "TLSLINT-WAIVER-004")
    assert "W3" in soon["message"] and "19 days" in soon["message"]
    assert all(f["suppressed"] for f in by_rule(data, "TLS-PROTO-001"))


def test_a_partial_run_does_not_call_waivers_for_unread_files_stale(tmp_path):
    repo = make_repo(tmp_path / "r", {"config/tls.yaml": document(), "other/tls.yaml": document()})
    waivers = _waivers(
        repo,
        "  - {id: W2, rule: TLS-PROTO-001, path: 'other/**', justification: meter until the refresh, approver: jane,"
        " expires: 2027-06-30}\n",
    )
    result = run_cli("check", "config/tls.yaml", "--format", "json", "--waivers", waivers, cwd=repo)
    assert not by_rule(result.json(), "TLSLINT-WAIVER-003")


def test_stale_baseline_entries_are_reported_for_files_read(tmp_path):
    repo = make_repo(tmp_path / "r", {"config/tls.yaml": document()})
    assert run_cli("baseline", "create", ".", "-o", "baseline.json", cwd=repo).code == 0
    (repo / "config" / "tls.yaml").write_text(document("TLSv1.2"), encoding="utf-8")
    data = _check(repo, "--baseline", "baseline.json")
    stale = by_rule(data, "TLSLINT-BASELINE-001")
    assert stale and all("config/tls.yaml" in f["message"] for f in stale)
    assert any("TLS-PROTO-001" in f["message"] for f in stale)


def test_a_comment_anywhere_in_an_nginx_server_block_covers_findings_about_the_server(tmp_path):
    repo = make_repo(
        tmp_path / "r",
        {
            "nginx.conf": "http {\n    server {\n        listen 443 ssl;\n        server_name shop.example;\n"
            "        # tlslint: ignore[NGINX-TOKENS-001] version banner needed by the legacy probe\n"
            "        ssl_protocols TLSv1.2 TLSv1.3;\n    }\n    server {\n        listen 8443 ssl;\n"
            "        ssl_protocols TLSv1.2 TLSv1.3;\n    }\n}\n"
        },
    )
    data = _check(repo)
    tokens = {f["location"]["line"]: f["suppressed"] for f in by_rule(data, "NGINX-TOKENS-001")}
    assert tokens == {3: True, 9: False}  # the other server block is not covered
    assert not by_rule(data, "TLSLINT-SUPPRESS-003")
    # a finding at a value written on its own line is not covered by a comment elsewhere in the block
    assert not any(f["suppressed"] for f in data["findings"] if f["rule_id"] != "NGINX-TOKENS-001")
