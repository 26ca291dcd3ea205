"""Ask a live TLS server what it accepts, one handshake at a time, with ``openssl s_client``.

Shared by the real-engine tests (nginx, Apache httpd, HAProxy). The client runs at security level
0 so that it never refuses what the server would accept; each protocol version is tried alone, then
each cipher suite alone within each accepted version. The result has the shape of
``effective`` in ``tlslint inspect --format json``: ``{"protocols": [...], "cipher_suites":
{"TLSv1.2": [IANA names], ...}}`` (suites as sets in list form, sorted; handshakes cannot see order).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache

__all__ = [
    "accepted",
    "build_security_level",
    "client_suites",
    "free_port",
    "handshake",
    "openssl_available",
    "openssl_version",
    "wait_for_port",
]

_FLAGS = {"TLSv1.0": "-tls1", "TLSv1.1": "-tls1_1", "TLSv1.2": "-tls1_2", "TLSv1.3": "-tls1_3"}
_TIMEOUT = 10


def openssl_available() -> bool:
    return shutil.which("openssl") is not None


@cache
def openssl_version() -> str:
    out = subprocess.run(["openssl", "version"], capture_output=True, text=True, check=True).stdout
    return out.split()[1]


@cache
def build_security_level() -> int | None:
    """The security level the local OpenSSL was built with (Debian: 2), if ``openssl version -a`` says."""
    out = subprocess.run(["openssl", "version", "-a"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"-DOPENSSL_TLS_SECURITY_LEVEL=(\d)", out)
    return int(match[1]) if match else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, host: str = "127.0.0.1", timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OPENSSL_CONF"] = os.devnull  # the client is not bound by the machine's system policy
    return env


def handshake(
    port: int,
    version: str,
    *,
    cipher: str | None = None,
    suite13: str | None = None,
    host: str = "127.0.0.1",
    servername: str | None = None,
) -> str | None:
    """One handshake; the negotiated cipher's OpenSSL name, or ``None`` if the server refused."""
    command = ["openssl", "s_client", "-connect", f"{host}:{port}", _FLAGS[version], "-no_ign_eof"]
    if servername:
        command += ["-servername", servername]
    if version == "TLSv1.3":
        command += [
            "-ciphersuites",
            suite13
            or "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"
            "TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256",
        ]
        command += ["-cipher", "ALL:@SECLEVEL=0"]
    else:
        command += ["-cipher", f"{cipher or 'ALL:COMPLEMENTOFALL'}:@SECLEVEL=0"]
    try:
        process = subprocess.run(command, input="", capture_output=True, text=True, timeout=_TIMEOUT, env=_env())
    except subprocess.TimeoutExpired:
        return None
    # "New, <cipher's own version>, Cipher is X" names the suite; the session's "Protocol :" line the version.
    # A TLS 1.3 suite is only ever negotiated in TLS 1.3 (whose session block may not be printed).
    cipher_match = re.search(r"^New, (\S+), Cipher is (\S+)", process.stdout, re.MULTILINE)
    protocol_match = re.search(r"^\s*Protocol\s*:\s*(\S+)", process.stdout, re.MULTILINE)
    if not cipher_match or cipher_match[2] == "(NONE)":
        return None
    if cipher_match[1] == "TLSv1.3":
        negotiated = "TLSv1.3"
    elif protocol_match:
        negotiated = {"TLSv1": "TLSv1.0"}.get(protocol_match[1], protocol_match[1])
    else:
        return None
    if negotiated != version:
        return None
    return cipher_match[2]


@cache
def client_suites() -> dict[str, str]:
    """OpenSSL name -> IANA name of every TLS <= 1.2 suite the local client can offer."""
    from tlslint.catalog.suites import lookup

    out = subprocess.run(
        ["openssl", "ciphers", "-V", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
    ).stdout
    names: dict[str, str] = {}
    for line in out.splitlines():
        parts = line.split()  # 0xC0,0x2C - ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH ...
        if len(parts) < 4 or parts[3] == "TLSv1.3":
            continue
        name = parts[2]
        suite = lookup(parts[0])
        if suite is not None and not suite.tls13 and "PSK" not in suite.kx and suite.kx != "SRP":
            names[name] = suite.iana_name
    return names


TLS13_SUITES = (
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_128_CCM_SHA256",
    "TLS_AES_128_CCM_8_SHA256",
)


def accepted(port: int, *, host: str = "127.0.0.1", servername: str | None = None, workers: int = 8) -> dict:
    """Every protocol version and, per version, every suite the server at ``host:port`` accepts."""
    versions = [v for v in _FLAGS if handshake(port, v, host=host, servername=servername)]
    suites: dict[str, list[str]] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for version in versions:
            if version == "TLSv1.3":
                jobs = {
                    name: pool.submit(handshake, port, version, suite13=name, host=host, servername=servername)
                    for name in TLS13_SUITES
                }
                suites[version] = sorted(name for name, job in jobs.items() if job.result())
            else:
                jobs = {
                    iana: pool.submit(handshake, port, version, cipher=name, host=host, servername=servername)
                    for name, iana in client_suites().items()
                }
                suites[version] = sorted(iana for iana, job in jobs.items() if job.result())
    return {"protocols": versions, "cipher_suites": suites}
