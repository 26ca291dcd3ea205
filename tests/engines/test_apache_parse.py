"""Apache configuration reading without a server: includes, provenance, defaults, findings' lines."""

from __future__ import annotations

import datetime
from pathlib import Path

from tlslint.sources.base import ParseContext

AT = datetime.date(2026, 11, 24)


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "httpd.conf").write_text(
        f'ServerRoot "{tmp_path}"\nDefine SITE example\nIncludeOptional conf.d/*.conf\n'
        "<VirtualHost *:443>\n    SSLEngine on\n    ServerName ${SITE}.org\n</VirtualHost>\n"
    )
    (tmp_path / "conf.d" / "ssl.conf").write_text(
        "# legacy settings, included from httpd.conf\nSSLProtocol all\nSSLCipherSuite DEFAULT:@SECLEVEL=0\n"
        "SSLCompression on\nSSLProxyEngine on\n"
    )
    return tmp_path / "httpd.conf"


def test_findings_point_into_included_files(tmp_path: Path) -> None:
    from tlslint.run import lint

    from conftest import all_packs_policy

    main = _tree(tmp_path)
    result = lint([str(main)], all_packs_policy(), at=AT)
    by_rule = {(f.rule_id, f.location.path.rsplit("/", 1)[-1], f.location.line) for f in result.findings}
    assert ("TLS-PROTO-001", "ssl.conf", 2) in by_rule  # SSLProtocol all, inherited by the vhost
    assert ("TLS-EXT-001", "ssl.conf", 4) in by_rule  # SSLCompression on


def test_vhost_inherits_and_defaults_are_marked(tmp_path: Path) -> None:
    from tlslint.run import parse_inputs

    main = _tree(tmp_path)
    subjects = {s.id: s for s in parse_inputs([str(main)], ParseContext(at=AT)).subjects}
    vhost = subjects["apache:vhost[*:443]"]
    assert vhost.value("bind.port") == 443
    protocols = vhost.get("protocols")
    assert protocols.origin == "inherited" and protocols.location.path.endswith("ssl.conf")
    assert protocols.value == ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
    assert vhost.get("session.tickets").origin == "default"
    proxy = subjects["apache:proxy[server]"]
    assert proxy.value("verify.peer") is False and proxy.get("verify.peer").origin == "default"


def test_default_sslprotocol_with_nothing_written(tmp_path: Path) -> None:
    from tlslint.run import parse_inputs

    conf = tmp_path / "site.conf"
    conf.write_text("<VirtualHost *:443>\n    SSLEngine on\n</VirtualHost>\n")
    context = ParseContext(at=AT, engine_versions={"openssl": "1.1.1", "apache": "2.4.41"})
    (vhost,) = parse_inputs([str(conf)], context).subjects
    assert vhost.value("protocols") == ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
    assert vhost.get("protocols").origin == "default"


def test_protocol_arithmetic_and_bounds() -> None:
    from tlslint.sources.apache.build import bounds, protocol_set

    assert protocol_set(["all", "-SSLv3", "-TLSv1"])[0] == {"TLSv1.1", "TLSv1.2", "TLSv1.3"}
    assert protocol_set(["-all", "+TLSv1.2"])[0] == {"TLSv1.2"}
    assert protocol_set(["TLSv1.2", "TLSv1.3"])[0] == {"TLSv1.3"}  # a bare name replaces
    assert bounds({"TLSv1.0", "TLSv1.3"}) == ("TLSv1.3", "TLSv1.3")  # no holes
    assert protocol_set(["+TLSv9"])[1]
    # httpd 2.4 ignores "-SSLv2" (certbot, CentOS) but refuses "+SSLv2"
    assert protocol_set(["all", "-SSLv2", "-SSLv3"]) == ({"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}, [])
    assert protocol_set(["all", "+SSLv2"])[1] == [(1, "SSLProtocol: SSLv2 is no longer supported")]


def test_unbalanced_sections_are_input_errors(tmp_path: Path) -> None:
    from tlslint.run import parse_inputs

    conf = tmp_path / "broken.conf"
    conf.write_text("<VirtualHost *:443>\n    SSLEngine on\n")
    inputs = parse_inputs([str(conf)], ParseContext(at=AT))
    assert [d.location.line for d in inputs.diagnostics if d.severity == "error"] == [1]


def test_absolute_server_root_of_a_copied_tree(tmp_path: Path) -> None:
    """CentOS/Gentoo write ``ServerRoot "/etc/httpd"``; linting a copy of that tree in a repository must
    read its own conf.d, not this machine's, and say so (issue 11, item 12)."""
    import datetime

    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    (tmp_path / ".git").mkdir()  # a repository holding a copy of /etc/httpd
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "conf" / "httpd.conf").write_text(
        'ServerRoot "/etc/httpd"\nListen 80\nIncludeOptional conf.d/*.conf\n', encoding="utf-8"
    )
    (tmp_path / "conf.d" / "ssl.conf").write_text(
        "Listen 443 https\n<VirtualHost _default_:443>\nSSLEngine on\nSSLProtocol all -SSLv2 -SSLv3\n"
        "SSLCertificateFile /etc/pki/tls/certs/localhost.crt\n</VirtualHost>\n",
        encoding="utf-8",
    )
    inputs = parse_inputs([str(tmp_path)], ParseContext(at=datetime.date(2026, 11, 24)))
    endpoints = [s.id for s in inputs.subjects if s.kind == "endpoint"]
    assert endpoints == ["apache:vhost[_default_:443]"]
    (warning,) = [d for d in inputs.diagnostics if "ServerRoot" in d.message]
    assert warning.severity == "warning" and warning.location.line == 1
    assert not [d for d in inputs.diagnostics if d.severity == "error"]
    # Named alone, the main file still reaches its conf.d (before: 0 endpoints, no word why).
    alone = parse_inputs([str(tmp_path / "conf" / "httpd.conf")], ParseContext(at=datetime.date(2026, 11, 24)))
    assert [s.id for s in alone.subjects if s.kind == "endpoint"] == ["apache:vhost[_default_:443]"]
