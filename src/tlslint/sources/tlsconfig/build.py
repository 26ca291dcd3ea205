"""Turn a validated TLS configuration document into endpoint subjects.

An endpoint with failover targets becomes one subject per target (``csms/primary``,
``csms/backup``), because each target may override the trust store, pins, identity or profile
(wp:1.22, wp:1.39). Settings are layered, last wins, leaf by leaf:

    base profile  <  profile that ``extends`` it  <  endpoint  <  target

Values that come from a profile are ``inherited``: their location is where the profile wrote them,
and ``via`` points at the ``profile:`` / ``extends:`` lines that brought them in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tlslint.catalog import versions as tls_versions
from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.records import Frozen
from tlslint.units import seconds, size_bytes
from tlslint.urls import split_url
from tlslint.yamlpos import PathKey, YamlDocument

Keys = tuple[str, ...]


class _Leaf(Frozen):
    """A value of a TLS configuration document, where it was written and the profiles that brought it in."""

    __slots__ = ("value", "path", "via")

    value: Any
    path: PathKey  # where in the document it was written
    via: tuple[PathKey, ...]  # profile:/extends: references that brought it in

    def __init__(self, value: Any, path: PathKey, via: tuple[PathKey, ...] = ()) -> None:
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "via", via)


def _flatten(value: Any, path: PathKey, keys: Keys = ()) -> dict[Keys, _Leaf]:
    """Mapping leaves by key tuple. Lists are leaves: a list in a later layer replaces the earlier one."""
    if isinstance(value, dict) and value:
        out: dict[Keys, _Leaf] = {}
        for key, item in value.items():
            out.update(_flatten(item, (*path, key), (*keys, key)))
        return out
    return {keys: _Leaf(value, path)}


class _Layers:
    """Resolved settings of one endpoint target: ``profile`` leaves and the endpoint's ``own`` leaves."""

    def __init__(self, document: YamlDocument, profile: dict[Keys, _Leaf], own: dict[Keys, _Leaf]) -> None:
        self.document = document
        self.profile = profile
        self.own = own

    def _items(self, leaf: _Leaf) -> tuple[Location | None, ...]:
        if not isinstance(leaf.value, list):
            return ()
        return tuple(self.document.where.get((*leaf.path, index)) for index in range(len(leaf.value)))

    def from_profile(self, *keys: str) -> Located[Any] | None:
        leaf = self.profile.get(keys)
        if leaf is None:
            return None
        via = tuple(self.document.loc(p) for p in leaf.via)
        return Located(leaf.value, Origin.INHERITED, self.document.loc(leaf.path), via, items=self._items(leaf))

    def from_endpoint(self, *keys: str) -> Located[Any] | None:
        leaf = self.own.get(keys)
        if leaf is None:
            return None
        return Located(leaf.value, Origin.EXPLICIT, self.document.loc(leaf.path), items=self._items(leaf))

    def has_endpoint_prefix(self, *keys: str) -> bool:
        return any(k[: len(keys)] == keys for k in self.own)


def _convert(found: Located[Any] | None, function: Callable[[Any], Any]) -> Located[Any] | None:
    """The same provenance for a converted value; element locations survive a 1:1 list conversion."""
    if found is None:
        return None
    value = function(found.value)
    keep = isinstance(value, list) and isinstance(found.value, list) and len(value) == len(found.value)
    return Located(value, found.origin, found.location, found.via, found.note, found.items if keep else ())


def endpoints(document: YamlDocument) -> list[Subject]:
    data = document.data
    index_of = {
        section: {item["id"]: (i, item) for i, item in enumerate(data.get(section) or [])}
        for section in ("tlsProfiles", "trustStores", "identities")
    }
    policy = data.get("policy") or {}
    subjects: list[Subject] = []
    for e_index, endpoint in enumerate(data.get("endpoints") or []):
        e_path: PathKey = ("endpoints", e_index)
        base = {k: v for k, v in endpoint.items() if k != "targets"}
        targets = endpoint.get("targets") or [None]
        for t_index, target in enumerate(targets):
            own = _flatten(base, e_path)
            t_path: PathKey = (*e_path, "targets", t_index)
            if target is not None:
                own.update(_flatten(target, t_path))
            profile = _resolve_profile(document, index_of["tlsProfiles"], own)
            layers = _Layers(document, profile, own)
            subject_id = endpoint["id"] if target is None else f"{endpoint['id']}/{target['id']}"
            subject = Subject(
                kind="endpoint",
                id=subject_id,
                location=document.loc(t_path if target is not None else e_path),
                engine="tlsconfig",
            )
            _fill(subject, layers, index_of, policy, document)
            subjects.append(subject)
    return subjects


def _resolve_profile(
    document: YamlDocument, profiles: dict[str, tuple[int, dict[str, Any]]], own: dict[Keys, _Leaf]
) -> dict[Keys, _Leaf]:
    reference = own.get(("tls", "profile"))
    if reference is None:
        return {}
    chain: list[tuple[int, dict[str, Any]]] = []
    current: str | None = reference.value
    while current is not None and current in profiles and all(p is not profiles[current][1] for _, p in chain):
        chain.append(profiles[current])
        current = profiles[current][1].get("extends")
    leaves: dict[Keys, _Leaf] = {}
    # Base first, so that a profile overrides what it extends. ``via`` records the reference chain.
    for depth, (index, profile) in reversed(list(enumerate(chain))):
        vias = (reference.path, *tuple(("tlsProfiles", i, "extends") for i, _ in chain[:depth]))
        body = {k: v for k, v in profile.items() if k not in ("id", "extends")}
        for keys, leaf in _flatten(body, ("tlsProfiles", index)).items():
            leaves[keys] = _Leaf(leaf.value, leaf.path, vias)
    return leaves


_KEY_TYPES = {"rsa": "RSA", "ecdsa": "ECDSA", "ed25519": "Ed25519", "ed448": "Ed448"}


def _fill(
    subject: Subject,
    layers: _Layers,
    index_of: dict[str, dict[str, tuple[int, dict[str, Any]]]],
    policy: dict[str, Any],
    document: YamlDocument,
) -> None:
    own, prof = layers.from_endpoint, layers.from_profile

    def put(path: str, found: Located[Any] | None) -> None:
        if found is not None and found.value is not None:
            subject.set(path, found)

    role = own("role")
    put("role", role)
    put("purpose", own("purpose"))
    put("engines", own("tls", "engines"))
    _fill_enabled(subject, layers, policy, document)

    url = own("url")
    put("url", url)
    parts = split_url(str(url.value)) if url is not None else None  # validation reported a broken URL
    if url is not None and parts is not None:
        put("url.scheme", _convert(url, lambda _: parts.scheme.lower()))
        if parts.hostname:
            put("server_name", _convert(url, lambda _: parts.hostname))
    nts_ke = own("ntsKe")
    if nts_ke is not None:
        put("server_name", _convert(nts_ke, lambda v: str(v).rsplit(":", 1)[0]))
    put("server_name", own("serverName"))
    put("bind.address", own("bind", "address"))
    put("bind.port", own("bind", "port"))
    put("target.priority", own("priority"))
    put("target.weight", own("weight"))
    put("transfer_protocols", own("transferProtocols"))

    _fill_versions(subject, layers)
    prefer = prof("cipherSuites", "preferServerOrder")
    put("cipher_suites.prefer_server_order", prefer)
    put("groups", _convert(prof("groups"), _canonical_groups))
    put("signature_algorithms", _convert(prof("signatureAlgorithms"), _canonical_sigalgs))
    put("compression", _convert(prof("compression"), lambda v: v != "none"))
    put("dh_params.bits", prof("session", "dhParameters", "bits"))

    _fill_trust(subject, layers, index_of, document)
    put("verify.hostname", _convert(prof("certificateValidation", "hostname"), lambda v: v == "strict"))
    put("verify.allow_wildcards", prof("certificateValidation", "allowWildcards"))
    put("verify.validity_period", prof("certificateValidation", "validityPeriod"))
    put("verify.max_chain_depth", prof("certificateValidation", "maxChainDepth"))
    put("verify.identity_match", prof("certificateValidation", "identityMatch"))
    put("revocation.mode", prof("revocation", "mode"))
    put("revocation.on_error", prof("revocation", "ocsp", "onError"))
    put("revocation.ocsp_timeout", _convert(prof("revocation", "ocsp", "timeout"), seconds))
    put("ocsp_stapling", prof("ocspStapling"))
    put("client_auth.mode", own("tls", "clientAuth", "mode"))
    put("client_auth.trust_store", own("tls", "clientAuth", "trustStore"))
    _fill_identity(subject, layers, index_of, document)

    put("session.tickets", prof("session", "tickets"))
    put("session.resumption", prof("session", "resumption"))
    put("session.timeout", _convert(prof("session", "cacheTimeout"), seconds))
    put("session.renegotiation", prof("session", "renegotiation"))
    put("extended_master_secret", _convert(prof("session", "extendedMasterSecret"), lambda v: v != "disabled"))
    put("early_data", prof("session", "earlyData"))
    put("alpn.enabled", prof("alpn", "enabled"))
    put("alpn.protocols", prof("alpn", "protocols"))
    put("sni.send", prof("sni", "send"))
    put("sni.ech", prof("sni", "ech"))
    put("extensions.heartbeat", _convert(prof("extensions", "heartbeat"), lambda v: v == "enabled"))
    put("extensions.sct", prof("extensions", "signedCertificateTimestamp"))
    put("extensions.max_fragment_length", prof("extensions", "maxFragmentLength"))
    put("extensions.record_size_limit", prof("extensions", "recordSizeLimit"))
    put("extensions.padding", prof("extensions", "padding"))
    put("extensions.encrypt_then_mac", prof("extensions", "encryptThenMac"))
    for key, field in (
        ("maxPlaintextRecord", "max_plaintext_record"),
        ("inputBuffer", "input"),
        ("outputBuffer", "output"),
    ):
        put(f"buffers.{field}", _convert(prof("buffers", key), size_bytes))
    for key, field in (
        ("psk", "psk"),
        ("rawPublicKey", "raw_public_key"),
        ("srp", "srp"),
        ("delegatedCredentials", "delegated_credentials"),
    ):
        put(f"alternative_auth.{field}", _convert(prof("alternativeAuth", key), lambda v: v == "enabled"))

    _fill_connection(subject, layers)
    put("http.redirects.follow", own("http", "redirects", "follow"))
    put("http.redirects.max", own("http", "redirects", "max"))
    put("http.redirects.same_domain_only", own("http", "redirects", "sameDomainOnly"))
    put("http.redirects.statuses", own("http", "redirects", "statuses"))
    put("http.redirects.protocols", own("http", "redirects", "protocols"))
    put("http.server_header", own("http", "serverHeader"))
    put("http.user_agent", own("http", "userAgent"))
    put("logging.keylog", own("logging", "keylog"))
    put("logging.tls", _convert(own("logging", "tls"), lambda v: "off" if v is False else v))
    payloads = [own("logging", "http"), own("logging", "websocket")]
    for found in payloads:
        if found is not None and found.value in ("headers", "frames", "all"):
            put("logging.payloads", _convert(found, lambda _: True))
            break
    else:
        if any(found is not None for found in payloads):
            put("logging.payloads", _convert(next(f for f in payloads if f is not None), lambda _: False))
    put("discovery.dns_srv", own("discovery", "dnsSrv", "enabled"))
    put("discovery.dane", own("discovery", "dane", "enabled"))
    put("dane.records", own("discovery", "dane", "records"))
    put("ocpp.security_profile", own("ocpp", "securityProfile"))
    put("ocpp.identity", own("ocpp", "identity"))
    put("ocpp.versions", own("ocpp", "websocketSubprotocols"))

    if "requireOfflineOperation" in policy:
        where = document.loc(("policy", "requireOfflineOperation"))
        subject.set("offline_required", Located(policy["requireOfflineOperation"], Origin.INHERITED, where))
    network = own("ocpp", "trustedNetwork")
    if network is not None:
        declared = network.value in (policy.get("trustedNetworks") or [])
        put("trusted_network", _convert(network, lambda _: declared))


def _fill_enabled(subject: Subject, layers: _Layers, policy: dict[str, Any], document: YamlDocument) -> None:
    enabled = layers.from_endpoint("enabled")
    is_server = subject.value("role") == "server"
    if enabled is not None:
        subject.set("enabled", enabled)
    else:
        default = policy.get("serverListenersDefault", "enabled") != "disabled" if is_server else True
        note = "policy.serverListenersDefault" if is_server and "serverListenersDefault" in policy else None
        subject.set("enabled", Located(default, Origin.DEFAULT, subject.location, note=note))
    if is_server:
        opted_in = enabled is not None and enabled.value is True
        location = enabled.location if enabled is not None else subject.location
        subject.set("listener_opt_in", Located(opted_in, Origin.EXPLICIT, location))


def _fill_versions(subject: Subject, layers: _Layers) -> None:
    preference = layers.from_profile("versions", "preference")
    low = layers.from_profile("versions", "min")
    high = layers.from_profile("versions", "max")
    anchor = preference or low or high
    if anchor is None:
        return
    if preference is not None:
        subject.set("protocols.preference", preference)
    lowest = low.value if low else None
    highest = high.value if high else "TLSv1.3"
    if preference is not None:
        enabled = list(preference.value)
    elif lowest is not None:
        enabled = tls_versions.between(lowest, highest)
    else:
        return  # only a maximum: the minimum is the engine's default, which the document does not say
    if lowest is not None:
        enabled = [v for v in enabled if tls_versions.rank(v) >= tls_versions.rank(lowest)]
    enabled = [v for v in enabled if tls_versions.rank(v) <= tls_versions.rank(highest)]

    tls12 = layers.from_profile("cipherSuites", "TLSv1.2")
    tls13 = layers.from_profile("cipherSuites", "TLSv1.3")
    if tls12 is not None:
        subject.set("cipher_suites.tls12", _convert(tls12, _canonical_suites))
    if tls13 is not None:
        subject.set("cipher_suites.tls13", _convert(tls13, _canonical_suites))
    # A version is offered only if a suite usable with it is configured (ARCHITECTURE §9).
    offered = _offered_versions(enabled, subject.value("cipher_suites.tls12"), subject.value("cipher_suites.tls13"))
    # Point each offered version at the element of the preference list that enables it, if there is one.
    items = tuple(preference.item_location(version) if preference else None for version in offered)
    subject.set("protocols", Located(offered, anchor.origin, anchor.location, anchor.via, items=items))


def _canonical_suites(names: list[str]) -> list[str]:
    from tlslint.catalog.suites import lookup

    out = []
    for name in names:
        suite = lookup(name)
        out.append(suite.iana_name if suite else name)
    return out


def _canonical_groups(names: list[str]) -> list[str]:
    from tlslint.catalog.groups import normalise_group

    return [normalise_group(name) or name for name in names]


def _canonical_sigalgs(names: list[str]) -> list[str]:
    from tlslint.catalog.sigalgs import normalise_sigalg

    return [normalise_sigalg(name) or name for name in names]


def _offered_versions(enabled: list[str], tls12: list[str] | None, tls13: list[str] | None) -> list[str]:
    from tlslint.catalog.suites import lookup

    offered = []
    for version in enabled:
        if version == "TLSv1.3":
            if tls13 is None or tls13:
                offered.append(version)
            continue
        if tls12 is None:
            offered.append(version)  # suites not restricted here: the engine's default list applies
            continue
        rank = tls_versions.rank(version)
        for name in tls12:
            suite = lookup(name)
            if suite is not None and not suite.tls13 and tls_versions.rank(suite.min_version) <= rank:
                offered.append(version)
                break
    return offered


def _fill_trust(
    subject: Subject,
    layers: _Layers,
    index_of: dict[str, dict[str, tuple[int, dict[str, Any]]]],
    document: YamlDocument,
) -> None:
    own = layers.from_endpoint
    store = own("tls", "trustStore")
    if store is not None:
        subject.set("trust.store", store)
        index, definition = index_of["trustStores"][store.value]
        for key, field in (("includeSystemRoots", "trust.system_roots"), ("kind", "trust.kind")):
            if key in definition:
                where = document.loc(("trustStores", index, key))
                subject.set(field, Located(definition[key], Origin.INHERITED, where, (store.location,)))
    stores = [store, own("tls", "clientAuth", "trustStore")]
    _fill_files(
        subject,
        "trust.store_files",
        document,
        [
            ("trustStores", index_of["trustStores"][ref.value][0], "source")
            for ref in stores
            if ref is not None and ref.value in index_of["trustStores"]
        ],
        tuple(ref.location for ref in stores if ref is not None and ref.location is not None),
    )
    verify = own("tls", "verifyPeer")
    chain = layers.from_profile("certificateValidation", "chain")
    if verify is not None:
        subject.set("verify.peer", verify)
    elif chain is not None:
        subject.set("verify.peer", _convert(chain, lambda v: v == "required"))
    pins = own("tls", "pinning", "pins")
    if pins is not None:
        subject.set("pinning.pins", pins)
        subject.set("pinning.backup", _convert(pins, lambda v: len(set(v)) >= 2))
    if layers.has_endpoint_prefix("tls", "pinning"):
        release = own("tls", "pinning", "release", "via")
        if release is not None:
            subject.set("pinning.release", _convert(release, bool))
        else:
            anchor = pins or own("tls", "pinning", "mode") or own("tls", "pinning", "scope")
            location = anchor.location if anchor else subject.location
            subject.set("pinning.release", Located(False, Origin.EXPLICIT, location))
    if layers.has_endpoint_prefix("tls", "changeNotification"):
        leaf = next(k for k in layers.own if k[:2] == ("tls", "changeNotification"))
        found = own(*leaf)
        subject.set("change_notification", _convert(found, lambda v: v not in (None, "none")))


def _fill_identity(
    subject: Subject,
    layers: _Layers,
    index_of: dict[str, dict[str, tuple[int, dict[str, Any]]]],
    document: YamlDocument,
) -> None:
    single = layers.from_endpoint("tls", "identity")
    several = layers.from_endpoint("tls", "identities")
    found = several or _convert(single, lambda v: [v])
    if found is None:
        return
    subject.set("identity", found)
    key_types, storage = [], []
    for name in found.value:
        _index, identity = index_of["identities"][name]
        algorithm = str(identity.get("keyAlgorithm", ""))
        if algorithm:
            key_types.append(_KEY_TYPES.get(algorithm.split("-")[0], algorithm))
        where = (identity.get("privateKey") or {}).get("storage")
        if where:
            storage.append(where)
    via = (found.location,) if found.location else ()
    _fill_files(
        subject,
        "identity.certificate_files",
        document,
        [("identities", index_of["identities"][name][0], "certificateChain") for name in found.value],
        via,
    )
    keys: list[str] = []
    key_places: list[Location | None] = []
    for name in found.value:
        index, identity = index_of["identities"][name]
        ref = (identity.get("privateKey") or {}).get("ref")
        if isinstance(ref, str) and ref.startswith("file://"):
            keys.append(_document_relative(document, ref.removeprefix("file://")))
            key_places.append(document.loc(("identities", index, "privateKey", "ref")))
    if keys:
        subject.set("identity.key_files", Located(keys, Origin.INHERITED, key_places[0], via, items=tuple(key_places)))
    if key_types:
        subject.set("identity.key_types", Located(key_types, Origin.INHERITED, found.location, via))
    if storage:
        subject.set("identity.key_storage", Located(storage, Origin.INHERITED, found.location, via))


def _document_relative(document: YamlDocument, path: str) -> str:
    """A file named in the document, relative to the document's directory unless absolute."""
    import os

    return path if os.path.isabs(path) else os.path.normpath(os.path.join(os.path.dirname(document.path), path))


def _fill_files(
    subject: Subject,
    field: str,
    document: YamlDocument,
    sources: list[tuple[str, int, str]],
    via: tuple[Location, ...],
) -> None:
    """``identity.certificate_files`` / ``trust.store_files`` from the ``file``/``files`` of the referenced
    ``certificateChain`` / ``source`` definitions, each file located where the definition names it."""
    paths: list[str] = []
    places: list[Location | None] = []
    for section, index, key in sources:
        definition = (document.data.get(section) or [])[index].get(key) or {}
        named = [("file", None)] if isinstance(definition.get("file"), str) else []
        named += [("files", i) for i in range(len(definition.get("files") or []))]
        for name, position in named:
            value = definition[name] if position is None else definition[name][position]
            if not isinstance(value, str) or not value:
                continue
            keys = (section, index, key, name) if position is None else (section, index, key, name, position)
            paths.append(_document_relative(document, value))
            places.append(document.loc(keys))
    if paths:
        subject.set(field, Located(paths, Origin.INHERITED, places[0], via, items=tuple(places)))


def _fill_connection(subject: Subject, layers: _Layers) -> None:
    own = layers.from_endpoint

    def put(path: str, found: Located[Any] | None) -> None:
        if found is not None and found.value is not None:
            subject.set(path, found)

    for name in ("connect", "handshake", "idle", "total"):
        put(f"connection.timeouts.{name}", _convert(own("connection", "timeouts", name), seconds))
    put("connection.retry.max_retries", own("connection", "retry", "maxRetries"))
    attempts = own("connection", "retry", "attemptsPerTarget")
    if subject.get("connection.retry.max_retries") is None and attempts is not None:
        put("connection.retry.max_retries", _convert(attempts, lambda v: max(v - 1, 0)))
    backoff_keys = [k for k in layers.own if k[:3] == ("connection", "retry", "backoff")]
    if backoff_keys:
        first = own(*backoff_keys[0])
        multiplier = own("connection", "retry", "backoff", "multiplier")
        grows = multiplier is None or multiplier.value > 1
        put("connection.retry.backoff", _convert(first, lambda _: grows))
    put("connection.retry.max_delay", _convert(own("connection", "retry", "backoff", "max"), seconds))
    put("connection.rate_limit", _convert(own("connection", "rateLimit"), size_bytes))
    put(
        "connection.dns.servers",
        _convert(own("connection", "dns", "servers"), lambda v: [v] if isinstance(v, str) else v),
    )
    put("connection.dns.over_https", own("connection", "dns", "dnsOverHttps"))
    put("connection.ip_family", own("connection", "ipFamily"))
    for key, field in (("keepAlive", "keep_alive"), ("fastOpen", "fast_open"), ("noDelay", "no_delay")):
        put(f"connection.tcp.{field}", own("connection", "tcp", key))
    mode = own("connection", "concurrency", "mode")
    limit = own("connection", "concurrency", "max")
    if limit is not None:
        put("connection.concurrency.max", limit)
    elif mode is not None:
        put("connection.concurrency.max", _convert(mode, lambda v: {"disallowed": 1, "unlimited": -1}.get(v, -1)))
