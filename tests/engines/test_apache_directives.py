"""mod_ssl's directive table (``tlslint.catalog.apache_directives``) against the real ``apache2``: for every
directive of the table and a few misspelt ones, ``apache2 -t`` says "Invalid command" exactly when tlslint
says the release does not know it (the version given, so tlslint's answer is an error, not a warning)."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from engines import servers

from tlslint.catalog._apache_ssl_directive_data import NEWEST
from tlslint.catalog.apache_directives import DIRECTIVES, ssl_directive_problem
from tlslint.catalog.releases import span_of

APACHE = servers.find_binary("apache2", "/usr/sbin/apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")

pytestmark = [
    pytest.mark.skipif(not os.path.exists(APACHE), reason="Apache httpd (Debian package apache2) is not installed"),
    pytest.mark.skipif(not (MODULES / "mod_ssl.so").exists(), reason="mod_ssl.so not in /usr/lib/apache2/modules"),
]

CONFIG = """\
ServerRoot "{dir}"
DefaultRuntimeDir "{dir}"
PidFile "{dir}/httpd.pid"
ErrorLog "{dir}/error.log"
ServerName localhost
LoadModule mpm_prefork_module {modules}/mod_mpm_prefork.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule socache_shmcb_module {modules}/mod_socache_shmcb.so
LoadModule ssl_module {modules}/mod_ssl.so
{directive} x
"""

MISSPELT = ["SSLProtcol", "SSLHonourCipherOrder", "SSLCipherSuites", "SSLCertificateChain", "sslprotocol"]
CASES = [*DIRECTIVES, *MISSPELT]


def _version() -> str:
    shown = subprocess.run([APACHE, "-v"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Apache/(\d+\.\d+\.\d+)", shown)
    assert match, shown
    return match[1]


@pytest.fixture(scope="module")
def invalid(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bool]:
    """Per directive, whether ``apache2 -t`` calls it an invalid command."""
    directory = tmp_path_factory.mktemp("directives")
    answers = {}
    for name in CASES:
        config = directory / f"{name}.conf"
        config.write_text(CONFIG.format(dir=directory, modules=MODULES, directive=name))
        checked = subprocess.run([APACHE, "-t", "-f", str(config)], capture_output=True, text=True, check=False)
        answers[name] = f"Invalid command '{name}'" in checked.stdout + checked.stderr
    return answers


@pytest.mark.parametrize("name", CASES)
def test_tlslint_says_httpd_refuses_a_directive_exactly_when_it_does(
    name: str, invalid: dict[str, bool], tmp_path: Path
) -> None:
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    config = tmp_path / "httpd.conf"
    config.write_text(CONFIG.format(dir=tmp_path, modules=MODULES, directive=name))
    inputs = parse_inputs([str(config)], ParseContext(at=servers.AT, engine_versions={"apache": _version()}))
    said = [d for d in inputs.diagnostics if f"'{name}'" in d.message]
    assert bool(said) == invalid[name], f"apache2 -t: invalid={invalid[name]}; tlslint said {said}"
    if name in MISSPELT or span_of(_version(), 3)[1] <= NEWEST:  # else a newer release might know it
        assert all(d.severity == "error" for d in said)


def test_every_directive_the_local_mod_ssl_declares_is_known() -> None:
    """The names in ``mod_ssl.so`` that ``apache2 -t`` takes as commands are directives tlslint knows for
    that release: none of them is reported (a directive newer than the tables would be a false error)."""
    names = sorted(set(re.findall(rb"SSL[A-Z][A-Za-z0-9]+", (MODULES / "mod_ssl.so").read_bytes())))
    assert len(names) > 50, names
    version = _version()
    for raw in names:
        name = raw.decode()
        with tempfile.TemporaryDirectory() as directory:
            config = Path(directory) / "httpd.conf"
            config.write_text(CONFIG.format(dir=directory, modules=MODULES, directive=name))
            checked = subprocess.run([APACHE, "-t", "-f", str(config)], capture_output=True, text=True, check=False)
        if "Invalid command" in checked.stdout + checked.stderr:
            continue  # a string of the module that is no directive
        assert ssl_directive_problem(name, version, True) is None, name
