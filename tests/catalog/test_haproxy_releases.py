"""HAProxy keywords by release (``tlslint.catalog.haproxy_keywords``): a keyword the release does not know
stops HAProxy — an error when the version was given, a warning when it was assumed — and a keyword it
knows is read, with as many arguments as HAProxy takes. ``tests/engines/test_haproxy_keywords.py``
holds the tables against the real ``haproxy``."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tlslint.catalog.haproxy_keywords import Keywords

from conftest import run_cli

#: The shape of a post-quantum-era HAProxy setup (global server-side curves, per-server lists), which
#: HAProxy 2.9 and later accept and 2.6 refuses.
NEWER_SHAPE = """\
global
    ssl-default-bind-options ssl-min-ver TLSv1.2
    ssl-default-bind-sigalgs ECDSA+SHA256:RSA-PSS+SHA256
    ssl-default-server-curves X25519:P-384
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 10s
frontend fe
    bind 127.0.0.1:8443 ssl crt /nonexistent.pem
    default_backend be
backend be
    server app 10.0.0.5:443 ssl verify required ca-file ca.pem sni str(app) curves P-256 sigalgs RSA+SHA1
"""


def _check(config: Path, *args: str) -> dict:
    result = run_cli("check", str(config), "--format", "json", *args)
    assert result.code in (0, 1, 3), result.err  # 3: an input error (HAProxy would not start)
    return result.json()


def _settings(config: Path, *args: str) -> dict[str, dict]:
    result = run_cli("inspect", str(config), "--format", "json", *args)
    assert result.code == 0, result.err
    return {endpoint["id"]: endpoint["settings"] for endpoint in result.json()["endpoints"]}


def test_a_keyword_of_a_later_release_is_an_error_with_the_version_given_and_a_warning_when_assumed() -> None:
    assert Keywords("bind", "2.8.3", True).problem("sigalgs") is None
    assert Keywords("bind", "2.6.12", True).problem("sigalgs") == (
        "error",
        "HAProxy 2.6.12 does not know 'sigalgs' (added in 2.8)",
    )
    severity, said = Keywords("server", "2.6.12", False).problem("curves")  # type: ignore[misc]
    assert severity == "warning"
    assert "the version assumed" in said and "added in 2.9" in said and "--engine-version haproxy=" in said
    assert Keywords("global", "2.6", True).problem("ssl-default-server-curves") is not None
    assert Keywords("global", "3.0", True).problem("ssl-default-server-curves") is None


def test_a_keyword_no_release_knows_is_an_error_unless_the_version_is_newer_than_the_tables() -> None:
    # a misspelling is certain; a name like no other may be a newer release's
    assert Keywords("bind", "2.6", False).problem("no-tlsv1") == (
        "error",
        "unknown keyword 'no-tlsv1' (did you mean no-tlsv10?)",
    )
    assert Keywords("bind", "2.6", True).problem("frobnicate") == ("error", "unknown keyword 'frobnicate'")
    severity, said = Keywords("bind", "2.6", False).problem("frobnicate")  # type: ignore[misc]
    assert severity == "warning" and "a newer release may know it" in said
    assert Keywords("server", "3.0", True).problem("Verify") == (
        "error",
        "unknown keyword 'Verify' (keywords are lower case)",
    )
    severity, said = Keywords("bind", "9.9", True).problem("frobnicate")  # type: ignore[misc]
    assert severity == "warning" and "up to 3." in said and "HAProxy 9.9 refuses to start unless it added it" in said


def test_arguments_are_haproxys_own_counts() -> None:
    bind = Keywords("bind", "2.6", False)
    assert bind.arguments("crt") == 1
    assert bind.arguments("strict-sni") == 0
    assert bind.arguments("frobnicate") is None
    assert Keywords("server", "2.6", False).arguments("source") == -1


def test_with_the_assumed_2_6_newer_keywords_are_warned_about_and_not_read(tmp_path: Path) -> None:
    config = tmp_path / "haproxy.cfg"
    config.write_text(NEWER_SHAPE, encoding="utf-8")
    diagnostics = [(d["severity"], d["location"]["line"], d["message"]) for d in _check(config)["diagnostics"]]
    said = {(line, message.split("'")[1]) for severity, line, message in diagnostics if "does not know" in message}
    assert said == {(3, "ssl-default-bind-sigalgs"), (4, "ssl-default-server-curves"), (14, "curves"), (14, "sigalgs")}
    assert all(severity == "warning" for severity, _, message in diagnostics if "does not know" in message)
    server = _settings(config)["haproxy:server[be/app]"]
    assert "signature_algorithms" not in server and "groups" not in server


def test_with_a_release_that_knows_them_server_curves_and_sigalgs_are_read(tmp_path: Path) -> None:
    config = tmp_path / "haproxy.cfg"
    config.write_text(NEWER_SHAPE, encoding="utf-8")
    report = _check(config, "--engine-version", "haproxy=3.0")
    assert not [d for d in report["diagnostics"] if "does not know" in d["message"]]
    endpoints = _settings(config, "--engine-version", "haproxy=3.0")
    server, bind = endpoints["haproxy:server[be/app]"], endpoints["haproxy:bind[fe:127.0.0.1:8443]"]
    assert server["groups"]["value"] == ["secp256r1"]  # the line's own list over ssl-default-server-curves
    assert server["groups"]["location"]["line"] == 14
    assert server["signature_algorithms"]["value"] == ["rsa_pkcs1_sha1"]
    assert bind["signature_algorithms"]["value"] == ["ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256"]
    assert bind["signature_algorithms"]["origin"] == "inherited"
    # RSA+SHA1 on the server line: the SHA-1 signature rule now sees it, at the word that names it
    weak = [f for f in report["findings"] if f["field"] == "signature_algorithms"]
    assert [(f["subject"]["ids"], f["location"]["line"]) for f in weak] == [(["haproxy:server[be/app]"], 14)]


def test_a_list_openssl_rejects_stops_haproxy(tmp_path: Path) -> None:
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        NEWER_SHAPE.replace("RSA+SHA1", "RSA+SHA256:rsa_pkcs1_sha256")
        .replace("X25519:P-384", "X25519:bogus")  # the server's own list is gone: this one applies
        .replace(" curves P-256", ""),
        encoding="utf-8",
    )
    report = _check(config, "--engine-version", "haproxy=3.0", "--engine-version", "openssl=3.0")
    errors = sorted((d["location"]["line"], d["message"]) for d in report["diagnostics"] if d["severity"] == "error")
    assert [line for line, _ in errors] == [4, 14]
    assert errors[0][1].startswith("HAProxy refuses to start: curves:")
    assert errors[1][1].startswith("HAProxy refuses to start: sigalgs:")


def test_unknown_keywords_stop_haproxy_on_any_line_and_arguments_are_not_keywords(tmp_path: Path) -> None:
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        textwrap.dedent(
            """\
            global
                ssl-default-bind-cipher HIGH
            defaults
                mode tcp
                timeout connect 5s
                timeout client 5s
                timeout server 5s
            frontend plain
                bind :80 no-tlsv1
                default_backend be
            backend be
                server a 10.0.0.1:443 ssl verify none source 10.0.0.9 usesrc client ca-file ssl
                server b 10.0.0.2:443 ssl verify none weight 10 frobnicate 1 no-such-thing
            """
        ),
        encoding="utf-8",
    )
    report = _check(config, "--engine-version", "haproxy=2.6")
    said = sorted((d["location"]["line"], d["message"]) for d in report["diagnostics"] if d["severity"] == "error")
    assert said == [
        (
            2,
            "HAProxy refuses to start: unknown keyword 'ssl-default-bind-cipher' "
            "(did you mean ssl-default-bind-ciphers?)",
        ),
        (9, "HAProxy refuses to start: unknown keyword 'no-tlsv1' (did you mean no-tlsv10?)"),
        # only the first unknown keyword of a line: its arguments cannot be told from what follows
        (13, "HAProxy refuses to start: unknown keyword 'frobnicate'"),
    ]


def test_a_server_speaks_tls_by_its_ssl_keyword_not_by_a_word_ssl(tmp_path: Path) -> None:
    """``no-ssl`` takes back a default-server's ``ssl`` (a plain server beside TLS ones), and ``ssl`` as the
    argument of another keyword is no ``ssl`` keyword: as ``haproxy -c`` reads them (2.6)."""
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        textwrap.dedent(
            """\
            defaults tls
                mode tcp
                timeout connect 5s
                timeout client 5s
                timeout server 5s
                default-server ssl verify none
            backend be
                server tls 10.0.0.1:443
                server plain 10.0.0.2:80 no-ssl
            defaults plain
                mode tcp
                timeout connect 5s
                timeout client 5s
                timeout server 5s
            backend be2
                server arg 10.0.0.3:80 crt ssl
            """
        ),
        encoding="utf-8",
    )
    assert list(_settings(config)) == ["haproxy:server[be/tls]"]
