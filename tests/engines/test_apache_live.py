"""Real Apache httpd versus ``tlslint inspect``: what the server accepts in handshakes must equal what
tlslint predicted, protocol by protocol and suite by suite (ARCHITECTURE §12).

Each configuration is written to a fresh directory with certificates generated at test time, httpd
(Debian's ``apache2`` with ``mod_ssl``) is started on a free port on 127.0.0.1 with its own config
(``servers.py`` runs it), and ``probe.py`` tries every protocol and every suite. The server's OpenSSL
reads an ``openssl.cnf`` we write (no ``system_default``), so the prediction needs only the OpenSSL version
and the build's security level (Debian builds 3.0 with level 2), both read from the machine.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from engines import probe, servers

APACHE = servers.find_binary("apache2", "/usr/sbin/apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")

pytestmark = [
    pytest.mark.skipif(not os.path.exists(APACHE), reason="Apache httpd (Debian package apache2) is not installed"),
    pytest.mark.skipif(
        not (MODULES / "mod_ssl.so").exists(), reason="mod_ssl.so not found in /usr/lib/apache2/modules"
    ),
    pytest.mark.skipif(not probe.openssl_available(), reason="the openssl command is not installed"),
]

BASE = """\
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
User nobody
Group nogroup
StartServers 2
DocumentRoot "{dir}"
"""

VHOST = """\
<VirtualHost 127.0.0.1:{port}>
    SSLEngine on
{body}
</VirtualHost>
"""

RSA = "    SSLCertificateFile {dir}/rsa.crt\n    SSLCertificateKeyFile {dir}/rsa.key"
EC = "    SSLCertificateFile {dir}/ec.crt\n    SSLCertificateKeyFile {dir}/ec.key"


def _single(body: str, server: str = "") -> dict[str, str]:
    return {"httpd.conf": BASE + "Listen 127.0.0.1:{port}\n" + server + VHOST.format(port="{port}", body=body)}


# name -> files (httpd.conf is the main file). Placeholders: {dir}, {port}, {port2}, {modules}.
CONFIGS: dict[str, dict[str, str]] = {
    # Nothing about protocols or ciphers written: mod_ssl's and OpenSSL's defaults (origin: default).
    "defaults-rsa": _single(RSA),
    "defaults-ecdsa": _single(EC),
    "protocol-tls12-only": _single(RSA + "\n    SSLProtocol -all +TLSv1.2"),
    "protocol-legacy-seclevel0": _single(
        RSA + "\n    SSLProtocol all -TLSv1.3\n    SSLCipherSuite DEFAULT:@SECLEVEL=0"
    ),
    # mod_ssl fills no holes: max TLS 1.3, and TLS 1.2 is off, so the minimum is TLS 1.3 too.
    "protocol-hole": _single(RSA + "\n    SSLProtocol -all +TLSv1 +TLSv1.3\n    SSLCipherSuite ALL:@SECLEVEL=0"),
    "ciphers-aliases": _single(RSA + "\n    SSLCipherSuite ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AES256:!SHA1:!SHA256"),
    "ciphers-tls13-form": _single(
        RSA + "\n    SSLCipherSuite HIGH:MEDIUM:!MD5:!RC4:!3DES"
        "\n    SSLCipherSuite TLSv1.3 TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256"
    ),
    "seclevel3-ecdsa": _single(EC + "\n    SSLCipherSuite DEFAULT:@SECLEVEL=3"),
    "ecdsa-mixed-list": _single(
        EC + "\n    SSLCipherSuite ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"
        ":AES128-SHA:ECDHE-ECDSA-AES128-SHA"
    ),
    "dual-certificates": _single(RSA + "\n" + EC + "\n    SSLCipherSuite ECDHE:AES256-SHA:@SECLEVEL=1"),
    "openssl-conf-cmd": _single(
        RSA + "\n    SSLProtocol all\n    SSLCipherSuite ALL:@SECLEVEL=0"
        "\n    SSLOpenSSLConfCmd MinProtocol TLSv1.1"
        "\n    SSLOpenSSLConfCmd CipherString ECDHE+AESGCM:AES128-SHA"
        "\n    SSLOpenSSLConfCmd Ciphersuites TLS_AES_256_GCM_SHA384"
    ),
    # Server-level settings inherited by two virtual hosts; the second overrides the cipher list.
    "inheritance": {
        "httpd.conf": BASE
        + "Listen 127.0.0.1:{port}\nListen 127.0.0.1:{port2}\n"
        + "SSLProtocol -all +TLSv1.2 +TLSv1.1\nSSLCipherSuite ECDHE+AESGCM:AES256-SHA:@SECLEVEL=0\n"
        + "SSLCertificateFile {dir}/rsa.crt\nSSLCertificateKeyFile {dir}/rsa.key\n"
        + "<VirtualHost 127.0.0.1:{port}>\n    SSLEngine on\n</VirtualHost>\n"
        + "<VirtualHost 127.0.0.1:{port2}>\n    SSLEngine on\n    SSLCipherSuite CHACHA20\n</VirtualHost>\n"
    },
    # Includes relative to ServerRoot, Define/${VAR}, IfModule and IfDefine deciding what applies.
    "includes": {
        "httpd.conf": BASE
        + "Define TLSDIR {dir}\nListen 127.0.0.1:{port}\n"
        + "<IfModule mod_ssl.c>\n    Include conf.d/ssl-*.conf\n</IfModule>\n"
        + "<IfDefine !NOPE>\n    IncludeOptional sites/*.conf\n</IfDefine>\n"
        + "<IfModule !mod_ssl.c>\n    SSLProtocol all\n</IfModule>\n",
        "conf.d/ssl-params.conf": "SSLProtocol -all +TLSv1.2\nSSLCipherSuite AESGCM\nSSLHonorCipherOrder on\n",
        "sites/site.conf": "<VirtualHost 127.0.0.1:{port}>\n    SSLEngine on\n"
        "    SSLCertificateFile ${{TLSDIR}}/ec.crt\n    SSLCertificateKeyFile ${{TLSDIR}}/ec.key\n"
        "    SSLCipherSuite TLSv1.3 TLS_CHACHA20_POLY1305_SHA256\n</VirtualHost>\n",
    },
    # Debian's mods-available/ssl.conf values at server level, a default-ssl style vhost.
    "debian-default": {
        "httpd.conf": BASE
        + "Listen 127.0.0.1:{port}\n"
        + "<IfModule mod_ssl.c>\n    SSLCipherSuite HIGH:!aNULL\n    SSLProtocol all -SSLv3\n"
        + "    SSLSessionTickets off\n</IfModule>\n"
        + VHOST.format(port="{port}", body=RSA)
    },
}

#: Endpoint ids each configuration must produce, with the port placeholder they listen on.
ENDPOINTS = {"inheritance": {"apache:vhost[127.0.0.1:{port}]": "port", "apache:vhost[127.0.0.1:{port2}]": "port2"}}


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Path:
    return servers.make_certificates(tmp_path_factory.mktemp("certs"))


def apache_version() -> str:
    out = subprocess.run([APACHE, "-v"], capture_output=True, text=True, check=False).stdout
    return out.split("Apache/")[1].split()[0] if "Apache/" in out else "2.4.62"


def _write(name: str, directory: Path, certs: Path, ports: dict[str, int]) -> Path:
    servers.copy_files(certs, directory)
    os.chmod(directory, 0o755)
    for relative, template in CONFIGS[name].items():
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.format(dir=directory, modules=MODULES, **ports), encoding="utf-8")
    (directory / "openssl.cnf").write_text("# no system_default: the server runs on OpenSSL's built-in policy\n")
    return directory / "httpd.conf"


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_apache_accepts_what_tlslint_predicts(name: str, tmp_path: Path, certificates: Path) -> None:
    ports = {"port": probe.free_port(), "port2": probe.free_port()}
    main = _write(name, tmp_path, certificates, ports)
    predicted = servers.predict(main, servers.engine_versions("apache", apache_version()))
    wanted = ENDPOINTS.get(name, {"apache:vhost[127.0.0.1:{port}]": "port"})
    with servers.running(
        [APACHE, "-f", str(main), "-DFOREGROUND"],
        ports=[ports[port_name] for port_name in wanted.values()],
        name="httpd",
        env=servers.openssl_env(tmp_path / "openssl.cnf"),
        logs=[tmp_path / "error.log"],
    ):
        for anchor, port_name in wanted.items():
            endpoint_id = anchor.format(**ports)
            assert endpoint_id in predicted, f"tlslint found {sorted(predicted)}"
            expected = servers.offer(predicted[endpoint_id])
            actual = probe.accepted(ports[port_name])
            assert actual == expected, f"{name} {endpoint_id}: server accepts {actual}, tlslint predicted {expected}"
