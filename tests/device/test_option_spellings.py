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
    """Whether the call's endpoint has verification off (a spelling the tool refuses is an error of its own,
    tested below: the endpoint is read all the same)."""
    parsed = parse_inputs([str(path)], ParseContext(at=servers.AT, engine_versions=dict(versions)))
    (endpoint,) = [s for s in parsed.subjects if s.kind == "endpoint"]
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


#: Spellings curl and wget refuse (misspelt, or abbreviating several options) and ones they take.
CURL_SPELLINGS = ["tlsv1.4", "tls-maxx", "ciphres", "tl", "insecure", "insec", "no-insecure", "tls-max", "cacert"]
WGET_SPELLINGS = ["secure-protocl", "no-c", "no-check-certficate", "no-check-cert", "no-timestamping", "no-hsts"]


def _refused(command: list[str]) -> bool:
    """Whether the tool refuses its options (exit 2 and a word on what it did not take), with no network:
    curl and wget are given nothing to fetch."""
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
    said = done.stdout + done.stderr
    return done.returncode == 2 and bool(re.search(r"is unknown|is ambiguous|unrecognized option", said))


def _errors(tmp_path: Path, line: str) -> list[str]:
    script = tmp_path / "fetch.sh"
    script.write_text(f"#!/bin/sh\n{line}\n")
    inputs = parse_inputs([str(script)], ParseContext(at=servers.AT))
    return [d.message for d in inputs.diagnostics if d.severity == "error"]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("spelling", CURL_SPELLINGS)
def test_curl_refuses_an_option_exactly_when_tlslint_says_it_does(spelling: str, tmp_path: Path) -> None:
    value = ["1.2"] if spelling in ("tls-max", "tls-maxx") else ["x"] if spelling in ("cacert", "ciphres") else []
    refused = _refused(["curl", f"--{spelling}", *value, "--version"])
    errors = _errors(tmp_path, " ".join(["curl", f"--{spelling}", *value, "https://fw.example/fw.bin"]))
    assert bool(errors) == refused, errors


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_every_option_of_this_curl_is_known(tmp_path: Path) -> None:
    listed = subprocess.run(["curl", "--help", "all"], capture_output=True, text=True, check=True).stdout
    names = sorted(set(re.findall(r"--([a-z0-9][a-z0-9.-]+)", listed)))
    assert len(names) > 200
    script = tmp_path / "fetch.sh"
    script.write_text("".join(f"curl --{name} https://fw.example/fw.bin\n" for name in names))
    inputs = parse_inputs([str(script)], ParseContext(at=servers.AT))
    assert not [d.message for d in inputs.diagnostics if "does not know" in d.message or "abbreviates" in d.message]


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed")
@pytest.mark.parametrize("spelling", WGET_SPELLINGS)
def test_wget_refuses_an_option_exactly_when_tlslint_says_it_does(spelling: str, tmp_path: Path) -> None:
    refused = _refused(["wget", f"--{spelling}", "--version"])
    errors = _errors(tmp_path, f"wget --{spelling} https://fw.example/fw.bin")
    assert bool(errors) == refused, errors


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed")
def test_every_option_of_this_wget_and_its_negations_are_known(tmp_path: Path) -> None:
    listed = subprocess.run(["wget", "--help"], capture_output=True, text=True, check=True).stdout
    names = sorted(set(re.findall(r"--([a-z0-9][a-z0-9-]+)", listed)))
    assert len(names) > 100
    negations = [f"no-{name}" for name in names if not name.startswith("no-")]
    taken = [name for name in negations if not _refused(["wget", f"--{name}", "--version"])]
    assert "no-timestamping" in taken  # wget negates every switch
    script = tmp_path / "fetch.sh"
    script.write_text("".join(f"wget --{name} https://fw.example/fw.bin\n" for name in [*names, *taken]))
    inputs = parse_inputs([str(script)], ParseContext(at=servers.AT))
    assert not [d.message for d in inputs.diagnostics if "does not know" in d.message or "abbreviates" in d.message]


def test_an_option_newer_than_the_curl_named_fails_the_command(tmp_path: Path) -> None:
    script = tmp_path / "fetch.sh"
    script.write_text("#!/bin/sh\ncurl --tls-earlydata https://fw.example/fw.bin\n")
    older = parse_inputs([str(script)], ParseContext(at=servers.AT, engine_versions={"curl": "7.88.1"}))
    assert [(d.severity, d.message) for d in older.diagnostics] == [
        ("error", "curl 7.88.1 does not know --tls-earlydata (added in 8.11.0): curl refuses it and the command fails")
    ]
    newer = parse_inputs([str(script)], ParseContext(at=servers.AT, engine_versions={"curl": "8.11"}))
    assert not newer.diagnostics


def test_curl_takes_its_version_on_the_command_line(tmp_path: Path) -> None:
    from conftest import run_cli

    script = tmp_path / "fetch.sh"
    script.write_text("#!/bin/sh\ncurl --tls-earlydata https://fw.example/fw.bin\n")
    result = run_cli("check", str(script), "--engine-version", "curl=7.88.1", "--format", "json")
    assert result.code == 3, result.err  # the error above: an input error
    assert {"name": "curl", "version": "7.88.1", "assumed": False} in result.json()["engines"]


def test_an_unknown_option_in_a_curlrc_is_a_warning_that_the_setting_does_not_apply(tmp_path: Path) -> None:
    rc = tmp_path / ".curlrc"
    rc.write_text("tls-maxx = 1.2\n")
    inputs = parse_inputs([str(rc)], ParseContext(at=servers.AT))
    assert [(d.severity, d.message) for d in inputs.diagnostics] == [
        (
            "warning",
            "curl does not know --tls-maxx (did you mean --tls-max?): curl warns and goes on without it, so what "
            "it meant does not apply",
        )
    ]


def _wget_version() -> str:
    shown = subprocess.run(["wget", "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Wget (\d+\.\d+(?:\.\d+)?)", shown)
    assert match, shown
    return match[1]


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed")
def test_wget_stops_at_a_wgetrc_command_exactly_when_tlslint_says_it_does(tmp_path: Path) -> None:
    """Every command of the table and a few misspellings, each alone in a wgetrc file: wget says "Unknown
    command" exactly where tlslint, given this wget's version, reports an error (``-e`` goes through the
    same table, but words a bad value and an unknown name alike)."""
    from tlslint.catalog._wget_command_data import COMMANDS

    version = _wget_version()
    names = [*COMMANDS, "check_certificat", "secure-protocl", "Check-Certificate", "ca_certficate"]
    binary = Path(shutil.which("wget") or "wget").resolve().read_bytes()
    rc = tmp_path / ".wgetrc"
    for name in names:
        rc.write_text(f"{name} = 1\n")
        environment = {**os.environ, "WGETRC": str(rc)}
        ran = subprocess.run(["wget", "--version"], capture_output=True, text=True, check=False, env=environment)
        refused = "Unknown command" in ran.stderr
        if refused and name in COMMANDS and f"\0{name}\0".encode() not in binary:
            continue  # a command of a feature this wget was built without (c-ares, metalink)
        inputs = parse_inputs([str(rc)], ParseContext(at=servers.AT, engine_versions={"wget": version}))
        said = [d for d in inputs.diagnostics if "Unknown command" in d.message or "does not know" in d.message]
        assert bool(said) == refused, (name, said, ran.stderr)
        assert all(d.severity == "error" for d in said), said


def test_checking_an_execute_command_leaves_the_defaults_at_the_program(tmp_path: Path) -> None:
    """``wget -e name=value``: the command is checked at its value, and the call's defaults stay located at
    the word ``wget`` (a regression moved them to the last ``-e`` value)."""
    script = tmp_path / "fetch.sh"
    script.write_text("#!/bin/sh\nwget -e check_certificate=off https://fw.example/fw.bin\n")
    inputs = parse_inputs([str(script)], ParseContext(at=servers.AT))
    (endpoint,) = [s for s in inputs.subjects if s.kind == "endpoint"]
    defaults = [located for located in endpoint.fields.values() if str(located.origin) == "default"]
    assert defaults and {(d.location.line, d.location.column) for d in defaults} == {(2, 1)}


def test_a_wgetrc_command_like_none_is_a_warning_without_a_wget_version(tmp_path: Path) -> None:
    """No wget version is assumed: a name no wget up to the newest known has may be a newer wget's (a
    warning); with the version given and known to tlslint it is an error."""
    rc = tmp_path / ".wgetrc"
    rc.write_text("frobnicate = on\n")
    unversioned = parse_inputs([str(rc)], ParseContext(at=servers.AT))
    assert [d.severity for d in unversioned.diagnostics] == ["warning"]
    assert "unless yours is newer" in unversioned.diagnostics[0].message
    versioned = parse_inputs([str(rc)], ParseContext(at=servers.AT, engine_versions={"wget": "1.21.3"}))
    assert [(d.severity, d.message) for d in versioned.diagnostics] == [
        ("error", "Unknown command 'frobnicate': every wget run that reads this file fails")
    ]
