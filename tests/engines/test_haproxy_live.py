"""Real HAProxy versus ``tlslint inspect``: the protocols and suites a ``bind`` accepts in handshakes
must equal the prediction exactly (ARCHITECTURE §12). Same method as test_apache_live.py: a fresh
directory per configuration, certificates generated at test time, ``haproxy -f CONF -db`` on a free
port on 127.0.0.1, ``OPENSSL_CONF`` pointing at an ``openssl.cnf`` without ``system_default``.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from engines import probe

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"

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
    directory = tmp_path_factory.mktemp("certs")
    for name, args in (
        ("rsa", ["-newkey", "rsa:2048"]),
        ("ec", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]),
    ):
        key, crt = directory / f"{name}.key", directory / f"{name}.crt"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                *args,
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-keyout",
                str(key),
                "-out",
                str(crt),
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "OPENSSL_CONF": os.devnull},
        )
        (directory / f"{name}.pem").write_text(crt.read_text() + key.read_text())
    subprocess.run(
        ["openssl", "dhparam", "-out", str(directory / "dh.pem"), "2048"],
        check=True,
        capture_output=True,
        env={**os.environ, "OPENSSL_CONF": os.devnull},
    )
    return directory


def engine_versions() -> dict[str, str]:
    out = subprocess.run([HAPROXY, "-v"], capture_output=True, text=True, check=False).stdout
    version = out.split("version ")[1].split()[0] if "version " in out else "2.6.12"
    versions = {"haproxy": version, "openssl": probe.openssl_version()}
    level = probe.build_security_level()
    if level is not None:
        versions["openssl-seclevel"] = str(level)
    return versions


def predict(config: Path) -> dict[str, dict]:
    from tlslint.report.json import inspect_report
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    inputs = parse_inputs(
        [str(config)], ParseContext(at=datetime.date(2026, 11, 24), engine_versions=engine_versions())
    )
    report = json.loads(inspect_report(inputs))
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert not errors, errors
    return {e["id"]: e for e in report["endpoints"]}


def _normalise(effective: dict) -> dict:
    protocols = list(effective["protocols"] or [])
    return {
        "protocols": protocols,
        "cipher_suites": {v: sorted(effective["cipher_suites"].get(v, [])) for v in protocols},
    }


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_haproxy_accepts_what_tlslint_predicts(name: str, tmp_path: Path, certificates: Path) -> None:
    port = probe.free_port()
    for cert in certificates.glob("*.pem"):  # the certificates, their keys and DH parameters
        shutil.copy(cert, tmp_path / cert.name)
    config = tmp_path / "haproxy.cfg"
    config.write_text(CONFIGS[name].format(dir=tmp_path, port=port), encoding="utf-8")
    (tmp_path / "openssl.cnf").write_text("# no system_default\n")
    predicted = predict(config)
    endpoint_id = f"haproxy:bind[fe-main:127.0.0.1:{port}]"
    assert endpoint_id in predicted, sorted(predicted)
    assert predicted[endpoint_id]["bind"] == {"address": "127.0.0.1", "port": port}
    env = {**os.environ, "OPENSSL_CONF": str(tmp_path / "openssl.cnf")}
    process = subprocess.Popen(
        [HAPROXY, "-f", str(config), "-db"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        if not probe.wait_for_port(port):
            process.kill()
            pytest.fail(f"haproxy did not start:\n{process.communicate()[0].decode()}")
        expected = _normalise(predicted[endpoint_id]["effective"])
        actual = probe.accepted(port)
        assert actual == expected, f"{name}: server accepts {actual}, tlslint predicted {expected}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
