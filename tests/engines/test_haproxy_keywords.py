"""HAProxy's keyword tables (``tlslint.catalog.haproxy_keywords``) against the real ``haproxy``: the
keywords it registers are in the tables with the same number of arguments, and for every keyword of
every table ``haproxy -c`` says "unknown keyword" exactly when tlslint says that HAProxy release does
not know it (the version given, so tlslint's answer is an error, not a warning)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from engines import servers

from tlslint.catalog._haproxy_keyword_data import KEYWORDS
from tlslint.catalog.haproxy_keywords import Keywords

HAPROXY = servers.find_binary("haproxy", "/usr/sbin/haproxy") or "/usr/sbin/haproxy"

pytestmark = pytest.mark.skipif(not os.path.exists(HAPROXY), reason="HAProxy (Debian package haproxy) is not installed")

HEAD = """\
global
{global_line}
defaults
    mode tcp
    timeout connect 5s
    timeout client 5s
    timeout server 5s
"""
BIND = "frontend fe\n    bind 127.0.0.1:1 {words}\n    default_backend be\nbackend be\n    server s 127.0.0.1:9\n"
SERVER = "backend be\n    server s 127.0.0.1:9 {words}\n"


def _local_version() -> str:
    shown = subprocess.run([HAPROXY, "-v"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"version (\d+\.\d+(?:\.\d+)?)", shown)
    assert match, shown
    return match[1]


def _registered() -> dict[str, dict[str, int]]:
    """What ``haproxy -dKcfg`` lists: bind and server keywords with their argument counts (a line is
    ``bind <addr> [scope] keyword [+N]``), and the global keywords."""
    checked = subprocess.run([HAPROXY, "-dKcfg", "-q", "-c", "-f", "/dev/null"], capture_output=True, text=True)
    found: dict[str, dict[str, int]] = {"bind": {}, "server": {}, "global": {}}
    section = None
    for line in (checked.stdout + checked.stderr).splitlines():
        if not line.startswith("\t"):
            section = line.strip()
            continue
        words = line.split()
        count = int(words.pop()[1:]) if words[-1].startswith("+") else 0
        if words[0] == "bind":
            found["bind"][words[-1]] = count
        elif words[0] == "server":
            found["server"][words[-1]] = count
        elif section == "global" and len(words) == 1:
            found["global"][words[0]] = 0
    return found


def test_the_tables_hold_every_keyword_the_local_haproxy_registers() -> None:
    version = _local_version()
    registered = _registered()
    assert len(registered["bind"]) > 30 and len(registered["server"]) > 30  # the listing was read
    for kind in ("bind", "server"):
        for name, count in registered[kind].items():
            assert name in KEYWORDS[kind], f"{kind} {name}"
            expected = KEYWORDS[kind][name][0]
            # HAProxy lists a variable count (source) as no count
            assert count == expected or (expected == -1 and count == 0), f"{kind} {name}: {count} != {expected}"
            assert Keywords(kind, version, True).problem(name) is None, f"{kind} {name}"
    checked = {name for name in registered["global"] if name.startswith(("ssl-default-", "tune.ssl."))}
    assert checked == {name for name in KEYWORDS["global"] if Keywords("global", version, True).problem(name) is None}


KINDS = ("bind", "server", "global", "bind-options", "server-options")


def _cases() -> list[tuple[str, str]]:
    cases = [(kind, name) for kind in KINDS for name in sorted(KEYWORDS[kind])]
    made_up = [("bind", "frobnicate"), ("server", "frobnicate"), ("global", "ssl-default-bind-frobnicate")]
    return [*cases, *made_up, ("bind-options", "no-tlsv1"), ("server-options", "prefer-client-ciphers")]


def _config(kind: str, name: str) -> str:
    count = KEYWORDS[kind].get(name, (0,))[0]
    argument = "TLSv1.2" if name in ("ssl-min-ver", "ssl-max-ver") else "x"
    words = " ".join([name, *[argument] * max(count, 1 if count < 0 else 0)])
    if kind == "global":
        return HEAD.format(global_line=f"    {words}")
    if kind.endswith("-options"):
        return HEAD.format(global_line=f"    ssl-default-{kind} {words}")
    body = BIND if kind == "bind" else SERVER
    return HEAD.format(global_line="    maxconn 100") + body.format(words=words)


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], bool]:
    """Per case, whether ``haproxy -c`` says the keyword is unknown."""
    directory = tmp_path_factory.mktemp("keywords")
    answers = {}
    for number, (kind, name) in enumerate(_cases()):
        config = directory / f"{number}.cfg"
        config.write_text(_config(kind, name))
        checked = subprocess.run([HAPROXY, "-c", "-f", str(config)], capture_output=True, text=True, check=False)
        said = checked.stdout + checked.stderr
        answers[kind, name] = f"unknown keyword '{name}'" in said or f"unknown option '{name}'" in said
    return answers


@pytest.mark.parametrize(("kind", "name"), _cases(), ids=[f"{k}-{n}" for k, n in _cases()])
def test_tlslint_says_haproxy_refuses_a_keyword_exactly_when_it_does(
    kind: str, name: str, refused: dict[tuple[str, str], bool], tmp_path: Path
) -> None:
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    version = _local_version()
    config = tmp_path / "haproxy.cfg"
    config.write_text(_config(kind, name))
    inputs = parse_inputs([str(config)], ParseContext(at=servers.AT, engine_versions={"haproxy": version}))
    said = [d.message for d in inputs.diagnostics if f"'{name}'" in d.message]
    assert all(d.severity == "error" for d in inputs.diagnostics if f"'{name}'" in d.message)
    if refused[kind, name] and not said:
        # A keyword of a feature this binary was built without (QUIC on Debian's 2.6): the release knows
        # it, the build does not register it. tlslint cannot see the build, and says nothing.
        assert name in KEYWORDS[kind] and name not in _registered()[kind], f"{kind} {name}"
        return
    assert bool(said) == refused[kind, name], f"haproxy -c refused: {refused[kind, name]}; tlslint said {said}"
