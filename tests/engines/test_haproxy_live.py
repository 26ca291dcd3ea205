"""Real HAProxy versus ``tlslint inspect``: the protocols and suites a ``bind`` accepts in handshakes
must equal the prediction exactly (ARCHITECTURE §12). Same method as test_apache_live.py, through
``servers.py``: a fresh directory per configuration, certificates generated at test time,
``haproxy -f CONF -db`` on a free port on 127.0.0.1, ``OPENSSL_CONF`` pointing at an ``openssl.cnf``
without ``system_default``.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from engines import probe, servers

HAPROXY = servers.find_binary("haproxy", "/usr/sbin/haproxy") or "/usr/sbin/haproxy"

pytestmark = [
    pytest.mark.skipif(not os.path.exists(HAPROXY), reason="HAProxy (Debian package haproxy) is not installed"),
    pytest.mark.skipif(not probe.openssl_available(), reason="the openssl command is not installed"),
]

BASE = """\
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
    server app1 127.0.0.1:9 ssl verify none
"""


def _cfg(bind: str, globals_: str = "") -> str:
    return BASE.replace("{globals}", globals_ or "    maxconn 100").replace("{bind}", bind)


# name -> haproxy.cfg. Placeholders: {dir}, {port}.
CONFIGS: dict[str, str] = {
    "defaults-rsa": _cfg("crt {dir}/rsa.pem"),
    "defaults-ecdsa": _cfg("crt {dir}/ec.pem"),
    "global-ciphers": _cfg(
        "crt {dir}/rsa.pem",
        "    ssl-default-bind-ciphers ECDHE+AESGCM:ECDHE+CHACHA20\n"
        "    ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256",
    ),
    "legacy-seclevel0": _cfg("crt {dir}/rsa.pem ssl-min-ver TLSv1.0 ciphers DEFAULT:@SECLEVEL=0"),
    "global-options-no-flags": _cfg(
        "crt {dir}/rsa.pem",
        "    ssl-default-bind-options ssl-min-ver TLSv1.0 no-tlsv10 no-tls-tickets\n"
        "    ssl-default-bind-ciphers ALL:!aNULL:@SECLEVEL=0",
    ),
    "max-ver-aliases": _cfg("crt {dir}/rsa.pem ssl-max-ver TLSv1.2 ciphers aRSA+AES:!SHA256:!SHA384"),
    "bind-overrides-global": _cfg(
        "crt {dir}/ec.pem ciphers ECDHE-ECDSA-AES128-SHA:AES128-SHA:ECDHE-ECDSA-CHACHA20-POLY1305"
        " ciphersuites TLS_AES_256_GCM_SHA384",
        "    ssl-default-bind-ciphers HIGH\n    ssl-default-bind-options ssl-min-ver TLSv1.1",
    ),
    "bind-no-tlsv13": _cfg("crt {dir}/rsa.pem no-tlsv13 ciphers ECDHE+AES128"),
    "dh-param-file": _cfg("crt {dir}/rsa.pem ciphers DHE+AESGCM:ECDHE+AESGCM", "    ssl-dh-param-file {dir}/dh.pem"),
    "seclevel3-ecdsa": _cfg("crt {dir}/ec.pem ciphers DEFAULT:@SECLEVEL=3"),
}


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Path:
    return servers.make_certificates(tmp_path_factory.mktemp("certs"), bundles=True, dh=True)


def haproxy_version() -> str:
    out = subprocess.run([HAPROXY, "-v"], capture_output=True, text=True, check=False).stdout
    return out.split("version ")[1].split()[0] if "version " in out else "2.6.12"


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_haproxy_accepts_what_tlslint_predicts(name: str, tmp_path: Path, certificates: Path) -> None:
    port = probe.free_port()
    servers.copy_files(certificates, tmp_path, ["*.pem"])  # the certificates, their keys and DH parameters
    config = tmp_path / "haproxy.cfg"
    config.write_text(CONFIGS[name].format(dir=tmp_path, port=port), encoding="utf-8")
    (tmp_path / "openssl.cnf").write_text("# no system_default\n")
    predicted = servers.predict(config, servers.engine_versions("haproxy", haproxy_version()))
    endpoint_id = f"haproxy:bind[fe-main:127.0.0.1:{port}]"
    assert endpoint_id in predicted, sorted(predicted)
    assert predicted[endpoint_id]["bind"] == {"address": "127.0.0.1", "port": port}
    with servers.running(
        [HAPROXY, "-f", str(config), "-db"],
        ports=[port],
        name="haproxy",
        env=servers.openssl_env(tmp_path / "openssl.cnf"),
    ):
        expected = servers.offer(predicted[endpoint_id])
        actual = probe.accepted(port)
    assert actual == expected, f"{name}: server accepts {actual}, tlslint predicted {expected}"


@pytest.mark.parametrize(
    ("words", "said"),
    [
        ("ssl-min-ver tlsv1.0", "'tlsv1.0' : unknown ssl/tls version"),
        ("SSL-MIN-VER TLSv1.0", "unknown keyword 'SSL-MIN-VER' (keywords are lower case)"),
        ("verify NONE", "verify 'NONE' is none of none, optional, required"),
        ("ssl-min-ver TLSv1.2 verify none", None),
        ("global: ssl-server-verify NONE", "ssl-server-verify 'NONE' is not none or required"),
        ("global: tune.ssl.keylog ON", "tune.ssl.keylog 'ON' is not on or off"),
        ("global: ssl-server-verify none", None),
        ("ciphers BOGUS", "no cipher matches 'BOGUS'"),
        ("ciphersuites TLS_BOGUS", "no TLS 1.3 cipher suite matches 'TLS_BOGUS'"),
        ("ciphers HIGH:BOGUS", None),  # OpenSSL skips a word it does not know
        ("global: ssl-default-bind-ciphers @SECLEVEL=0", "no cipher matches '@SECLEVEL=0'"),
    ],
)
def test_haproxy_reads_keywords_and_values_exactly(
    words: str, said: str | None, tmp_path: Path, certificates: Path
) -> None:
    """Where ``haproxy -c`` refuses a spelling (on the bind line, or in ``global``), tlslint says HAProxy
    refuses to start."""
    servers.copy_files(certificates, tmp_path, ["*.pem"])
    config = tmp_path / "haproxy.cfg"
    bind, global_ = ("", "    " + words.removeprefix("global: ")) if words.startswith("global: ") else (words, "")
    config.write_text(_cfg(f"crt {{dir}}/rsa.pem {bind}", global_).format(dir=tmp_path, port=probe.free_port()))
    checked = subprocess.run([HAPROXY, "-c", "-f", str(config)], capture_output=True, text=True, check=False)
    assert (checked.returncode != 0) == (said is not None), checked.stdout + checked.stderr
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    inputs = parse_inputs([str(config)], ParseContext(at=servers.AT))
    errors = [d.message for d in inputs.diagnostics if d.severity == "error"]
    assert errors == ([f"HAProxy refuses to start: {said}"] if said else [])


@pytest.mark.parametrize(
    ("written", "spelled", "said"),
    [
        ("    bind ", "    Bind ", "unknown keyword 'Bind' (keywords are lower case)"),
        ("    server app1", "    SERVER app1", "unknown keyword 'SERVER' (keywords are lower case)"),
        ("frontend fe-main", "Frontend fe-main", "unknown keyword 'Frontend' (keywords are lower case)"),
        (
            "    maxconn 100",
            "    SSL-Default-Bind-Ciphers HIGH",
            "unknown keyword 'SSL-Default-Bind-Ciphers' (keywords are lower case)",
        ),
        ("    maxconn 100", "    ssl-default-bind-ciphers HIGH", None),
        ("    timeout client 5s", "    timeout Client 5s", "'timeout' does not know 'Client' (names are lower case)"),
    ],
    ids=["bind", "server", "section", "global", "global-lower", "timeout-name"],
)
def test_haproxy_knows_section_keywords_in_lower_case_only(
    written: str, spelled: str, said: str | None, tmp_path: Path, certificates: Path
) -> None:
    """``Bind``, ``SERVER``, a ``Frontend`` header or a global keyword in capitals: ``haproxy -c`` stops
    ("unknown keyword"), and tlslint says HAProxy refuses to start instead of reading the line."""
    servers.copy_files(certificates, tmp_path, ["*.pem"])
    config = tmp_path / "haproxy.cfg"
    text = _cfg("crt {dir}/rsa.pem").format(dir=tmp_path, port=probe.free_port())
    assert written in text
    config.write_text(text.replace(written, spelled, 1))
    checked = subprocess.run([HAPROXY, "-c", "-f", str(config)], capture_output=True, text=True, check=False)
    assert (checked.returncode != 0) == (said is not None), checked.stdout + checked.stderr
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    inputs = parse_inputs([str(config)], ParseContext(at=servers.AT))
    errors = [d.message for d in inputs.diagnostics if d.severity == "error"]
    assert errors == ([f"HAProxy refuses to start: {said}"] if said else [])
