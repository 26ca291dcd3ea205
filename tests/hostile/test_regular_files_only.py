"""Only regular files are opened (issue 10, item 6): FIFOs under any name, links to ``/dev/stdin`` and
``/dev/zero``, devices — met while walking the tree *and* named by a configuration (includes,
certificates, HAProxy ``crt``). Opening a FIFO for reading blocks until a writer comes, reading
``/dev/zero`` never ends: either hangs the CI job. Generated at test time (git cannot store them)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hostile.harness import assert_survived, run_limited

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")

#: A FIFO read would block forever: a short limit keeps a regression from stalling the suite.
TIMEOUT = 30.0
INSECURE_CURL = "#!/bin/sh\ncurl -k https://fw.example/fw.bin -o /tmp/fw.bin\n"


def _repo(tmp_path: Path) -> Path:
    tree = tmp_path / "repo"
    (tree / ".git").mkdir(parents=True)
    (tree / "fetch.sh").write_text(INSECURE_CURL)  # the finding that must survive next to the trap
    return tree


def _diagnostics(outcome) -> dict[str, str]:
    return {d["location"]["path"]: d["message"] for d in json.loads(outcome.out)["diagnostics"]}


def _findings(outcome) -> set[tuple[str, str]]:
    return {(f["location"]["path"], f["rule_id"]) for f in json.loads(outcome.out)["findings"]}


@pytest.mark.parametrize("name", ["nginx.conf", "server.pem", "notes.txt", "openssl.cnf"])
def test_a_fifo_in_the_tree_is_skipped_with_a_warning(tmp_path: Path, name: str) -> None:
    tree = _repo(tmp_path)
    os.mkfifo(tree / name)
    outcome = run_limited("check", ".", "--format", "json", cwd=tree, timeout=TIMEOUT)
    assert_survived(outcome)
    assert ("fetch.sh", "TLS-VERIFY-001") in _findings(outcome)
    assert "named pipe" in _diagnostics(outcome)[name]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/stdin", "/dev/null"])
def test_links_to_devices_are_not_read(tmp_path: Path, device: str) -> None:
    tree = _repo(tmp_path)
    (tree / "nginx.conf").symlink_to(device)
    (tree / "bundle.pem").symlink_to(device)
    # SARIF: the renderer used to re-read every file it points at, /dev/zero to a MemoryError.
    for fmt in ("json", "sarif"):
        outcome = run_limited("check", ".", "--format", fmt, cwd=tree, timeout=TIMEOUT, memory_mib=512)
        assert_survived(outcome)
        assert "TLS-VERIFY-001" in outcome.out


def test_a_fifo_named_on_the_command_line_is_an_input_error(tmp_path: Path) -> None:
    tree = _repo(tmp_path)
    os.mkfifo(tree / "haproxy.cfg")
    outcome = run_limited("check", "haproxy.cfg", "fetch.sh", "--format", "json", cwd=tree, timeout=TIMEOUT)
    assert_survived(outcome)
    assert outcome.code == 3
    assert "named pipe" in _diagnostics(outcome)["haproxy.cfg"]
    assert ("fetch.sh", "TLS-VERIFY-001") in _findings(outcome)


CONFIGS = {
    "nginx": (
        "nginx.conf",
        "events {}\nhttp {\n  include trap.conf;\n  server {\n    listen 443 ssl;\n"
        "    ssl_certificate trap.pem;\n    ssl_certificate_key trap.key;\n    ssl_protocols TLSv1 TLSv1.2;\n  }\n}\n",
        "TLS-KX-001",
    ),
    "apache": (
        "httpd.conf",
        "Listen 443\nInclude trap.conf\n<VirtualHost *:443>\n  SSLEngine on\n  SSLProtocol all\n"
        "  SSLCertificateFile trap.pem\n  SSLCertificateKeyFile trap.key\n</VirtualHost>\n",
        "TLS-KX-001",
    ),
    "haproxy": (
        "haproxy.cfg",
        "frontend fe\n  bind :443 ssl crt trap.pem ca-file trap.key ssl-min-ver TLSv1.0\n",
        "TLS-KX-001",
    ),
    "openssl": (
        "openssl.cnf",
        "openssl_conf = init\n.include trap.conf\n[init]\nssl_conf = s\n[s]\nsystem_default = d\n[d]\n"
        "MinProtocol = TLSv1\n",
        "TLS-KX-001",
    ),
}


@pytest.mark.parametrize("engine", sorted(CONFIGS))
@pytest.mark.parametrize("trap", ["fifo", "/dev/stdin", "/dev/zero"])
def test_paths_a_configuration_names_are_regular_files_only(tmp_path: Path, engine: str, trap: str) -> None:
    """Includes, certificates, keys and CA files named by nginx, Apache, HAProxy and openssl.cnf."""
    tree = _repo(tmp_path)
    name, text, rule = CONFIGS[engine]
    if engine == "apache":
        text = f'ServerRoot "{tree}"\n' + text
    (tree / name).write_text(text)
    for target in ("trap.conf", "trap.pem", "trap.key"):
        if trap == "fifo":
            os.mkfifo(tree / target)
        else:
            (tree / target).symlink_to(trap)
    # Named on the command line: only the configuration itself, so every trap is met through it.
    outcome = run_limited(
        "check", name, "fetch.sh", "--format", "json", "--allow-read", "/dev", cwd=tree, timeout=TIMEOUT
    )
    assert_survived(outcome)
    assert (name, rule) in _findings(outcome), outcome.out[-3000:]
    assert ("fetch.sh", "TLS-VERIFY-001") in _findings(outcome)
