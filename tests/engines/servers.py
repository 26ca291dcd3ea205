"""Start real TLS servers for the live-engine tests and ask tlslint what it predicts for them.

Shared by test_nginx_real.py, test_apache_live.py and test_haproxy_live.py (ARCHITECTURE §12); what a
server then accepts is probed by :mod:`probe`. The pieces:

* :func:`find_binary` — where an engine is installed (``None``: the test module skips);
* :func:`make_certificates` — throw-away RSA and ECDSA certificates (``rsa.crt``/``rsa.key``,
  ``ec.crt``/``ec.key``), optionally as ``.pem`` bundles (certificate then key, as HAProxy wants)
  and ``dh.pem`` (the RFC 7919 ffdhe2048 group);
* :func:`engine_versions` — the ``--engine-version`` of the machine under test: the engine's version
  plus the local OpenSSL's version and build security level;
* :func:`predict` — ``tlslint inspect --format json`` computed in-process, endpoints by id;
  :func:`offer` — an endpoint's ``effective`` block in the shape :func:`probe.accepted` returns;
* :func:`running` — a context manager that starts a server, waits until its ports accept
  connections (or fails the test with the server's output and logs), and stops it afterwards.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from engines import probe

__all__ = [
    "AT",
    "copy_files",
    "engine_versions",
    "find_binary",
    "make_certificates",
    "offer",
    "openssl_env",
    "predict",
    "running",
]

#: The date predictions are made for (certificate checks do not rot with the calendar).
AT = datetime.date(2026, 11, 24)
#: How long a server may take to accept connections, and to stop.
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0


def find_binary(name: str, *fallbacks: str) -> str | None:
    """The engine's executable on ``PATH``, else the first fallback path that exists."""
    return shutil.which(name) or next((path for path in fallbacks if os.path.exists(path)), None)


def openssl_env(conf: Path | str | None = None) -> dict[str, str]:
    """The environment with ``OPENSSL_CONF`` set: a server reads only the policy the test wrote, and the
    ``openssl`` command (``conf`` None) reads none at all."""
    return {**os.environ, "OPENSSL_CONF": str(conf) if conf is not None else os.devnull}


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, env=openssl_env())


_KEYS = {"rsa": ("-newkey", "rsa:2048"), "ec": ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")}


def make_certificates(
    directory: Path, *, bundles: bool = False, dh: bool = False, weak_dh: bool = False, days: int = 30
) -> Path:
    """Self-signed ``CN=localhost`` certificates in ``directory``: ``rsa.crt``/``rsa.key`` (RSA 2048) and
    ``ec.crt``/``ec.key`` (P-256); with ``bundles`` also ``rsa.pem``/``ec.pem`` (certificate + key in one
    file); with ``dh`` also ``dh.pem`` (ffdhe2048 parameters); with ``weak_dh`` also ``dh1024.pem`` (a
    1024-bit group, for the security-level tests). Returns ``directory``."""
    for name, key_args in _KEYS.items():
        _openssl(
            "req", "-x509", *key_args, "-nodes", "-days", str(days), "-subj", "/CN=localhost",
            "-keyout", f"{name}.key", "-out", f"{name}.crt", cwd=directory,
        )  # fmt: skip
        if bundles:
            pem = (directory / f"{name}.crt").read_text() + (directory / f"{name}.key").read_text()
            (directory / f"{name}.pem").write_text(pem)
    if dh:
        _openssl(
            "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", "-out", "dh.pem", cwd=directory
        )
    if weak_dh:
        _openssl("dhparam", "-out", "dh1024.pem", "1024", cwd=directory)
    return directory


def copy_files(source: Path, target: Path, patterns: Iterable[str] = ("*",)) -> None:
    """Copy the files of ``source`` matching ``patterns`` into ``target`` (each test's own directory)."""
    for pattern in patterns:
        for path in source.glob(pattern):
            if path.is_file():
                shutil.copy(path, target / path.name)


def engine_versions(engine: str, version: str, **extra: str) -> dict[str, str]:
    """``--engine-version`` for ``engine`` at ``version`` on this machine's OpenSSL; ``extra`` adds keys
    such as ``openssl-conf`` (write ``openssl_conf=...``)."""
    versions = {engine: version, "openssl": probe.openssl_version()}
    level = probe.build_security_level()
    if level is not None:
        versions["openssl-seclevel"] = str(level)
    versions.update({key.replace("_", "-"): value for key, value in extra.items()})
    return versions


def predict(path: Path, versions: dict[str, str]) -> dict[str, dict]:
    """``tlslint inspect --format json`` on ``path`` as the CLI computes it: the endpoints by id. Fails
    the test when tlslint reports an error diagnostic."""
    from tlslint.report.json import inspect_report
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    inputs = parse_inputs([str(path)], ParseContext(at=AT, engine_versions=versions))
    report = json.loads(inspect_report(inputs))
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert not errors, errors
    return {endpoint["id"]: endpoint for endpoint in report["endpoints"]}


def offer(endpoint: dict) -> dict:
    """An endpoint's predicted offer in the shape of :func:`probe.accepted`: protocols in order, the suites
    of each as a sorted list (handshakes cannot see preference order)."""
    effective = endpoint["effective"]
    protocols = list(effective["protocols"] or [])
    suites = effective["cipher_suites"]
    # Suites predicted for a version that is not offered stay in, so such a prediction fails the test.
    versions = protocols + [version for version in suites if version not in protocols]
    return {"protocols": protocols, "cipher_suites": {version: sorted(suites.get(version, [])) for version in versions}}


@contextmanager
def running(
    command: Sequence[str],
    *,
    ports: Iterable[int],
    name: str,
    env: dict[str, str] | None = None,
    logs: Iterable[Path] = (),
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` (a server in the foreground) until the block ends. Waits until every port accepts a
    connection; if one does not, kills the server and fails the test with its output and ``logs``. The
    server gets its own session (httpd signals its whole process group when it stops), is sent SIGTERM
    at the end and killed if it has not stopped within :data:`STOP_TIMEOUT` seconds."""
    # The server's output goes to a file, not a pipe nobody reads (a full pipe would block the server).
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            list(command), env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            for port in ports:
                if not probe.wait_for_port(port, timeout=START_TIMEOUT):
                    process.kill()
                    process.wait(timeout=STOP_TIMEOUT)
                    output.seek(0)
                    said = output.read().decode(errors="replace")
                    written = "\n".join(log.read_text(errors="replace") for log in logs if log.exists())
                    pytest.fail(f"{name} did not start listening on 127.0.0.1:{port}:\n{said}\n{written}")
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
