"""``cbom.cdx.json``: a CycloneDX 1.6 cryptographic bill of materials, through cyclonedx-python-lib.

What the inventory of ``report.json`` holds, as CycloneDX cryptographic assets: per endpoint and protocol
version a ``protocol`` asset with its cipher suites (IANA names and code points), the algorithms those
suites use, certificates (subject, issuer, validity, signature algorithm, public key), and keys (type and
size; never key material). Evidence for IEC 62443-4-2 CR 7.8 (component inventory) and the starting point
of a post-quantum migration plan.

Deterministic: the serial number is a UUIDv5 of the report hash, the timestamp is the ``--at`` date, and
every ``bom-ref`` is derived from what it names. cyclonedx-python-lib is an optional extra
(``tlslint[cbom]``): asked for without it, the format is a usage error that says what to install.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from tlslint.errors import UsageError

#: Namespace of every UUIDv5 tlslint derives (CBOM serial numbers, OSCAL uuids).
NAMESPACE = uuid.UUID("6f1f3c9e-58b4-5c4e-9a51-7d1e0c2b7a10")

_MODES = {"GCM": "gcm", "CCM": "ccm", "CCM8": "ccm", "CCM_8": "ccm", "CBC": "cbc"}


def _import() -> Any:
    try:
        from cyclonedx.model import crypto
    except ImportError:
        raise UsageError("the cbom format needs cyclonedx-python-lib: pip install 'tlslint[cbom]'") from None
    return crypto


def _date(text: str | None) -> datetime.datetime | None:
    """A certificate date as the inventory stores it (ISO 8601) -> an aware datetime; unknown -> None."""
    if not text:
        return None
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def render(document: dict[str, Any]) -> str:
    crypto = _import()
    from cyclonedx.model import Property
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.bom_ref import BomRef
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.output.json import JsonV1Dot6

    from tlslint.catalog.suites import lookup

    head = document["header"]
    report_hash = document["integrity"]["report_sha256"]
    components: dict[str, Any] = {}
    algorithms_of: dict[str, list[BomRef]] = {}

    def add(ref: str, name: str, properties: Any, extra: list[tuple[str, str]] = ()) -> BomRef:
        if ref not in components:
            components[ref] = Component(
                name=name,
                type=ComponentType.CRYPTOGRAPHIC_ASSET,
                bom_ref=ref,
                crypto_properties=properties,
                properties=[Property(name=k, value=v) for k, v in extra],
            )
        return components[ref].bom_ref

    def algorithm(name: str, primitive: str, **kwargs: Any) -> BomRef:
        if f"algorithm:{name}" in components:
            return components[f"algorithm:{name}"].bom_ref
        return add(
            f"algorithm:{name}",
            name,
            crypto.CryptoProperties(
                asset_type=crypto.CryptoAssetType.ALGORITHM,
                algorithm_properties=crypto.AlgorithmProperties(primitive=crypto.CryptoPrimitive(primitive), **kwargs),
            ),
        )

    def suite_algorithms(suite: Any) -> list[BomRef]:
        if suite.iana_name in algorithms_of:
            return algorithms_of[suite.iana_name]
        refs = algorithms_of[suite.iana_name] = []
        if suite.cipher and suite.cipher not in ("NULL", "any"):
            mode = _MODES.get(suite.mode or "")
            primitive = (
                "ae" if suite.aead else ("stream-cipher" if suite.cipher in ("RC4", "CHACHA20") else "block-cipher")
            )
            refs.append(
                algorithm(
                    "-".join(p for p in (suite.cipher, str(suite.bits) if suite.bits else "", suite.mode or "") if p),
                    primitive,
                    parameter_set_identifier=str(suite.bits) if suite.bits else None,
                    mode=crypto.CryptoMode(mode) if mode else None,
                )
            )
        if suite.kx and suite.kx != "any":
            refs.append(algorithm(suite.kx, "key-agree" if "DH" in suite.kx else "pke"))
        return refs

    for endpoint in document["inventory"]["endpoints"]:
        for version, names in sorted((endpoint.get("cipher_suites") or {}).items()):
            suites = []
            for name in names:
                suite = lookup(name)
                if suite is None:
                    suites.append(crypto.ProtocolPropertiesCipherSuite(name=name))
                    continue
                suites.append(
                    crypto.ProtocolPropertiesCipherSuite(
                        name=suite.iana_name,
                        algorithms=suite_algorithms(suite),
                        identifiers=[f"0x{suite.code[0]:02X},0x{suite.code[1]:02X}"],
                    )
                )
            add(
                f"protocol:{endpoint['id']}:{version}",
                f"{version} ({endpoint['label']})",
                crypto.CryptoProperties(
                    asset_type=crypto.CryptoAssetType.PROTOCOL,
                    protocol_properties=crypto.ProtocolProperties(
                        type=crypto.ProtocolPropertiesType.TLS,
                        version=version.removeprefix("TLSv").removeprefix("SSLv"),
                        cipher_suites=suites,
                    ),
                ),
                [
                    ("tlslint:endpoint", endpoint["id"]),
                    ("tlslint:engine", endpoint["engine"]),
                    ("tlslint:location", _where(endpoint)),
                ],
            )
    for certificate in document["inventory"]["certificates"]:
        key_ref = _key_material(crypto, add, "public", certificate) if certificate.get("spki_sha256") else None
        signature = certificate.get("signature_algorithm")
        add(
            f"certificate:{certificate.get('sha256') or certificate['id']}",
            certificate.get("subject_cn") or certificate["id"],
            crypto.CryptoProperties(
                asset_type=crypto.CryptoAssetType.CERTIFICATE,
                certificate_properties=crypto.CertificateProperties(
                    subject_name=certificate.get("subject_cn"),
                    issuer_name=certificate.get("issuer_cn"),
                    not_valid_before=_date(certificate.get("not_before")),
                    not_valid_after=_date(certificate.get("not_after")),
                    signature_algorithm_ref=algorithm(signature, "signature") if signature else None,
                    subject_public_key_ref=key_ref,
                    certificate_format="X.509",
                ),
            ),
            [("tlslint:location", _where(certificate))],
        )
    for key in document["inventory"]["keys"]:
        _key_material(crypto, add, "private", key, format=key.get("format"))

    timestamp = datetime.datetime.combine(datetime.date.fromisoformat(head["at"]), datetime.time(), datetime.UTC)
    from cyclonedx.model.tool import ToolRepository

    tool = Component(
        name="tlslint", type=ComponentType.APPLICATION, version=head["tool"]["version"], bom_ref="tool:tlslint"
    )
    bom = Bom(
        serial_number=uuid.uuid5(NAMESPACE, f"cbom:{report_hash}"),
        metadata=BomMetaData(
            timestamp=timestamp,
            tools=ToolRepository(components=[tool]),
            properties=[Property(name="tlslint:report_sha256", value=report_hash)],
        ),
        components=[components[ref] for ref in sorted(components)],
    )
    # Compact: the library's indented output takes the slow pure-Python JSON encoder.
    return JsonV1Dot6(bom).output_as_string() + "\n"


def _where(entry: dict[str, Any]) -> str:
    location = entry.get("location") or {}
    return ":".join(str(location[k]) for k in ("path", "line", "column") if location.get(k) is not None)


def _key_name(entry: dict[str, Any]) -> str:
    return " ".join(str(entry[k]) for k in ("key_type", "key_bits", "key_curve") if entry.get(k)) or "key"


def _key_material(crypto: Any, add: Any, kind: str, entry: dict[str, Any], **extra: Any) -> Any:
    """A public or private key as related crypto material: type and size, never the key itself."""
    spki = entry.get("spki_sha256")
    properties = [("tlslint:location", _where(entry))] if kind == "private" else []
    return add(
        f"{kind}-key:{spki or entry['id']}",
        f"{kind} key {_key_name(entry)}",
        crypto.CryptoProperties(
            asset_type=crypto.CryptoAssetType.RELATED_CRYPTO_MATERIAL,
            related_crypto_material_properties=crypto.RelatedCryptoMaterialProperties(
                type=crypto.RelatedCryptoMaterialType(f"{kind}-key"), id=spki, size=entry.get("key_bits"), **extra
            ),
        ),
        properties,
    )
