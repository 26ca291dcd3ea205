"""Details of the server sources that decide whether a finding is real: HAProxy timeouts (inherited
from `defaults`, bare numbers in milliseconds) and Apache's ServerName as the endpoint's name."""

from __future__ import annotations

import textwrap
from pathlib import Path

from conftest import run_cli


def settings_by_id(path: Path) -> dict[str, dict]:
    result = run_cli("inspect", str(path), "--format", "json")
    assert result.code == 0, result.err
    return {endpoint["id"]: endpoint["settings"] for endpoint in result.json()["endpoints"]}


def test_haproxy_timeouts_are_inherited_from_defaults_and_read_in_milliseconds(tmp_path: Path) -> None:
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        textwrap.dedent(
            """\
            defaults
                timeout connect 5s
                timeout client 30000
                timeout server 1m
            frontend fe
                bind 127.0.0.1:8443 ssl crt /nonexistent.pem
                timeout client-hs 10s
                default_backend be
            backend be
                server app 10.0.0.5:443 ssl verify required ca-file ca.pem verifyhost app.example
            """
        ),
        encoding="utf-8",
    )
    endpoints = settings_by_id(config)
    bind = endpoints["haproxy:bind[fe:127.0.0.1:8443]"]
    assert bind["connection.timeouts.idle"]["value"] == 30.0
    assert bind["connection.timeouts.idle"]["origin"] == "inherited"
    assert bind["connection.timeouts.idle"]["location"]["line"] == 3
    assert bind["connection.timeouts.handshake"] == {
        "value": 10.0,
        "origin": "explicit",
        "location": {"path": str(config), "line": 7, "column": 23, "end_line": 7, "end_column": 26},
    }
    server = endpoints["haproxy:server[be/app]"]
    assert server["connection.timeouts.connect"]["value"] == 5.0
    assert server["connection.timeouts.idle"]["value"] == 60.0
    assert server["trust.store_files"]["value"] == [str(tmp_path / "ca.pem")]
    findings = run_cli("check", str(config), "--format", "json").json()["findings"]
    assert not [f for f in findings if f["rule_id"] in ("TLS-CONN-001", "TLS-CONN-002")]


def test_haproxy_without_timeouts_is_still_reported(tmp_path: Path) -> None:
    config = tmp_path / "haproxy.cfg"
    config.write_text("frontend fe\n    bind 127.0.0.1:8443 ssl crt /nonexistent.pem\n", encoding="utf-8")
    findings = run_cli("check", str(config), "--format", "json").json()["findings"]
    assert "TLS-CONN-002" in {f["rule_id"] for f in findings}


def test_apache_server_name_is_the_endpoint_name(tmp_path: Path) -> None:
    config = tmp_path / "httpd.conf"
    config.write_text(
        "Listen 443\n<VirtualHost *:443>\n    ServerName https://csms.example.net:443\n"
        "    SSLEngine on\n</VirtualHost>\n",
        encoding="utf-8",
    )
    name = settings_by_id(config)["apache:vhost[*:443]"]["server_name"]
    assert name["value"] == "csms.example.net"
    assert name["location"]["line"] == 3
