"""Long options as curl and wget read them, not only as their manuals spell them.

GNU getopt_long (wget) takes any unambiguous abbreviation of a long option, case as written; curl before
8.6 took any abbreviation in any case, curl 8.6 and later take names exactly. ``wget --no-check-cert``
and ``curl --Insecure`` switch verification off on the tools that accept them, so a gate that read only
full names was passed by a spelling. The live tests run this machine's curl and wget against a server
with a self-signed certificate: a spelling the tool takes as ``--insecure`` must give TLS-VERIFY-001,
one it refuses must not.

The same server shows what curl does with a ``--curves`` list OpenSSL rejects: every transfer fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from device.support import subjects
from engines import probe, servers

from tlslint.run import parse_inputs
from tlslint.sources.base import ParseContext
from tlslint.sources.long_options import resolve


def test_an_abbreviation_names_the_one_option_it_begins():
    names = ["insecure", "interface", "include", "no-check-certificate", "no-clobber"]
    assert resolve("insecure", names) == "insecure"
    assert resolve("insec", names) == "insecure"
    assert resolve("no-check-cert", names) == "no-check-certificate"
    assert resolve("in", names) is None  # ambiguous: the tool refuses it
    assert resolve("Insecure", names) is None  # getopt_long keeps the case
    assert resolve("Insecure", names, any_case=True) == "insecure"
    assert resolve("INSEC", names, any_case=True) == "insecure"
    assert resolve("bogus", names, any_case=True) is None


def _verify_off(path: Path, **versions: str) -> bool:
    (endpoint,) = [s for s in subjects(path, **versions) if s.kind == "endpoint"]
    return endpoint.value("verify.peer") is False


def test_an_exact_curl_refuses_the_spelling_older_curl_took(tmp_path: Path) -> None:
    script = tmp_path / "fetch.sh"
    script.write_text("#!/bin/sh\ncurl --Insecure https://fw.example/fw.bin\n")
    assert _verify_off(script)  # no version given: read as the curl that takes it, with a warning
    assert _verify_off(script, curl="8.5.0")
    assert not _verify_off(script, curl="8.6.0")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    if not probe.openssl_available():
        pytest.skip("the openssl command is not installed")
    material = servers.make_certificates(tmp_path_factory.mktemp("spellings-pki"))
    port = probe.free_port()
    command = ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-www"]
    command += ["-cert", str(material / "rsa.crt"), "-key", str(material / "rsa.key")]
    with servers.running(command, ports=[port], name="openssl s_server", env={**os.environ}):
        yield f"https://127.0.0.1:{port}/"


def _tool_version(tool: str) -> str:
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"(?:curl|Wget) (\d+\.\d+(?:\.\d+)?)", out)
    assert match, out
    return match[1]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("spelling", ["--insecure", "--Insecure", "--insec", "--INSECURE", "--in"])
def test_curl_takes_a_spelling_as_insecure_exactly_when_tlslint_does(spelling: str, server: str, tmp_path: Path):
    ran = subprocess.run(["curl", "-s", "-o", os.devnull, spelling, server], capture_output=True, check=False)
    script = tmp_path / "fetch.sh"
    script.write_text(f"#!/bin/sh\ncurl {spelling} https://fw.example/fw.bin\n")
    assert _verify_off(script, curl=_tool_version("curl")) == (ran.returncode == 0), ran.stderr


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed")
@pytest.mark.parametrize("spelling", ["--no-check-certificate", "--no-check-cert", "--no-check", "--no-c"])
def test_wget_takes_a_spelling_as_no_check_exactly_when_tlslint_does(spelling: str, server: str, tmp_path: Path):
    ran = subprocess.run(["wget", "-q", "-O", os.devnull, spelling, server], capture_output=True, check=False)
    script = tmp_path / "fetch.sh"
    script.write_text(f"#!/bin/sh\nwget {spelling} https://fw.example/fw.bin\n")
    assert _verify_off(script) == (ran.returncode == 0), ran.stderr


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("curves", ["X25519:P-256", "X25519:bogus", "p-256", "P-256:prime256v1"])
def test_curl_fails_on_a_curves_list_exactly_when_tlslint_says(curves: str, server: str, tmp_path: Path):
    """curl hands ``--curves`` to OpenSSL and stops with exit 59 when it rejects the list; tlslint, told
    curl's OpenSSL, warns that every transfer fails and leaves the groups unknown, else reads them."""
    ran = subprocess.run(["curl", "-k", "-s", "-o", os.devnull, "--curves", curves, server], check=False)
    script = tmp_path / "fetch.sh"
    script.write_text(f"#!/bin/sh\ncurl --curves {curves} https://fw.example/fw.bin\n")
    inputs = parse_inputs(
        [str(script)],
        ParseContext(at=servers.AT, engine_versions=servers.engine_versions("curl", _tool_version("curl"))),
    )
    failing = [d.message for d in inputs.diagnostics if "every transfer fails" in d.message]
    (endpoint,) = [s for s in inputs.subjects if s.kind == "endpoint"]
    assert (ran.returncode == 0) == (not failing), (ran.returncode, failing)
    assert (endpoint.value("groups") is None) == bool(failing)
