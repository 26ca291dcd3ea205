"""Configurations nginx refuses get nginx's error, not an endpoint built from what is left (issue 11,
item 12); an endpoint that can negotiate nothing gets a diagnostic, not findings about an empty offer."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

SERVER = """\
events {{}}
http {{
    server {{
        listen 443 ssl{listen};
        server_name example.com;
        ssl_certificate /etc/ssl/a.crt;
        ssl_certificate_key /etc/ssl/a.key;
{body}
    }}
}}
"""


def _check(tmp_path: Path, *, listen: str = "", body: str = "") -> dict:
    (tmp_path / "nginx.conf").write_text(SERVER.format(listen=listen, body=body))
    return run_cli("check", "nginx.conf", "--format", "json", cwd=tmp_path).json()


def test_unknown_listen_parameter_is_nginx_s_error(tmp_path: Path) -> None:
    report = _check(tmp_path, listen=" foo")
    assert report["summary"]["exit_code"] == 3 and report["findings"] == []
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["message"] == 'nginx refuses to start: invalid parameter "foo" in listen'
    assert diagnostic["location"]["line"] == 4


def test_known_listen_parameters_are_accepted(tmp_path: Path) -> None:
    report = _check(tmp_path, listen=" default_server reuseport backlog=511 ipv6only=on so_keepalive=on")
    assert report["diagnostics"] == [] and report["summary"]["exit_code"] in (0, 1)


def test_a_missing_semicolon_is_an_error_and_no_endpoint(tmp_path: Path) -> None:
    """``ssl_ciphers HIGH:!aNULL`` without its ``;`` swallows ``ssl_protocols TLSv1.2``: nginx refuses the
    file, and tlslint reports no offer built from the cipher string's first argument."""
    report = _check(tmp_path, body="        ssl_ciphers HIGH:!aNULL\n        ssl_protocols TLSv1.2;")
    assert report["summary"]["exit_code"] == 3 and report["findings"] == []
    assert [d["severity"] for d in report["diagnostics"]] == ["error"]
    assert "ssl_ciphers" in report["diagnostics"][0]["message"]


def test_nothing_negotiable_is_a_diagnostic_not_a_finding(tmp_path: Path) -> None:
    report = _check(tmp_path, body="        ssl_protocols TLSv1 TLSv1.1;\n        ssl_session_tickets off;")
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["severity"] == "warning" and "every handshake fails" in diagnostic["message"]
    rules = sorted(f["rule_id"] for f in report["findings"])
    # What the file asks for is still reported; nothing is said about an offer that cannot happen.
    assert "TLS-PROTO-003" in rules and "TLS-PROTO-002" not in rules


def test_a_group_list_no_openssl_takes_stops_nginx(tmp_path: Path) -> None:
    report = _check(tmp_path, body="        ssl_ecdh_curve X25519:bogus;")
    assert report["summary"]["exit_code"] == 3 and report["findings"] == []
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["message"] == "nginx refuses to start: ssl_ecdh_curve: OpenSSL knows no group 'bogus'"
    assert diagnostic["location"]["line"] == 8


def test_a_group_list_only_the_assumed_openssl_rejects_is_a_warning(tmp_path: Path) -> None:
    """X25519MLKEM768 is OpenSSL 3.5's; with the version assumed (3.0), tlslint warns and keeps judging the
    endpoint, whose groups are the ones written."""
    (tmp_path / "nginx.conf").write_text(SERVER.format(listen="", body="        ssl_ecdh_curve X25519MLKEM768;"))
    report = run_cli("check", "nginx.conf", "--format", "json", cwd=tmp_path).json()
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["severity"] == "warning"
    assert diagnostic["message"].startswith(
        "ssl_ecdh_curve: OpenSSL 3.0 knows no group 'X25519MLKEM768'; with OpenSSL 3.0, the version assumed, "
        "nginx refuses to start"
    )
    assert report["summary"]["exit_code"] != 3 and report["findings"]
    inspected = run_cli("inspect", "nginx.conf", "--format", "json", cwd=tmp_path).json()
    (endpoint,) = [e for e in inspected["endpoints"] if e["id"].startswith("nginx:server")]
    assert endpoint["settings"]["groups"]["value"] == ["X25519MLKEM768"]
    told = run_cli(
        "check", "nginx.conf", "--format", "json", "--engine-version", "openssl=3.0.19", cwd=tmp_path
    ).json()  # the version given: certain
    assert [d["message"] for d in told["diagnostics"]] == [
        "nginx refuses to start: ssl_ecdh_curve: OpenSSL 3.0.19 knows no group 'X25519MLKEM768'"
    ]
    later = run_cli("check", "nginx.conf", "--format", "json", "--engine-version", "openssl=3.5", cwd=tmp_path).json()
    assert later["diagnostics"] == []  # not modelled for 3.5: nothing said either way


def test_a_cipher_string_openssl_rejects_stops_nginx(tmp_path: Path) -> None:
    """``ssl_ciphers BOGUS``: SSL_CTX_set_cipher_list fails and nginx stops (nginx -t, in
    test_servers_live.py). One error and no endpoint — before, the error came with a warning that every
    handshake fails and findings about a server that never starts."""
    report = _check(tmp_path, body="        ssl_ciphers BOGUS;")
    assert report["summary"]["exit_code"] == 3 and report["findings"] == []
    assert [(d["severity"], d["message"]) for d in report["diagnostics"]] == [
        ("error", "nginx refuses to start: no cipher matches 'BOGUS'")
    ]


def test_an_ssl_conf_command_openssl_rejects_leaves_no_endpoint(tmp_path: Path) -> None:
    """nginx stops on any ``ssl_conf_command`` OpenSSL rejects: its error, and nothing judged of a server
    that never starts."""
    report = _check(tmp_path, body="        ssl_conf_command MinProtocol tlsv1.2;")
    assert report["summary"]["exit_code"] == 3 and report["findings"] == []
    assert [d["severity"] for d in report["diagnostics"]] == ["error"]


def test_a_proxy_cipher_string_openssl_rejects_leaves_no_client_endpoint(tmp_path: Path) -> None:
    """``proxy_ssl_ciphers BOGUS`` stops nginx too (nginx -t: SSL_CTX_set_cipher_list failed): the error,
    and no client endpoint built from what is left (before: one without an offer)."""
    body = "        location / { proxy_pass https://backend; proxy_ssl_ciphers BOGUS; }"
    (tmp_path / "nginx.conf").write_text(SERVER.format(listen="", body=body))
    report = run_cli("check", "nginx.conf", "--format", "json", cwd=tmp_path).json()
    assert [(d["severity"], d["message"]) for d in report["diagnostics"]] == [
        ("error", "nginx refuses to start: no cipher matches 'BOGUS'")
    ]
    inspected = run_cli("inspect", "nginx.conf", "--format", "json", cwd=tmp_path).json()
    assert [e["role"] for e in inspected["endpoints"] if e["id"].startswith("nginx:")] == ["server"]
