"""Turn an evaluated Apache configuration into endpoint subjects with effective values.

Each ``<VirtualHost>`` with ``SSLEngine on`` (written there or inherited from the main server, as
mod_ssl merges it) is a server endpoint ``apache:vhost[ADDR]``; the main server with ``SSLEngine
on`` is ``apache:server[ADDR]`` for its ``Listen`` address. A context with ``SSLProxyEngine on`` adds
a client endpoint ``apache:proxy[...]``. A file that only sets server-wide SSL defaults (a
distribution's ``ssl.conf``) becomes ``apache:server``, so its defaults are linted too.

mod_ssl builds each ``SSL_CTX`` in this order, which :mod:`tlslint.sources.openssl_offer` models:
OpenSSL's defaults, the system ``openssl.cnf``, ``SSLProtocol`` (a min/max pair without holes, from
the highest version enabled downwards), ``SSLCipherSuite`` (mod_ssl appends ``:!aNULL:!eNULL:!EXP``;
without one it sends ``DEFAULT`` plus the same suffix), ``SSLCipherSuite TLSv1.3 …``
(``SSL_CTX_set_ciphersuites``), then ``SSLOpenSSLConfCmd`` commands, which win over everything.
"""

from __future__ import annotations

import os
from typing import Any

from tlslint.catalog import engine_defaults
from tlslint.catalog.versions import VERSIONS, rank
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.sources.apache.config import ApacheConfig, Context, Directive
from tlslint.sources.base import ParseContext

ENGINE = "apache"
_SUFFIX = ":!aNULL:!eNULL:!EXP"
_PROTOCOL_NAMES = {
    "sslv3": ("SSLv3",),
    "tlsv1": ("TLSv1.0",),
    "tlsv1.1": ("TLSv1.1",),
    "tlsv1.2": ("TLSv1.2",),
    "tlsv1.3": ("TLSv1.3",),
    "all": ("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"),
}


class _Settings:
    """Directive lookup for one context: its own value, else the main server's (inherited), else the
    mod_ssl default."""

    def __init__(
        self, config: ApacheConfig, context: Context, context_: ParseContext, anchor: Location | None = None
    ) -> None:
        self.config = config
        self.context = context
        self.versions = context_.engine_versions
        # Where defaults point: the context, or the directive that creates the endpoint (SSLProxyEngine).
        self.anchor = anchor or context.location

    def find(self, key: str) -> tuple[Directive, Origin] | None:
        own = self.context.last(key)
        if own is not None:
            return own, Origin.UNKNOWN if own.unknown else Origin.EXPLICIT
        if self.context.kind == "vhost":
            base = self.config.server.last(key)
            if base is not None:
                return base, Origin.UNKNOWN if base.unknown else Origin.INHERITED
        return None

    def located(self, key: str, value: Any, found: tuple[Directive, Origin]) -> Located[Any]:
        directive, origin = found
        where = directive.args[0].location if directive.args else directive.location
        via = directive.via if origin is Origin.EXPLICIT else (*directive.via, self.anchor)
        return Located(value, origin, where, via)

    def default(self, setting: str, value: Any = None) -> Located[Any]:
        raw, note = engine_defaults.default(ENGINE, setting, self.versions)
        return Located(raw if value is None else value, Origin.DEFAULT, self.anchor, note=note)

    def flag(self, key: str) -> Located[bool]:
        found = self.find(key)
        if found is not None:
            return self.located(key, _on(found[0]), found)
        return self.default(key)


def _on(directive: Directive) -> bool:
    return bool(directive.values) and directive.values[0].lower() == "on"


def protocol_set(words: list[str]) -> tuple[set[str], list[tuple[int, str]]]:
    """mod_ssl's ``SSLProtocol`` arithmetic: start from nothing; ``+X`` adds, ``-X`` removes, a bare
    name replaces what is there. Returns the set and the problems httpd would refuse to start with,
    each with the index of the word it is about."""
    current: set[str] = set()
    problems = []
    for index, word in enumerate(words):
        action = word[0] if word[:1] in "+-" else ""
        name = word[1:] if action else word
        if name.lower() == "sslv2":
            # httpd 2.4 ignores "-SSLv2" (certbot's and CentOS's files still say it) and refuses to
            # start on "SSLv2" or "+SSLv2" (ssl_cmd_protocol_parse).
            if action != "-":
                problems.append((index, "SSLProtocol: SSLv2 is no longer supported"))
            continue
        versions = _PROTOCOL_NAMES.get(name.lower())
        if versions is None:
            problems.append((index, f"SSLProtocol: illegal protocol {name!r}"))
            continue
        if action == "-":
            current -= set(versions)
        elif action == "+":
            current |= set(versions)
        else:
            current = set(versions)
    return current, problems


def bounds(enabled: set[str]) -> tuple[str, str] | None:
    """The min/max mod_ssl hands OpenSSL: the highest enabled version, down to the lowest one reached
    without a gap (OpenSSL 1.1.0+ branch of ``ssl_init_ctx_protocol``)."""
    ordered = [v for v in VERSIONS if v in enabled and v != "SSLv2"]
    if not ordered:
        return None
    high = ordered[-1]
    low = high
    for version in reversed(VERSIONS[: rank(high)]):
        if version not in enabled:
            break
        low = version
    return low, high


def _cipher_directives(settings: _Settings, key: str) -> tuple[Located[str] | None, Located[str] | None]:
    """(TLS <= 1.2 cipher string, TLS 1.3 suites) from ``SSLCipherSuite``/``SSLProxyCipherSuite``,
    each looked up separately (mod_ssl keeps and merges them separately)."""
    legacy: tuple[Directive, Origin] | None = None
    tls13: tuple[Directive, Origin] | None = None

    def scan(context: Context) -> tuple[Any, Any]:
        found_legacy = found_13 = None
        for directive in context.all(key):
            values = directive.values
            if len(values) >= 2 and values[0].lower() in ("tlsv1.3",):
                found_13 = directive
            elif (len(values) >= 2 and values[0].lower() == "ssl") or len(values) == 1:
                found_legacy = directive
        return found_legacy, found_13

    own_legacy, own_13 = scan(settings.context)
    if own_legacy is not None:
        legacy = (own_legacy, Origin.UNKNOWN if own_legacy.unknown else Origin.EXPLICIT)
    if own_13 is not None:
        tls13 = (own_13, Origin.UNKNOWN if own_13.unknown else Origin.EXPLICIT)
    if settings.context.kind == "vhost":
        base_legacy, base_13 = scan(settings.config.server)
        if legacy is None and base_legacy is not None:
            legacy = (base_legacy, Origin.INHERITED)
        if tls13 is None and base_13 is not None:
            tls13 = (base_13, Origin.INHERITED)
    out_legacy = out_13 = None
    if legacy is not None:
        spec = legacy[0].args[-1]
        located = settings.located(key, spec.text + _SUFFIX, legacy)
        out_legacy = located.replace(location=spec.location, note=f"mod_ssl appends {_SUFFIX}")
    if tls13 is not None:
        spec = tls13[0].args[-1]
        out_13 = settings.located(key, spec.text, tls13).replace(location=spec.location)
    return out_legacy, out_13


def _offer(
    settings: _Settings,
    *,
    proxy: bool,
    key_types: set[str] | None,
    diagnostics: list[Diagnostic],
) -> dict[str, Located[Any]] | None:
    """The effective offer's fields; ``None`` when httpd would refuse to start with this context."""
    from tlslint.sources import openssl_offer, sslconf

    prefix = "SSLProxy" if proxy else "SSL"
    state = openssl_offer.openssl_defaults(settings.versions)
    openssl_offer.apply_system_policy(state, settings.versions)

    # SSLProtocol / SSLProxyProtocol -> min/max bounds.
    key = f"{prefix}Protocol"
    found = settings.find(key)
    if found is not None:
        words = found[0].values
        protocols = settings.located(key, " ".join(words), found)
    else:
        protocols = settings.default(key)
        words = str(protocols.value).split()
    enabled, problems = protocol_set(words)
    for index, problem in problems:
        args = found[0].args if found is not None else []
        where = args[index].location if index < len(args) else protocols.location or settings.anchor
        diagnostics.append(Diagnostic(where, problem, "error"))
    limits = bounds(enabled)
    if limits is None:
        diagnostics.append(
            Diagnostic(protocols.location or settings.anchor, f"{key}: no protocol left; httpd refuses to start")
        )
        limits = ("TLSv1.3", "TLSv1.2")  # an empty range
    low, high = limits
    state.set_bounds(protocols.replace(value=low), protocols.replace(value=high))

    legacy, tls13 = _cipher_directives(settings, f"{prefix}CipherSuite")
    if legacy is None:
        default = settings.default(f"{prefix}CipherSuite")
        legacy = default.replace(value=f"{default.value}{_SUFFIX}", note=f"{default.note}; mod_ssl appends {_SUFFIX}")
    state.set_cipher_string(legacy)
    if tls13 is not None:
        state.set_ciphersuites(tls13)

    dh_command: Located[str] | None = None
    if not proxy:
        commands = []
        for directive, _origin in _all_inherited(settings, "SSLOpenSSLConfCmd"):
            if len(directive.args) >= 2:
                commands.append((directive.values[0], " ".join(directive.values[1:]), directive.args[1].location))
            else:
                diagnostics.append(Diagnostic(directive.location, "SSLOpenSSLConfCmd needs a name and a value"))
        if commands:
            conf = sslconf.apply(
                commands,
                refusing="httpd",
                openssl_version=state.openssl_version,
                openssl_assumed=state.openssl_assumed,
            )
            diagnostics.extend(conf.diagnostics)
            if any(d.severity == "error" for d in conf.diagnostics):
                return None  # mod_ssl stops httpd on a command OpenSSL rejects
            openssl_offer.apply_sslconf(state, conf)
            dh_command = conf.other.get("DHParameters")
    dh_params = True if proxy else _dh_params(settings, state.security_level.value, dh_command, diagnostics)
    if dh_params is None:
        return None
    rejected = openssl_offer.rejected_suite_settings(state)
    for where, why in rejected:  # SSL_CTX_set_cipher_list / set_ciphersuites failed: mod_ssl stops httpd
        diagnostics.append(Diagnostic(where or settings.anchor, f"httpd refuses to start: {why}"))
    if rejected:
        return None
    offer = openssl_offer.compute(state, key_types=key_types, dh_params=dh_params, anchor=settings.anchor)
    diagnostics.extend(offer.diagnostics)
    out = {}
    for name, value in offer.fields.items():
        if value.location is None:
            value = value.replace(location=settings.anchor)
        out[name] = value
    options = state.options
    if "ServerPreference" in options:
        out["cipher_suites.prefer_server_order"] = options["ServerPreference"]
    if "Compression" in options:
        out["compression"] = options["Compression"]
    if "SessionTicket" in options:
        out["session.tickets"] = options["SessionTicket"]
    if "UnsafeLegacyRenegotiation" in options and options["UnsafeLegacyRenegotiation"].value:
        out["session.renegotiation"] = options["UnsafeLegacyRenegotiation"].replace(value="insecure")
    return out


def _dh_params(
    settings: _Settings, level: int, command: Located[str] | None, diagnostics: list[Diagnostic]
) -> Located[int] | bool | None:
    """DH parameters for DHE: ``SSLOpenSSLConfCmd DHParameters FILE`` (httpd refuses to start when
    OpenSSL rejects the group at the security level), else a DH block in the first certificate file
    (ignored when OpenSSL rejects it), else OpenSSL's automatic group matching the key (size not
    judged). ``None``: httpd does not start."""
    from tlslint.sources import certinfo, openssl_offer

    if command is not None:
        path = _resolve(settings.config, str(command.value))
        bits = certinfo.dh_bits(path)
        if bits is None:
            return True
        if not openssl_offer.dh_allowed(bits, level):
            message = (
                f"httpd refuses to start: SSLOpenSSLConfCmd DHParameters gives a {bits}-bit group, too small "
                f"for OpenSSL security level {level}"
            )
            diagnostics.append(Diagnostic(command.location or settings.anchor, message, "error"))
            return None
        return command.replace(value=bits, note=f"{bits}-bit group in {os.path.basename(path)}")
    certs, origin = _certificates(settings)
    if certs and certs[0].values:
        path = _resolve(settings.config, certs[0].values[0])
        bits = certinfo.dh_bits(path)
        if bits is not None and openssl_offer.dh_allowed(bits, level):
            where = certs[0].args[0].location
            return Located(bits, origin, where, note=f"{bits}-bit DH group in the certificate file")
    return True


def _handshake_timeout(subject: Subject, settings: _Settings) -> None:
    """What ends a stalled handshake: mod_reqtimeout's ``handshake=`` stage when it is on (httpd >=
    2.4.39; off by default), else the core ``Timeout`` that bounds every read (default 60 s)."""
    for directive, origin in reversed(_all_inherited(settings, "RequestReadTimeout")):
        for value in directive.values:
            stage, _, limits = value.partition("=")
            if stage.lower() != "handshake":
                continue
            first = limits.split(",")[0].split("-")[0]
            if first.isdigit() and int(first) > 0:
                where = next((a.location for a in directive.args if a.text == value), directive.location)
                via = directive.via if origin is Origin.EXPLICIT else (*directive.via, settings.anchor)
                subject.set("connection.timeouts.handshake", Located(int(first), origin, where, via))
                return
    found = settings.find("Timeout")
    if found is not None and found[0].values and found[0].values[0].isdigit():
        subject.set("connection.timeouts.handshake", settings.located("Timeout", int(found[0].values[0]), found))
    else:
        subject.set("connection.timeouts.handshake", settings.default("Timeout"))


def _all_inherited(settings: _Settings, key: str) -> list[tuple[Directive, Origin]]:
    """Directives that accumulate (``SSLOpenSSLConfCmd``): the main server's, then the vhost's."""
    out: list[tuple[Directive, Origin]] = []
    if settings.context.kind == "vhost":
        out += [(d, Origin.INHERITED) for d in settings.config.server.all(key)]
    out += [(d, Origin.EXPLICIT) for d in settings.context.all(key)]
    return out


def _certificates(settings: _Settings) -> tuple[list[Directive], Origin]:
    own = settings.context.all("SSLCertificateFile")
    if own or settings.context.kind == "server":
        return own, Origin.EXPLICIT
    return settings.config.server.all("SSLCertificateFile"), Origin.INHERITED


def _resolve(config: ApacheConfig, path: str) -> str:
    return path if os.path.isabs(path) else os.path.join(config.server_root, path)


def _server_fields(subject: Subject, settings: _Settings, config: ApacheConfig, diagnostics: list[Diagnostic]) -> bool:
    """Fill a server endpoint; ``False`` when httpd would not start with it (a diagnostic says why)."""
    from tlslint.sources import certinfo

    # The name clients connect to (what the certificate must cover): ServerName, in the vhost or inherited.
    found_name = settings.find("ServerName")
    if found_name is not None and found_name[0].values:
        host = found_name[0].values[0].split("://")[-1].rsplit(":", 1)[0]
        subject.set("server_name", settings.located("ServerName", host, found_name))
    certs, cert_origin = _certificates(settings)
    paths = [_resolve(config, d.values[0]) for d in certs if d.values]
    key_types = certinfo.key_types(paths) if paths else None
    if certs:
        first = certs[0]
        where = first.args[0].location if first.args else first.location
        names = [d.values[0] for d in certs if d.values]
        subject.set("identity", Located(names, cert_origin, where, items=tuple(d.args[0].location for d in certs)))
        if key_types:
            kinds = sorted(key_types)
            subject.set("identity.key_types", Located(kinds, cert_origin, where))
        items = tuple(d.args[0].location for d in certs if d.values)
        subject.set("identity.certificate_files", Located(paths, cert_origin, where, items=items))
    for field, key in (("identity.key_files", "SSLCertificateKeyFile"), ("trust.store_files", "SSLCACertificateFile")):
        found = settings.find(key)  # files the link stage (tlslint.link) connects
        if found is not None and found[0].values and found[1] is not Origin.UNKNOWN:
            subject.set(field, settings.located(key, [_resolve(config, found[0].values[0])], found))
    offer = _offer(settings, proxy=False, key_types=key_types, diagnostics=diagnostics)
    if offer is None:
        return False
    for name, value in offer.items():
        subject.set(name, value)
    _handshake_timeout(subject, settings)
    subject.fields.setdefault("cipher_suites.prefer_server_order", settings.flag("SSLHonorCipherOrder"))
    subject.fields.setdefault("compression", settings.flag("SSLCompression"))
    subject.fields.setdefault("session.tickets", settings.flag("SSLSessionTickets"))
    renegotiation = settings.flag("SSLInsecureRenegotiation")
    subject.fields.setdefault(
        "session.renegotiation", renegotiation.replace(value="insecure" if renegotiation.value else "secure")
    )
    found = settings.find("SSLSessionCacheTimeout")
    if found is not None and found[0].values and found[0].values[0].isdigit():
        subject.set("session.timeout", settings.located("SSLSessionCacheTimeout", int(found[0].values[0]), found))
    else:
        subject.set("session.timeout", settings.default("SSLSessionCacheTimeout"))
    found = settings.find("SSLVerifyClient")
    mode = {"none": "none", "optional": "optional", "optional_no_ca": "optional", "require": "required"}
    if found is not None and found[0].values:
        word = found[0].values[0].lower()
        value = mode.get(word, "none")
        subject.set("client_auth.mode", settings.located("SSLVerifyClient", value, found))
        if value != "none":
            # optional_no_ca asks for a certificate and accepts it whether or not its chain verifies.
            subject.set("verify.peer", settings.located("SSLVerifyClient", word != "optional_no_ca", found))
    else:
        subject.set("client_auth.mode", settings.default("SSLVerifyClient", "none"))
    _session_tickets(subject, settings)
    _stapling(subject, settings)
    _server_tokens(subject, settings)
    _server_signature(subject, settings)
    return True


def _session_tickets(subject: Subject, settings: _Settings) -> None:
    """mod_ssl never replaces its ticket keys while running: without ``SSLSessionTicketKeyFile`` it
    makes random keys at start-up and keeps them until httpd restarts; with it, the file's key is used
    as long as the file stays the same (rotating it is an operator's job, invisible here)."""
    found = settings.find("SSLSessionTicketKeyFile")
    if found is not None:
        subject.set(
            "session.ticket_key_rotation",
            settings.located("SSLSessionTicketKeyFile", None, found).replace(
                origin=Origin.UNKNOWN,
                note="a ticket key file: whether something replaces it (and reloads httpd) is not in the config",
            ),
        )
    else:
        subject.set(
            "session.ticket_key_rotation",
            Located(
                False,
                Origin.DEFAULT,
                settings.anchor,
                note="mod_ssl makes its ticket keys at start-up and keeps them until httpd restarts",
            ),
        )


def _stapling(subject: Subject, settings: _Settings) -> None:
    """``SSLUseStapling`` with the server-wide ``SSLStaplingCache`` and ``SSLStaplingResponderTimeout``."""
    stapling = settings.flag("SSLUseStapling")
    subject.set("ocsp_stapling", stapling)
    if not stapling.value:
        return
    cache = settings.config.server.last("SSLStaplingCache")  # server config only
    if cache is not None:
        where = cache.args[0].location if cache.args else cache.location
        # A ${VAR} in its path does not matter here: a cache is configured either way.
        origin = Origin.INHERITED if settings.context.kind == "vhost" else Origin.EXPLICIT
        subject.set("ocsp_stapling.cache", Located(True, origin, where, cache.via))
    else:
        subject.set(
            "ocsp_stapling.cache",
            stapling.replace(value=False, note="no SSLStaplingCache: httpd stops at start-up (AH01958)"),
        )
    found = settings.find("SSLStaplingResponderTimeout")
    if found is not None and found[0].values and found[0].values[0].isdigit():
        seconds = int(found[0].values[0])
        subject.set("ocsp_stapling.responder_timeout", settings.located("SSLStaplingResponderTimeout", seconds, found))
    else:
        subject.set("ocsp_stapling.responder_timeout", settings.default("SSLStaplingResponderTimeout"))


def _server_signature(subject: Subject, settings: _Settings) -> None:
    """``ServerSignature On|EMail`` adds a footer naming the server (and, unless ``ServerTokens Prod``,
    its version) to the pages httpd generates: errors, directory listings."""
    found = settings.find("ServerSignature")
    if found is not None and found[0].values:
        on = found[0].values[0].lower() in ("on", "email")
        subject.set("http.signature", settings.located("ServerSignature", on, found))
    elif _is_main(settings.config):
        subject.set("http.signature", settings.default("ServerSignature"))


def _server_tokens(subject: Subject, settings: _Settings) -> None:
    """``ServerTokens`` (main server only) as the ``Server`` header it produces."""
    version, _ = engine_defaults.version_for(ENGINE, settings.versions)
    found = settings.config.server.last("ServerTokens")
    word = found.values[0].lower() if found is not None and found.values else "full"
    major = version.partition(".")[0]
    headers = {
        "prod": "Apache",
        "productonly": "Apache",
        "major": f"Apache/{major}",
        "minor": f"Apache/{'.'.join(version.split('.')[:2])}",
        "min": f"Apache/{version}",
        "minimal": f"Apache/{version}",
        "os": f"Apache/{version} (Unix)",
        "full": f"Apache/{version} (Unix) OpenSSL/3.0",
    }
    header = headers.get(word, headers["full"])
    if found is not None:
        origin = Origin.INHERITED if settings.context.kind == "vhost" else Origin.EXPLICIT
        where = found.args[0].location if found.args else found.location
        subject.set("http.server_header", Located(header, origin, where, found.via, note=f"ServerTokens {word}"))
    elif _is_main(settings.config):
        subject.set("http.server_header", settings.default("ServerTokens", header))


def _is_main(config: ApacheConfig) -> bool:
    """Whether the configuration was read from httpd's main file. A fragment linted on its own (a
    distribution's ``ssl.conf``, a ``sites-available`` file) does not say what the server-wide
    ``ServerTokens``/``ServerSignature`` are: another file sets them (Debian: ``security.conf``), so
    their defaults are not assumed there."""
    from tlslint.sources.apache import MAIN_NAMES

    return os.path.basename(config.main) in MAIN_NAMES


def _proxy_fields(subject: Subject, settings: _Settings, config: ApacheConfig, diagnostics: list[Diagnostic]) -> None:
    subject.set("role", Located("client", Origin.EXPLICIT, subject.location))
    for name, value in (_offer(settings, proxy=True, key_types=None, diagnostics=diagnostics) or {}).items():
        subject.set(name, value)
    found = settings.find("SSLProxyVerify")
    if found is not None and found[0].values:
        word = found[0].values[0].lower()
        subject.set("verify.peer", settings.located("SSLProxyVerify", word in ("require", "optional"), found))
    else:
        subject.set("verify.peer", settings.default("SSLProxyVerify", False))
    subject.set("verify.hostname", settings.flag("SSLProxyCheckPeerName"))
    expire = settings.flag("SSLProxyCheckPeerExpire")
    subject.set("verify.validity_period", expire.replace(value="enforce" if expire.value else "skip"))
    found = settings.find("SSLProxyCACertificateFile") or settings.find("SSLProxyCACertificatePath")
    if found is not None and found[0].values:
        subject.set("trust.store", settings.located("SSLProxyCACertificateFile", found[0].values[0], found))
        if found[0].key == "sslproxycacertificatefile":  # a file the link stage connects
            subject.set("trust.store_files", settings.located("", [_resolve(config, found[0].values[0])], found))
        subject.set("trust.system_roots", settings.located("SSLProxyCACertificateFile", False, found))


def _address(text: str) -> tuple[str | None, int | None]:
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    elif text.isdigit():
        host, port = "*", text
    else:
        host, port = text, ""
    if host.lower() == "_default_":
        host = "*"
    return host or "*", int(port) if port.isdigit() else None


def _ids(config: ApacheConfig) -> list[str]:
    """Semantic anchors of the vhosts: the address, plus ServerName when the address repeats."""
    plain = [" ".join(v.addresses) or "*" for v in config.vhosts]
    out = []
    seen: dict[str, int] = {}
    for vhost, address in zip(config.vhosts, plain, strict=True):
        anchor = address
        if plain.count(address) > 1:
            name = vhost.last("ServerName")
            if name is not None and name.values:
                anchor = f"{address} {name.values[0]}"
        seen[anchor] = seen.get(anchor, 0) + 1
        out.append(anchor if seen[anchor] == 1 else f"{anchor} #{seen[anchor]}")
    return out


_SSL_PREFIXES = ("ssl",)


def endpoints(config: ApacheConfig, context: ParseContext) -> tuple[list[Subject], list[Diagnostic]]:
    subjects: list[Subject] = []
    diagnostics: list[Diagnostic] = []
    server_ssl = config.server.last("SSLEngine")
    any_tls = False
    for vhost, anchor in zip(config.vhosts, _ids(config), strict=True):
        settings = _Settings(config, vhost, context)
        engine = settings.find("SSLEngine")
        if engine is not None and engine[0].values and engine[0].values[0].lower() in ("on", "optional"):
            any_tls = True
            host, port = _address(vhost.addresses[0]) if vhost.addresses else ("*", None)
            subject = Subject("endpoint", f"apache:vhost[{anchor}]", vhost.location, ENGINE)
            subject.set("role", Located("server", Origin.EXPLICIT, vhost.location))
            subject.set("bind.address", Located(host, Origin.EXPLICIT, vhost.location))
            if port is not None:
                subject.set("bind.port", Located(port, Origin.EXPLICIT, vhost.location))
            if _server_fields(subject, settings, config, diagnostics):
                subjects.append(subject)
        proxy = settings.find("SSLProxyEngine")
        if proxy is not None and _on(proxy[0]):
            subject = Subject("endpoint", f"apache:proxy[{anchor}]", proxy[0].location, ENGINE)
            _proxy_fields(subject, _Settings(config, vhost, context, proxy[0].location), config, diagnostics)
            subjects.append(subject)
    if server_ssl is not None and _on(server_ssl):
        listens = config.listens or []
        binds = [_address(d.values[0]) for d in listens if d.values] or [("*", None)]
        for (host, port), directive in zip(binds, listens or [None], strict=False):
            label = f"{host}:{port}" if port is not None else host
            where = directive.location if directive is not None else server_ssl.location
            subject = Subject("endpoint", f"apache:server[{label}]", where, ENGINE)
            subject.set("role", Located("server", Origin.EXPLICIT, where))
            subject.set("bind.address", Located(host, Origin.EXPLICIT, where))
            if port is not None:
                subject.set("bind.port", Located(port, Origin.EXPLICIT, where))
            if _server_fields(
                subject, _Settings(config, config.server.replace(location=where), context), config, diagnostics
            ):
                subjects.append(subject)
    elif not any_tls and any(
        d.key.startswith(_SSL_PREFIXES) and not d.key.startswith("sslproxy") for d in config.server.directives
    ):
        # Server-wide SSL defaults with no listener in this file (e.g. Debian's mods-available/ssl.conf):
        # lint them as what every SSL virtual host would get.
        first = next(d for d in config.server.directives if d.key.startswith(_SSL_PREFIXES))
        subject = Subject("endpoint", "apache:server", first.location, ENGINE, label="apache:server (SSL defaults)")
        subject.set("role", Located("server", Origin.EXPLICIT, first.location))
        if _server_fields(
            subject, _Settings(config, config.server.replace(location=first.location), context), config, diagnostics
        ):
            subjects.append(subject)
    proxy = config.server.last("SSLProxyEngine")
    if proxy is not None and _on(proxy):
        subject = Subject("endpoint", "apache:proxy[server]", proxy.location, ENGINE)
        _proxy_fields(subject, _Settings(config, config.server, context, proxy.location), config, diagnostics)
        subjects.append(subject)
    return subjects, diagnostics
