"""Start-up stays lean: ``tlslint check`` of one file imports only what that file needs.

A pre-commit hook runs ``tlslint check`` on one or two files, and most of such a run is start-up:
importing modules and building what they define. These tests guard that without timing anything (a
shared machine makes timings flaky): they list the modules a real ``check`` of one nginx file, one curl
script and one certificate leaves in ``sys.modules``, on a warm cache as a hook runs, and fail when a
module that was taken off the path comes back (``docs/performance.md``, Start-up).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Never needed to check one file on a warm cache, whatever its kind: tabulate reads its version through
#: importlib.metadata (which imports the email package); the YAML parser and the schema validator are
#: only for bytes the caches do not know; worker processes only for large trees; the report command's
#: template engine never. The classes every run loads are records (tlslint.records), not dataclasses:
#: importing dataclasses (with inspect, ast and dis) and compiling their methods was ~30 % of such a run.
NEVER = (
    "dataclasses",
    "inspect",
    "tabulate",
    "importlib.metadata",
    "email",
    "yaml",
    "jsonschema",
    "multiprocessing",
    "concurrent",
    "jinja2",
    "difflib",
)
#: Never needed for a configuration file that names no certificate.
NOT_FOR_CONFIGURATIONS = ("cryptography", "tlslint.pki.facts", "tlslint.pki.load")
#: Never needed for one certificate that names another issuer and shares its file with nothing: chains
#: (path building, verification, bundle order) are looked at only for self-signed certificates, files of
#: several certificates and leaves with an anchor in the run.
NOT_FOR_ONE_LEAF = ("tlslint.pki.chain",)
#: Other sources and commands: an nginx file needs neither the Apache nor the OpenSSL parser, and
#: ``check`` needs no other sub-command's module.
NOT_FOR_NGINX = ("tlslint.sources.apache", "tlslint.sources.openssl_cnf", "tlslint.sources.haproxy")
OTHER_COMMANDS = tuple(
    f"tlslint.commands.{name}" for name in ("inspect", "ciphers", "explain", "rules", "frameworks", "report")
)

NGINX = """\
events {}
http {
    ssl_protocols TLSv1.2 TLSv1.3;
    server {
        listen 443 ssl;
        server_name example.com;
        ssl_ciphers HIGH:!aNULL;
        location / { proxy_pass https://backend; }
    }
}
"""
CURL = "#!/bin/sh\ncurl --tlsv1.2 -k https://example.com/api\n"
CONFIG = """\
fail-on: medium
engine-version:
  nginx: "1.24.0"
ignore: [TLS-PROTO-002]
"""


def _certificate() -> bytes:
    from tests.pki import pkigen

    # A leaf as a hook sees one (its issuing CA is not in the tree), with a finding that fails the check.
    issuer = pkigen.make("Startup Issuing CA", ca=True, key_slot=1)
    return pkigen.pem(pkigen.make("startup.example", issuer=issuer, key_kind="ec192"))


def _modules_after_check(tmp_path: Path, name: str, directory: str = "work") -> set[str]:
    """The modules a second ``tlslint check NAME`` in a fresh process imports (the first fills the caches)."""
    code = (
        "import contextlib, io, json, sys\n"
        "from tlslint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    code = main(['check', {name!r}])\n"
        "print(json.dumps([code, sorted(sys.modules)]))\n"
    )
    env = dict(os.environ, TLSLINT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("TLSLINT_NO_CACHE", None)
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path / directory, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
    exit_code, modules = json.loads(result.stdout)
    assert exit_code == 1, "the file has findings: the check really ran"
    return set(modules)


def _imported(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == name or m.startswith(name + ".") for name in names))


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "site.conf").write_text(NGINX, encoding="utf-8")
    (tmp_path / "work" / "fetch.sh").write_text(CURL, encoding="utf-8")
    (tmp_path / "work" / "cert.pem").write_bytes(_certificate())
    (tmp_path / "configured" / ".git").mkdir(parents=True)
    (tmp_path / "configured" / "site.conf").write_text(NGINX, encoding="utf-8")
    (tmp_path / "configured" / ".tlslint.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def test_one_nginx_file_imports_only_the_nginx_path(work: Path) -> None:
    modules = _modules_after_check(work, "site.conf")
    assert "tlslint.sources.nginx.build" in modules  # the file was read as nginx
    assert _imported(modules, NEVER + NOT_FOR_CONFIGURATIONS + NOT_FOR_NGINX + OTHER_COMMANDS) == []


def test_one_curl_script_imports_no_server_parsers(work: Path) -> None:
    modules = _modules_after_check(work, "fetch.sh")
    assert "tlslint.sources.curl" in modules
    assert _imported(modules, NEVER + NOT_FOR_CONFIGURATIONS + NOT_FOR_NGINX + ("tlslint.sources.nginx",)) == []


def test_one_certificate_imports_cryptography_but_nothing_heavier(work: Path) -> None:
    modules = _modules_after_check(work, "cert.pem")
    assert "cryptography.x509" in modules  # the positive control: the listing sees what a run imports
    never = tuple(name for name in NEVER if name != "email")  # cryptography.x509 imports email.utils itself
    assert _imported(modules, never + NOT_FOR_NGINX + ("tlslint.sources.nginx",) + OTHER_COMMANDS) == []
    assert _imported(modules, NOT_FOR_ONE_LEAF) == []


def test_a_repository_configuration_is_read_without_a_yaml_parser_on_a_warm_cache(work: Path) -> None:
    modules = _modules_after_check(work, "site.conf", directory="configured")
    assert "tlslint.config" in modules
    assert _imported(modules, NEVER + NOT_FOR_CONFIGURATIONS + NOT_FOR_NGINX + OTHER_COMMANDS) == []
