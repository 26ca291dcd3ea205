"""Outputs that cannot be forged (issue 10, item 10): file names and values holding ANSI escapes,
newlines with ``::`` workflow commands, C0 controls, direction overrides or bytes that are not UTF-8
must not move the terminal cursor, create GitHub annotations, break JUnit XML or crash a JSON writer.
The names are generated at test time (git and many file systems refuse to store some of them)."""

from __future__ import annotations

import json
import os
import sys
import xml.dom.minidom
from pathlib import Path

import pytest
from hostile.harness import assert_survived, run_limited

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")

INSECURE_CURL = b"#!/bin/sh\ncurl -k https://fw.example/fw.bin -o /tmp/fw.bin\n"
NAMES = (
    b"clear\x1b[2J\x1b[1;1Hscreen.sh",  # ANSI: clear the screen, cursor home
    b"x\n::error file=forged.c,line=1::forged annotation\n.sh",  # a workflow command on its own line
    b"ctl\x01\x08\x0b\x0c.sh",  # C0 controls XML 1.0 forbids
    b"bidi\xe2\x80\xaehs.txt.sh",  # U+202E right-to-left override
    b"latin1-\xe9\xff.sh",  # not UTF-8
)
#: A value (not a name) carrying the same: nginx quoted strings may hold any character.
NGINX = (
    b"events {}\nhttp {\n  server {\n    listen 443 ssl;\n"
    b'    server_name "a\x1b[31m\n::error file=forged.c::forged value\x07";\n'
    b"    ssl_protocols TLSv1 TLSv1.2;\n  }\n}\n"
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("forged") / "repo"
    (root / ".git").mkdir(parents=True)
    for name in NAMES:
        with open(os.path.join(os.fsencode(root), name), "wb") as handle:
            handle.write(INSECURE_CURL)
    (root / "nginx.conf").write_bytes(NGINX)
    return root


def _run(tree: Path, fmt: str):
    outcome = run_limited("check", ".", "--format", fmt, cwd=tree)
    assert_survived(outcome)
    assert outcome.code == 1, outcome.err[-2000:]
    return outcome


@pytest.mark.parametrize("fmt", ["table", "junit"])
def test_no_terminal_control_reaches_the_terminal(tree: Path, fmt: str) -> None:
    """Table and JUnit print their diagnostics on stderr: neither stream carries a raw control."""
    outcome = _run(tree, fmt)
    for stream in (outcome.out, outcome.err):
        assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
        assert not any(ch in stream for ch in "\x01\x08\x0b\x0c\r")
    if fmt == "table":
        assert outcome.out.count("TLS-VERIFY-001") == len(NAMES)  # every file still reported
        assert "clear\\x1b[2J" in outcome.out  # shown, escaped


def test_github_annotations_cannot_be_forged(tree: Path) -> None:
    outcome = _run(tree, "github")
    lines = outcome.out.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(lines) == len(commands) + 1  # one plain summary line, everything else our commands
    assert not any(line.startswith(("::error file=forged", "::stop-commands")) for line in lines)
    assert all("\x1b" not in line for line in lines)
    for line in commands:
        properties = line.split(" ", 1)[1].split("::", 1)[0]
        # file=...,line=...: a name's ':' and ',' are escaped, so it cannot add or end a property.
        keys = [item.split("=", 1)[0] for item in properties.split(",")]
        assert set(keys) <= {"file", "line", "col", "endLine", "endColumn", "title"}, line
        assert keys.count("file") == 1, line
    assert sum(1 for line in commands if "TLS-VERIFY-001" in line) == len(NAMES)


def test_junit_is_well_formed_xml(tree: Path) -> None:
    outcome = _run(tree, "junit")
    document = xml.dom.minidom.parseString(outcome.out.encode("utf-8"))  # expat: strict XML 1.0
    failures = [n for n in document.getElementsByTagName("failure") if "TLS-VERIFY-001" in n.firstChild.data]
    assert len(failures) == len(NAMES)


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_and_sarif_survive_names_that_are_not_utf8(tree: Path, fmt: str) -> None:
    outcome = _run(tree, fmt)
    data = json.loads(outcome.out)
    text = json.dumps(data)
    assert "latin1-\\\\xe9\\\\xff.sh" in text  # the undecodable bytes, shown as \xNN
    if fmt == "sarif":
        uris = {a["location"]["uri"] for a in data["runs"][0]["artifacts"]}
        assert "latin1-%E9%FF.sh" in uris  # the URI names the real bytes


def test_inspect_table_escapes_values(tree: Path) -> None:
    outcome = run_limited("inspect", ".", cwd=tree)
    assert_survived(outcome)
    assert "\x1b" not in outcome.out + outcome.err and "\x07" not in outcome.out + outcome.err
