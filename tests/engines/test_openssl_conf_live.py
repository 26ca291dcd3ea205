"""A real OpenSSL system policy versus tlslint's reading of it: ``openssl s_server`` runs under an
``openssl.cnf`` whose ``system_default`` section bounds the versions, and the versions it accepts in
handshakes must be the ones tlslint predicts for that section.

The values are the ones OpenSSL reads differently from how they look: ``MinProtocol``/``MaxProtocol``
values are compared exactly (``tlsv1.2`` and ``TLSv1.0`` are no values of it, and the bound stays
unset), while ``Protocol`` words are matched in any case and the list ends at a word OpenSSL does not
know (the words before it apply, the ones after it do not).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from engines import probe, servers

pytestmark = pytest.mark.skipif(not probe.openssl_available(), reason="the openssl command is not installed")

VERSIONS = ("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")

CNF = """\
openssl_conf = conf
[conf]
ssl_conf = ssl
[ssl]
system_default = policy
[policy]
{line}
CipherString = DEFAULT@SECLEVEL=0
"""


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return servers.make_certificates(tmp_path_factory.mktemp("openssl-conf-pki"))


@pytest.mark.parametrize(
    "line",
    [
        "MinProtocol = TLSv1.2",
        "MinProtocol = tlsv1.2",
        "MaxProtocol = TLSv1",
        "MaxProtocol = TLSv1.0",
        "Protocol = -tlsv1.2, -TLSV1.3",
        "Protocol = -TLSv1.2, -TLSv1.0, -TLSv1.3",
    ],
)
def test_versions_accepted_under_a_system_policy_are_the_predicted_ones(
    material: Path, tmp_path: Path, line: str
) -> None:
    cnf = tmp_path / "openssl.cnf"
    cnf.write_text(CNF.format(line=line))
    predicted = servers.predict(cnf, servers.engine_versions("openssl", probe.openssl_version()))
    (endpoint,) = predicted.values()
    assert _accepted_under(cnf, material) == endpoint["effective"]["protocols"], line


def _accepted_under(cnf: Path, material: Path) -> list[str]:
    """The versions ``openssl s_server`` accepts in handshakes with ``cnf`` as its configuration."""
    port = probe.free_port()
    command = ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-www", "-naccept", "100"]
    command += ["-cert", str(material / "rsa.crt"), "-key", str(material / "rsa.key")]
    environment = {**os.environ, "OPENSSL_CONF": str(cnf)}
    with servers.running(command, ports=[port], name="openssl s_server", env=environment):
        return [version for version in VERSIONS if probe.handshake(port, version)]


def test_a_group_list_openssl_rejects_is_skipped_and_the_rest_applies(material: Path, tmp_path: Path) -> None:
    """``Groups = X25519:bogus``: OpenSSL rejects the list, keeps its default groups and still applies the
    commands after it; tlslint warns at the line, sets no groups, and predicts the versions it accepts."""
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    cnf = tmp_path / "openssl.cnf"
    cnf.write_text(CNF.format(line="Groups = X25519:bogus\nMaxProtocol = TLSv1.2"))
    versions = servers.engine_versions("openssl", probe.openssl_version())
    inputs = parse_inputs([str(cnf)], ParseContext(at=servers.AT, engine_versions=versions))
    assert [(d.severity, d.message, d.location.line) for d in inputs.diagnostics] == [
        ("warning", "Groups: OpenSSL knows no group 'bogus'", 7)
    ]
    predicted = servers.predict(cnf, versions)
    (endpoint,) = predicted.values()
    assert "groups" not in endpoint["settings"]
    accepted = _accepted_under(cnf, material)
    assert accepted == endpoint["effective"]["protocols"] and "TLSv1.3" not in accepted
