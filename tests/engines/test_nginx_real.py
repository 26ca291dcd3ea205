"""Real nginx on 127.0.0.1: what it accepts in handshakes must equal what ``tlslint inspect`` predicts.

For every configuration of the matrix below, the test writes a complete nginx.conf (plus included
files and an ``openssl.cnf`` the server reads through ``OPENSSL_CONF``), starts the Debian nginx on a
free port (:mod:`servers`), probes every protocol version and every cipher suite with
``openssl s_client`` (:mod:`probe`), and compares with the ``effective`` block of
``tlslint inspect --format json`` for the same files, given the versions of the nginx and OpenSSL
under test, the OpenSSL build's default security level and the ``openssl.cnf``
(``--engine-version nginx=…,openssl=…,openssl-seclevel=…,openssl-conf=…``). Agreement must be
exact: same versions, same suite set per version.

Skips with the reason when nginx or openssl is missing (``scripts/test`` installs both as root).
"""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from engines import probe, servers

NGINX = servers.find_binary("nginx", "/usr/sbin/nginx")

pytestmark = [
    pytest.mark.skipif(
        NGINX is None, reason="nginx is not installed (scripts/test installs the Debian package as root)"
    ),
    pytest.mark.skipif(not probe.openssl_available(), reason="openssl command-line tool is not installed"),
]

NO_POLICY = "# no system TLS policy\n"
#: An openssl.cnf whose system_default section holds the given commands.
SYSTEM_DEFAULT = """\
openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
"""
POLICY_SECLEVEL1_MIN13 = SYSTEM_DEFAULT + "MinProtocol = TLSv1.3\nCipherString = DEFAULT:@SECLEVEL=1\n"
POLICY_CIPHERSUITES = SYSTEM_DEFAULT + "Ciphersuites = TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256\n"

RSA = "ssl_certificate rsa.crt; ssl_certificate_key rsa.key;"
EC = "ssl_certificate ec.crt; ssl_certificate_key ec.key;"


@dataclass
class Case:
    name: str
    server: str = RSA
    http: str = ""
    files: dict[str, str] = field(default_factory=dict)
    policy: str = NO_POLICY
    stream: bool = False


CASES = [
    Case("defaults-rsa"),
    Case("defaults-ecdsa", server=EC),
    Case("dual-certificates", server=RSA + EC),
    Case("protocols-tls13-only", server=RSA + "ssl_protocols TLSv1.3;"),
    Case("protocols-tls12-tls13", server=EC + "ssl_protocols TLSv1.2 TLSv1.3;"),
    Case("protocols-debian-line", server=RSA + "ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;"),
    Case(
        "seclevel0-legacy",
        server=RSA + "ssl_protocols TLSv1 TLSv1.1 TLSv1.2; ssl_ciphers 'HIGH:MEDIUM:!aNULL:@SECLEVEL=0';",
    ),
    Case("alias-ecdhe-aesgcm", server=RSA + "ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers ECDHE+AESGCM;"),
    Case("aead-only", server=EC + "ssl_ciphers 'HIGH:!aNULL:!MD5:!SHA1:!SHA256:!SHA384';"),
    Case("openssl-default-list", server=RSA + "ssl_ciphers DEFAULT;"),
    Case("seclevel3", server=EC + "ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers 'HIGH:!aNULL:@SECLEVEL=3';"),
    Case("rsa-kx-and-order", server=RSA + "ssl_ciphers 'AES256-SHA:ECDHE-RSA-AES128-SHA:+AES256-SHA';"),
    Case("dhparam", server=RSA + "ssl_dhparam dh.pem; ssl_ciphers 'DHE+AESGCM:ECDHE+CHACHA20';"),
    Case(
        "conf-command-ciphersuites",
        server=RSA + "ssl_protocols TLSv1.2 TLSv1.3; ssl_conf_command Ciphersuites TLS_CHACHA20_POLY1305_SHA256;",
    ),
    Case(
        "conf-command-minprotocol", server=EC + "ssl_protocols TLSv1.2 TLSv1.3; ssl_conf_command MinProtocol TLSv1.3;"
    ),
    Case("conf-command-protocol", server=RSA + "ssl_protocols TLSv1.2 TLSv1.3; ssl_conf_command Protocol -TLSv1.3;"),
    Case(
        "conf-command-cipherstring",
        server=RSA + "ssl_ciphers HIGH; ssl_conf_command CipherString 'ECDHE+AES256:@SECLEVEL=2';",
    ),
    Case("inherit-http-protocols", http="ssl_protocols TLSv1.3;", server=RSA),
    Case(
        "inherit-override",
        http="ssl_protocols TLSv1.2; ssl_ciphers ECDHE+AESGCM;",
        server=RSA + "ssl_protocols TLSv1.2 TLSv1.3;",
    ),
    Case(
        "conf-command-not-merged",
        http="ssl_protocols TLSv1.2 TLSv1.3; ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256;",
        server=RSA + "ssl_conf_command Options -SessionTicket;",
    ),
    Case(
        "include-server-snippet",
        server="include snippets/tls.conf;",
        files={"snippets/tls.conf": RSA + "\nssl_protocols TLSv1.2;\nssl_ciphers 'ECDHE+CHACHA20:ECDHE+AES128';\n"},
    ),
    Case(
        "include-http-glob",
        http="include conf.d/*.conf;",
        server=EC,
        files={"conf.d/10-tls.conf": "ssl_protocols TLSv1.3;\n", "conf.d/20-ciphers.conf": "ssl_ciphers aECDSA;\n"},
    ),
    Case("system-policy-min13-seclevel1", server=RSA, policy=POLICY_SECLEVEL1_MIN13),
    Case("system-policy-ciphersuites", server=EC + "ssl_protocols TLSv1.3;", policy=POLICY_CIPHERSUITES),
    Case("ecdsa-with-rsa-only-ciphers", server=EC + "ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers aRSA;"),
    Case("empty-ciphersuites", server=RSA + "ssl_protocols TLSv1.2 TLSv1.3; ssl_conf_command Ciphersuites '';"),
    Case("ecdh-curve", server=EC + "ssl_protocols TLSv1.2 TLSv1.3; ssl_ecdh_curve secp384r1:X25519;"),
    Case("stream-defaults", stream=True),
    Case("stream-tls12", stream=True, server=EC + "ssl_protocols TLSv1.2; ssl_ciphers 'ECDHE+AES256';"),
]

TEMPLATE_HTTP = """\
# tlslint real-server test: {name}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
{http}
    server {{
        listen 127.0.0.1:{port} ssl;
{server}
        location / {{ return 204; }}
    }}
}}
"""

STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so"  # Debian: libnginx-mod-stream
TEMPLATE_STREAM = """\
# tlslint real-server test: {name}
{load_module}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
stream {{
{http}
    server {{
        listen 127.0.0.1:{port} ssl;
{server}
        return "ok";
    }}
}}
"""


def _indent(text: str) -> str:
    return textwrap.indent(text.replace("; ", ";\n").strip(), " " * 8) if text else ""


@pytest.fixture(scope="module")
def material(tmp_path_factory) -> Path:
    return servers.make_certificates(tmp_path_factory.mktemp("nginx-pki"), dh=True)


def _stream_module() -> bool:
    out = subprocess.run([NGINX, "-V"], capture_output=True, text=True, check=False).stderr
    return "--with-stream " in out + " " or os.path.exists(STREAM_MODULE)


def nginx_version() -> str:
    out = subprocess.run([NGINX, "-v"], capture_output=True, text=True, check=False).stderr
    match = re.search(r"nginx/(\S+)", out)
    assert match, out
    return match[1]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_nginx_accepts_what_tlslint_predicts(case: Case, material: Path, tmp_path: Path) -> None:
    if case.stream and not _stream_module():
        pytest.skip("nginx has no stream module (Debian: libnginx-mod-stream, installed by scripts/test as root)")
    port = probe.free_port()
    servers.copy_files(material, tmp_path)
    (tmp_path / "tmp").mkdir()
    for relative, text in case.files.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace("; ", ";\n"))
    template = TEMPLATE_STREAM if case.stream else TEMPLATE_HTTP
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        template.format(
            load_module=f"load_module {STREAM_MODULE};" if os.path.exists(STREAM_MODULE) else "",
            name=case.name,
            dir=tmp_path,
            port=port,
            http=_indent(case.http),
            server=_indent(case.server),
        )
    )
    policy = tmp_path / "openssl.cnf"
    policy.write_text(case.policy)

    versions = servers.engine_versions("nginx", nginx_version(), openssl_conf=str(policy))
    endpoints = servers.predict(conf, versions)
    listeners = [e for e in endpoints.values() if e["role"] == "server"]
    assert len(listeners) == 1, list(endpoints.values())
    endpoint = listeners[0]
    assert endpoint["bind"] == {"address": "127.0.0.1", "port": port}
    kind = "stream" if case.stream else "server"
    assert endpoint["id"] == f"nginx:{kind}[127.0.0.1:{port}]"
    predicted = servers.offer(endpoint)

    with servers.running(
        [NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log"), "-g", "daemon off;"],
        ports=[port],
        name="nginx",
        env=servers.openssl_env(policy),
        logs=[tmp_path / "error.log"],
    ):
        actual = probe.accepted(port)
    assert actual == predicted, f"{case.name}: server accepted {actual}, tlslint predicted {predicted}"
