"""The engine versions behind a run's effective values: printed in every report format, settable in
``.tlslint.yaml``, accepted by ``baseline create``, and checked (an unknown engine is exit 2)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import run_cli

NGINX = """\
events {}
http {
    server {
        listen 443 ssl;
        server_name legacy.example.com;
        ssl_certificate /etc/ssl/a.crt;
        ssl_certificate_key /etc/ssl/a.key;
        ssl_protocols TLSv1 TLSv1.2;
        ssl_session_tickets off;
    }
}
"""


def _tree(tmp_path: Path, config: str | None = None) -> Path:
    (tmp_path / "nginx.conf").write_text(NGINX)
    if config is not None:
        (tmp_path / ".tlslint.yaml").write_text(config)
    return tmp_path


def test_every_format_states_the_assumed_versions(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    table = run_cli("check", "nginx.conf", cwd=tree)
    assert table.out.splitlines()[-1].endswith(
        "; engines nginx 1.22.1 (assumed), openssl 3.0 (assumed) (--engine-version to set)"
    )
    document = run_cli("check", "nginx.conf", "--format", "json", cwd=tree).json()
    assert document["engines"] == [
        {"name": "nginx", "version": "1.22.1", "assumed": True},
        {"name": "openssl", "version": "3.0", "assumed": True},
    ]
    sarif = json.loads(run_cli("check", "nginx.conf", "--format", "sarif", cwd=tree).out)
    assert sarif["runs"][0]["properties"]["tlslint/engines"] == document["engines"]
    junit = ET.fromstring(run_cli("check", "nginx.conf", "--format", "junit", cwd=tree).out)
    properties = {p.get("name"): p.get("value") for p in junit.iter("property")}
    assert properties["engine_nginx"] == "nginx 1.22.1 (assumed)"
    github = run_cli("check", "nginx.conf", "--format", "github", cwd=tree).out
    assert "engines nginx 1.22.1 (assumed), openssl 3.0 (assumed)" in github.splitlines()[-1]


def test_given_versions_are_not_called_assumed(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    out = run_cli("check", "nginx.conf", "--engine-version", "nginx=1.24.0,openssl=3.0", cwd=tree).out
    assert out.splitlines()[-1].endswith("; engines nginx 1.24.0, openssl 3.0")


def test_a_document_without_engines_has_no_engine_line() -> None:
    from conftest import EXAMPLE

    document = run_cli("check", str(EXAMPLE), "--format", "json").json()
    assert document["engines"] == []


def test_legacy_version_written_is_reported_under_the_assumption(tmp_path: Path) -> None:
    """OpenSSL 3.0 at level 1 refuses TLS 1.0, yet the file asks for it: TLS-PROTO-003 says so and names
    the assumption; with OpenSSL 1.1.1 TLS 1.0 is negotiable and TLS-PROTO-001 reports it instead."""
    tree = _tree(tmp_path)
    assumed = run_cli("check", "nginx.conf", "--format", "json", cwd=tree).json()
    (finding,) = [f for f in assumed["findings"] if f["rule_id"] in ("TLS-PROTO-001", "TLS-PROTO-003")]
    assert finding["rule_id"] == "TLS-PROTO-003"
    assert finding["location"]["line"] == 8
    assert "the assumed OpenSSL 3.0 at security level 1 does not negotiate it" in finding["message"]
    old = run_cli("check", "nginx.conf", "--format", "json", "--engine-version", "openssl=1.1.1", cwd=tree).json()
    rules = {f["rule_id"] for f in old["findings"]}
    assert "TLS-PROTO-001" in rules and "TLS-PROTO-003" not in rules


def test_engine_version_in_the_configuration_file(tmp_path: Path) -> None:
    tree = _tree(tmp_path, 'engine-version:\n  nginx: "1.24.0"\n  openssl: "1.1.1"\n')
    out = run_cli("check", "nginx.conf", cwd=tree).out
    assert out.splitlines()[-1].endswith("; engines nginx 1.24.0, openssl 1.1.1")
    shown = run_cli("config", "show", cwd=tree).out
    assert 'engine-version: {"nginx": "1.24.0", "openssl": "1.1.1"}  # .tlslint.yaml:1' in shown
    # The command line wins, engine by engine.
    out = run_cli("check", "nginx.conf", "--engine-version", "openssl=3.0", cwd=tree).out
    assert out.splitlines()[-1].endswith("; engines nginx 1.24.0, openssl 3.0")


def test_baseline_create_accepts_engine_version(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    assumed = run_cli("baseline", "create", "nginx.conf", "-o", "a.json", cwd=tree)
    given = run_cli("baseline", "create", "nginx.conf", "-o", "b.json", "--engine-version", "openssl=1.1.1", cwd=tree)
    assert assumed.code == given.code == 0, assumed.err + given.err
    rules_a = {e["rule_id"] for e in json.loads((tree / "a.json").read_text())["findings"]}
    rules_b = {e["rule_id"] for e in json.loads((tree / "b.json").read_text())["findings"]}
    assert "TLS-PROTO-003" in rules_a and "TLS-PROTO-001" in rules_b


def test_unknown_engine_is_a_usage_error(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    result = run_cli("check", "nginx.conf", "--engine-version", "ngnix=1.22.1", cwd=tree)
    assert result.code == 2 and "unknown engine 'ngnix'" in result.err
    result = run_cli("baseline", "create", "nginx.conf", "--engine-version", "apache2=2.4", cwd=tree)
    assert result.code == 2
    _tree(tmp_path, 'engine-version:\n  ngnix: "1.22.1"\n')
    result = run_cli("check", "nginx.conf", cwd=tree)
    assert result.code == 2 and ".tlslint.yaml:1" in result.err and "unknown engine 'ngnix'" in result.err
