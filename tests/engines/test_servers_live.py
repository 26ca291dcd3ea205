"""Real servers for the constructs the real-world corpus needed (tests/fixtures/realworld/servers/):
what tlslint predicts for each must be what the running nginx, Apache httpd or HAProxy does.

* a stalled handshake is closed after ``client_header_timeout`` (nginx), ``Timeout`` and
  ``RequestReadTimeout handshake=`` (httpd): the time measured matches ``connection.timeouts.handshake``
  (2 s here, so the tests stay short);
* OpenSSL negotiates Encrypt-then-MAC by default (``extensions.encrypt_then_mac``, origin default);
* a 1024-bit ``ssl_dhparam`` at security level 2: nginx refuses to start and tlslint says so with an
  error and no endpoint; at ``@SECLEVEL=1`` DHE is negotiated and the size is reported;
* non-default servers on a shared socket negotiate with the default server's versions and suites;
* ``DEFAULT@SECLEVEL=0`` (no colon) opens TLS 1.0.

Each test skips with the reason when its server or ``openssl`` is missing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from engines import probe, servers

NGINX = servers.find_binary("nginx", "/usr/sbin/nginx")
APACHE = servers.find_binary("apache2", "/usr/sbin/apache2")
MODULES = Path("/usr/lib/apache2/modules")

needs_openssl = pytest.mark.skipif(not probe.openssl_available(), reason="the openssl command is not installed")
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/test installs it as root)")
needs_apache = pytest.mark.skipif(
    APACHE is None or not (MODULES / "mod_ssl.so").exists(), reason="Apache httpd with mod_ssl is not installed"
)
pytestmark = [needs_openssl]

#: The stalled-handshake limit configured, and how much later than it the server may close.
LIMIT = 2
SLACK = 2.5

NGINX_CONF = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
{http}
{servers}
}}
"""


def _server(port: int, body: str, name: str = "localhost", default: bool = False) -> str:
    flag = " default_server" if default else ""
    return (
        f"    server {{\n        listen 127.0.0.1:{port} ssl{flag};\n        server_name {name};\n"
        f"        ssl_certificate rsa.crt;\n        ssl_certificate_key rsa.key;\n{body}\n"
        "        location / { return 204; }\n    }\n"
    )


@pytest.fixture(scope="module")
def material(tmp_path_factory) -> Path:
    return servers.make_certificates(tmp_path_factory.mktemp("servers-pki"), dh=True, weak_dh=True)


def _nginx_version() -> str:
    out = subprocess.run([NGINX, "-v"], capture_output=True, text=True, check=False).stderr  # type: ignore[list-item]
    return out.split("nginx/")[1].split()[0]


def _write_nginx(directory: Path, material: Path, *, http: str = "", servers_: str) -> Path:
    servers.copy_files(material, directory)
    (directory / "tmp").mkdir(exist_ok=True)
    conf = directory / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=directory, http=http, servers=servers_))
    (directory / "openssl.cnf").write_text("# no system policy\n")
    return conf


def _nginx_command(conf: Path) -> list[str]:
    directory = conf.parent
    return [NGINX, "-p", str(directory), "-c", str(conf), "-e", str(directory / "error.log"), "-g", "daemon off;"]  # type: ignore[list-item]


def _stall(port: int, *, partial: bool) -> float:
    """Open a connection, optionally send the first bytes of a TLS record, then send nothing more; the
    seconds until the server closes it."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=LIMIT + SLACK + 5) as sock:
        if partial:
            sock.sendall(b"\x16\x03\x01\x02\x00")  # a handshake record header whose body never comes
        try:
            while sock.recv(4096):
                pass
        except ConnectionResetError:
            pass
        except TimeoutError:
            return float("inf")  # the server never closed it
    return time.monotonic() - started


def _inputs(path: Path, versions: dict[str, str]):
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    return parse_inputs([str(path)], ParseContext(at=servers.AT, engine_versions=versions))


# --- nginx ----------------------------------------------------------------------------------------


@needs_nginx
@pytest.mark.parametrize("partial", [False, True], ids=["silent", "partial-record"])
def test_nginx_closes_a_stalled_handshake_after_client_header_timeout(
    partial: bool, material: Path, tmp_path: Path
) -> None:
    port = probe.free_port()
    conf = _write_nginx(tmp_path, material, http=f"    client_header_timeout {LIMIT}s;", servers_=_server(port, ""))
    predicted = servers.predict(conf, servers.engine_versions("nginx", _nginx_version()))
    (endpoint,) = [e for e in predicted.values() if e["role"] == "server"]
    handshake = endpoint["settings"]["connection.timeouts.handshake"]
    assert handshake["value"] == LIMIT and handshake["origin"] == "inherited"
    with servers.running(_nginx_command(conf), ports=[port], name="nginx", logs=[tmp_path / "error.log"]):
        waited = _stall(port, partial=partial)
    assert LIMIT - 0.5 <= waited <= LIMIT + SLACK, f"nginx closed after {waited:.1f} s, tlslint predicted {LIMIT} s"


@needs_nginx
def test_nginx_negotiates_encrypt_then_mac_by_default(material: Path, tmp_path: Path) -> None:
    port = probe.free_port()
    body = "        ssl_protocols TLSv1.2;\n        ssl_ciphers ECDHE-RSA-AES128-SHA256;"
    conf = _write_nginx(tmp_path, material, servers_=_server(port, body))
    predicted = servers.predict(conf, servers.engine_versions("nginx", _nginx_version()))
    (endpoint,) = [e for e in predicted.values() if e["role"] == "server"]
    etm = endpoint["settings"]["extensions.encrypt_then_mac"]
    assert etm["value"] is True and etm["origin"] == "default"
    with servers.running(_nginx_command(conf), ports=[port], name="nginx", logs=[tmp_path / "error.log"]):
        out = subprocess.run(
            ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_2", "-tlsextdebug"],
            input="",
            capture_output=True,
            text=True,
            timeout=20,
            env=servers.openssl_env(),
        ).stdout
    assert "Cipher is ECDHE-RSA-AES128-SHA256" in out
    assert 'TLS server extension "encrypt-then-mac"' in out


@needs_nginx
def test_nginx_refuses_a_1024_bit_dh_group_at_level_2(material: Path, tmp_path: Path) -> None:
    port = probe.free_port()
    body = "        ssl_dhparam dh1024.pem;\n        ssl_ciphers 'DHE+AESGCM:ECDHE+AESGCM:@SECLEVEL=2';"
    conf = _write_nginx(tmp_path, material, servers_=_server(port, body))
    inputs = _inputs(conf, servers.engine_versions("nginx", _nginx_version()))
    errors = [d for d in inputs.diagnostics if d.severity == "error"]
    assert [e.message for e in errors] == [
        "nginx refuses to start: the 1024-bit DH group of ssl_dhparam is too small for OpenSSL security level 2 "
        '("dh key too small")'
    ]
    assert errors[0].location.line == conf.read_text().splitlines().index("        ssl_dhparam dh1024.pem;") + 1
    assert not [s for s in inputs.subjects if s.kind == "endpoint"]
    check = subprocess.run([*_nginx_command(conf)[:-2], "-t"], capture_output=True, text=True, check=False)
    assert check.returncode != 0 and "dh key too small" in check.stderr


@needs_nginx
def test_nginx_uses_a_1024_bit_dh_group_at_level_1(material: Path, tmp_path: Path) -> None:
    port = probe.free_port()
    body = (
        "        ssl_protocols TLSv1.2;\n        ssl_dhparam dh1024.pem;\n"
        "        ssl_ciphers 'DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=1';"
    )
    conf = _write_nginx(tmp_path, material, servers_=_server(port, body))
    predicted = servers.predict(conf, servers.engine_versions("nginx", _nginx_version()))
    (endpoint,) = [e for e in predicted.values() if e["role"] == "server"]
    assert endpoint["settings"]["dh_params.bits"]["value"] == 1024
    with servers.running(_nginx_command(conf), ports=[port], name="nginx", logs=[tmp_path / "error.log"]):
        actual = probe.accepted(port)
    assert actual == servers.offer(endpoint)
    assert "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" in actual["cipher_suites"]["TLSv1.2"]


@needs_nginx
def test_nginx_shared_socket_negotiates_with_the_default_server(material: Path, tmp_path: Path) -> None:
    """admin.example.com asks for TLS 1.3 only and ECDHE+AES256, but shares the socket with a default
    server that allows TLS 1.2: a client naming admin still gets TLS 1.2, with the suites admin names."""
    port = probe.free_port()
    default = "        ssl_protocols TLSv1.2 TLSv1.3;\n        ssl_ciphers ECDHE+AESGCM;"
    other = "        ssl_protocols TLSv1.3;\n        ssl_ciphers ECDHE+AES256;"
    servers_ = _server(port, default, "www.example.com", default=True) + _server(port, other, "admin.example.com")
    conf = _write_nginx(tmp_path, material, servers_=servers_)
    predicted = servers.predict(conf, servers.engine_versions("nginx", _nginx_version()))
    admin = predicted[f"nginx:server[127.0.0.1:{port} admin.example.com]"]
    www = predicted[f"nginx:server[127.0.0.1:{port} www.example.com]"]
    assert "default server" in admin["settings"]["protocols"]["note"]
    with servers.running(_nginx_command(conf), ports=[port], name="nginx", logs=[tmp_path / "error.log"]):
        as_admin = probe.accepted(port, servername="admin.example.com")
        as_www = probe.accepted(port, servername="www.example.com")
    assert as_admin == servers.offer(admin)
    assert as_www == servers.offer(www)
    assert "TLSv1.2" in as_admin["protocols"]


@needs_nginx
@pytest.mark.parametrize("protocols", ["TLSv1 TLSv1.2", "tlsv1 TLSV1.2"], ids=["as-documented", "any-case"])
def test_nginx_default_seclevel0_without_colon_opens_tls10(material: Path, tmp_path: Path, protocols: str) -> None:
    """nginx reads ssl_protocols' words in any case (a bitmask directive)."""
    port = probe.free_port()
    body = f"        ssl_protocols {protocols};\n        ssl_ciphers DEFAULT@SECLEVEL=0;"
    conf = _write_nginx(tmp_path, material, servers_=_server(port, body))
    predicted = servers.predict(conf, servers.engine_versions("nginx", _nginx_version()))
    (endpoint,) = [e for e in predicted.values() if e["role"] == "server"]
    with servers.running(_nginx_command(conf), ports=[port], name="nginx", logs=[tmp_path / "error.log"]):
        actual = probe.accepted(port)
    assert actual == servers.offer(endpoint)
    assert "TLSv1.0" in actual["protocols"]


@needs_nginx
@pytest.mark.parametrize(
    ("body", "listen", "said"),
    [
        ("", " SSL", 'invalid parameter "SSL" in listen'),
        ("        ssl_session_cache OFF;", " ssl", 'invalid session cache "OFF"'),
        ("        ssl_verify_client maybe;", " ssl", 'invalid value "maybe" of ssl_verify_client'),
        (
            "        ssl_conf_command MinProtocol tlsv1.2;",
            " ssl",
            "MinProtocol 'tlsv1.2' is not a value OpenSSL knows (None, SSLv3, TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3,"
            " spelled so)",
        ),
        (
            "        SSL_Protocols TLSv1 TLSv1.2;",
            " ssl",
            'unknown directive "SSL_Protocols" (directive names are lower case)',
        ),
        ("        ssl_ciphers BOGUS;", " ssl", "no cipher matches 'BOGUS'"),
        ("        ssl_conf_command Ciphersuites TLS_BOGUS;", " ssl", "no TLS 1.3 cipher suite matches 'TLS_BOGUS'"),
    ],
    ids=[
        "listen-SSL",
        "session-cache-OFF",
        "verify-client-maybe",
        "conf-command-MinProtocol",
        "directive-case",
        "ciphers-none-known",
        "ciphersuites-none-known",
    ],
)
def test_nginx_refuses_words_it_reads_exactly(
    material: Path, tmp_path: Path, body: str, listen: str, said: str
) -> None:
    """Listen parameters and ssl_session_cache are compared exactly, an enumeration's words in any case:
    where ``nginx -t`` refuses the configuration, tlslint says nginx refuses to start."""
    port = probe.free_port()
    server = _server(port, body).replace(f"{port} ssl;", f"{port}{listen};")
    conf = _write_nginx(tmp_path, material, servers_=server)
    tested = subprocess.run([*_nginx_command(conf)[:-2], "-t"], capture_output=True, text=True, check=False)
    assert tested.returncode != 0, tested.stderr
    inputs = _inputs(conf, servers.engine_versions("nginx", _nginx_version()))
    assert [d.message for d in inputs.diagnostics if d.severity == "error"] == [f"nginx refuses to start: {said}"]


@needs_nginx
def test_nginx_takes_an_enumeration_in_any_case(material: Path, tmp_path: Path) -> None:
    """``ssl_verify_client ON`` is ``on`` to nginx: it starts, and asks for a client certificate."""
    port = probe.free_port()
    body = "        ssl_verify_client ON;\n        ssl_client_certificate rsa.crt;"
    conf = _write_nginx(tmp_path, material, servers_=_server(port, body))
    tested = subprocess.run([*_nginx_command(conf)[:-2], "-t"], capture_output=True, text=True, check=False)
    assert tested.returncode == 0, tested.stderr
    predicted = servers.predict(conf, servers.engine_versions("nginx", _nginx_version()))
    (endpoint,) = [e for e in predicted.values() if e["role"] == "server"]
    assert endpoint["settings"]["client_auth.mode"]["value"] == "required"


@needs_nginx
@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("ssl_ecdh_curve x25519:secp384r1:P-256;", None),
        ("ssl_ecdh_curve X25519:bogus;", "ssl_ecdh_curve: OpenSSL knows no group 'bogus'"),
        (
            "ssl_ecdh_curve p-256;",
            "ssl_ecdh_curve: OpenSSL {openssl} knows no group 'p-256' (it compares names exactly: 'P-256')",
        ),
        (
            "ssl_ecdh_curve P-256:prime256v1;",
            "ssl_ecdh_curve: group list 'P-256:prime256v1' names secp256r1 twice ('P-256', 'prime256v1')",
        ),
        ("ssl_ecdh_curve X25519MLKEM768;", "ssl_ecdh_curve: OpenSSL {openssl} knows no group 'X25519MLKEM768'"),
        ("ssl_conf_command Groups X448:ffdhe2048;", None),
        ("ssl_conf_command Groups X25519:;", "Groups: group list 'X25519:' has an empty name"),
        ("ssl_conf_command SignatureAlgorithms RSA-PSS+SHA256:rsa_pss_pss_sha256:ed25519;", None),
        (
            "ssl_conf_command SignatureAlgorithms RSA+SHA256:rsa_pkcs1_sha256;",
            "SignatureAlgorithms: signature algorithm list 'RSA+SHA256:rsa_pkcs1_sha256' names rsa_pkcs1_sha256"
            " twice ('RSA+SHA256', 'rsa_pkcs1_sha256')",
        ),
        (
            "ssl_conf_command SignatureAlgorithms Ed25519;",
            "SignatureAlgorithms: OpenSSL {openssl} knows no signature algorithm 'Ed25519' (it compares names"
            " exactly: 'ed25519')",
        ),
    ],
    ids=[
        "valid",
        "unknown",
        "case",
        "twice",
        "later-openssl",
        "conf-command-valid",
        "conf-command-empty",
        "sigalgs-valid",
        "sigalgs-twice",
        "sigalgs-case",
    ],
)
def test_nginx_refuses_a_name_list_when_openssl_does(
    material: Path, tmp_path: Path, body: str, said: str | None
) -> None:
    """``ssl_ecdh_curve``, ``ssl_conf_command Groups`` and ``SignatureAlgorithms`` go to OpenSSL's name
    list parsers; where one rejects the list, ``nginx -t`` fails and tlslint, told the OpenSSL version,
    says nginx refuses to start and builds no endpoint. Before, tlslint said nothing."""
    port = probe.free_port()
    conf = _write_nginx(tmp_path, material, servers_=_server(port, f"        {body}"))
    tested = subprocess.run([*_nginx_command(conf)[:-2], "-t"], capture_output=True, text=True, check=False)
    assert (tested.returncode == 0) == (said is None), tested.stderr
    versions = servers.engine_versions("nginx", _nginx_version())
    inputs = _inputs(conf, versions)
    errors = [d.message for d in inputs.diagnostics if d.severity == "error"]
    expected = [] if said is None else [f"nginx refuses to start: {said.format(openssl=versions['openssl'])}"]
    assert errors == expected
    built = [s for s in inputs.subjects if s.kind == "endpoint" and s.value("role") == "server"]
    assert len(built) == (0 if said else 1)  # nginx does not start: no endpoint


# --- Apache httpd ---------------------------------------------------------------------------------

APACHE_CONF = """\
ServerRoot "{dir}"
DefaultRuntimeDir "{dir}"
PidFile "{dir}/httpd.pid"
ErrorLog "{dir}/error.log"
LogLevel warn
ServerName localhost
Mutex file:{dir} default
LoadModule mpm_prefork_module {modules}/mod_mpm_prefork.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule socache_shmcb_module {modules}/mod_socache_shmcb.so
LoadModule ssl_module {modules}/mod_ssl.so
{extra}
User nobody
Group nogroup
StartServers 1
DocumentRoot "{dir}"
Listen 127.0.0.1:{port}
<VirtualHost 127.0.0.1:{port}>
    SSLEngine on
    SSLCertificateFile {dir}/rsa.crt
    SSLCertificateKeyFile {dir}/rsa.key
    SSLProtocol all -SSLv2 -SSLv3 -TLSv1 -TLSv1.1
</VirtualHost>
"""


@needs_apache
@pytest.mark.parametrize(
    "extra",
    [
        f"Timeout {LIMIT}",
        f"LoadModule reqtimeout_module {{modules}}/mod_reqtimeout.so\nTimeout 30\n"
        f"RequestReadTimeout handshake={LIMIT} header=20-40,MinRate=500",
    ],
    ids=["Timeout", "RequestReadTimeout-handshake"],
)
def test_httpd_closes_a_stalled_handshake_when_tlslint_says(extra: str, material: Path, tmp_path: Path) -> None:
    """Also: ``SSLProtocol all -SSLv2 …`` (certbot, CentOS) is accepted by httpd and by tlslint."""
    port = probe.free_port()
    servers.copy_files(material, tmp_path)
    os.chmod(tmp_path, 0o755)
    conf = tmp_path / "httpd.conf"
    conf.write_text(APACHE_CONF.format(dir=tmp_path, modules=MODULES, port=port, extra=extra.format(modules=MODULES)))
    version = subprocess.run([APACHE, "-v"], capture_output=True, text=True, check=False).stdout  # type: ignore[list-item]
    predicted = servers.predict(conf, servers.engine_versions("apache", version.split("Apache/")[1].split()[0]))
    endpoint = predicted[f"apache:vhost[127.0.0.1:{port}]"]
    assert endpoint["settings"]["connection.timeouts.handshake"]["value"] == LIMIT
    with servers.running(
        [APACHE, "-f", str(conf), "-DFOREGROUND"],  # type: ignore[list-item]
        ports=[port],
        name="httpd",
        env=servers.openssl_env(os.devnull),
        logs=[tmp_path / "error.log"],
    ):
        waited = _stall(port, partial=True)
        actual = probe.accepted(port)
    assert LIMIT - 0.5 <= waited <= LIMIT + SLACK, f"httpd closed after {waited:.1f} s, tlslint predicted {LIMIT} s"
    assert actual == servers.offer(endpoint)


@needs_apache
def test_httpd_refuses_an_ssl_conf_command_openssl_rejects(material: Path, tmp_path: Path) -> None:
    """``SSLOpenSSLConfCmd MinProtocol tlsv1.2``: OpenSSL knows no such value, and mod_ssl stops httpd on
    any command it rejects; tlslint says httpd refuses to start."""
    port = probe.free_port()
    servers.copy_files(material, tmp_path)
    os.chmod(tmp_path, 0o755)
    conf = tmp_path / "httpd.conf"
    text = APACHE_CONF.format(dir=tmp_path, modules=MODULES, port=port, extra="")
    conf.write_text(text.replace("</VirtualHost>", "    SSLOpenSSLConfCmd MinProtocol tlsv1.2\n</VirtualHost>"))
    assert _httpd_fails_to_start(conf) and "MinProtocol tlsv1.2" in (tmp_path / "error.log").read_text()
    inputs = _inputs(conf, servers.engine_versions("apache", "2.4"))
    errors = [d.message for d in inputs.diagnostics if d.severity == "error"]
    assert errors == [
        "httpd refuses to start: MinProtocol 'tlsv1.2' is not a value OpenSSL knows (None, SSLv3, TLSv1, TLSv1.1,"
        " TLSv1.2 or TLSv1.3, spelled so)"
    ]


@needs_apache
@pytest.mark.parametrize(
    ("groups", "said"),
    [
        ("X25519:secp384r1", None),
        (
            "X25519:secp384r1:X25519",
            "Groups: group list 'X25519:secp384r1:X25519' names x25519 twice ('X25519', 'X25519')",
        ),
    ],
    ids=["valid", "twice"],
)
def test_httpd_refuses_a_group_list_when_openssl_does(
    material: Path, tmp_path: Path, groups: str, said: str | None
) -> None:
    """``SSLOpenSSLConfCmd Groups``: mod_ssl stops httpd when OpenSSL rejects the list (``httpd -t`` does
    not apply the command: the server is started)."""
    conf, port = _httpd_with(tmp_path, material, f"SSLOpenSSLConfCmd Groups {groups}")
    if said is None:
        assert _httpd_handshakes(conf, port)
    else:
        assert _httpd_fails_to_start(conf) and "Groups" in (tmp_path / "error.log").read_text()
    inputs = _inputs(conf, servers.engine_versions("apache", "2.4"))
    errors = [d.message for d in inputs.diagnostics if d.severity == "error"]
    assert errors == ([] if said is None else [f"httpd refuses to start: {said}"])
    assert len([s for s in inputs.subjects if s.kind == "endpoint"]) == (1 if said is None else 0)


@needs_apache
@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("SSLCipherSuite BOGUS", "no cipher matches 'BOGUS:!aNULL:!eNULL:!EXP'"),  # as mod_ssl hands it over
        ("SSLCipherSuite TLSv1.3 TLS_BOGUS", "no TLS 1.3 cipher suite matches 'TLS_BOGUS'"),
        ("SSLCipherSuite HIGH:BOGUS", None),
    ],
    ids=["none-known", "tls13-none-known", "one-unknown"],
)
def test_httpd_refuses_a_cipher_list_openssl_rejects(
    material: Path, tmp_path: Path, line: str, said: str | None
) -> None:
    """mod_ssl stops httpd when ``SSL_CTX_set_cipher_list`` or ``set_ciphersuites`` fails; tlslint says httpd
    refuses to start, and builds no endpoint."""
    conf, port = _httpd_with(tmp_path, material, line)
    assert _httpd_handshakes(conf, port) if said is None else _httpd_fails_to_start(conf)
    inputs = _inputs(conf, servers.engine_versions("apache", "2.4"))
    errors = [d.message for d in inputs.diagnostics if d.severity == "error"]
    assert errors == ([] if said is None else [f"httpd refuses to start: {said}"])
    built = [s for s in inputs.subjects if s.kind == "endpoint"]
    assert len(built) == (1 if said is None else 0)


def _httpd_with(directory: Path, material: Path, line: str) -> tuple[Path, int]:
    """An httpd configuration in ``directory`` whose virtual host has ``line`` too, and its port."""
    port = probe.free_port()
    servers.copy_files(material, directory)
    os.chmod(directory, 0o755)
    conf = directory / "httpd.conf"
    text = APACHE_CONF.format(dir=directory, modules=MODULES, port=port, extra="")
    conf.write_text(text.replace("</VirtualHost>", f"    {line}\n</VirtualHost>"))
    return conf, port


def _httpd_handshakes(conf: Path, port: int) -> bool:
    """Whether httpd starts on ``conf`` and completes a handshake."""
    command = [APACHE, "-f", str(conf), "-DFOREGROUND"]
    with servers.running(command, ports=[port], name="httpd", env=servers.openssl_env(os.devnull)):  # type: ignore[arg-type]
        return bool(probe.accepted(port)["protocols"])


def _httpd_fails_to_start(conf: Path) -> bool:
    """Whether httpd, started in the foreground on ``conf``, stops at once with an error."""
    started = subprocess.run(
        [APACHE, "-f", str(conf), "-DFOREGROUND"],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        timeout=30,
        env=servers.openssl_env(os.devnull),
        check=False,
    )
    return started.returncode != 0


# --- HAProxy --------------------------------------------------------------------------------------

HAPROXY = servers.find_binary("haproxy", "/usr/sbin/haproxy")
needs_haproxy = pytest.mark.skipif(HAPROXY is None, reason="HAProxy is not installed (scripts/test installs it)")

HAPROXY_CONF = """\
global
{globals}
defaults
    mode tcp
    timeout connect 5s
    timeout client 5s
    timeout server 5s
frontend fe-main
    bind 127.0.0.1:{port} ssl {bind}
    default_backend be-app
backend be-app
    server app1 127.0.0.1:9
"""


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> Path:
    return servers.make_certificates(tmp_path_factory.mktemp("haproxy-pki"), bundles=True, weak_dh=True)


def _haproxy(tmp_path: Path, bundles: Path, bind: str, globals_: str = "    maxconn 100", files=None):
    port = probe.free_port()
    servers.copy_files(bundles, tmp_path, ["*.pem"])
    for name, text in (files or {}).items():
        (tmp_path / name).write_text(text.format(dir=tmp_path))
    conf = tmp_path / "haproxy.cfg"
    conf.write_text(HAPROXY_CONF.format(globals=globals_, port=port, bind=bind.format(dir=tmp_path)))
    (tmp_path / "openssl.cnf").write_text("# no system_default\n")
    version = subprocess.run([HAPROXY, "-v"], capture_output=True, text=True, check=False).stdout  # type: ignore[list-item]
    versions = servers.engine_versions("haproxy", version.split("version ")[1].split()[0])
    return port, conf, versions


def _run_haproxy(conf: Path, port: int):
    return servers.running(
        [HAPROXY, "-f", str(conf), "-db"],  # type: ignore[list-item]
        ports=[port],
        name="haproxy",
        env=servers.openssl_env(conf.parent / "openssl.cnf"),
    )


@needs_haproxy
def test_haproxy_two_certificates_on_one_bind(tmp_path: Path, bundles: Path) -> None:
    """``crt rsa.pem crt ec.pem``: a client that sends SNI gets the certificate its suites need."""
    port, conf, versions = _haproxy(
        tmp_path, bundles, "crt {dir}/rsa.pem crt {dir}/ec.pem ciphers ECDHE+AESGCM:ECDHE+CHACHA20"
    )
    predicted = servers.predict(conf, versions)
    endpoint = predicted[f"haproxy:bind[fe-main:127.0.0.1:{port}]"]
    assert endpoint["settings"]["identity.key_types"]["value"] == ["ECDSA", "RSA"]
    with _run_haproxy(conf, port):
        actual = probe.accepted(port, servername="localhost")
    assert actual == servers.offer(endpoint)
    assert "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" in actual["cipher_suites"]["TLSv1.2"]
    assert "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" in actual["cipher_suites"]["TLSv1.2"]


@needs_haproxy
def test_haproxy_crt_list_entries_have_their_own_options(tmp_path: Path, bundles: Path) -> None:
    crt_list = (
        "{dir}/rsa.pem [ssl-min-ver TLSv1.2 ciphers ECDHE-RSA-AES128-GCM-SHA256] rsa.example.com\n"
        "{dir}/ec.pem [ssl-min-ver TLSv1.3] ec.example.com\n"
    )
    port, conf, versions = _haproxy(tmp_path, bundles, "crt-list {dir}/list.txt", files={"list.txt": crt_list})
    predicted = servers.predict(conf, versions)
    rsa = predicted[f"haproxy:bind[fe-main:127.0.0.1:{port} rsa.example.com]"]
    ec = predicted[f"haproxy:bind[fe-main:127.0.0.1:{port} ec.example.com]"]
    assert rsa["settings"]["protocols"]["location"]["path"].endswith("list.txt")
    with _run_haproxy(conf, port):
        as_rsa = probe.accepted(port, servername="rsa.example.com")
        as_ec = probe.accepted(port, servername="ec.example.com")
    assert as_rsa == servers.offer(rsa)
    assert as_ec == servers.offer(ec)
    assert as_ec["protocols"] == ["TLSv1.3"] and "TLSv1.2" in as_rsa["protocols"]


@needs_haproxy
def test_haproxy_drops_a_dh_group_the_load_time_level_refuses(tmp_path: Path, bundles: Path) -> None:
    """``tune.ssl.default-dh-param 1024`` is loaded at the build's level 2 (Debian), before the bind's
    ``@SECLEVEL=0``: HAProxy runs without DHE, and tlslint predicts exactly that."""
    if probe.build_security_level() != 2:
        pytest.skip("needs an OpenSSL built with security level 2 (Debian)")
    port, conf, versions = _haproxy(
        tmp_path,
        bundles,
        "crt {dir}/rsa.pem ciphers DHE+AESGCM:ECDHE+AESGCM:@SECLEVEL=0",
        "    tune.ssl.default-dh-param 1024",
    )
    inputs = _inputs(conf, versions)
    assert any("drops the 1024-bit DH parameters" in d.message for d in inputs.diagnostics)
    predicted = servers.predict(conf, versions)
    endpoint = predicted[f"haproxy:bind[fe-main:127.0.0.1:{port}]"]
    with _run_haproxy(conf, port):
        actual = probe.accepted(port)
    assert actual == servers.offer(endpoint)
    assert not any("_DHE_" in s for s in actual["cipher_suites"].get("TLSv1.2", []))


def _handshake_with_group(port: int, group: str) -> bool:
    """Whether a TLS 1.3 client that offers only ``group`` completes a handshake."""
    command = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_3", "-groups", group]
    said = subprocess.run(command, input="", capture_output=True, text=True, timeout=30, check=False)
    return said.returncode == 0 and "TLSv1.3" in said.stdout


@needs_haproxy
@pytest.mark.parametrize(
    ("curves", "said"),
    [
        ("X25519:secp384r1", None),
        ("X25519:bogus", "curves: OpenSSL knows no group 'bogus'"),
        ("p-256", "curves: OpenSSL {openssl} knows no group 'p-256' (it compares names exactly: 'P-256')"),
    ],
    ids=["valid", "unknown", "case"],
)
def test_haproxy_curves_are_the_groups_it_negotiates(
    tmp_path: Path, bundles: Path, curves: str, said: str | None
) -> None:
    """A bind's ``curves`` list: HAProxy stops where OpenSSL rejects it ("unable to set SSL curves list"),
    and otherwise negotiates those groups only. tlslint used to read neither (no groups, no refusal)."""
    port, conf, versions = _haproxy(tmp_path, bundles, f"crt {{dir}}/ec.pem curves {curves}")
    checked = subprocess.run(
        [HAPROXY, "-c", "-f", str(conf)],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        env=servers.openssl_env(conf.parent / "openssl.cnf"),
        check=False,
    )
    assert (checked.returncode == 0) == (said is None), checked.stdout + checked.stderr
    errors = [d.message for d in _inputs(conf, versions).diagnostics if d.severity == "error"]
    assert errors == ([] if said is None else [f"HAProxy refuses to start: {said.format(openssl=versions['openssl'])}"])
    if said is not None:
        return
    endpoint = servers.predict(conf, versions)[f"haproxy:bind[fe-main:127.0.0.1:{port}]"]
    assert endpoint["settings"]["groups"]["value"] == ["x25519", "secp384r1"]
    with _run_haproxy(conf, port):
        assert _handshake_with_group(port, "X25519") and _handshake_with_group(port, "secp384r1")
        assert not _handshake_with_group(port, "P-256")
