"""EVerest run configurations (``config/config-*.yaml``: ``active_modules.<id>.{module, config_module}``).

Read here: the ISO 15118 SECC listeners of ``EvseV2G`` (ISO 15118-2), ``IsoMux`` (the multiplexer
that terminates TLS in front of both SECC modules, with EvseV2G's TLS code and options) and
``Evse15118D20`` (ISO 15118-20) as server endpoints ``everest:<module id>``, and the key passphrase of
``EvseSecurity`` as a secret. OCPP's TLS lives in the libocpp device model (read by
:mod:`tlslint.sources.libocpp`), not in the ``OCPP``/``OCPP201`` module config.

The SECC's suites and versions are fixed in EVerest's code, not configurable: they are reported with
origin ``default`` and a note, and listed in ``engine.unsupported``. Defaults of options that are not
written come from the modules' ``manifest.yaml`` (e.g. EvseV2G ``tls_security: allow``).
"""

from __future__ import annotations

from typing import Any

from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.yamlpos import PathKey, YamlDocument, load_yaml

ENGINE = "everest"

#: Published sample passphrases (EVerest's SIL configs use "123456"). Only a boolean leaves the parser.
KNOWN_DEFAULT_PASSPHRASES = frozenset({"123456", "changeit", "password", "everest"})

_V2G_SUITES = ["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"]  # EvseV2G / lib/everest/tls cipher list
_D20_TLS13 = ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]  # iso15118 connection_ssl.cpp

_SECC_UNSUPPORTED = [
    "cipher suites and protocol versions (fixed in the module's code)",
    "key-exchange groups and signature algorithms (OpenSSL defaults)",
    "client certificate verification (the SECC does not verify the EVCC in TLS)",
    "session resumption and tickets (OpenSSL defaults)",
]


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    document = load_yaml(path, text)
    result = ParseResult()
    modules = document.data.get("active_modules") if isinstance(document.data, dict) else None
    if not isinstance(modules, dict):
        return result
    for module_id, module in modules.items():
        if not isinstance(module, dict):
            continue
        kind = module.get("module")
        base: PathKey = ("active_modules", module_id)
        config = module.get("config_module") if isinstance(module.get("config_module"), dict) else {}
        reader = _Config(document, base, config)
        if kind == "EvseV2G":
            result.subjects.append(_evse_v2g(document, module_id, base, reader, context))
        elif kind == "IsoMux":
            result.subjects.append(_evse_v2g(document, module_id, base, reader, context, "ISO 15118 SECC (IsoMux)"))
        elif kind == "Evse15118D20":
            result.subjects.append(_evse_d20(document, module_id, base, reader, context))
        elif kind == "EvseSecurity":
            secret = _passphrase(document, module_id, base, config)
            if secret is not None:
                result.subjects.append(secret)
    return result


class _Config:
    """``config_module`` values with their locations, or manifest defaults located at ``module:``."""

    def __init__(self, document: YamlDocument, base: PathKey, config: dict[str, Any]) -> None:
        self.document = document
        self.base = base
        self.config = config
        self.module_location = document.loc((*base, "module"))

    def get(self, key: str, default: Any) -> Located[Any]:
        if key in self.config and self.config[key] is not None:
            return Located(self.config[key], Origin.EXPLICIT, self.document.loc((*self.base, "config_module", key)))
        return Located(default, Origin.DEFAULT, self.module_location, note=f"manifest default of {key}")


def _server(document: YamlDocument, module_id: str, base: PathKey, label: str) -> Subject:
    where = document.loc((*base, "module"))
    subject = Subject("endpoint", f"everest:{module_id}", document.loc(base), ENGINE, label=f"{label} {module_id}")
    subject.set("role", Located("server", Origin.DEFAULT, where))
    subject.set("purpose", Located("iso15118-secc", Origin.DEFAULT, where))
    subject.set("engines", Located(["everest-tls", "openssl"], Origin.DEFAULT, where))
    # Listing the module under active_modules is the explicit decision to run the listener.
    subject.set("enabled", Located(True, Origin.EXPLICIT, where))
    subject.set("listener_opt_in", Located(True, Origin.EXPLICIT, where, note="module listed in active_modules"))
    return subject


def _secc_tls(
    subject: Subject, where: Location, protocols: Located[Any], tls13: list[str], note: str, context: ParseContext
) -> None:
    from tlslint.sources.openssl_client import client

    openssl = client(context.engine_versions)
    subject.set("protocols", protocols)
    etm_note = f"{openssl.note}: Encrypt-then-MAC is negotiated by default since OpenSSL 1.1.0"
    subject.set(
        "extensions.encrypt_then_mac", Located(openssl.encrypt_then_mac(), Origin.DEFAULT, where, note=etm_note)
    )
    subject.set("cipher_suites.tls12", Located(list(_V2G_SUITES), Origin.DEFAULT, where, note=note))
    subject.set("cipher_suites.tls13", Located(list(tls13), Origin.DEFAULT, where, note=note))
    subject.set("client_auth.mode", Located("none", Origin.DEFAULT, where, note="SSL_VERIFY_NONE in EVerest's code"))
    subject.set("compression", Located(False, Origin.DEFAULT, where, note="OpenSSL 1.1+ default"))
    subject.set("engine.unsupported", Located(list(_SECC_UNSUPPORTED), Origin.DEFAULT, where))


def _evse_v2g(
    document: YamlDocument,
    module_id: str,
    base: PathKey,
    config: _Config,
    context: ParseContext,
    label: str = "ISO 15118-2 SECC",
) -> Subject:
    subject = _server(document, module_id, base, label)
    mode = config.get("tls_security", "allow")
    subject.set("plaintext_allowed", Located(mode.value != "force", mode.origin, mode.location, note=mode.note))
    if mode.value == "prohibit":
        return subject
    where = config.module_location
    note = "EvseV2G: fixed in code (ISO 15118-2 suite, empty TLS 1.3 list)"
    _secc_tls(subject, where, Located(["TLSv1.2"], Origin.DEFAULT, where, note=note), [], note, context)
    subject.set(
        "protocols.standard_max",
        Located("TLSv1.2", Origin.DEFAULT, where, note="ISO 15118-2 specifies TLS 1.2 (Table 7 suites)"),
    )
    subject.set("logging.keylog", config.get("tls_key_logging", False))
    timeout = config.get("tls_timeout", 15000)
    if isinstance(timeout.value, int):
        seconds = Located(timeout.value / 1000, timeout.origin, timeout.location, note="tls_timeout (ms)")
        subject.set("connection.timeouts.handshake", seconds)
    return subject


def _evse_d20(document: YamlDocument, module_id: str, base: PathKey, config: _Config, context: ParseContext) -> Subject:
    subject = _server(document, module_id, base, "ISO 15118-20 SECC")
    strategy = config.get("tls_negotiation_strategy", "ACCEPT_CLIENT_OFFER")
    plaintext = strategy.value != "ENFORCE_TLS"
    subject.set("plaintext_allowed", Located(plaintext, strategy.origin, strategy.location, note=strategy.note))
    if strategy.value == "ENFORCE_NO_TLS":
        return subject
    enforce13 = config.get("enforce_tls_1_3", False)
    only13 = bool(enforce13.value) and strategy.value == "ENFORCE_TLS"
    versions = ["TLSv1.3"] if only13 else ["TLSv1.2", "TLSv1.3"]
    note = "Evse15118D20: suites fixed in code; enforce_tls_1_3 takes effect only with ENFORCE_TLS"
    protocols = Located(versions, enforce13.origin, enforce13.location, note=note)
    _secc_tls(subject, config.module_location, protocols, _D20_TLS13, note, context)
    if only13:
        subject.set("cipher_suites.tls12", Located([], Origin.DEFAULT, enforce13.location, note=note))
    subject.set("logging.keylog", config.get("enable_tls_key_logging", False))
    no_option = "Evse15118D20 has no timeout option; the iso15118 library's socket timeouts are not visible"
    subject.set("connection.timeouts.handshake", Located(None, Origin.UNKNOWN, config.module_location, note=no_option))
    unsupported = subject.get("engine.unsupported")
    subject.set(
        "engine.unsupported",
        Located([*unsupported.value, "handshake timeout"], unsupported.origin, unsupported.location),
    )
    return subject


def _passphrase(document: YamlDocument, module_id: str, base: PathKey, config: dict[str, Any]) -> Subject | None:
    value = config.get("private_key_password")
    if value is None or value == "":
        return None
    path = (*base, "config_module", "private_key_password")
    where = document.loc(path)
    subject = Subject("secret", f"everest:{module_id}.private_key_password", where, ENGINE)
    subject.set("secret.kind", Located("passphrase", Origin.EXPLICIT, document.key_loc(path)))
    subject.set("secret.inline", Located(True, Origin.EXPLICIT, where))
    subject.set("secret.purpose", Located("private-key-passphrase", Origin.EXPLICIT, where))
    known = str(value).strip().lower() in KNOWN_DEFAULT_PASSPHRASES
    subject.set("secret.known_default", Located(known, Origin.EXPLICIT, where))
    return subject
