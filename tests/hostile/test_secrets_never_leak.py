"""Secrets never leave the machine: a tree with a secret planted in every source type, in tlslint's
own environment and in files outside the tree, linted in every output format — none of them may
carry a planted secret, the diagnostics on stderr included (issue 10, items 1–3)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hostile.harness import SECRET_MARKER, assert_survived, run_limited
from hostile.planted import SECRET_ENV, plant

FORMATS = (
    ("check", "table"),
    ("check", "json"),
    ("check", "sarif"),
    ("check", "junit"),
    ("check", "github"),
    ("check", "gitlab"),
    ("inspect", "table"),
    ("inspect", "json"),
)


def _private_key_pem() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _key_fragments(pem: bytes) -> list[str]:
    """Every 16-character run of the key's base64 body: none may appear in any output."""
    body = "".join(line for line in pem.decode().splitlines() if not line.startswith("-----"))
    return [body[i : i + 16] for i in range(0, len(body) - 16, 8)]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    base = tmp_path_factory.mktemp("planted")
    tree = base / "repo"
    plant(tree, base / "outside")
    pem = _private_key_pem()
    (tree / "keys").mkdir()
    (tree / "keys" / "server.key").write_bytes(pem)
    # The same key referenced from outside the tree as well: its body must not travel either.
    (base / "outside" / "client.key").write_bytes(pem)
    return tree, _key_fragments(pem)


@pytest.mark.parametrize(("command", "fmt"), FORMATS, ids=[f"{c}-{f}" for c, f in FORMATS])
def test_no_planted_secret_in_any_format(planted: tuple[Path, list[str]], command: str, fmt: str) -> None:
    tree, key_fragments = planted
    outcome = run_limited(command, ".", "--format", fmt, cwd=tree, env={SECRET_ENV: SECRET_MARKER})
    assert_survived(outcome, secrets=(SECRET_MARKER, *key_fragments))
    assert outcome.code in (0, 1, 3), outcome.err[-2000:]
    if command == "check":
        # The findings are still there: the run did not go quiet to keep the secrets in.
        assert "TLS-VERIFY-001" in outcome.out
        assert "TLS-SECRET-001" in outcome.out


def test_credentials_are_reported_as_inline_secrets(planted: tuple[Path, list[str]]) -> None:
    """Every URL with user-info becomes a TLS-SECRET-001 finding at the URL, with the user-info gone;
    so does every password written as a curl, wget or libcurl option."""
    tree, _ = planted
    outcome = run_limited("check", ".", "--format", "json", cwd=tree)
    assert_survived(outcome)
    findings = json.loads(outcome.out)["findings"]
    at = {(f["location"]["path"], f["location"].get("line")) for f in findings if f["rule_id"] == "TLS-SECRET-001"}
    expected = {
        ("tls-configuration.yaml", 14),  # document target URL
        ("nginx/nginx.conf", 11),  # proxy_pass
        ("kestrel/appsettings.json", 2),  # Kestrel Url
        ("scripts/fetch.sh", 3),  # curl URL argument
        ("scripts/fetch.sh", 5),  # wget URL argument
        ("home/.curlrc", 3),  # .curlrc url =
        ("src/client.c", 6),  # CURLOPT_URL
        ("ocpp/component_config/standardized/InternalCtrlr.json", 6),  # libocpp ocppCsmsUrl
        # Passwords written as options: curl -u/--cert FILE:PASS/--pass, wget --password, .curlrc user =,
        # .wgetrc password =, CURLOPT_USERPWD, CURLOPT_KEYPASSWD.
        ("scripts/fetch.sh", 2),
        ("scripts/fetch.sh", 4),
        ("home/.curlrc", 2),
        ("home/.wgetrc", 2),
        ("src/client.c", 7),
        ("src/client.c", 9),
    }
    assert expected <= at, sorted(expected - at)
    proxies = {i for f in findings for i in f["subject"]["ids"] if i.startswith("nginx:proxy[")}
    assert proxies and all(i.startswith("nginx:proxy[backend.example:8443]") for i in proxies), proxies
    shown = run_limited("inspect", "nginx/nginx.conf", "--format", "json", cwd=tree)
    assert_survived(shown)
    assert "https://***@backend.example:8443" in shown.out  # the URL stays, without its user-info


def test_environment_is_never_read(planted: tuple[Path, list[str]]) -> None:
    """openssl.cnf ``$ENV::NAME``: unknown, not expanded from tlslint's environment, and said so."""
    tree, _ = planted
    outcome = run_limited("inspect", "openssl/openssl.cnf", cwd=tree, env={SECRET_ENV: "HIGH:!aNULL"})
    assert_survived(outcome, secrets=("HIGH:!aNULL",))
    assert re.search(r"openssl\.cnf:9: CipherString depends on the environment", outcome.err), outcome.err


def test_files_outside_the_tree_are_not_read_unless_allowed(planted: tuple[Path, list[str]]) -> None:
    tree, _ = planted
    outside = tree.parent / "outside"
    outcome = run_limited("check", ".", "--format", "json", cwd=tree)
    assert_survived(outcome)
    refused = {
        (d["location"]["path"], d["location"].get("line"))
        for d in json.loads(outcome.out)["diagnostics"]
        if "is outside the scanned tree" in d["message"]
    }
    # At the directive that names the file: the includes and the referenced certificate and key.
    expected = {("nginx/nginx.conf", 3), ("apache/httpd.conf", 2), ("openssl/openssl.cnf", 2)}
    expected |= {("nginx/nginx.conf", 8), ("kestrel/appsettings.json", 4)}
    assert expected <= refused, sorted(refused)
    # Allowed: the included files are read — and still never quoted (line numbers only).
    allowed = run_limited("check", ".", "--format", "json", "--allow-read", str(outside), cwd=tree)
    assert_survived(allowed)
    assert "is outside the scanned tree" not in allowed.out
    assert "not a 'name = value' line" in allowed.out


def test_a_symlink_out_of_the_tree_is_not_followed(tmp_path: Path) -> None:
    tree = tmp_path / "repo"
    (tree / ".git").mkdir(parents=True)
    secret = tmp_path / "netrc.conf"
    secret.write_text(f"server {{ listen 443 ssl; ssl_protocols {SECRET_MARKER}; }}\n")
    (tree / "nginx.conf").symlink_to(secret)
    outcome = run_limited("check", ".", "--format", "json", cwd=tree)
    assert_survived(outcome)
    assert "is outside the scanned tree" in outcome.out


def test_credentials_only_when_written_literally(tmp_path: Path) -> None:
    """Precision: a password taken from a variable, a user name alone, a certificate without a
    password or a Windows path is not an inline secret."""
    import datetime

    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    (tmp_path / "get.sh").write_text(
        "#!/bin/sh\n"
        'curl -u "$FW_USER:$FW_PASS" --cert client.pem --cert "C:\\\\certs\\\\c.pem" https://fw.example/a\n'
        'curl -u deploy --pass "$KEYPASS" --cert pkcs11:token=fw https://fw.example/b\n'
        'wget --password="$PASS" --http-password "${HTTP_PASS}" https://fw.example/c\n'
    )
    (tmp_path / "get.c").write_text(
        "#include <curl/curl.h>\nvoid f(CURL *c, const char *pw) {\n"
        "    curl_easy_setopt(c, CURLOPT_USERPWD, pw);\n"
        '    curl_easy_setopt(c, CURLOPT_USERPWD, "deploy:");\n'
        '    curl_easy_setopt(c, CURLOPT_URL, "https://fw.example/d");\n}\n'
    )
    parsed = parse_inputs([str(tmp_path)], ParseContext(at=datetime.date(2026, 12, 1)))
    assert [s.id for s in parsed.subjects if s.kind == "secret"] == []


def test_an_included_key_is_never_quoted(tmp_path: Path) -> None:
    """A private key in the tree that a configuration includes as if it were configuration: the
    parsers' complaints about its lines name the line, never its text (every format)."""
    tree = tmp_path / "repo"
    (tree / ".git").mkdir(parents=True)
    pem = _private_key_pem()
    rsa = _rsa_key_pem()
    for name, key in (("ec.key", pem), ("rsa.key", rsa)):
        (tree / name).write_bytes(key)
    (tree / "nginx.conf").write_text("events {}\nhttp {\n  include ec.key;\n  include rsa.key;\n}\n")
    (tree / "httpd.conf").write_text(f'ServerRoot "{tree}"\nInclude ec.key\nInclude rsa.key\n')
    (tree / "openssl.cnf").write_text(
        "openssl_conf = init\n[init]\nssl_conf = s\n[s]\nsystem_default = d\n[d]\n.include ec.key\n.include rsa.key\n"
    )
    fragments = (*_key_fragments(pem), *_key_fragments(rsa))
    for fmt in ("table", "json", "sarif", "junit", "github", "gitlab"):
        outcome = run_limited("check", "nginx.conf", "httpd.conf", "openssl.cnf", "--format", fmt, cwd=tree)
        assert_survived(outcome, secrets=fragments)
    # Shorter runs than 16 characters: the tail of each key's last line (after the padding split).
    tails = [key.decode().splitlines()[-2].rstrip("=")[-8:] for key in (pem, rsa)]
    outcome = run_limited("check", "openssl.cnf", "--format", "json", cwd=tree)
    assert_survived(outcome, secrets=tuple(tails))


def _rsa_key_pem() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pkcs1 = serialization.PrivateFormat.TraditionalOpenSSL
    return key.private_bytes(serialization.Encoding.PEM, pkcs1, serialization.NoEncryption())
