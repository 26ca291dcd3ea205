"""No input gives exit 4 (issue 10, item 9): a directive with a missing or wrong argument, a file name
that is not UTF-8, a rule parameter of the wrong type are the user's problem, reported as such."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hostile.harness import assert_survived, run_limited

from tlslint.sources.apache import config as apache_config

#: Every on/off directive the nginx builder reads (``Builder.flag``), with each prefix it uses.
NGINX_FLAGS = (
    "ssl",
    "ssl_prefer_server_ciphers",
    "ssl_session_tickets",
    "ssl_stapling",
    "ssl_early_data",
    "proxy_ssl",
    *(f"{prefix}_{name}" for prefix in ("proxy", "grpc", "uwsgi") for name in ("ssl_verify", "ssl_server_name")),
    "proxy_ssl_session_reuse",
)
NGINX_GOOD = "http {\n  server {\n    listen 443 ssl;\n    ssl_protocols TLSv1.2;\n  }\n}\n"


def _errors(outcome, path: str) -> dict[int, str]:
    """Line -> message of the error diagnostics for ``path`` (the one-line form on stderr)."""
    found = {}
    for line in outcome.err.splitlines():
        match = re.match(rf"tlslint: {re.escape(path)}:(\d+)(?::\d+)?: (.*)", line)
        if match:
            found[int(match[1])] = match[2]
    return found


def _other_file_still_linted(outcome) -> None:
    section = outcome.out.partition("good/nginx.conf\n")[2].partition("\n\n")[0]
    assert "TLS-PROTO-002" in section, outcome.out[-1500:]


def _with_good_neighbour(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "nginx.conf").write_text(NGINX_GOOD)


@pytest.mark.parametrize("argument", ["maybe", ""])
def test_nginx_on_off_directives_with_another_word_or_none(tmp_path: Path, argument: str) -> None:
    _with_good_neighbour(tmp_path)
    body = "".join(f"    {name} {argument};\n" for name in NGINX_FLAGS)
    (tmp_path / "bad").mkdir()
    server = f"    listen 443 ssl;\n    ssl_session_cache;\n{body}    proxy_pass https://up;\n"
    (tmp_path / "bad" / "nginx.conf").write_text(f"http {{\n  server {{\n{server}  }}\n}}\n")
    outcome = run_limited("check", ".", cwd=tmp_path)
    assert_survived(outcome)
    assert outcome.code == 3
    errors = _errors(outcome, "bad/nginx.conf")
    assert 4 in errors  # ssl_session_cache without its argument
    for line, name in enumerate(NGINX_FLAGS, start=5):
        assert line in errors and name in errors[line], (name, errors)
    _other_file_still_linted(outcome)


def test_apache_directives_with_a_missing_argument(tmp_path: Path) -> None:
    """Every directive whose arguments httpd checks and tlslint reads, written without its argument."""
    _with_good_neighbour(tmp_path)
    names = sorted({*apache_config._ARITY, *apache_config._FLAGS} - {"listen"})
    body = "".join(f"  {name}\n" for name in names)
    (tmp_path / "apache2.conf").write_text(
        f"Listen 443\nSSLEngine on\n<VirtualHost *:443>\n  SSLEngine on\n{body}</VirtualHost>\n"
    )
    outcome = run_limited("check", ".", cwd=tmp_path)
    assert_survived(outcome)
    assert outcome.code == 3
    errors = _errors(outcome, "apache2.conf")
    for line, name in enumerate(names, start=5):
        assert line in errors and "httpd refuses to start" in errors[line], (name, errors)
    _other_file_still_linted(outcome)


def test_apache_flags_with_another_word(tmp_path: Path) -> None:
    _with_good_neighbour(tmp_path)
    names = sorted(apache_config._FLAGS)
    body = "".join(f"  {name} yes\n" for name in names)
    (tmp_path / "apache2.conf").write_text(f"Listen 443\n<VirtualHost *:443>\n  SSLEngine on\n{body}</VirtualHost>\n")
    outcome = run_limited("check", ".", cwd=tmp_path)
    assert_survived(outcome)
    errors = _errors(outcome, "apache2.conf")
    assert all("must be On or Off" in errors.get(line, "") for line in range(4, 4 + len(names))), errors


FORMATS = (("check", "table"), ("check", "json"), ("check", "sarif"), ("check", "junit"), ("check", "github"))


@pytest.mark.parametrize(("command", "fmt"), [*FORMATS, ("inspect", "table"), ("inspect", "json")])
def test_a_file_name_that_is_not_utf8(tmp_path: Path, command: str, fmt: str) -> None:
    (tmp_path / ".git").mkdir()
    name = b"caf\xe9.conf"
    os.makedirs(os.path.join(os.fsencode(tmp_path), b"d\xff"), exist_ok=True)
    with open(os.path.join(os.fsencode(tmp_path), b"d\xff", name), "w") as handle:
        handle.write(NGINX_GOOD)
    outcome = run_limited(command, "--format", fmt, ".", cwd=tmp_path)
    assert_survived(outcome)
    assert outcome.code in (0, 1), outcome.err
    if fmt in ("json", "sarif"):
        document = json.loads(outcome.out)
    if fmt == "sarif":
        uris = {a["location"]["uri"] for a in document["runs"][0]["artifacts"]}
        assert "d%FF/caf%E9.conf" in uris
    elif fmt == "json":  # the name keeps its undecodable bytes as \xNN text, never dropped
        assert any("caf\\xe9.conf" in text for text in _strings(document))
    else:  # shown with its undecodable bytes escaped (\xNN, as docs/security.md says), never dropped
        assert "caf\\xe9.conf" in outcome.out


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in _strings(value)]
    if isinstance(node, list):
        return [text for value in node for text in _strings(value)]
    return []


def test_rule_parameter_of_the_wrong_type_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".tlslint.yaml").write_text("fail-on: high\nparams:\n  min_rsa_bits: [3072]\n")
    (tmp_path / "nginx.conf").write_text(NGINX_GOOD)
    outcome = run_limited("check", ".", cwd=tmp_path)
    assert_survived(outcome)
    assert outcome.code == 2
    assert re.search(r"\.tlslint\.yaml:3:\d+: parameter 'min_rsa_bits' of \S+ must be of type int", outcome.err)


def test_rule_parameter_of_the_wrong_type_in_a_policy_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "strict.yaml").write_text(
        "id: strict\nedition: '1'\ntitle: Strict\nextends: secure-defaults\nparams: {min_rsa_bits: 'big'}\n"
    )
    (tmp_path / "nginx.conf").write_text(NGINX_GOOD)
    outcome = run_limited("check", "--policy", "strict.yaml", ".", cwd=tmp_path)
    assert_survived(outcome)
    assert outcome.code == 2 and "strict.yaml" in outcome.err and "must be of type int" in outcome.err


def test_inspect_json_with_values_left_to_the_system_policy(tmp_path: Path) -> None:
    """Found by the fuzzer: protocols left to the system crypto policy are unknown (None), and the
    JSON ``effective`` block iterated over them."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "nginx.conf").write_text(
        "http {\n  server {\n    listen 443 ssl;\n    ssl_ciphers PROFILE=SYSTEM;\n  }\n}\n"
    )
    outcome = run_limited("inspect", "--format", "json", ".", cwd=tmp_path)
    assert_survived(outcome)
    endpoints = json.loads(outcome.out)["endpoints"]
    assert endpoints and endpoints[0]["effective"]["protocols"] is None
