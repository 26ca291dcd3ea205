"""The link stage: endpoints compared with the certificates, keys and trust stores they reference.

TLS configuration documents and an nginx configuration are generated next to generated certificates
(keys are never committed); the real pipeline (``tlslint.run.lint``) runs on them, and each
``TLS-LINK-*`` rule must fire at the right file and line, while the sound setups stay quiet.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from pkigen import AT, CLIENT, ca_hierarchy, key, key_pem, make, pem, write

from conftest import all_packs_policy

#: Rules whose fixtures are generated here (tests/test_rule_fixtures.py reads this set).
COVERS_RULES = {
    "TLS-LINK-001", "TLS-LINK-002", "TLS-LINK-003", "TLS-LINK-004",
    "TLS-LINK-005", "TLS-LINK-006", "TLS-LINK-007", "TLS-LINK-008",
}  # fmt: skip

LINK_RULES = sorted(COVERS_RULES)

#: (file relative to the tree, line, rule) — filled by build_tree.
EXPECT: list[tuple[str, int, str]] = []


def _spki_hex(item) -> str:
    from tlslint.pki.pins import pin_hex

    return pin_hex(item.cert)


def _spki_b64(item) -> str:
    from tlslint.pki.pins import pin_base64

    return pin_base64(item.cert)


def _line(text: str, needle: str) -> int:
    """1-based line of the only line containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


HEADER = """apiVersion: tlslint/v1
kind: TLSConfiguration
"""

PROFILES = """tlsProfiles:
  - id: ecdsa
    versions: {min: TLSv1.2, max: TLSv1.3}
    cipherSuites:
      preferServerOrder: true
      TLSv1.3: [TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256]
      TLSv1.2: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]
  - id: rsa-only
    versions: {min: TLSv1.2, max: TLSv1.3}
    cipherSuites:
      preferServerOrder: true
      TLSv1.3: [TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256]
      TLSv1.2: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]
"""


def build_tree(base: Path) -> None:
    EXPECT.clear()
    root, inter = ca_hierarchy()
    csms = make("csms.operator.net", issuer=inter, key_slot=101)
    station = make("CS-000123", issuer=inter, eku=[CLIENT], san=None, key_slot=102)
    backup = make("backup.operator.net", issuer=inter, key_slot=103)

    # --- sound: a CSMS server and a station client, everything consistent ---------------------------
    write(base, "sound/pki/ca.pem", pem(root))
    write(base, "sound/pki/csms-chain.pem", pem(csms, inter))
    write(base, "sound/pki/csms.key", key_pem(csms.key), 0o600)
    write(base, "sound/pki/station-chain.pem", pem(station, inter))
    write(base, "sound/pki/station.key", key_pem(station.key), 0o600)
    sound = (
        HEADER
        + f"""trustStores:
  - {{id: roots, source: {{file: pki/ca.pem}}, includeSystemRoots: false}}
identities:
  - id: csms
    certificateChain: {{file: pki/csms-chain.pem}}
    privateKey: {{storage: file, ref: "file://pki/csms.key"}}
  - id: station
    certificateChain: {{files: [pki/station-chain.pem]}}
    privateKey: {{storage: file, ref: "file://pki/station.key"}}
{PROFILES}endpoints:
  - id: csms
    role: server
    purpose: ocpp-csms
    enabled: true
    serverName: csms.operator.net
    bind: {{address: "0.0.0.0", port: 443}}
    tls:
      profile: ecdsa
      identity: csms
      clientAuth: {{mode: required, trustStore: roots}}
    discovery: {{dane: {{enabled: true, records: ["3 1 1 {_spki_hex(csms)}", "2 1 1 {_spki_hex(inter)}"]}}}}
  - id: station
    role: client
    purpose: ocpp-csms
    targets: [{{id: primary, url: "wss://csms.operator.net/ocpp/CS-000123"}}]
    tls:
      profile: ecdsa
      trustStore: roots
      identity: station
      pinning:
        pins: ["sha256//{_spki_b64(root)}", "{_spki_hex(backup)}"]
        release: {{via: [firmware]}}
"""
    )
    write(base, "sound/tls-configuration.yaml", sound.encode())

    # --- defects in a document ------------------------------------------------------------------------
    portal = make("portal.operator.net", issuer=inter, key_slot=104)
    ecdsa = make("ecdsa.operator.net", issuer=inter, key_slot=105)
    named = make("CSMS Server", issuer=inter, key_slot=106, san=["csms2.operator.net"])
    no_org = make("CS-000124", issuer=inter, eku=[CLIENT], san=None, key_slot=107, org=None)
    url_cn = make("wss://csms.operator.net/ocpp", issuer=inter, eku=[CLIENT], san=None, key_slot=108)
    ip_cn = make("192.168.10.20", issuer=inter, eku=[CLIENT], san=None, key_slot=109)
    for filename, item in (
        ("portal.pem", portal),
        ("ecdsa.pem", ecdsa),
        ("named.pem", named),
        ("no-org.pem", no_org),
        ("url-cn.pem", url_cn),
        ("ip-cn.pem", ip_cn),
        ("paired.pem", csms),
    ):
        write(base, f"bad/pki/{filename}", pem(item, inter))
    write(base, "bad/pki/ca.pem", pem(root))
    write(base, "bad/pki/other.key", key_pem(key("ec256", 110)), 0o600)
    bad = (
        HEADER
        + f"""trustStores:
  - {{id: roots, source: {{file: pki/ca.pem}}, includeSystemRoots: false}}
identities:
  - {{id: portal, certificateChain: {{file: pki/portal.pem}}}}
  - {{id: ecdsa, certificateChain: {{file: pki/ecdsa.pem}}}}
  - {{id: named, certificateChain: {{file: pki/named.pem}}}}
  - {{id: no-org, certificateChain: {{file: pki/no-org.pem}}}}
  - {{id: url-cn, certificateChain: {{file: pki/url-cn.pem}}}}
  - {{id: ip-cn, certificateChain: {{file: pki/ip-cn.pem}}}}
  - id: paired
    certificateChain: {{file: pki/paired.pem}}
    privateKey: {{storage: file, ref: "file://pki/other.key"}}
{PROFILES}endpoints:
  - id: wrong-name
    role: server
    purpose: https-server
    enabled: true
    serverName: csms.operator.net
    tls: {{profile: ecdsa, identity: portal}}
  - id: rsa-suites
    role: server
    purpose: https-server
    enabled: true
    serverName: ecdsa.operator.net
    tls: {{profile: rsa-only, identity: ecdsa}}
  - id: stale-pins
    role: client
    purpose: firmware-download
    targets: [{{id: primary, url: "https://fw.operator.net/"}}]
    tls:
      profile: ecdsa
      trustStore: roots
      pinning: {{pins: ["sha256//{base64.b64encode(bytes(32)).decode()}", "{"ab" * 32}"], release: {{via: [firmware]}}}}
  - id: bad-dane
    role: server
    purpose: https-server
    enabled: true
    serverName: csms.operator.net
    tls:
      profile: ecdsa
      identity: paired
    discovery: {{dane: {{enabled: true, records: ["3 0 1 {_spki_hex(csms)}"]}}}}
  - id: csms-cn
    role: server
    purpose: ocpp-csms
    enabled: true
    serverName: csms2.operator.net
    tls: {{profile: ecdsa, identity: named}}
  - id: station-no-org
    role: client
    purpose: ocpp-csms
    targets: [{{id: primary, url: "wss://csms.operator.net/ocpp/CS-000124"}}]
    tls: {{profile: ecdsa, trustStore: roots, identity: no-org}}
  - id: station-url-cn
    role: client
    purpose: ocpp-csms
    targets: [{{id: primary, url: "wss://csms.operator.net/ocpp/CS-000125"}}]
    tls: {{profile: ecdsa, trustStore: roots, identity: url-cn}}
  - id: station-ip-cn
    role: client
    purpose: ocpp-gateway
    targets: [{{id: primary, url: "wss://lc.operator.net/ocpp/CS-000126"}}]
    tls: {{profile: ecdsa, trustStore: roots, identity: ip-cn}}
"""
    )
    write(base, "bad/tls-configuration.yaml", bad.encode())
    doc = "bad/tls-configuration.yaml"
    EXPECT.append((doc, _line(bad, "certificateChain: {file: pki/portal.pem}"), "TLS-LINK-001"))
    EXPECT.append((doc, _line(bad, "TLSv1.2: [TLS_ECDHE_RSA_WITH"), "TLS-LINK-002"))
    EXPECT.append((doc, _line(bad, "pinning: {pins:"), "TLS-LINK-003"))
    EXPECT.append((doc, _line(bad, 'records: ["3 0 1'), "TLS-LINK-004"))
    EXPECT.append(("bad/pki/named.pem", 1, "TLS-LINK-005"))
    EXPECT.append(("bad/pki/no-org.pem", 1, "TLS-LINK-006"))
    EXPECT.append(("bad/pki/url-cn.pem", 1, "TLS-LINK-007"))
    EXPECT.append(("bad/pki/ip-cn.pem", 1, "TLS-LINK-007"))
    EXPECT.append((doc, _line(bad, 'ref: "file://pki/other.key"'), "TLS-LINK-008"))

    # --- nginx: certificates outside the linted path, found through the directives --------------------
    rsa = make(
        "www.operator.net",
        issuer=inter,
        key_kind="rsa2048",
        key_usage={"digital_signature", "key_encipherment"},
        key_slot=0,
    )
    write(base, "srv/certs/www.pem", pem(rsa, inter))
    write(base, "srv/certs/www.key", key_pem(rsa.key), 0o600)
    write(base, "srv/certs/api.pem", pem(ecdsa, inter))
    write(base, "srv/certs/ca.pem", pem(root))
    nginx = """events {}
http {
    server {
        listen 443 ssl;
        server_name www.operator.net;
        ssl_certificate ../srv/certs/www.pem;
        ssl_certificate_key ../srv/certs/www.key;
        ssl_client_certificate ../srv/certs/ca.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
    }
    server {
        listen 8443 ssl;
        server_name shop.operator.net;
        ssl_certificate ../srv/certs/www.pem;
        ssl_certificate_key ../srv/certs/www.key;
        ssl_protocols TLSv1.2 TLSv1.3;
    }
    server {
        listen 9443 ssl;
        server_name ecdsa.operator.net;
        ssl_certificate ../srv/certs/api.pem;
        ssl_certificate_key ../srv/certs/www.key;
        # TLS 1.3 keeps the server reachable while the RSA-only TLS 1.2 suites silently drop TLS 1.2 (with
        # TLS 1.2 alone nothing is negotiable at all: a diagnostic says so instead of a finding).
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384;
    }
}
"""
    write(base, "nginx/nginx.conf", nginx.encode())
    lines = nginx.splitlines()
    second = next(n for n, text in enumerate(lines, start=1) if "8443" in text)
    third = next(n for n, text in enumerate(lines, start=1) if "9443" in text)
    cert_line = next(n for n in range(second, len(lines)) if "ssl_certificate " in lines[n - 1])
    EXPECT.append(("nginx/nginx.conf", cert_line, "TLS-LINK-001"))
    EXPECT.append(("nginx/nginx.conf", _line(nginx, "ssl_ciphers ECDHE-RSA"), "TLS-LINK-002"))
    key_line = next(n for n in range(third, len(lines)) if "ssl_certificate_key" in lines[n - 1])
    EXPECT.append(("nginx/nginx.conf", key_line, "TLS-LINK-008"))


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("link-tree")
    build_tree(base)
    return base


def _lint(tree: Path, *paths: str):
    from tlslint.run import lint

    previous = os.getcwd()
    os.chdir(tree)
    try:
        return lint(list(paths), all_packs_policy(), at=AT)
    finally:
        os.chdir(previous)


@pytest.fixture(scope="module")
def bad(tree: Path):
    return _lint(tree, "bad")


@pytest.fixture(scope="module")
def sound(tree: Path):
    return _lint(tree, "sound")


@pytest.fixture(scope="module")
def nginx(tree: Path):
    return _lint(tree, "nginx/nginx.conf")


def _places(result, rule: str) -> set[tuple[str, int | None]]:
    return {(os.path.normpath(f.location.path), f.location.line) for f in result.findings if f.rule_id == rule}


@pytest.mark.parametrize("index", range(12))
def test_each_link_rule_fires_at_its_place(index: int, tree: Path, bad, nginx) -> None:
    if index >= len(EXPECT):
        pytest.skip("index beyond the generated defects")
    filename, line, rule = EXPECT[index]
    result = nginx if filename.startswith("nginx/") else bad
    places = _places(result, rule)
    assert (filename, line) in places, f"{rule} not reported at {filename}:{line}; reported at {sorted(places)}"


def test_every_rule_is_exercised(tree: Path) -> None:
    assert {rule for _, _, rule in EXPECT} == COVERS_RULES


def test_no_link_rule_fires_elsewhere(tree: Path, bad, nginx) -> None:
    expected = {(file, line, rule) for file, line, rule in EXPECT}
    extra = sorted(
        f"{f.rule_id} {f.location}: {f.message}"
        for result in (bad, nginx)
        for f in result.findings
        if f.rule_id in COVERS_RULES and (os.path.normpath(f.location.path), f.location.line, f.rule_id) not in expected
    )
    assert not extra, "\n".join(extra)


def test_sound_setup_is_quiet(sound) -> None:
    assert not [d for d in sound.inputs.diagnostics if d.severity == "error"], sound.inputs.diagnostics
    noisy = [f"{f.rule_id} {f.location}: {f.message}" for f in sound.findings if f.rule_id in COVERS_RULES]
    assert not noisy, "\n".join(noisy)


def _endpoint(result, endpoint_id: str):
    return next(s for s in result.inputs.subjects if s.kind == "endpoint" and s.id == endpoint_id)


def test_sound_endpoints_carry_the_linked_facts(sound) -> None:
    server = _endpoint(sound, "csms")
    assert server.value("identity.certificate_files") == [os.path.join("sound", "pki", "csms-chain.pem")]
    assert server.value("identity.key_files") == [os.path.join("sound", "pki", "csms.key")]
    assert server.value("trust.store_files") == [os.path.join("sound", "pki", "ca.pem")]
    assert server.value("identity.name_matches") is True
    assert server.value("identity.cn") == "csms.operator.net"
    assert server.value("identity.o") == "Charging Operator GmbH"
    assert server.value("identity.key_type_fits_suites") is True
    assert server.value("identity.key_matches") is True
    assert server.value("trust.anchors_valid") is True
    assert server.value("dane.matches") is True
    assert len(server.value("identity.certificates")) == 1
    client = _endpoint(sound, "station/primary")
    assert client.value("pinning.matches") is True
    assert client.value("identity.names") == ["CS-000123"]
    assert client.get("identity.name_matches") is None  # a client identity is not compared with a name


def test_certificates_know_their_role_and_users(sound) -> None:
    by_cn = {s.value("cert.subject.cn"): s for s in sound.inputs.subjects if s.kind == "certificate"}
    assert by_cn["csms.operator.net"].value("cert.role") == "server-leaf"
    assert by_cn["csms.operator.net"].value("cert.used_by") == ["csms"]
    # EKU clientAuth made it a client leaf already; its use as the station identity confirms it.
    assert by_cn["CS-000123"].value("cert.role") == "client-leaf"
    assert by_cn["CS-000123"].value("cert.role_source") == "usage"
    assert by_cn["Operator Root CA"].value("cert.used_by") == ["csms", "station/primary"]


def test_referenced_files_outside_the_linted_path_are_read(tree: Path, nginx) -> None:
    paths = {os.path.normpath(f.path) for f in nginx.inputs.files}
    assert os.path.join("srv", "certs", "www.pem") in paths
    assert os.path.join("srv", "certs", "www.key") in paths
    www = next(s for s in nginx.inputs.subjects if s.kind == "certificate" and s.label == "www.operator.net")
    assert sorted(www.value("cert.used_by")) == [
        "nginx:server[0.0.0.0:443 www.operator.net]",
        "nginx:server[0.0.0.0:8443 shop.operator.net]",
    ]
    first = _endpoint(nginx, "nginx:server[0.0.0.0:443 www.operator.net]")
    assert first.value("identity.name_matches") is True
    assert first.value("identity.key_matches") is True


def test_name_matching_follows_rfc_9525() -> None:
    """DNS SANs with a wildcard in the left-most label only, IP SANs for addresses."""
    from tlslint.link import covers
    from tlslint.pki.facts import describe
    from tlslint.pki.load import load_file

    _root, inter = ca_hierarchy()
    leaf = make("*.operator.net", issuer=inter, key_slot=120, san=["*.operator.net", "10.0.0.1"])
    loaded = load_file("leaf.pem", pem(leaf))
    info = describe(loaded.certificates[0])
    assert covers(info, "csms.operator.net")
    assert not covers(info, "a.b.operator.net")
    assert not covers(info, "operator.net")
    assert covers(info, "10.0.0.1")
    assert not covers(info, "10.0.0.2")


def test_nothing_to_link_imports_no_cryptography(tmp_path: Path) -> None:
    """Start-up: a configuration without referenced files never loads cryptography in the link stage."""
    import subprocess
    import sys

    conf = tmp_path / "tls-configuration.yaml"
    conf.write_text(
        HEADER
        + PROFILES
        + """endpoints:
  - id: api
    role: client
    purpose: other
    targets: [{id: primary, url: "https://api.operator.net/"}]
    tls: {profile: ecdsa}
"""
    )
    code = (
        "import sys, datetime\n"
        "from tlslint.run import parse_inputs\n"
        "from tlslint.sources.base import ParseContext\n"
        f"parse_inputs([{str(conf)!r}], ParseContext(at=datetime.date(2026, 11, 24)))\n"
        "print('cryptography' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


SOURCE_CONFIGS = {
    # file name, text, endpoint id, {field: expected paths relative to the tree}
    "haproxy": (
        "hap/haproxy.cfg",
        "frontend fe\n    bind :443 ssl crt ../srv/certs/www.pem ca-file ../srv/certs/ca.pem verify required\n",
        "haproxy:bind[fe::443]",
        {"identity.certificate_files": ["srv/certs/www.pem"], "trust.store_files": ["srv/certs/ca.pem"]},
    ),
    "apache": (
        "apache/httpd.conf",
        'ServerRoot "{root}/apache"\nListen 443\n<VirtualHost *:443>\n    SSLEngine on\n'
        "    SSLCertificateFile ../srv/certs/www.pem\n    SSLCertificateKeyFile ../srv/certs/www.key\n"
        "    SSLCACertificateFile ../srv/certs/ca.pem\n</VirtualHost>\n",
        "apache:vhost[*:443]",
        {
            "identity.certificate_files": ["srv/certs/www.pem"],
            "identity.key_files": ["srv/certs/www.key"],
            "trust.store_files": ["srv/certs/ca.pem"],
        },
    ),
    "kestrel": (
        "kes/appsettings.json",
        '{"Kestrel": {"Endpoints": {"Https": {"Url": "https://www.operator.net:5001",'
        ' "Certificate": {"Path": "../srv/certs/www.pem", "KeyPath": "../srv/certs/www.key"}}}}}\n',
        "kestrel:endpoint[Https]",
        {"identity.certificate_files": ["srv/certs/www.pem"], "identity.key_files": ["srv/certs/www.key"]},
    ),
    "curl": (
        "srv/certs/fetch.sh",
        "#!/bin/sh\ncurl --cacert ca.pem --tlsv1.2 https://fw.operator.net/fw.bin -o fw.bin\n",
        None,
        {"trust.store_files": ["srv/certs/ca.pem"]},
    ),
}


@pytest.mark.parametrize("engine", sorted(SOURCE_CONFIGS))
def test_sources_report_the_files_they_reference(engine: str, tree: Path) -> None:
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    filename, text, endpoint_id, expected = SOURCE_CONFIGS[engine]
    write(tree, filename, text.replace("{root}", str(tree)).encode())
    previous = os.getcwd()
    os.chdir(tree)
    try:
        parsed = parse_inputs([filename], ParseContext(at=AT))
    finally:
        os.chdir(previous)
    endpoints = [s for s in parsed.subjects if s.kind == "endpoint"]
    endpoint = next(s for s in endpoints if endpoint_id is None or s.id == endpoint_id)
    for field, paths in expected.items():
        found = endpoint.value(field)
        assert [os.path.relpath(os.path.join(tree, p), tree) for p in found] == paths, (field, found)
    # The files were linked: the certificate knows the endpoint uses it.
    used = [s for s in parsed.subjects if s.kind == "certificate" and endpoint.id in (s.value("cert.used_by") or [])]
    assert used
