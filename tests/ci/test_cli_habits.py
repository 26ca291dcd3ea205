"""What users of ruff, zizmor and hadolint reach for: rule selection, several reports per run, colour
switches, case-insensitive options and usage errors that name the right help."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLE, REPO, run_cli


def _rule_ids(result) -> set[str]:
    return {finding["rule_id"] for finding in result.json()["findings"]}


def _check_json(*extra: str):
    result = run_cli("check", str(EXAMPLE), "--format", "json", *extra, cwd=REPO)
    assert result.code in (0, 1), result.err
    return result


def test_select_by_prefix_keeps_only_those_rules():
    everything = _rule_ids(_check_json())
    selected = _rule_ids(_check_json("--select", "TLS-PROTO"))
    assert selected == {rule for rule in everything if rule.startswith("TLS-PROTO")}
    assert selected  # the example has a TLS-PROTO finding, so the filter is really exercised


def test_ignore_removes_rules_and_packs():
    everything = _rule_ids(_check_json())
    assert "TLS-PROTO-001" in everything
    assert "TLS-PROTO-001" not in _rule_ids(_check_json("--ignore", "TLS-PROTO-001"))
    without_core = _check_json("--ignore", "core")
    rules = without_core.json()
    assert rules["summary"]["rules"] < _check_json().json()["summary"]["rules"]


def test_extend_select_adds_to_the_policy_and_select_comma_lists():
    narrowed = _rule_ids(_check_json("--select", "TLS-PROTO-001,TLS-TRUST-001"))
    assert narrowed == {"TLS-PROTO-001", "TLS-TRUST-001"}
    widened = _rule_ids(_check_json("--select", "TLS-PROTO-001", "--extend-select", "TLS-TRUST-001"))
    assert widened == narrowed


def test_a_selector_that_matches_nothing_is_a_usage_error():
    result = run_cli("check", str(EXAMPLE), "--select", "TLS-NOSUCH", cwd=REPO)
    assert result.code == 2
    assert "TLS-NOSUCH" in result.err and "Traceback" not in result.err


def test_min_confidence_drops_less_confident_rules():
    from tlslint.rules.explain import all_rules

    low = {rule.id for rule in all_rules() if rule.confidence != "high"}
    assert low, "no rule below high confidence: the test would prove nothing"
    found = _rule_ids(_check_json("--min-confidence", "high"))
    assert not found & low


def test_selection_from_the_configuration_file(tmp_path):
    (tmp_path / ".git").mkdir()
    config = tmp_path / ".tlslint.yaml"
    config.write_text("select: [TLS-PROTO]\n")
    target = tmp_path / "example.yaml"
    target.write_bytes((EXAMPLE / "tls-configuration.yaml").read_bytes())
    result = run_cli("check", str(target), "--format", "json", cwd=tmp_path)
    assert _rule_ids(result) == {"TLS-PROTO-001"}
    shown = run_cli("config", "show", cwd=tmp_path)
    assert 'select: ["TLS-PROTO"]' in shown.out


def test_several_reports_in_one_run(tmp_path):
    sarif, report = tmp_path / "out.sarif", tmp_path / "out.json"
    result = run_cli(
        "check", str(EXAMPLE), "--format", "table", "--format", f"sarif:{sarif}", "--format", f"json:{report}"
    )
    assert result.code == 1
    assert "findings (" in result.out  # the table on the console
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert json.loads(report.read_text())["findings"]


def test_output_keeps_the_console_table_unless_quiet(tmp_path):
    sarif = tmp_path / "out.sarif"
    loud = run_cli("check", str(EXAMPLE), "--format", "sarif", "--output", str(sarif))
    assert "findings (" in loud.out and sarif.exists()
    quiet = run_cli("check", str(EXAMPLE), "--format", "sarif", "--output", str(sarif), "-q")
    assert quiet.out == ""
    assert quiet.code == loud.code == 1


def test_two_reports_on_standard_output_are_refused():
    result = run_cli("check", str(EXAMPLE), "--format", "json", "--format", "sarif")
    assert result.code == 2 and "FORMAT:FILE" in result.err


@pytest.mark.parametrize("option", [("--fail-on", "HIGH"), ("--format", "JSON"), ("--color", "NEVER")])
def test_enum_options_are_case_insensitive(option):
    result = run_cli("check", str(EXAMPLE), *option, cwd=REPO)
    assert result.code == 1, result.err


def test_color_follows_the_flag_and_no_color(monkeypatch):
    from tlslint.commands._outputs import use_color

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert use_color("auto", Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color("auto", Tty()) is False
    assert use_color("always", Tty()) is True
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert use_color("auto", object()) is True
    assert use_color("never", Tty()) is False


def test_always_colours_the_table():
    coloured = run_cli("check", str(EXAMPLE), "--color", "always")
    plain = run_cli("check", str(EXAMPLE), "--color", "never")
    assert "\033[" in coloured.out and "\033[" not in plain.out


def test_table_width_follows_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    wide = run_cli("check", str(EXAMPLE))
    monkeypatch.setenv("COLUMNS", "80")
    narrow = run_cli("check", str(EXAMPLE))
    # The summary line is one sentence, not a table row: only the rows wrap.
    assert max(map(len, wide.out.splitlines()[:-1])) > 150
    assert max(map(len, narrow.out.splitlines()[:-1])) <= 80


def test_verbose_lists_files_read():
    result = run_cli("check", str(EXAMPLE), "-v")
    assert "as document" in result.err or " as " in result.err


def test_usage_errors_name_the_right_help():
    top = run_cli("--bogus")
    assert "'tlslint --help'" in top.err and "tlslint tlslint" not in top.err
    sub = run_cli("check", "--bogus")
    assert "'tlslint check --help'" in sub.err


def test_every_check_format_has_help():
    help_text = run_cli("check", "--help").out
    for name in ("table", "json", "sarif", "junit", "github"):
        assert f"{name}:" in help_text


def test_rules_lists_what_check_applies(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".tlslint.yaml").write_text("disable: [TLS-PROTO-002]\nseverity: {TLS-CONN-002: low}\n")
    listed = run_cli("rules", "--format", "json", cwd=tmp_path).json()
    by_id = {rule["id"]: rule for rule in listed["rules"]}
    assert "TLS-PROTO-002" not in by_id and listed["disabled"] == ["TLS-PROTO-002"]
    assert by_id["TLS-CONN-002"]["severity"] == "low" and by_id["TLS-CONN-002"]["severity_overridden"]
    assert by_id["TLSLINT-SUPPRESS-001"]["pack"] == "built-in"
    # --select cannot bring back a rule the configuration disables
    selected = run_cli("rules", "--format", "json", "--select", "TLS-PROTO", cwd=tmp_path).json()
    assert {rule["id"] for rule in selected["rules"] if rule["pack"] != "built-in"} == {
        "TLS-PROTO-001",
        "TLS-PROTO-003",
    }
    # and check evaluates exactly those rules
    target = tmp_path / "example.yaml"
    target.write_bytes((EXAMPLE / "tls-configuration.yaml").read_bytes())
    checked = run_cli("check", "example.yaml", "--format", "json", "--select", "TLS-PROTO", cwd=tmp_path).json()
    assert checked["summary"]["rules"] == 2


def test_explain_knows_every_rule_id_an_output_can_contain():
    from tlslint.rules.explain import all_rules

    for rule in all_rules():
        result = run_cli("explain", rule.id)
        assert result.code == 0 and result.out.startswith(f"# {rule.id}"), rule.id


def test_version_names_policy_packs_and_libraries():
    from conftest import run_subprocess

    result = run_subprocess("--version")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("tlslint ")
    assert lines[1].startswith("default policy: secure-defaults@")
    assert all(f"{pack} " in lines[2] for pack in ("core", "pki", "servers", "device", "ocpp"))
    assert "OpenSSL" in result.out and "cryptography " in result.out and "nginx-crossplane " in result.out


def test_json_paths_are_repository_relative_whatever_the_working_directory(tmp_path):
    from ci_helpers import document, make_repo

    repo = make_repo(tmp_path / "repo", {"config/tls.yaml": document()})
    inside = run_cli("check", "tls.yaml", "--format", "json", cwd=repo / "config").json()
    outside = run_cli("check", str(repo / "config" / "tls.yaml"), "--format", "json", cwd=tmp_path).json()
    for data in (inside, outside):
        assert {f["location"]["path"] for f in data["findings"]} == {"config/tls.yaml"}
        assert [f["path"] for f in data["files"]] == ["config/tls.yaml"]
    assert inside["findings"][0]["location"]["spelled_path"] == "tls.yaml"
    assert [f["fingerprint"] for f in inside["findings"]] == [f["fingerprint"] for f in outside["findings"]]


def test_messages_show_durations_and_limits_as_people_write_them(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "t.yaml").write_text(
        "apiVersion: tlslint/v1\nkind: TLSConfiguration\nendpoints:\n  - id: meter\n    role: client\n"
        "    purpose: other\n    targets: [{id: a, url: 'https://x.example/'}]\n"
        "    connection: {timeouts: {connect: 300s, handshake: 0s}, retry: {maxRetries: -1}}\n"
    )
    messages = {
        f["rule_id"]: f["message"]
        for f in run_cli("check", "t.yaml", "--format", "json", cwd=tmp_path).json()["findings"]
    }
    assert "connect timeout 300 s;" in messages["TLS-CONN-001"]
    assert "handshake timeout none;" in messages["TLS-CONN-002"]
    assert "(maxRetries: no limit)" in messages["TLS-CONN-003"]
    assert not any(token in text for text in messages.values() for token in ("300.0", " 0.0", "-1"))


def _stdin(monkeypatch, text: str) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


def test_stdin_stands_for_the_named_file(tmp_path, monkeypatch):
    from ci_helpers import document, make_repo

    repo = make_repo(tmp_path / "repo", {"config/tls.yaml": document("TLSv1.2")})
    saved = run_cli("check", "config/tls.yaml", "--format", "json", cwd=repo).json()
    _stdin(monkeypatch, document())  # the unsaved buffer brings TLS 1.1 back
    buffered = run_cli("check", "-", "--stdin-filename", "config/tls.yaml", "--format", "json", cwd=repo).json()
    assert not [f for f in saved["findings"] if f["rule_id"] == "TLS-PROTO-001"]
    (finding,) = [f for f in buffered["findings"] if f["rule_id"] == "TLS-PROTO-001"]
    assert finding["location"]["path"] == "config/tls.yaml"
    assert (repo / "config" / "tls.yaml").read_text() == document("TLSv1.2")  # nothing written to disk


def test_stdin_for_a_file_not_yet_on_disk_with_a_declared_type(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    _stdin(monkeypatch, "server { listen 443 ssl; ssl_protocols TLSv1 TLSv1.2; }\n")
    result = run_cli(
        "check", "-", "--stdin-filename", "new-site", "--type", "new-site=nginx", "--format", "json", cwd=tmp_path
    )
    assert result.code == 1, result.err
    assert {f["location"]["path"] for f in result.json()["findings"]} == {"new-site"}


def test_stdin_needs_a_file_name_and_stands_alone(monkeypatch):
    _stdin(monkeypatch, "")
    assert run_cli("check", "-").code == 2
    assert run_cli("check", "-", "other.conf", "--stdin-filename", "x.conf").code == 2
