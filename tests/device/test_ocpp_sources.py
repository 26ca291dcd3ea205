"""The libocpp and EVerest sources: formats, positions inside JSON strings, secrets, claiming files."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys

import pytest

from conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "rules" / "ocpp"
ANNOTATION = re.compile(r"\s+#\s*(expect|ok):.*$|^#.*$")
SECRETS = ("DEADBEEFDEADBEEF", "AABBCCDDEEFFGGHH", "s3cret", "k3Q9-vX2m-Lp7w-Rt4z", "3f9a6c1e5b7d2048ae91c3d5f7086b2e")


def _parse(path: str, text: str):
    from tlslint.sources import libocpp
    from tlslint.sources.base import ParseContext

    return libocpp.parse(path, text, ParseContext(at=datetime.date(2026, 11, 24)))


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.json")), ids=lambda p: p.name)
def test_json_fixtures_are_strict_json_without_their_annotations(path) -> None:
    text = "\n".join(ANNOTATION.sub("", line) for line in path.read_text(encoding="utf-8").splitlines())
    json.loads(text)


@pytest.mark.parametrize(
    "target",
    [
        "tests/fixtures/rules/ocpp",
        "examples/firmware/everest",
    ],
)
@pytest.mark.parametrize("command", [["check", "--format", "json"], ["check"], ["inspect", "--format", "json"]])
def test_secret_values_never_appear_in_output(target: str, command: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tlslint", *command, target], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert run.returncode in (0, 1), run.stderr
    for secret in SECRETS:
        assert secret not in run.stdout + run.stderr


def test_unrelated_json_and_yaml_are_left_alone() -> None:
    from tlslint.sources import registry

    assert registry.claim("package.json", '{"name": "app", "version": "1.0.0"}') is None
    assert registry.claim("docker-compose.yaml", "services:\n  web:\n    image: nginx\n") is None
    assert registry.claim(
        "SecurityCtrlr.json", '{"name": "SecurityCtrlr", "properties": {"X": {"variable_name": "X"}}}'
    )
    assert registry.claim("config.yaml", "active_modules:\n  x:\n    module: EvseV2G\n").name == "everest"


def test_embedded_profiles_map_escapes_to_file_columns() -> None:
    url = "ws://caf\\u00e9.example/ocpp"
    profiles = json.dumps([{"configurationSlot": 7, "connectionData": {"ocppCsmsUrl": url, "securityProfile": 1}}])
    profiles = profiles.replace("\\\\u00e9", "\\u00e9")  # keep the inner escape as libocpp writes it
    variables = {"NetworkConnectionProfiles": {"attributes": {"Actual": profiles}}}
    text = json.dumps([{"name": "InternalCtrlr", "variables": variables}])
    result = _parse("dump.json", text)
    (slot,) = [s for s in result.subjects if s.kind == "endpoint"]
    assert slot.id == "libocpp:csms[slot=7]"
    assert slot.value("url") == "ws://café.example/ocpp"
    column = slot.get("ocpp.security_profile").location.column
    assert text[column - 1] == "1" and text[column - 20 : column - 1].endswith('securityProfile\\": ')
    url = slot.get("url").location
    assert text[url.column - 1 : url.end_column - 1] == r"\"ws://caf\\u00e9.example/ocpp\""


def test_invalid_profiles_json_is_a_diagnostic_at_the_string() -> None:
    text = (
        '[{"name": "InternalCtrlr", "variables": {"NetworkConnectionProfiles": {"attributes": {"Actual": "[{oops"}}}}]'
    )
    result = _parse("dump.json", text)
    assert not [s for s in result.subjects if s.kind == "endpoint"]
    (diagnostic,) = result.diagnostics
    assert "NetworkConnectionProfiles is not valid JSON" in diagnostic.message
    assert diagnostic.location.line == 1


def test_ocpp16_arrays_keep_element_locations_and_unknown_names() -> None:
    text = (
        '{"Internal": {"CentralSystemURI": "wss://c.example/ocpp",\n'
        ' "SupportedCiphers12": ["NOPE", "ECDHE-ECDSA-AES128-GCM-SHA256"]},\n'
        ' "Security": {"SecurityProfile": 2}}'
    )
    result = _parse("config.json", text)
    (endpoint,) = [s for s in result.subjects if s.id == "libocpp:csms"]
    unknown = endpoint.get("cipher_suites.unknown_names")
    assert unknown.value == ["NOPE"]
    assert (unknown.items[0].line, unknown.items[0].column) == (2, 25)
    suites = endpoint.get("cipher_suites.tls12")
    assert suites.value == ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"]
    assert suites.items[0].column == 33


def test_versions_and_groups_are_not_guessed() -> None:
    result = _parse(str(FIXTURES / "dump-strong.json"), (FIXTURES / "dump-strong.json").read_text(encoding="utf-8"))
    slot = next(s for s in result.subjects if s.id == "libocpp:csms[slot=1]")
    assert slot.get("groups") is None and slot.get("signature_algorithms") is None
    assert slot.get("revocation.mode") is None
    assert str(slot.get("protocols").origin) == "default" and slot.value("protocols") == ["TLSv1.2", "TLSv1.3"]
    assert any("protocol versions" in item for item in slot.value("engine.unsupported"))
    # slot 2 has no scheme in its URL: libocpp derives wss from profile 3
    second = next(s for s in result.subjects if s.id == "libocpp:csms[slot=2]")
    assert second.value("url.scheme") == "wss" and str(second.get("url.scheme").origin) == "default"
    assert second.value("target.priority") == 2
