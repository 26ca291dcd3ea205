"""The TLS configuration document: every kind of mistake gets one clear line at the right place."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import run_cli

HEADER = "apiVersion: tlslint/v1\nkind: TLSConfiguration\n"


def write(tmp_path: Path, body: str, name: str = "tls.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return path


def diagnostics(path: Path) -> list[str]:
    result = run_cli("check", str(path), "--format", "json")
    assert result.code == 3, result.err
    return [
        f"{d['location'].get('line')}:{d['location'].get('column')} {d['message']}"
        for d in result.json()["diagnostics"]
    ]


def test_unknown_key_is_located_and_gets_a_suggestion(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        tlsProfiles:
          - id: p
            certificateValidation: {hostnme: strict}
        endpoints: []
        """,
    )
    assert diagnostics(path) == [
        "5:29 unknown key 'hostnme' in tlsProfiles[p].certificateValidation (did you mean 'hostname'?)"
    ]


def test_wrong_type_names_the_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        endpoints:
          - id: csms
            role: client
            purpose: ocpp-csms
            enabled: "yes please"
        """,
    )
    assert diagnostics(path) == ["7:14 endpoints[csms].enabled: expected boolean, got text"]


def test_names_yaml_reads_as_something_else_are_explained(tmp_path: Path) -> None:
    """An unquoted NULL (a cipher's name) is no value to YAML, an unquoted off a boolean: the error says so."""
    path = write(
        tmp_path,
        """\
        tlsProfiles:
          - id: p
            cipherSuites: {TLSv1.2: [NULL]}
            groups: [x25519, off]
        endpoints: []
        """,
    )
    assert diagnostics(path) == [
        "5:30 tlsProfiles[p].cipherSuites.TLSv1.2[0]: expected string, got no value (YAML reads an unquoted NULL,"
        " null or ~ as none: quote a name)",
        "6:22 tlsProfiles[p].groups[1]: expected string, got the boolean false (YAML reads an unquoted yes, no, on"
        " or off as one: quote a name)",
    ]


def test_enum_typo_gets_a_suggestion(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        tlsProfiles:
          - id: p
            versions: {min: TLSv1.22}
        endpoints: []
        """,
    )
    (message,) = diagnostics(path)
    assert message.startswith('5:21 tlsProfiles[p].versions.min: "TLSv1.22" is not one of')
    assert message.endswith("(did you mean 'TLSv1.2'?)")


def test_dangling_reference_is_reported_with_the_nearest_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        trustStores:
          - id: csms-roots
        endpoints:
          - id: csms
            role: client
            purpose: ocpp-csms
            tls: {trustStore: csms-root}
        """,
    )
    assert diagnostics(path) == [
        "9:23 endpoints[csms].tls.trustStore refers to 'csms-root', which is not defined in trustStores"
        " (did you mean 'csms-roots'?)"
    ]


def test_profile_extends_cycle(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        tlsProfiles:
          - {id: a, extends: b}
          - {id: b, extends: a}
        endpoints: []
        """,
    )
    (message,) = diagnostics(path)
    assert "cycle: a -> b -> a" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"apiVersion: tlslint/v1\nkind: [unclosed\n", "invalid YAML"),
        (b"apiVersion: tlslint/v1\nkind: TLSConfiguration\nkind: again\n", "duplicate key 'kind'"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"apiVersion: tlslint/v1\nkind: TLSConfiguration\nendpoints: \xff\xfe\n", "not UTF-8"),
    ],
    ids=["invalid-yaml", "duplicate-key", "binary", "not-utf8"],
)
def test_unreadable_files_are_one_line_diagnostics(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    result = run_cli("check", str(path))
    assert result.code == 3
    lines = [line for line in result.err.splitlines() if line]
    assert len(lines) == 1, result.err
    assert str(path) in lines[0] and expected in lines[0]
    assert "Traceback" not in result.err + result.out


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    rows = ["apiVersion: tlslint/v1", "kind: TLSConfiguration", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]" for i in range(1, 8)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.code == 3
    assert "alias expansion" in result.err


def test_inline_secret_is_reported_but_never_printed(tmp_path: Path) -> None:
    secret = "S3cr3t-Passphrase-4711"
    path = write(
        tmp_path,
        f"""\
        identities:
          - id: server
            privateKey: {{storage: file, ref: "file:///k.pem", passphrase: "{secret}"}}
        endpoints: []
        """,
    )
    for output_format in ("table", "json"):
        result = run_cli("check", str(path), "--format", output_format)
        assert result.code == 1
        assert secret not in result.out + result.err
    inspect = run_cli("inspect", str(path), "--format", "json")
    assert secret not in inspect.out
    assert "TLS-SECRET" in run_cli("check", str(path), "--format", "json").out


def test_names_are_checked_against_the_catalogue(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        tlsProfiles:
          - id: p
            cipherSuites:
              TLSv1.2: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA265, TLS_AES_128_GCM_SHA256]
            groups: [x25519, secp255r1]
            signatureAlgorithms: [ecdsa_secp256r1_sha256, rsa_pkcs1_sha999]
        endpoints: []
        """,
    )
    assert diagnostics(path) == [
        "6:17 tlsProfiles[p].cipherSuites.TLSv1.2[0]: unknown cipher suite 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA265'"
        " (did you mean 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'?)",
        "6:58 tlsProfiles[p].cipherSuites.TLSv1.2[1]: TLS_AES_128_GCM_SHA256 is a TLSv1.3 suite; list it under TLSv1.3",
        "7:22 tlsProfiles[p].groups[1]: unknown group 'secp255r1'",
        "8:51 tlsProfiles[p].signatureAlgorithms[1]: unknown signature scheme 'rsa_pkcs1_sha999'",
    ]


def test_engine_spellings_are_normalised(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        tlsProfiles:
          - id: p
            versions: {min: TLSv1.2}
            cipherSuites: {TLSv1.2: [ECDHE-ECDSA-AES128-GCM-SHA256]}
            groups: [P-256, X25519]
        endpoints:
          - {id: e, role: client, purpose: other, tls: {profile: p}}
        """,
    )
    result = run_cli("inspect", str(path), "--format", "json")
    assert result.code == 0, result.err
    settings = result.json()["endpoints"][0]["settings"]
    assert settings["cipher_suites.tls12"]["value"] == ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"]
    assert settings["groups"]["value"] == ["secp256r1", "x25519"]


@pytest.mark.parametrize("url", ["wss://[abc/ocpp", "ocpp.example.net/ocpp", "https://fw.example:port/"])
def test_malformed_urls_are_diagnosed(tmp_path: Path, url: str) -> None:
    path = write(
        tmp_path,
        f"""\
        endpoints:
          - id: csms
            role: client
            purpose: ocpp-csms
            targets:
              - {{id: primary, url: "{url}"}}
        """,
    )
    assert diagnostics(path) == [f'8:28 endpoints[csms].targets[primary].url: "{url}" is not a valid URL']
