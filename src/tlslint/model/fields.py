"""The canonical field paths of each subject kind: the vocabulary shared by sources and rules.

Sources fill these paths; rules name them; the rule loader rejects a rule whose path is not declared
here (so a typo in a pack fails when the pack is loaded, not silently at evaluation). The whitepaper
sections (``wp``) feed the section → field → rules map in ``docs/whitepaper-map.md``.

Types decide how operators compare values:

``versions``  canonical protocol versions (ordered by :data:`tlslint.catalog.versions.VERSIONS`)
``suites``    IANA cipher-suite names; list conditions can look at catalogue attributes (``pfs``...)
``groups`` / ``sigalgs``  IANA group / RFC 8446 signature-scheme names, with catalogue attributes
``bool``, ``int``, ``str``, ``enum``, ``list``  as they say
``seconds``   a duration, normalised to seconds; ``bytes`` a size, normalised to bytes
"""

from __future__ import annotations

from functools import cache

from tlslint.records import Frozen

FIELD_TYPES = ("versions", "suites", "groups", "sigalgs", "bool", "int", "str", "enum", "list", "seconds", "bytes")


class FieldSpec(Frozen):
    """A field of the subject model: its path, value type, meaning and whitepaper sections."""

    __slots__ = ("path", "type", "doc", "wp", "values")

    path: str
    type: str
    doc: str
    wp: tuple[str, ...]
    values: tuple[str, ...]  # allowed values of an ``enum``

    def __init__(self, path: str, type: str, doc: str, wp: tuple[str, ...] = (), values: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "doc", doc)
        object.__setattr__(self, "wp", wp)
        object.__setattr__(self, "values", values)


def _f(path: str, type_: str, doc: str, wp: str = "", values: str = "") -> FieldSpec:
    return FieldSpec(path, type_, doc, tuple(wp.split()) if wp else (), tuple(values.split()) if values else ())


_ON_OFF = "auto enable disable"

ENDPOINT_FIELDS: tuple[FieldSpec, ...] = (
    # What and where
    _f("role", "enum", "client or server", "", "client server"),
    _f(
        "purpose",
        "enum",
        "what the connection is for",
        "",
        "ocpp-csms ocpp-lc-listener ocpp-gateway firmware-download log-upload nts-ke ntp-over-tls "
        "eebus-ship iso15118-secc iso15118-evcc https-server https-proxy management other",
    ),
    _f("enabled", "bool", "whether the endpoint is active; servers must opt in explicitly", "2.2"),
    _f("engines", "list", "TLS engines (libraries) the endpoint may use", "1.1"),
    _f("url", "str", "the URL a client connects to", "1.22 1.39"),
    _f("url.scheme", "str", "scheme of the URL: wss, ws, https, http, ftp, ...", "2.2"),
    _f("server_name", "str", "SNI / expected host name of the peer", "1.15"),
    _f("bind.address", "str", "address a server listens on", "2.2"),
    _f("bind.port", "int", "port a server listens on", "2.2"),
    _f("target.priority", "int", "failover priority of this target (lower first)", "1.22 1.39"),
    _f("target.weight", "int", "relative weight among targets of equal priority", "1.39"),
    _f("transfer_protocols", "list", "file-transfer protocols allowed (HTTPS, HTTP, FTP, FTPS)", "2.2"),
    # Cryptographic offer
    _f("protocols", "versions", "protocol versions a peer can negotiate", "1.2"),
    _f("protocols.preference", "versions", "configured priority order of versions", "1.2"),
    _f(
        "protocols.refused",
        "versions",
        "versions the configuration enables that the TLS library (its version and security level) will not negotiate",
        "1.2",
    ),
    _f(
        "protocols.platform_default",
        "bool",
        "the protocol versions are left to the operating system or library policy (e.g. .NET SslProtocols None)",
        "1.2",
    ),
    _f("cipher_suites.tls12", "suites", "TLS 1.2 and older suites, in preference order", "1.3"),
    _f("cipher_suites.tls13", "suites", "TLS 1.3 suites, in preference order", "1.3"),
    _f("cipher_suites.prefer_server_order", "bool", "the server's suite order wins", "1.3"),
    _f("groups", "groups", "key-exchange groups, in preference order", "1.3"),
    _f("signature_algorithms", "sigalgs", "signature schemes advertised or accepted", "1.4"),
    _f("compression", "bool", "TLS-level compression enabled", "1.5"),
    _f("dh_params.bits", "int", "size of finite-field DH parameters for DHE suites", "1.13"),
    # Trust and peer verification
    _f("trust.store", "str", "id of the trust store (root-CA group) used to verify the peer", "1.6"),
    _f("trust.system_roots", "bool", "the operating system's / library's default roots are trusted", "1.6"),
    _f(
        "trust.kind",
        "enum",
        "pki (CA hierarchy), pairing (pinned self-signed peers) or password (EC-JPAKE/SRP: no certificates)",
        "1.6 1.7",
        "pki pairing password",
    ),
    _f("pinning.pins", "list", "pinned SPKI or certificate hashes", "1.8"),
    _f("pinning.backup", "bool", "more than one pin, so a key can roll over", "1.8"),
    _f("pinning.release", "bool", "a documented way to release or rotate the pin exists", "1.8"),
    _f("change_notification", "bool", "peer certificate / key changes are reported", "1.9"),
    _f("verify.peer", "bool", "the peer's certificate chain is verified", "1.11"),
    _f("verify.hostname", "bool", "the peer's certificate must match the expected name", "1.11 1.37"),
    _f("verify.allow_wildcards", "bool", "wildcard certificates are accepted for the peer", "1.11 1.37"),
    _f(
        "verify.validity_period",
        "enum",
        "notBefore/notAfter checking",
        "1.11",
        "enforce skipFirstAfterReboot skip",
    ),
    _f("verify.max_chain_depth", "int", "longest accepted chain", "1.11"),
    _f("verify.identity_match", "enum", "how the peer identity is matched", "1.37", "san-only san-then-cn cn-only"),
    _f(
        "revocation.mode",
        "enum",
        "how revocation is checked",
        "1.11 1.12",
        "none crl ocsp ocsp-stapling-preferred ocsp-stapling-required",
    ),
    _f("revocation.on_error", "enum", "what an unreachable OCSP responder / CRL means", "1.12", "continue fatal"),
    _f("revocation.ocsp_timeout", "seconds", "OCSP query timeout", "1.12"),
    _f("ocsp_stapling", "bool", "a server staples OCSP responses (status_request)", "1.12"),
    _f("ocsp_stapling.resolver", "bool", "a stapling server can reach its OCSP responder (DNS resolver)", "1.12"),
    _f("ocsp_stapling.cache", "bool", "a stapling server has a cache to keep OCSP responses in", "1.12"),
    _f(
        "ocsp_stapling.responder_timeout",
        "seconds",
        "how long a stapling server waits for its OCSP responder (a handshake may wait as long)",
        "1.12 1.21",
    ),
    _f(
        "client_auth.mode",
        "enum",
        "client certificates: none, optional or required",
        "1.7 1.10",
        "none optional required",
    ),
    _f("client_auth.trust_store", "str", "trust store that verifies client certificates", "1.6"),
    # Identity (own key and certificate)
    _f("identity", "list", "ids of the identities (key + chain) this endpoint presents", "1.10 1.27"),
    _f("identity.key_types", "list", "key types of the presented certificates: RSA, ECDSA, Ed25519, ...", "1.10"),
    _f("identity.key_storage", "list", "where the private keys live: file, tpm2, pkcs11, se", "1.10 1.27"),
    # Files an endpoint references (set by sources, resolved as the engine resolves them) and the facts
    # the link stage (tlslint.link) derives from the certificates in them.
    _f("identity.certificate_files", "list", "certificate (chain) files the endpoint presents", "1.10 1.27"),
    _f("identity.key_files", "list", "private-key files of the presented certificates", "1.10 1.27"),
    _f("trust.store_files", "list", "trust-anchor files used to verify the peer (or client certificates)", "1.6"),
    _f("identity.certificates", "list", "SHA-256 fingerprints of the presented leaf certificates (linked)", "1.10"),
    _f("identity.cn", "str", "subject CN of the first presented leaf certificate (linked)", "1.37"),
    _f("identity.o", "str", "subject O of the first presented leaf certificate (linked)", "1.10"),
    _f("identity.names", "list", "DNS/IP names (or the CN, without a SAN) the presented leaves cover (linked)", "1.37"),
    _f(
        "identity.name_matches",
        "bool",
        "every presented server certificate covers the endpoint's server name or bind address (linked)",
        "1.37",
    ),
    _f(
        "identity.name_mismatch",
        "list",
        "presented server certificates that do not cover the endpoint's name, in words (linked)",
        "1.37",
    ),
    _f(
        "identity.key_type_fits_suites",
        "bool",
        "the presented certificates' key types can authenticate at least one offered TLS 1.2 suite",
        "1.3 1.10",
    ),
    _f(
        "identity.key_matches",
        "bool",
        "the referenced private keys belong to the presented certificates (linked)",
        "1.10",
    ),
    _f(
        "trust.anchors_valid",
        "bool",
        "the referenced trust-store files hold at least one CA certificate valid at the evaluation date (linked)",
        "1.6",
    ),
    _f(
        "pinning.matches",
        "bool",
        "a configured pin matches a certificate of the endpoint's trust store or presented chain (linked)",
        "1.8",
    ),
    _f(
        "identity.allow_invalid",
        "bool",
        "the server may load and present a certificate that is expired, not yet valid or not trusted",
        "1.10",
    ),
    # Session and extensions
    _f("session.tickets", "bool", "RFC 5077 session tickets", "1.13"),
    _f("session.resumption", "bool", "session resumption", "1.13"),
    _f(
        "session.ticket_key_rotation",
        "bool",
        "session-ticket encryption keys are replaced while the server runs (not only at restart)",
        "1.13",
    ),
    _f("session.timeout", "seconds", "session cache / ticket lifetime", "1.13"),
    _f(
        "session.renegotiation",
        "enum",
        "renegotiation",
        "1.13",
        "disabled secure client-initiated insecure",
    ),
    _f("extended_master_secret", "bool", "RFC 7627 extended master secret", "1.13"),
    _f("early_data", "bool", "TLS 1.3 0-RTT early data", "1.13"),
    _f("alpn.enabled", "bool", "ALPN is sent / answered", "1.14"),
    _f("alpn.protocols", "list", "ALPN protocol ids in preference order", "1.14"),
    _f("sni.send", "bool", "the client sends server_name", "1.15"),
    _f("sni.ech", "bool", "Encrypted Client Hello", "1.15"),
    _f("extensions.heartbeat", "bool", "RFC 6520 heartbeat", "1.16"),
    _f("extensions.sct", "enum", "signed certificate timestamps", "1.17", "require verify ignore"),
    _f("buffers.max_plaintext_record", "bytes", "largest plaintext record", "1.18"),
    _f("buffers.input", "bytes", "input buffer size", "1.18"),
    _f("buffers.output", "bytes", "output buffer size", "1.18"),
    _f("extensions.max_fragment_length", "int", "RFC 6066 max_fragment_length (512..4096)", "1.19"),
    _f("extensions.record_size_limit", "int", "RFC 8449 record_size_limit", "1.19"),
    _f("extensions.padding", "bool", "RFC 7685 padding", "1.20"),
    _f("extensions.encrypt_then_mac", "bool", "RFC 7366 encrypt-then-MAC", "1.13"),
    _f("alternative_auth.psk", "bool", "pre-shared keys", "1.33"),
    _f("alternative_auth.raw_public_key", "bool", "RFC 7250 raw public keys", "1.34"),
    _f("alternative_auth.srp", "bool", "RFC 5054 SRP", "1.35"),
    _f("alternative_auth.delegated_credentials", "bool", "RFC 9345 delegated credentials", "1.36"),
    # Connection behaviour
    _f("connection.timeouts.connect", "seconds", "TCP connect timeout", "1.21"),
    _f("connection.timeouts.handshake", "seconds", "TLS handshake timeout", "1.21"),
    _f("connection.timeouts.idle", "seconds", "idle / read timeout", "1.21"),
    _f("connection.timeouts.total", "seconds", "whole-transfer timeout", "1.21"),
    _f("connection.retry.max_retries", "int", "retries before giving up; -1 means unbounded", "1.22"),
    _f("connection.retry.backoff", "bool", "retries wait increasingly long", "1.22"),
    _f("connection.retry.max_delay", "seconds", "longest wait between retries", "1.22"),
    _f("connection.rate_limit", "bytes", "transfer rate limit per second", "1.23"),
    _f("connection.dns.servers", "list", "DNS servers to use", "1.24"),
    _f("connection.dns.over_https", "bool", "DNS over HTTPS", "1.24"),
    _f(
        "connection.ip_family",
        "enum",
        "address family preference",
        "1.25",
        "IPv4Only IPv6Only PreferIPv4 PreferIPv6",
    ),
    _f("connection.tcp.keep_alive", "enum", "TCP keep-alive", "1.26", _ON_OFF),
    _f("connection.tcp.fast_open", "enum", "TCP fast open", "1.26", _ON_OFF),
    _f("connection.tcp.no_delay", "enum", "TCP_NODELAY", "1.26", _ON_OFF),
    _f("connection.concurrency.max", "int", "concurrent TLS connections allowed (0 = disallowed)", "1.29"),
    # HTTP
    _f("http.redirects.follow", "bool", "HTTP redirects are followed", "1.28"),
    _f("http.redirects.max", "int", "most redirects followed", "1.28"),
    _f("http.redirects.same_domain_only", "bool", "redirects only within the original domain", "1.28"),
    _f("http.redirects.statuses", "list", "redirect status codes followed", "1.28"),
    _f("http.redirects.protocols", "list", "schemes a redirect may switch to", "1.28"),
    _f("http.server_header", "str", "HTTP Server header value", "1.30"),
    _f("http.signature", "bool", "server-generated pages (errors, listings) carry a server signature line", "1.30"),
    _f("http.user_agent", "str", "HTTP User-Agent value", "1.31"),
    # Logging
    _f("logging.keylog", "bool", "TLS session secrets are written to a key log", "1.32"),
    _f("logging.tls", "enum", "TLS-level logging", "1.32", "off errors handshake all"),
    _f("logging.payloads", "bool", "HTTP / WebSocket payloads or headers are logged", "1.32"),
    # Discovery and attack surface
    _f("discovery.dns_srv", "bool", "targets are discovered through DNS SRV", "1.39"),
    _f("discovery.dane", "bool", "DANE / TLSA authentication", "1.38"),
    _f("dane.records", "list", "TLSA records the endpoint is expected to satisfy (presentation format)", "1.38"),
    _f(
        "dane.matches",
        "bool",
        "at least one TLSA record matches the certificates of the run, offline (linked)",
        "1.38",
    ),
    _f("offline_required", "bool", "the product must work without DNS, OCSP or DANE", "2.2"),
    _f("trusted_network", "bool", "the link runs only inside a declared trusted network (VPN/APN)", "2.2"),
    _f("listener_opt_in", "bool", "the server listener was enabled explicitly", "2.2"),
    # OCPP
    _f("ocpp.security_profile", "int", "OCPP security profile 0..3", ""),
    _f("ocpp.identity", "str", "OCPP charging-station identity", ""),
    _f("ocpp.versions", "list", "OCPP websocket subprotocols", ""),
    _f("ocpp.allow_profile_0", "bool", "the station accepts security profile 0 (no authentication at all)", ""),
    _f("ocpp.profile_downgrade", "bool", "another configured CSMS target uses a stronger security profile", "1.22"),
    _f("ocpp.allow_profile_downgrade", "bool", "the CSMS may lower the security profile (3 to 2)", ""),
    _f("ocpp.reported_profile_matches", "bool", "SecurityCtrlr.SecurityProfile equals the primary target's", ""),
    _f("ocpp.root_install_insecure", "bool", "CSMS/manufacturer roots can be installed over a plain link", "1.6"),
    _f("ocpp.additional_root_check", "bool", "AdditionalRootCertificateCheck restricts CSMS root rollover", "1.6"),
    _f("ocpp.organization_name", "str", "organisation (O=) the station puts in its certificate requests", "1.10"),
    # Engine limits and syntax
    _f("plaintext_allowed", "bool", "the endpoint also accepts or uses connections without TLS", "2.2"),
    _f(
        "cipher_suites.security_level_lowered",
        "bool",
        "the cipher string sets an OpenSSL @SECLEVEL below the library's default (accepts weaker keys)",
        "1.3",
    ),
    _f("cipher_suites.unknown_names", "list", "cipher names the engine rejects or silently ignores", "1.3"),
    _f("engine.unsupported", "list", "settings the engine has no knob for: their values are engine defaults", "1.1"),
    # Code scanning (device sources): how far a code-derived endpoint can be trusted
    _f(
        "source.confidence",
        "enum",
        "how sure the source is of this endpoint's values: high for config files and command lines, "
        "medium/low for values found by scanning program code",
        "",
        "high medium low",
    ),
    _f("source.unknown", "list", "fields the source could not determine statically (never guessed)", "1.1"),
    _f("source.opaque", "list", "TLS behaviour set in code tlslint cannot follow (callbacks, context hooks)", "1.1"),
    _f("source.no_tls", "str", "why the endpoint's TLS settings have no effect (plain http://, no redirect)", "2.2"),
    _f(
        "source.partial",
        "bool",
        "the file sets defaults for other runs (.curlrc, .wgetrc): it carries only what it writes, so a field "
        "it does not write is not judged missing",
        "1.1",
    ),
    _f(
        "protocols.standard_max",
        "str",
        "highest TLS version the application protocol allows (ISO 15118-2: TLSv1.2)",
        "1.2",
    ),
    _f("cipher_suites.null_allowed", "bool", "unencrypted (NULL-cipher) connections may be negotiated", "1.3"),
    _f("extensions.max_fragment_length.supported", "bool", "the engine can negotiate max_fragment_length", "1.19"),
)

#: One finding per occurrence: secrets found in configuration, wherever they are.
SECRET_FIELDS: tuple[FieldSpec, ...] = (
    _f("secret.kind", "enum", "what the secret is", "1.10", "password passphrase psk private-key token"),
    _f("secret.inline", "bool", "the secret value is written in the file instead of referenced", "1.10 2.4"),
    _f(
        "secret.purpose",
        "enum",
        "what the secret protects",
        "1.10",
        "ocpp-basic-auth ocpp16-authorization-key vpn apn private-key-passphrase other",
    ),
    _f("secret.known_default", "bool", "the value is a published vendor or sample default (value never kept)", "2.4"),
    _f("secret.length_ok", "bool", "the value's length is within the limits its standard sets", "1.10"),
    _f("secret.format_ok", "bool", "the value has the format its standard requires (e.g. hex)", "1.10"),
)

DOCUMENT_FIELDS: tuple[FieldSpec, ...] = (
    _f("policy.server_listeners_default", "enum", "server listeners' default state", "2.2", "enabled disabled"),
    _f("policy.offline_operation", "bool", "the product must work without external services", "2.2"),
)


@cache
def fields_of(kind: str) -> dict[str, FieldSpec]:
    """Declared fields of a subject kind, by path."""
    if kind == "endpoint":
        specs = ENDPOINT_FIELDS
    elif kind == "secret":
        specs = SECRET_FIELDS
    elif kind == "document":
        specs = DOCUMENT_FIELDS
    elif kind in ("certificate", "key", "trust_store"):
        from tlslint.pki import fields as pki_fields

        specs = pki_fields.FIELDS_BY_KIND[kind]
    else:
        raise KeyError(kind)
    return {spec.path: spec for spec in specs}


def display(kind: str, path: str | None, value: object) -> str | None:
    """How a message shows a scalar value of a typed field: ``300 s`` rather than ``300.0``, ``none`` for a
    zero timeout, ``no limit`` for the -1 that means unbounded. None when the value needs no translation."""
    if path is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        spec = fields_of(kind).get(path)
    except KeyError:
        return None
    if spec is None:
        return None
    if spec.type == "seconds":
        if value < 0:
            return "no limit"
        return "none" if value == 0 else f"{value:g} s"
    if spec.type == "int" and value == -1 and "-1" in spec.doc:
        return "no limit"
    if spec.type == "bytes":
        return f"{value} bytes"
    return None
