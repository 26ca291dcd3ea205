"""The CycloneDX crypto inventory of certificates and keys: valid CycloneDX 1.6, no key material."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.pki import pkigen
from tests.report.support import load, make_report


def test_certificates_and_keys_are_inventoried_without_key_material(tmp_path: Path):
    pytest.importorskip("cyclonedx")
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    _root, issuing = pkigen.ca_hierarchy()
    leaf = pkigen.make("csms.operator.net", issuer=issuing, san=["csms.operator.net"])
    tree = tmp_path / "pki"
    pkigen.write(tree, "server.pem", pkigen.pem(leaf, issuing))
    private = pkigen.key_pem(leaf.key)
    pkigen.write(tree, "server.key", private, mode=0o600)
    out = tmp_path / "out"
    result = make_report([str(tree)], out, "--fail-on", "never", formats="json,cbom")
    assert result.code == 0, result.err
    text = (out / "cbom.cdx.json").read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    assets = [c["cryptoProperties"] for c in json.loads(text)["components"]]
    certificates = [a["certificateProperties"] for a in assets if a["assetType"] == "certificate"]
    assert {c["subjectName"] for c in certificates} >= {"csms.operator.net"}
    leaf_props = next(c for c in certificates if c["subjectName"] == "csms.operator.net")
    assert leaf_props["certificateFormat"] == "X.509" and leaf_props["notValidAfter"].startswith("20")
    material = [a["relatedCryptoMaterialProperties"] for a in assets if a["assetType"] == "related-crypto-material"]
    assert {m["type"] for m in material} >= {"public-key", "private-key"}
    # Key material never leaves: neither the PEM body nor any base64 line of it.
    body = private.decode().splitlines()[1]
    assert body not in text and "PRIVATE KEY" not in text
    assert body not in (out / "report.json").read_text()
    inventory = load(out)["inventory"]
    assert inventory["keys"] and all("spki_sha256" in k for k in inventory["keys"])


def test_the_html_report_lists_certificates_and_keys_that_lack_optional_parts(tmp_path: Path):
    """An RSA key has no curve and a subject may have no CN: the inventory leaves such parts out, and the
    HTML appendix read every one as if present (any RSA certificate made ``tlslint report`` exit 4)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    only_o = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Metering GmbH")])
    no_cn = pkigen.make("unused", key_kind="rsa2048", subject=only_o, san=["meter.operator.net"])
    tree = tmp_path / "pki"
    pkigen.write(tree, "meter.pem", no_cn.pem)
    pkigen.write(tree, "meter.key", pkigen.key_pem(no_cn.key), mode=0o600)
    out = tmp_path / "out"
    result = make_report([str(tree)], out, "--fail-on", "never", formats="html,json,techdoc-csv,cbom")
    assert result.code == 0, result.err
    inventory = load(out)["inventory"]
    certificate = next(c for c in inventory["certificates"] if c.get("key_type") == "RSA")
    assert "key_curve" not in certificate and "subject_cn" not in certificate  # left out, as designed
    page = (out / "report.html").read_text()
    assert "<td>(no CN)" in page and "<td>RSA 2048</td>" in page
