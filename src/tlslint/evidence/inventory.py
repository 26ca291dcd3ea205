"""The endpoint, certificate and key inventory of a run, as plain data for ``report.json``.

One reduction of the parsed subjects that the HTML appendix and the CycloneDX crypto inventory both read,
so the two can never disagree. Values are stored as the model has them (no re-derivation); every entry
keeps the file, line and column it came from. Secrets never enter: only key metadata (type, size, SPKI
hash), never key material, and no secret subject's value.
"""

from __future__ import annotations

from typing import Any

from tlslint.model.subject import Subject

_CERT_FIELDS = {
    "role": "role",
    "cert.subject.cn": "subject_cn",
    "cert.subject.o": "subject_o",
    "cert.issuer.cn": "issuer_cn",
    "cert.fingerprint_sha256": "sha256",
    "cert.spki_sha256": "spki_sha256",
    "cert.key.type": "key_type",
    "cert.key.bits": "key_bits",
    "cert.key.curve": "key_curve",
    "cert.signature_algorithm": "signature_algorithm",
    "cert.not_before": "not_before",
    "cert.not_after": "not_after",
    "cert.san.dns": "san_dns",
    "cert.self_signed": "self_signed",
}
_KEY_FIELDS = {
    "key.type": "key_type",
    "key.bits": "key_bits",
    "key.curve": "key_curve",
    "key.format": "format",
    "key.encrypted": "encrypted",
    "key.spki_sha256": "spki_sha256",
}


def _plain(value: Any) -> Any:
    """JSON-safe and hash-stable: strings, ints, booleans, lists of them (no floats: see canonical.py)."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return str(value)


def _without_userinfo(url: Any) -> Any:
    """A URL without ``user:password@``: credentials in a URL are secrets and never reach a report."""
    if not isinstance(url, str) or "@" not in url:
        return _plain(url)
    from tlslint.urls import split_url

    parts = split_url(url)
    if parts is None or "@" not in parts.netloc:
        return "(URL withheld: it may hold credentials)" if parts is None else url
    return parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]).geturl()


def _origin(subject: Subject, path: str) -> str:
    found = subject.get(path)
    return str(found.origin) if found is not None else "unknown"


def _picked(subject: Subject, names: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, name in names.items():
        found = subject.get(path)
        if found is not None and found.value is not None:
            out[name] = _plain(found.value)
    return out


def endpoint(subject: Subject) -> dict[str, Any]:
    from tlslint.report.json import effective

    offer = effective(subject)
    entry: dict[str, Any] = {
        "id": subject.id,
        "label": subject.display,
        "engine": subject.engine,
        "role": _plain(subject.value("role")),
        "purpose": _plain(subject.value("purpose")),
        "location": subject.location.to_json(),
        "protocols": offer["protocols"],
        "protocols_origin": offer["protocols_origin"],
        "cipher_suites": offer["cipher_suites"],
        "groups": _plain(subject.value("groups")),
        "groups_origin": _origin(subject, "groups"),
        "signature_algorithms": _plain(subject.value("signature_algorithms")),
        "url": _without_userinfo(subject.value("url")),
    }
    if subject.value("role") == "server":
        entry["bind"] = {"address": _plain(subject.value("bind.address")), "port": subject.value("bind.port")}
    return entry


def certificate(subject: Subject) -> dict[str, Any]:
    return {"id": subject.id, "location": subject.location.to_json(), **_picked(subject, _CERT_FIELDS)}


def key(subject: Subject) -> dict[str, Any]:
    return {"id": subject.id, "location": subject.location.to_json(), **_picked(subject, _KEY_FIELDS)}


def build(subjects: list[Subject]) -> dict[str, list[dict[str, Any]]]:
    def ordered(kind: str) -> list[Subject]:
        chosen = [s for s in subjects if s.kind == kind]
        return sorted(chosen, key=lambda s: (s.location.path, s.location.line or 0, s.id))

    return {
        "endpoints": [endpoint(s) for s in ordered("endpoint")],
        "certificates": [certificate(s) for s in ordered("certificate")],
        "keys": [key(s) for s in ordered("key")],
    }
