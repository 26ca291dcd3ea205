"""Kestrel appsettings.json: real-world shapes (comments, trailing commas, case-insensitive keys),
endpoint defaults and SNI inheritance, certificates and inline passwords. No .NET runtime needed."""

from __future__ import annotations

import datetime
from pathlib import Path

from tlslint.sources.base import ParseContext
from tlslint.sources.kestrel import parse

CONTEXT = ParseContext(at=datetime.date(2026, 11, 24))
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "servers" / "kestrel" / "appsettings.json"


def _subjects(text: str, path: str = "appsettings.json"):
    return {s.id: s for s in parse(path, text, CONTEXT).subjects}


def test_fixture_endpoints_with_provenance() -> None:
    subjects = _subjects(FIXTURE.read_text(), str(FIXTURE))
    legacy = subjects["kestrel:endpoint[HttpsLegacy]"]
    assert legacy.value("protocols") == ["TLSv1.1", "TLSv1.2"]
    assert legacy.get("protocols").origin == "explicit"
    assert legacy.get("protocols").items[0].line == 17
    assert legacy.value("client_auth.mode") == "optional"
    assert (legacy.value("bind.address"), legacy.value("bind.port")) == ("0.0.0.0", 5001)
    modern = subjects["kestrel:endpoint[HttpsModern]"]
    assert modern.get("protocols").origin == "inherited"  # from EndpointDefaults
    assert modern.value("identity") == ["store:csms.example.com"]  # Certificates:Default
    sni = subjects["kestrel:endpoint[HttpsModern/sni:csms.example.com]"]
    assert sni.value("protocols") == ["TLSv1.3"] and sni.value("client_auth.mode") == "required"
    assert sni.value("server_name") == "csms.example.com"
    # Plain HTTP is an endpoint for the transport rules only (issue 12 item 9): no TLS fields at all.
    plain = subjects["kestrel:endpoint[Http]"]
    assert plain.value("url.scheme") == "http" and plain.value("plaintext_allowed") is True
    assert plain.get("source.no_tls") is not None and plain.get("protocols") is None
    secret = subjects["kestrel:Kestrel:Endpoints:HttpsLegacy:Certificate:Password"]
    assert secret.kind == "secret" and secret.value("secret.inline") is True


def test_defaults_when_nothing_is_written() -> None:
    subjects = _subjects('{"kestrel": {"endpoints": {"Main": {"url": "https://localhost:7001"}}}}')
    main = subjects["kestrel:endpoint[Main]"]
    assert main.value("protocols") == ["TLSv1.2", "TLSv1.3"]
    assert main.get("protocols").origin == "default"
    assert main.value("client_auth.mode") == "none"


def test_no_kestrel_section_means_no_endpoint() -> None:
    assert _subjects('{"Logging": {}}') == {}


def test_broken_json_is_a_clear_input_error(cli, tmp_path: Path) -> None:
    bad = tmp_path / "appsettings.json"
    bad.write_text('{"Kestrel": {"Endpoints": {"A": {"Url": "https://x:1"}\n')
    result = cli("inspect", str(bad), "--format", "json")
    assert result.code == 3
    (diagnostic,) = result.json()["diagnostics"]
    assert diagnostic["location"]["line"] == 2 and diagnostic["severity"] == "error"
