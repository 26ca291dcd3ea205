"""Where server-engine findings point, in the cases a line annotation in tests/test_rule_fixtures.py
cannot express: a finding inside an included file (the annotation checks the line, not the file),
and findings that depend on ``--engine-version`` (an old OpenSSL or HAProxy). The last test checks
against the real httpd that APACHE-STAPLING-001 describes what httpd does.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

import pytest
from engines import probe, servers
from engines.test_apache_live import APACHE, BASE, MODULES

from conftest import REPO, all_packs_policy

FIXTURES = REPO / "tests" / "fixtures" / "rules" / "servers"
AT = datetime.date(2026, 11, 24)


def findings(path: Path, rule_id: str, engine_versions: dict[str, str] | None = None) -> list:
    from tlslint.run import lint

    result = lint([str(path)], all_packs_policy(), at=AT, engine_versions=engine_versions)
    return [f for f in result.findings if f.rule_id == rule_id]


def test_apache_finding_points_into_the_included_file() -> None:
    (finding,) = findings(FIXTURES / "apache-include" / "httpd.conf", "TLS-PROTO-001")
    assert finding.location.path.endswith("conf.d/legacy-tls.conf")
    assert (finding.location.line, finding.location.column) == (1, 13)  # "all" of SSLProtocol all -SSLv3


def test_debian_ssl_conf_enables_tls10_under_openssl_111() -> None:
    path = FIXTURES / "apache-debian-ssl.conf"
    assert not findings(path, "TLS-PROTO-001")  # OpenSSL 3.0 (assumed) refuses TLS 1.0/1.1 at level 1
    (finding,) = findings(path, "TLS-PROTO-001", {"openssl": "1.1.1"})
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.strip().startswith("SSLProtocol"))
    assert finding.location.line == line


def test_haproxy_before_22_defaults_to_tls10(tmp_path: Path) -> None:
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        "global\n"
        "    ssl-default-bind-options no-sslv3\n"
        "defaults\n"
        "    timeout client 5s\n"
        "frontend fe\n"
        "    bind :443 ssl crt /etc/haproxy/site.pem\n"
    )
    assert not findings(config, "TLS-PROTO-001", {"haproxy": "2.6.12", "openssl": "1.1.1"})
    # Before 2.2 the minimum is whatever OpenSSL allows; the options line sets no ssl-min-ver.
    (finding,) = findings(config, "TLS-PROTO-001", {"haproxy": "2.0.33", "openssl": "1.1.1"})
    assert finding.location.line == 2


def test_nginx_proxy_ssl_verify_off_points_at_the_directive(tmp_path: Path) -> None:
    config = tmp_path / "nginx.conf"
    config.write_text(
        "events {}\n"
        "http {\n"
        "    server {\n"
        "        listen 443 ssl;\n"
        "        location / {\n"
        "            proxy_pass https://backend.internal:8443;\n"
        "            proxy_ssl_verify off;\n"
        "        }\n"
        "    }\n"
        "}\n"
    )
    (finding,) = findings(config, "TLS-VERIFY-001")
    assert finding.location.line == 7


STAPLING = (
    BASE
    + """\
Listen 127.0.0.1:{port}
SSLUseStapling on
{cache}
<VirtualHost 127.0.0.1:{port}>
    SSLEngine on
    SSLCertificateFile {dir}/rsa.crt
    SSLCertificateKeyFile {dir}/rsa.key
</VirtualHost>
"""
)


@pytest.mark.skipif(
    not os.path.exists(APACHE) or not (MODULES / "mod_ssl.so").exists() or not probe.openssl_available(),
    reason="Apache httpd with mod_ssl (Debian package apache2) and openssl are needed",
)
@pytest.mark.parametrize("cache", ["", "SSLStaplingCache shmcb:{dir}/stapling(32768)"], ids=["no-cache", "cache"])
def test_apache_stapling_without_cache_stops_httpd(cache: str, tmp_path: Path) -> None:
    servers.make_certificates(tmp_path)
    os.chmod(tmp_path, 0o755)
    port = probe.free_port()
    main = tmp_path / "httpd.conf"
    main.write_text(STAPLING.format(dir=tmp_path, modules=MODULES, port=port, cache=cache.format(dir=tmp_path)))
    reported = findings(main, "APACHE-STAPLING-001")
    command = [APACHE, "-f", str(main), "-DFOREGROUND"]
    if cache:
        assert not reported
        with servers.running(command, ports=[port], name="httpd", logs=[tmp_path / "error.log"]):
            pass
    else:
        line = main.read_text().splitlines().index("SSLUseStapling on") + 1
        assert [f.location.line for f in reported] == [line]
        process = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
        assert process.returncode != 0
        assert "AH01958" in (tmp_path / "error.log").read_text()
