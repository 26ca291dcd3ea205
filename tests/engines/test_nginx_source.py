"""The nginx and openssl.cnf sources without a live server: inheritance, includes, defaults per version,
endpoint anchors, the SSL_CONF grammar and the place every finding points at."""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pytest

from conftest import all_packs_policy, run_cli

AT = datetime.date(2026, 11, 24)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
    return root / next(iter(files))


def endpoints(path: Path, **versions: str) -> dict:
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    inputs = parse_inputs([str(path)], ParseContext(at=AT, engine_versions=dict(versions)))
    assert not [d for d in inputs.diagnostics if d.severity == "error"], inputs.diagnostics
    return {s.id: s for s in inputs.subjects if s.kind == "endpoint"}


MAIN = """\
    events {}
    http {
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_conf_command Ciphersuites TLS_AES_256_GCM_SHA384;
        include conf.d/*.conf;
    }
    stream {
        server {
            listen 127.0.0.1:5684 ssl;
            proxy_ssl on;
            proxy_pass 10.0.0.2:5684;
        }
    }
"""
SITE = """\
    server {
        listen 10.0.0.1:443 ssl default_server;
        listen [::]:443 ssl;
        server_name charger.example.com;
        ssl_conf_command Options ServerPreference;
        location /ocpp/ {
            proxy_pass https://csms_backend;
        }
    }
"""


def test_inheritance_includes_and_anchors(tmp_path: Path) -> None:
    main = write(tmp_path, {"nginx.conf": MAIN, "conf.d/site.conf": SITE})
    found = endpoints(main, nginx="1.22.1", openssl="3.0")
    assert set(found) == {
        "nginx:server[10.0.0.1:443 charger.example.com]",
        "nginx:server[[::]:443 charger.example.com]",
        "nginx:proxy[csms_backend]",
        "nginx:stream[127.0.0.1:5684]",
        "nginx:stream-proxy[10.0.0.2:5684]",
    }
    server = found["nginx:server[10.0.0.1:443 charger.example.com]"]
    assert server.value("bind.address") == "10.0.0.1" and server.value("bind.port") == 443
    protocols = server.get("protocols")
    assert protocols.value == ["TLSv1.2", "TLSv1.3"]
    assert str(protocols.origin) == "inherited" and protocols.location.line == 3
    # ssl_conf_command at server level replaces the http-level list entirely: default TLS 1.3 suites.
    assert server.value("cipher_suites.tls13") == [
        "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_GCM_SHA256",
    ]
    assert server.value("cipher_suites.prefer_server_order") is True
    assert server.get("cipher_suites.prefer_server_order").location.path.endswith("site.conf")
    # the stream server inherits nothing from http{}: nginx 1.22 defaults, TLS 1.0/1.1 refused by OpenSSL 3.0
    stream = found["nginx:stream[127.0.0.1:5684]"]
    assert stream.value("protocols") == ["TLSv1.2"]
    assert str(stream.get("protocols").origin) == "default"
    assert "nginx 1.22.1 default" in stream.get("protocols").note
    proxy = found["nginx:proxy[csms_backend]"]
    assert proxy.value("verify.peer") is False and proxy.value("sni.send") is False


def test_fragment_included_by_nearby_main_is_linted_through_it(tmp_path: Path) -> None:
    # In a repository, so the main file one level up is inside the tree tlslint may read.
    write(tmp_path, {"nginx.conf": MAIN, "conf.d/site.conf": SITE, ".git/HEAD": "ref: refs/heads/main\n"})
    # named alone (as a pre-commit hook does), the fragment is read through the main file: the same
    # endpoints, with the http{} settings they inherit, as the whole directory gives
    assert endpoints(tmp_path / "conf.d" / "site.conf").keys() == endpoints(tmp_path).keys() != set()
    alone = write(tmp_path / "other", {"site.conf": SITE})
    assert "nginx:server[10.0.0.1:443 charger.example.com]" in endpoints(alone)


@pytest.mark.parametrize(
    ("versions", "expected"),
    [
        ({"nginx": "1.22.1", "openssl": "3.0"}, ["TLSv1.2"]),
        ({"nginx": "1.24.0", "openssl": "3.0"}, ["TLSv1.2", "TLSv1.3"]),
        ({"nginx": "1.27.3", "openssl": "3.2"}, ["TLSv1.2", "TLSv1.3"]),
        ({"nginx": "1.18.0", "openssl": "1.1.1"}, ["TLSv1.0", "TLSv1.1", "TLSv1.2"]),
        ({"nginx": "1.24.0", "openssl": "1.1.1"}, ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]),
        ({}, ["TLSv1.2"]),  # assumed: nginx 1.22.1 with OpenSSL 3.0 (docs/engines/nginx.md)
    ],
)
def test_defaults_follow_engine_versions(tmp_path: Path, versions: dict, expected: list) -> None:
    conf = write(tmp_path, {"nginx.conf": "events {}\nhttp { server { listen 443 ssl; } }\n"})
    (server,) = endpoints(conf, **versions).values()
    assert server.value("protocols") == expected
    assert str(server.get("protocols").origin) == "default"


def test_finding_points_into_the_included_file() -> None:
    from tlslint.run import lint

    here = Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "servers" / "nginx-include" / "nginx.conf"
    result = lint([str(here)], all_packs_policy(), at=AT)
    (finding,) = [f for f in result.findings if f.rule_id == "TLS-PROTO-001"]
    assert finding.location.path.endswith("snippets/legacy-tls.conf")
    assert finding.location.line == 1


def test_openssl_cnf_system_default(tmp_path: Path) -> None:
    cnf = write(
        tmp_path,
        {
            "openssl.cnf": """\
                openssl_conf = init
                .include conf.d
                [init]
                ssl_conf = ssl_sect
                [ssl_sect]
                name = s
                system_default = ${ssl_sect::name}d
            """,
            "conf.d/policy.cnf": """\
                [sd]
                TLS.MinProtocol = TLSv1.2
                TLS.MaxProtocol = TLSv1.2
                CipherString = ECDHE+AESGCM:@SECLEVEL=2
                Options = -SessionTicket
            """,
        },
    )
    (subject,) = endpoints(cnf).values()
    assert subject.id == "openssl:system_default"
    assert subject.value("protocols") == ["TLSv1.2"]
    assert subject.get("protocols").location.path.endswith("policy.cnf")
    assert subject.value("cipher_suites.tls12")[0] == "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
    assert subject.value("session.tickets") is False


def test_sslconf_grammar() -> None:
    from tlslint.model.located import Location
    from tlslint.sources.sslconf import apply

    where = Location("x", 1)
    conf = apply(
        [
            ("minprotocol", "TLSv1.2", where),
            ("Protocol", "-ALL,TLSv1.3", where),
            ("Options", "ServerPreference,-SessionTicket", where),
            ("Curves", "X25519:P-256", where),
            ("Bogus", "1", where),
        ]
    )
    assert conf.min_protocol.value == "TLSv1.2"
    assert conf.protocol_flags["TLSv1.3"].value is True and conf.protocol_flags["TLSv1.2"].value is False
    assert conf.options["ServerPreference"].value is True and conf.options["SessionTicket"].value is False
    assert conf.groups.value == ["X25519", "P-256"]
    assert len(conf.diagnostics) == 1 and "Bogus" in conf.diagnostics[0].message


def test_engine_version_option() -> None:
    from tlslint.catalog.engine_defaults import EngineVersionError, parse_engine_versions

    assert parse_engine_versions("nginx=1.22.1, openssl=3.0,openssl-seclevel=2") == {
        "nginx": "1.22.1",
        "openssl": "3.0",
        "openssl-seclevel": "2",
    }
    for bad in ("nginx", "nginx=", "openssl-seclevel=9", "nginx=abc"):
        with pytest.raises(EngineVersionError):
            parse_engine_versions(bad)


@pytest.mark.parametrize("separator", ["\r", "\f", "\u2028", "\x85"])
def test_columns_count_lines_as_nginx_does(tmp_path: Path, separator: str) -> None:
    """nginx numbers lines by "\\n" only; a lone CR (or a form feed, U+2028, NEL) inside a line is
    whitespace to it, so a finding's column is found on that same line, not on a line split there."""
    from tlslint.sources.nginx.columns import Columns

    text = f"http {{{separator} ssl_protocols TLSv1.2;{separator} server {{\n ssl_protocols TLSv1;\n}} }}\r\n"
    columns = Columns("nginx.conf", text)
    where, (argument,) = columns.locate(2, "ssl_protocols", ["TLSv1"])
    assert (where.line, where.column, where.end_column) == (2, 2, 21)
    assert argument is not None and argument.column == 16
    later, _ = columns.locate(1, "server", [])
    assert later.column == text.index("server") + 1  # on the first "\n" line, after the separators


def test_argument_locations_are_made_when_asked_for() -> None:
    """The tree keeps each argument's span as numbers; the locations it gives are those Columns.locate gives."""
    from tlslint.sources.nginx import tree
    from tlslint.sources.nginx.columns import Columns

    text = "http {\n    ssl_protocols TLSv1 'TLSv1.2'; ssl_ciphers\n      HIGH;\n}\n"
    root, _, _ = tree.build("nginx.conf", text)
    http = root.children[0]
    (protocols,) = http.own("ssl_protocols")
    (ciphers,) = http.own("ssl_ciphers")
    columns = Columns("nginx.conf", text)
    assert (protocols.location, protocols.arg_locations) == columns.locate(2, "ssl_protocols", ["TLSv1", "TLSv1.2"])
    assert [(a.column, a.end_column) for a in protocols.arg_locations if a] == [(19, 24), (25, 34)]
    assert (ciphers.location, ciphers.arg_locations) == columns.locate(2, "ssl_ciphers", ["HIGH"])
    assert ciphers.arg_locations == (None,)  # on the next line: no column guessed


def test_defaults_table_is_per_engine_versions_and_each_endpoint_anchored_at_its_listen(tmp_path: Path) -> None:
    """Builders share nginx's defaults per engine versions: interleaved builders with other versions
    never see each other's defaults, each endpoint's default is located at its own listen, and list
    defaults are never one object shared by two endpoints."""
    from tlslint.sources.nginx import build, tree

    text = "http {\n  server { listen 443 ssl; }\n  server { listen 8443 ssl; }\n}\n"
    root, _, _ = tree.build(str(tmp_path / "nginx.conf"), text)
    seen = {}
    for versions in (
        {"nginx": "1.18.0", "openssl": "1.1.1"},
        {"nginx": "1.24.0"},
        {"nginx": "1.18.0", "openssl": "1.1.1"},
    ):
        builder = build.Builder(str(tmp_path / "nginx.conf"), root, dict(versions))
        builder.run()
        first, second = builder.subjects
        protocols = [s.get("protocols") for s in (first, second)]
        seen.setdefault(versions["nginx"], []).append([p.value for p in protocols])
        assert [p.location.line for p in protocols] == [2, 3]  # each at its own listen
        tickets = [s.get("session.tickets") for s in (first, second)]
        assert [t.location for t in tickets] == [s.location for s in (first, second)]
        assert "1.18.0" in tickets[0].note if versions["nginx"] == "1.18.0" else "1.24.0" in tickets[0].note
        server_protocols = [builder.setting(b, "ssl_protocols", "ssl_protocols") for b in root.children[0].children]
        assert server_protocols[0].value == server_protocols[1].value
        assert server_protocols[0].value is not server_protocols[1].value  # each endpoint its own list
    assert seen["1.18.0"] == [[["TLSv1.0", "TLSv1.1", "TLSv1.2"]] * 2] * 2
    assert seen["1.24.0"] == [[["TLSv1.2", "TLSv1.3"]] * 2]


def test_argument_columns_bare_quoted_tabs_and_several_statements_on_a_line() -> None:
    """Each argument's span, written bare after spaces or tabs or in either quotes, and the next
    statement on the same line found after the previous one's last argument."""
    from tlslint.sources.nginx.columns import Columns

    text = "ssl_ciphers\t 'HIGH' \"!aNULL\" x; ssl_ciphers x;\nssl_ciphers y\n"
    columns = Columns("nginx.conf", text)
    where, spans = columns.spans(1, "ssl_ciphers", ["HIGH", "!aNULL", "x"])
    assert spans == ((13, 19), (20, 28), (29, 30))
    assert (where.column, where.end_column) == (1, 31)
    again, spans = columns.spans(1, "ssl_ciphers", ["x"])
    assert (again.column, again.end_column, spans) == (33, 46, ((44, 45),))
    alone, spans = columns.spans(2, "ssl_ciphers", ["y", "z"])
    assert (alone.column, alone.end_column, spans) == (1, 14, ((12, 13), None))
    missing, spans = columns.spans(1, "ssl_ciphers", ["w"])  # nothing left on the line: no column
    assert (missing.column, spans) == (None, (None,))


def test_a_protocol_finding_points_at_its_word_and_is_still_one_mistake(tmp_path: Path) -> None:
    """``ssl_protocols TLSv1 TLSv1.2``: TLS-PROTO-001 points at the ``TLSv1`` word (a SARIF annotation
    marks the word, not the line), and TLS-PROTO-002 (no TLS 1.3), which points at the whole directive, is
    still folded into it: one setting, one mistake."""
    conf = tmp_path / "site.conf"
    protocols = "    ssl_protocols TLSv1 TLSv1.2;\n"
    conf.write_text(f"server {{\n    listen 443 ssl;\n{protocols}    ssl_ciphers DEFAULT@SECLEVEL=0;\n}}\n")
    data = run_cli("check", str(conf), "--format", "json", "--fail-on", "never").json()
    by_rule = {finding["rule_id"]: finding for finding in data["findings"]}
    where = by_rule["TLS-PROTO-001"]["location"]
    assert (where["line"], where["column"], where["end_column"]) == (3, 19, 24)
    assert "TLS-PROTO-002" not in by_rule
    assert "TLS-PROTO-002" in by_rule["TLS-PROTO-001"]["message"]
