"""Recognition cannot be steered, and no file passes silently (issue 10 item 4, issue 11 item 11).

The whole file decides (not its first 64 KiB); between several candidate sources the one whose syntax
the file parses in wins, and an undecidable file says so; server configurations are recognised by
content whatever their name; a user can declare a file's type; every file named on the command line
is read or gets a diagnostic."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from layouts import make_repo, write_tree

from conftest import run_cli

PADDING = "# " + "x" * 98 + "\n"  # 100 bytes of comment per line
LONG = PADDING * 700  # 70 KB: more than the 64 KiB a sniff of the beginning would see

NGINX_SITE = """\
server {
    listen 443 ssl;
    server_name gitlab.example.org;
    ssl_protocols TLSv1 TLSv1.2;
}
"""
HAPROXY = """\
global
    log /dev/log local0
    ssl-default-bind-ciphers ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend www
    bind :443 ssl crt /etc/haproxy/site.pem
    default_backend app
backend app
    server app1 10.0.0.1:8080 check
"""


def check(*args: str, cwd: Path) -> dict:
    result = run_cli("check", *args, "--format", "json", "--fail-on", "never", cwd=cwd)
    assert result.code in (0, 3), result.err
    return result.json()


def sources(data: dict) -> dict[str, str]:
    return {f["path"]: f["source"] for f in data["files"]}


def rules_in(data: dict, path: str) -> set[str]:
    return {f["rule_id"] for f in data["findings"] if f["location"]["path"] == path}


def warnings(data: dict) -> dict[str, str]:
    return {d["location"]["path"]: d["message"] for d in data["diagnostics"] if d["severity"] == "warning"}


@pytest.mark.parametrize(
    ("name", "text", "rule"),
    [
        ("site.conf", LONG + NGINX_SITE, "TLS-PROTO-002"),
        ("fetch.sh", LONG + "curl -k https://csms.example.org/firmware.bin\n", "TLS-VERIFY-001"),
        (
            "upload.c",
            "/*\n" + LONG.replace("#", " *") + " */\n"
            "void f(CURL *c) { curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L); }\n",
            "TLS-VERIFY-001",
        ),
    ],
)
def test_tls_content_after_64_kib_is_read(tmp_path: Path, name: str, text: str, rule: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    for run in (check(name, cwd=tmp_path), check(".", cwd=tmp_path)):
        assert name in sources(run)
        assert rules_in(run, name), run["diagnostics"]
    assert rule in rules_in(check(name, cwd=tmp_path), name) or rule == "TLS-VERIFY-001"


def test_nginx_file_with_apache_words_inside_a_quoted_string_stays_nginx(tmp_path: Path) -> None:
    text = textwrap.dedent("""\
        server {
            listen 443 ssl;
            ssl_protocols TLSv1 TLSv1.2;
            location /help {
                return 200 "To seed mod_ssl, add
        SSLRandomSeed startup builtin
        SSLProtocol all
        to httpd.conf";
            }
        }
    """)
    (tmp_path / "help.conf").write_text(text, encoding="utf-8")
    data = check("help.conf", cwd=tmp_path)
    assert sources(data) == {"help.conf": "nginx"}
    assert "TLS-PROTO-002" in rules_in(data, "help.conf")
    assert not warnings(data)  # decided by parsing: not ambiguous


def test_a_file_no_candidate_parses_is_read_with_a_warning_that_says_so(tmp_path: Path) -> None:
    (tmp_path / "mixed.conf").write_text("listen 443 ssl;\nSSLProtocol all\n", encoding="utf-8")
    data = check("mixed.conf", cwd=tmp_path)
    message = warnings(data)["mixed.conf"]
    assert "apache and nginx" in message and "--type" in message


@pytest.mark.parametrize("name", ["lb.conf", "server.conf", "haproxy.cfg", "edge/haproxy-prod.conf"])
def test_haproxy_configurations_are_recognised_by_content(tmp_path: Path, name: str) -> None:
    write_tree(tmp_path, {name: HAPROXY})
    data = check(name, cwd=tmp_path)
    assert sources(data) == {name: "haproxy"}
    assert data["findings"], "the HAProxy file was linted"


@pytest.mark.parametrize(
    "name", ["sites-available/default", "sites-available/gitlab-ssl", "nginx.conf.sample", "gitlab.conf.example"]
)
def test_nginx_site_files_without_a_telling_name_are_read(tmp_path: Path, name: str) -> None:
    write_tree(tmp_path, {name: NGINX_SITE})
    for args in ([name], ["."]):
        data = check(*args, cwd=tmp_path)
        assert sources(data) == {name: "nginx"}
        assert "TLS-PROTO-002" in rules_in(data, name)


def test_extensionless_files_that_are_not_configurations_stay_silent_in_a_directory(tmp_path: Path) -> None:
    write_tree(tmp_path, {"LICENSE": "Permission is hereby granted, free of charge\n", "bin/tool": ""})
    (tmp_path / "bin" / "tool").write_bytes(b"\x7fELF\x00\x00binary")
    data = check(".", cwd=tmp_path)
    assert not data["diagnostics"] and not data["files"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("LICENSE", "Permission is hereby granted, free of charge\n"),
        ("notes.txt", "nothing to see\n"),
        ("vhost.conf", "just prose in a .conf file\n"),
        ("docker-compose.yaml", "services:\n  web:\n    image: nginx\n"),
        ("package.json", '{"name": "app"}\n'),
    ],
)
def test_every_file_named_explicitly_is_read_or_gets_a_diagnostic(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    data = check(name, cwd=tmp_path)
    assert name in warnings(data) and "--type" in warnings(data)[name]


def test_declared_types_on_the_command_line_and_in_the_configuration(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write_tree(repo, {"deploy/edge.txt": NGINX_SITE, "deploy/balancer.txt": HAPROXY})
    # not recognised by name or content rules alone ...
    assert not check("deploy", cwd=repo)["files"]
    # ... but declared on the command line
    data = check("deploy", "--type", "deploy/edge.txt=nginx", "--type", "balancer.txt=haproxy", cwd=repo)
    assert sources(data) == {"deploy/balancer.txt": "haproxy", "deploy/edge.txt": "nginx"}
    assert "TLS-PROTO-002" in rules_in(data, "deploy/edge.txt")
    # ... or in .tlslint.yaml, shown by 'config show' with its source
    (repo / ".tlslint.yaml").write_text('types:\n  "deploy/*.txt": nginx\n', encoding="utf-8")
    assert sources(check("deploy/edge.txt", cwd=repo)) == {"deploy/edge.txt": "nginx"}
    shown = run_cli("config", "show", "--type", "balancer.txt=haproxy", cwd=repo).out
    assert '"deploy/*.txt": "nginx"' in shown and '"balancer.txt": "haproxy"' in shown and "# --type" in shown
    # the command line wins over the file: read as HAProxy, the nginx text is an HAProxy error
    data = check("deploy", "--type", "edge.txt=haproxy", cwd=repo)
    errors = [d for d in data["diagnostics"] if d["severity"] == "error"]
    assert [d["location"]["path"] for d in errors] == ["deploy/edge.txt"]
    assert "outside of any section" in errors[0]["message"]


def test_unknown_declared_source_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("check", ".", "--type", "*.txt=nginxx", cwd=tmp_path)
    assert result.code == 2 and "unknown source 'nginxx'" in result.err
    (tmp_path / ".tlslint.yaml").write_text("types: {'*.txt': nginxx}\n", encoding="utf-8")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.code == 2 and ".tlslint.yaml" in result.err


def test_config_schema_lists_every_source_name() -> None:
    from tlslint.schemas import CONFIG_SCHEMA, schema
    from tlslint.sources.registry import names

    assert schema(CONFIG_SCHEMA)["properties"]["types"]["additionalProperties"]["enum"] == names()


def test_a_private_key_after_a_long_preamble_is_found(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "notes.txt").write_bytes(LONG.encode() + key)
    for args in (["notes.txt"], ["."]):
        data = check(*args, cwd=tmp_path)
        assert sources(data) == {"notes.txt": "pki"}
        assert rules_in(data, "notes.txt")


def test_a_named_file_that_the_configuration_excludes_gets_a_diagnostic(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write_tree(repo, {".tlslint.yaml": 'exclude: ["legacy/**"]\n', "legacy/site.conf": NGINX_SITE})
    data = check("legacy/site.conf", cwd=repo)
    assert not data["findings"] and "excluded" in warnings(data)["legacy/site.conf"]
    assert not check(".", cwd=repo)["diagnostics"]  # a directory walk skips excluded files quietly
