"""nginx blocks -> endpoint subjects: TLS servers (``http``/``stream``), and TLS clients (``proxy_ssl_*``,
``grpc_ssl_*``, stream ``proxy_ssl``), with inheritance, defaults and the effective offer."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

from tlslint.catalog import engine_defaults
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.sources import openssl_offer, sslconf
from tlslint.sources.nginx.tree import Block, Stmt, located, provenance

# nginx reads the words of a flag (on/off), an enumeration (ssl_verify_client) and a bitmask
# (ssl_protocols) in any case (ngx_conf_set_flag/enum/bitmask_slot compare with ngx_strcasecmp), so these
# tables are keyed in lower case; listen parameters, "auto" of ssl_ecdh_curve and ssl_session_cache are
# compared exactly ("SSL" in a listen line stops nginx).
_PROTOCOL_NAMES = {"sslv2": "SSLv2", "sslv3": "SSLv3", "tlsv1": "TLSv1.0", "tlsv1.1": "TLSv1.1"}
_PROTOCOL_NAMES.update({"tlsv1.2": "TLSv1.2", "tlsv1.3": "TLSv1.3"})
_ON = {"on": True, "off": False}
#: ssl_verify_client -> client_auth.mode
_CLIENT_AUTH = {"off": "none", "on": "required", "optional": "optional", "optional_no_ca": "optional"}
#: ssl_session_cache values nginx takes: off, none, builtin[:size], shared:name:size (several may be combined)
_SESSION_CACHE = re.compile(r"off|none|builtin(?::\d+)?|shared:[^:\s]+:\d+[kKmMgG]?")
#: engine versions -> setting -> nginx's default and its note: the same few dozen answers for every
#: endpoint of a run (looking them up parsed the version string each time: 34,000 times for 1,000 files).
_DEFAULTS: dict[tuple[tuple[str, str], ...], dict[str, tuple[Any, str]]] = {}


class Builder:
    def __init__(self, path: str, root: Block, engine_versions: dict[str, str]) -> None:
        self.path = path
        self.root = root
        self.versions = engine_versions
        #: nginx's defaults for these engine versions, shared with every builder of the run given the same
        #: versions (a default depends on nothing else)
        self._defaults = _DEFAULTS.setdefault(tuple(sorted(engine_versions.items())), {})
        self.prefix = os.path.dirname(os.path.abspath(path))
        self.subjects: list[Subject] = []
        self.diagnostics: list[Diagnostic] = []
        #: The diagnostics above as a set, for _say_once (it catches up with what was appended directly).
        self._said: set[Diagnostic] = set()
        self._said_count = 0
        self._ids: set[str] = set()
        #: Each protocols statement's version words, located (by the statement's identity: the tree lives
        #: while the builder runs).
        self._word_places: dict[int, tuple[Location | None, ...]] = {}

    # --- generic lookups ----------------------------------------------------------------------

    def setting(self, block: Block, name: str, default_key: str | None = None, convert=None) -> Located[Any] | None:
        """The value of a single-valued directive as seen from ``block`` (inherited or default)."""
        found = block.nearest(name)
        if found is not None:
            stmts, owner = found
            args = stmts[-1].args
            value: Any = " ".join(args)
            if convert is not None:
                value = convert(args, stmts[-1])
                if value is None:
                    return None
            return located(stmts, owner, block, value)
        if default_key is None:
            return None
        return self.default(default_key)

    def default(self, default_key: str) -> Located[Any]:
        found = self._defaults.get(default_key)
        if found is None:
            found = self._defaults[default_key] = engine_defaults.default("nginx", default_key, self.versions)
        value, note = found
        if isinstance(value, list):  # each endpoint its own list, as engine_defaults.lookup gives
            value = list(value)
        return Located(value, Origin.DEFAULT, self.anchor_location, (), note)

    def flag(self, block: Block, name: str, default_key: str | None = None) -> Located[Any] | None:
        def on_off(args: list[str], stmt: Stmt) -> bool | None:
            value = _ON.get(args[0].lower()) if args else None
            if value is None:
                self.diagnostics.append(Diagnostic(stmt.location, f"{name} expects on or off (nginx refuses to start)"))
            return value

        found = self.setting(block, name, default_key, on_off)
        if found is None and default_key is not None:  # an unusable value, diagnosed: read on as if unset
            return self.default(default_key)
        return found

    def _say_once(self, diagnostic: Diagnostic) -> None:
        """Add ``diagnostic`` unless an equal one was said already: every server of a file may inherit the
        same bad line. Looked up in a set, not in the list (a file of 4,000 servers, each with a cipher
        string of its own that OpenSSL rejects, took 12 s comparing each diagnostic with every earlier one)."""
        said = self._said
        if self._said_count < len(self.diagnostics):  # appended directly since the last call
            said.update(self.diagnostics[self._said_count :])
        if diagnostic not in said:
            self.diagnostics.append(diagnostic)
            said.add(diagnostic)
        self._said_count = len(self.diagnostics)

    def unique_id(self, base: str, qualifier: str) -> str:
        candidate = base
        if candidate in self._ids:
            candidate = f"{base}@{qualifier}"
        n = 2
        while candidate in self._ids:
            candidate = f"{base}@{qualifier}#{n}"
            n += 1
        self._ids.add(candidate)
        return candidate

    anchor_location: Location | None = None
    #: (address, port) -> the default server of that socket (http servers only)
    _socket_defaults: dict[tuple[str, int | None], Block] = {}  # noqa: RUF012 (replaced per http block)

    # --- walk ---------------------------------------------------------------------------------

    def run(self) -> None:
        for block in self.root.children:
            if block.name == "http":
                self._http(block)
            elif block.name == "stream":
                self._stream(block)
            elif block.name == "server":  # a conf.d/sites-enabled file: servers at top level live in http{}
                self._server(block, "http")
            elif block.name == "location":
                self._locations(block, None)
        # A snippet of location-level directives only (proxy_pass at top level).
        if not self.root.children:
            self._clients(self.root, "http", None)

    def _http(self, http: Block) -> None:
        self._socket_defaults = _default_servers([b for b in http.children if b.name == "server"])
        for block in http.children:
            if block.name == "server":
                self._server(block, "http")

    def _stream(self, stream: Block) -> None:
        for block in stream.children:
            if block.name == "server":
                self._server(block, "stream")

    def _server(self, server: Block, kind: str) -> None:
        ssl_on = self.flag(server, "ssl")
        listens = server.own("listen")
        names = [a for s in server.own("server_name") for a in s.args]
        name = next((n for n in names if n not in ("", "_", '""', "localhost") and "$" not in n), None)
        for listen in listens:
            params = listen.args[1:]
            unknown = [a for a in listen.args[1:] if not _listen_parameter(a)]
            if unknown:
                message = f'nginx refuses to start: invalid parameter "{unknown[0]}" in listen'
                self.diagnostics.append(Diagnostic(listen.location, message))
                continue
            if "quic" in params:
                continue  # QUIC listeners are UDP; not modelled here
            if "ssl" not in params and not (ssl_on and ssl_on.value):
                continue
            address, port = _address(listen.args[0] if listen.args else "", 443 if kind == "http" else None)
            shown = f"[{address}]" if ":" in address and not address.startswith("unix:") else address
            anchor = f"{shown}:{port}" if port is not None else address
            if name and kind == "http":
                anchor += f" {name}"
            label = "server" if kind == "http" else "stream"
            endpoint_id = self.unique_id(f"nginx:{label}[{anchor}]", f"line{listen.location.line}")
            self._server_endpoint(server, kind, listen, endpoint_id, address, port, name)
        if kind == "http":
            self._clients(server, kind, server)
            for block in server.children:
                self._locations(block, server)
        else:
            self._stream_client(server)

    def _locations(self, block: Block, server: Block | None) -> None:
        if block.name not in ("location", "if", "limit_except"):
            return
        self._clients(block, "http", server)
        for child in block.children:
            self._locations(child, server)

    # --- servers ------------------------------------------------------------------------------

    def _server_endpoint(
        self,
        server: Block,
        kind: str,
        listen: Stmt,
        endpoint_id: str,
        address: str,
        port: int | None,
        name: str | None,
    ) -> None:
        self.anchor_location = listen.location
        scope = block_scope(server)
        subject = Subject("endpoint", endpoint_id, listen.location, "nginx", None, None, scope)  # no fields, no label
        put = subject.fields.__setitem__  # Subject.set without a Python call per field (~30 per endpoint)
        here = listen.location
        put("role", Located("server", Origin.EXPLICIT, here))
        listening = Located(True, Origin.EXPLICIT, here)  # immutable: one value serves both fields
        put("enabled", listening)
        put("listener_opt_in", listening)
        put("bind.address", Located(address, Origin.EXPLICIT, here))
        if port is not None:
            put("bind.port", Located(port, Origin.EXPLICIT, here))
        if name:
            put("server_name", located(server.own("server_name"), server, server, name))
        if kind == "http":
            put("purpose", Located("https-server", Origin.DEFAULT, here, (), "an nginx http server"))

        certs: Located[Any] | None = None
        cert_found = server.nearest("ssl_certificate")
        cert_paths: list[str] = []
        if cert_found is not None:
            stmts, owner = cert_found
            cert_paths = [s.args[0] for s in stmts if s.args]
            origin, via = provenance(stmts, owner, server)
            certs = Located(cert_paths, origin, stmts[-1].location, via, None, tuple(s.location for s in stmts))
            put("identity", certs)
        self._files(subject, server, "identity.certificate_files", "ssl_certificate")
        self._files(subject, server, "identity.key_files", "ssl_certificate_key")
        self._files(subject, server, "trust.store_files", "ssl_client_certificate", "ssl_trusted_certificate")
        key_types = self._key_types(cert_paths)
        if key_types is not None and certs is not None:
            put("identity.key_types", Located(sorted(key_types), certs.origin, certs.location, certs.via))

        # On a socket shared by several servers, OpenSSL fixes the protocol version (and the groups)
        # from the socket's default server before the SNI callback switches to the named server's
        # context; the suites, the security level, DH and the certificate then follow the named server
        # (measured on nginx 1.22 / OpenSSL 3.0, tests/engines/test_servers_live.py).
        socket_default = self._socket_defaults.get((address, port)) if kind == "http" else None
        negotiating = socket_default if socket_default is not None and socket_default is not server else server
        protocols = self._protocol_list(negotiating, "ssl_protocols")
        ciphers = self.setting(server, "ssl_ciphers", "ssl_ciphers")
        prefer = self.flag(server, "ssl_prefer_server_ciphers", "ssl_prefer_server_ciphers")
        curve = self.setting(negotiating, "ssl_ecdh_curve", "ssl_ecdh_curve")
        commands = self._conf_commands(server, "ssl_conf_command")
        if negotiating is not server:
            commands = _versions_from(commands, self._conf_commands(negotiating, "ssl_conf_command"))
        dhparam = self._dhparam(server)
        if not self._offer(subject, protocols, ciphers, prefer, curve, commands, key_types, dhparam):
            return  # nginx would not start with this server: a diagnostic says why, no endpoint
        if negotiating is not server:
            _shared_socket(subject, negotiating)
        self._handshake_timeout(subject, negotiating, kind)

        tickets = self.flag(server, "ssl_session_tickets", "ssl_session_tickets")
        if commands is not None and "SessionTicket" in commands.options:
            tickets = commands.options["SessionTicket"]
        put("session.tickets", tickets)
        timeout = self.setting(server, "ssl_session_timeout", "ssl_session_timeout", _seconds)
        if timeout is not None:
            put("session.timeout", timeout)
        cache = self._session_cache(server)
        if tickets.value:
            put("session.ticket_key_rotation", self._ticket_rotation(server, cache, here))
        cache_mode = (str(cache.value).split() or ["none"])[0] if cache is not None else "none"
        resumption = bool(tickets.value) or cache_mode not in ("none", "off")
        put("session.resumption", Located(resumption, cache.origin if cache else Origin.DEFAULT, here))
        put("session.renegotiation", Located("disabled", Origin.DEFAULT, here, (), "nginx refuses renegotiation"))
        stapling = self.flag(server, "ssl_stapling", "ssl_stapling")
        put("ocsp_stapling", stapling)
        if stapling and stapling.value:
            resolver = server.nearest("resolver")
            stapling_file = server.nearest("ssl_stapling_file")
            found = resolver or stapling_file
            if found is not None:
                put("ocsp_stapling.resolver", located(found[0], found[1], server, True))
            else:
                put("ocsp_stapling.resolver", Located(False, Origin.DEFAULT, stapling.location, (), "no resolver"))
        verify = self.setting(server, "ssl_verify_client", "ssl_verify_client")
        client_auth = _CLIENT_AUTH.get(str(verify.value).lower())
        if client_auth is None:
            message = f'nginx refuses to start: invalid value "{verify.value}" of ssl_verify_client'
            self._say_once(Diagnostic(verify.location or here, message))
            client_auth = "none"
        put("client_auth.mode", Located(client_auth, verify.origin, verify.location, verify.via, verify.note))
        if client_auth != "none":
            depth = self.setting(server, "ssl_verify_depth", "ssl_verify_depth", _int)
            if depth is not None:
                put("verify.max_chain_depth", depth)
        early = self.flag(server, "ssl_early_data", "ssl_early_data")
        put("early_data", early)
        buffer = self.setting(server, "ssl_buffer_size", "ssl_buffer_size", _bytes)
        if buffer is not None:
            put("buffers.max_plaintext_record", buffer)
        if kind == "http":
            tokens = self.setting(server, "server_tokens", "server_tokens")
            version = engine_defaults.version_for("nginx", self.versions)[0]
            banner = {"off": "nginx", "on": f"nginx/{version}", "build": f"nginx/{version}"}.get(
                str(tokens.value).lower(), str(tokens.value)
            )
            put("http.server_header", Located(banner, tokens.origin, tokens.location, tokens.via, tokens.note))
        self.subjects.append(subject)

    def _session_cache(self, server: Block) -> Located[Any] | None:
        """``ssl_session_cache`` as seen from ``server``; a value nginx refuses (it compares the words
        exactly: ``OFF`` is no value of it) is diagnosed and read on as if unset."""
        cache = self.setting(server, "ssl_session_cache", "ssl_session_cache")
        if cache is None or cache.origin is Origin.DEFAULT:
            return cache
        bad = next((word for word in str(cache.value).split() if not _SESSION_CACHE.fullmatch(word)), None)
        if bad is None:
            return cache
        self._say_once(Diagnostic(cache.location, f'nginx refuses to start: invalid session cache "{bad}"'))
        return self.default("ssl_session_cache")

    def _ticket_rotation(self, server: Block, cache: Located[Any] | None, here: Location) -> Located[Any]:
        """Whether the session-ticket keys change while nginx runs: keys from ``ssl_session_ticket_key``
        files change only when someone replaces the files (not knowable here); without files nginx
        makes keys at start-up and keeps them, except that from 1.23.2 it rotates keys it keeps in a
        shared ``ssl_session_cache``."""
        found = server.nearest("ssl_session_ticket_key")
        if found is not None:
            note = "keys from ssl_session_ticket_key files: rotated only when the files are replaced by hand"
            return Located(None, Origin.UNKNOWN, found[0][0].location, found[0][0].via, note)
        version = engine_defaults.version_for("nginx", self.versions)[0]
        shared = cache is not None and "shared:" in str(cache.value)
        if shared and engine_defaults.parse_version(version) >= (1, 23, 2):
            note = f"nginx {version} rotates the ticket keys it keeps in the shared session cache"
            return Located(True, cache.origin, cache.location, cache.via, note)
        note = f"nginx {version}, no ssl_session_ticket_key"
        if shared:
            note += "; keys in a shared cache rotate only from nginx 1.23.2"
        return Located(False, Origin.DEFAULT, here, (), note)

    def _handshake_timeout(self, subject: Subject, server: Block, kind: str) -> None:
        """What ends a stalled handshake: an http server's handshake runs under the client_header_timeout
        of the socket's default server (``server`` here), a stream server's under ssl_handshake_timeout."""
        name = "client_header_timeout" if kind == "http" else "ssl_handshake_timeout"
        timeout = self.setting(server, name, name, _seconds)
        if timeout is not None:
            subject.set("connection.timeouts.handshake", timeout)

    def _dhparam(self, block: Block) -> Located[Any] | None:
        """``ssl_dhparam`` as a file path, resolved like nginx resolves it (``None`` when not set)."""
        found = block.nearest("ssl_dhparam")
        if found is None or not found[0][-1].args:
            return None
        stmts, owner = found
        ref = stmts[-1].args[0]
        return located(stmts, owner, block, _file_path(self.prefix, ref))

    def _files(self, subject: Subject, block: Block, field: str, *names: str) -> None:
        """Files the directives ``names`` reference (as seen from ``block``), resolved like nginx does
        (relative to the prefix, here the configuration's directory), each located at its directive."""
        paths: list[str] = []
        places: list[Location] = []
        first: tuple[Origin, tuple[Location, ...]] | None = None  # the provenance of the first file found
        for name in names:
            found = block.nearest(name)
            if found is None:
                continue
            stmts, owner = found
            for stmt in stmts:
                ref = stmt.args[0] if stmt.args else ""
                if not ref or "$" in ref or ref.startswith(("data:", "engine:", "store:")):
                    continue
                paths.append(_file_path(self.prefix, ref))
                places.append(stmt.location)
                first = first or provenance(stmts, owner, block)
        if paths and first is not None:
            subject.set(field, Located(paths, first[0], places[0], first[1], None, tuple(places)))

    def _key_types(self, paths: list[str]) -> set[str] | None:
        if not paths or any("$" in p or p.startswith(("data:", "engine:", "store:")) for p in paths):
            return None
        from tlslint.sources import certinfo

        resolved = [p if os.path.isabs(p) else os.path.join(self.prefix, p) for p in paths]
        return certinfo.key_types(resolved)

    def _protocol_list(self, block: Block, name: str) -> Located[Any] | None:
        """A protocols directive as seen from ``block``, each version located at its own word, so that a
        finding about TLSv1 points at ``TLSv1`` rather than at the start of the line. The words' places are
        made once per statement, for all the servers that inherit it."""
        protocols = self.setting(block, name, name, self._protocols)
        found = block.nearest(name)
        if protocols is None or found is None or protocols.origin is Origin.DEFAULT:
            return protocols
        stmt = found[0][-1]
        places = self._word_places.get(id(stmt))
        if places is None:
            words = zip(stmt.args, stmt.arg_locations, strict=False)
            places = self._word_places[id(stmt)] = tuple(
                where for arg, where in words if arg.lower() in _PROTOCOL_NAMES
            )
        if len(places) != len(protocols.value) or None in places:
            return protocols  # a word nginx does not know (diagnosed), or one not found on the line
        return protocols.replace(items=places)

    def _protocols(self, args: list[str], stmt: Stmt) -> list[str] | None:
        out = []
        for arg in args:
            version = _PROTOCOL_NAMES.get(arg.lower())
            if version is None:
                self.diagnostics.append(Diagnostic(stmt.location, f"{stmt.name}: unknown protocol {arg!r}"))
                continue
            out.append(version)
        return out

    def _conf_commands(self, block: Block, name: str) -> sslconf.SSLConf | None:
        found = block.nearest(name)
        if found is None:
            return None
        stmts, owner = found
        triples = []
        for stmt in stmts:
            if len(stmt.args) != 2:
                self.diagnostics.append(Diagnostic(stmt.location, f"{name} takes a name and a value"))
                continue
            triples.append((stmt.args[0], stmt.args[1], stmt.location))
        origin = Origin.EXPLICIT if owner is block and not stmts[0].via else Origin.INHERITED
        openssl, given = engine_defaults.version_for("openssl", self.versions)
        conf = sslconf.apply(
            triples, origin=origin, refusing="nginx", openssl_version=openssl, openssl_assumed=not given
        )
        self.diagnostics.extend(conf.diagnostics)
        return conf

    def _offer(
        self,
        subject: Subject,
        protocols: Located[Any] | None,
        ciphers: Located[Any] | None,
        prefer: Located[Any] | None,
        curve: Located[Any] | None,
        commands: sslconf.SSLConf | None,
        key_types: set[str] | None,
        dh: Located[Any] | bool | None,
    ) -> bool:
        """Compute the effective offer into ``subject``; ``False`` when nginx would refuse to start.
        ``dh``: the ``ssl_dhparam`` file (a located path), ``None`` without one, ``True`` on a client."""
        state = openssl_offer.openssl_defaults(self.versions)
        openssl_offer.apply_system_policy(state, self.versions)
        if protocols is not None:
            state.set_protocols(protocols)  # resetting the bounds (its default), as nginx does
        if ciphers is not None:
            state.set_cipher_string(ciphers)
        if prefer is not None:
            state.set_option("ServerPreference", prefer)
        if curve is not None and curve.value != "auto":  # "AUTO" is a group name OpenSSL refuses
            if not self._groups_taken(curve, state):
                return False
            state.groups = Located(str(curve.value).split(":"), curve.origin, curve.location, curve.via, curve.note)
        dh_params = self._dh_params(dh, state.security_level.value)
        if dh_params is None:
            return False
        if commands is not None:
            if any(d.severity == "error" for d in commands.diagnostics):
                return False  # nginx stops on a command OpenSSL rejects (_conf_commands said which)
            openssl_offer.apply_sslconf(state, commands)
        rejected = openssl_offer.rejected_suite_settings(state)
        for where, why in rejected:  # SSL_CTX_set_cipher_list / SSL_CONF_cmd failed: nginx stops
            self._say_once(Diagnostic(where or self.anchor_location, f"nginx refuses to start: {why}"))
        if rejected:
            return False
        offer = openssl_offer.compute(state, key_types=key_types, dh_params=dh_params, anchor=self.anchor_location)
        for diagnostic in offer.diagnostics:
            self._say_once(diagnostic)
        fields = subject.fields  # Subject.set written out: a dozen fields for every endpoint
        for path, value in offer.fields.items():
            if value.location is None:
                value = Located(value.value, value.origin, self.anchor_location, value.via, value.note)
            fields[path] = value
        server_pref = state.options.get("ServerPreference")
        if server_pref is not None:
            subject.set("cipher_suites.prefer_server_order", server_pref)
        return True

    def _groups_taken(self, curve: Located[Any], state: openssl_offer.ContextState) -> bool:
        """Whether nginx starts with ``ssl_ecdh_curve``'s list: it stops when OpenSSL rejects the list
        (``SSL_CTX_set1_curves_list``); a list only the assumed OpenSSL rejects gets a warning."""
        from tlslint.catalog.openssl_lists import group_list_error

        rejected = group_list_error(str(curve.value), state.openssl_version)
        if rejected is None:
            return True
        where = curve.location or self.anchor_location
        if rejected.certain(state.openssl_assumed):
            self._say_once(Diagnostic(where, f"nginx refuses to start: ssl_ecdh_curve: {rejected.message}"))
            return False
        said = rejected.assumed("ssl_ecdh_curve", "nginx refuses to start", state.openssl_version)
        self._say_once(Diagnostic(where, said, "warning"))
        return True

    def _dh_params(self, dh: Located[Any] | bool | None, level: int) -> Located[int] | bool | None:
        """What :func:`openssl_offer.compute` gets for DH; ``None`` when nginx refuses to start because
        OpenSSL rejects the group at the security level in force when nginx loads it (ssl_ciphers'
        ``@SECLEVEL`` is applied before ``ssl_dhparam``, ``ssl_conf_command`` after)."""
        if not isinstance(dh, Located):
            return bool(dh)
        from tlslint.sources import certinfo

        bits = certinfo.dh_bits(str(dh.value))
        if bits is None:
            return True  # the file's size is not known here: DHE possible, size not judged
        if not openssl_offer.dh_allowed(bits, level):
            message = (
                f"nginx refuses to start: the {bits}-bit DH group of ssl_dhparam is too small for OpenSSL "
                f'security level {level} ("dh key too small")'
            )
            self._say_once(Diagnostic(dh.location, message, "error"))
            return None
        return Located(bits, dh.origin, dh.location, dh.via, f"{bits}-bit group in {os.path.basename(str(dh.value))}")

    # --- clients ------------------------------------------------------------------------------

    def _clients(self, block: Block, kind: str, server: Block | None) -> None:
        for prefix, directive, schemes in (
            ("proxy", "proxy_pass", ("https://",)),
            ("grpc", "grpc_pass", ("grpcs://",)),
        ):
            for stmt in block.own(directive):
                target = stmt.args[0] if stmt.args else ""
                if not target.lower().startswith(schemes):
                    continue
                # The authority without user-info: credentials never become part of an id.
                host = target.split("://", 1)[1].split("/", 1)[0].rpartition("@")[2]
                qualifier = _qualifier(block, server)
                endpoint_id = self.unique_id(f"nginx:{prefix}[{host}]", qualifier)
                self._client_endpoint(block, prefix, stmt, endpoint_id, target, host)

    def _stream_client(self, server: Block) -> None:
        enabled = self.flag(server, "proxy_ssl")
        if not enabled or not enabled.value:
            return
        for stmt in server.own("proxy_pass"):
            host = stmt.args[0] if stmt.args else ""
            endpoint_id = self.unique_id(f"nginx:stream-proxy[{host}]", f"line{stmt.location.line}")
            self._client_endpoint(server, "proxy", stmt, endpoint_id, host, host)

    def _client_endpoint(self, block: Block, prefix: str, stmt: Stmt, endpoint_id: str, url: str, host: str) -> None:
        self.anchor_location = stmt.location
        here = stmt.location
        subject = Subject("endpoint", endpoint_id, here, "nginx")
        put = subject.fields.__setitem__  # Subject.set without a Python call per field
        put("role", Located("client", Origin.EXPLICIT, here))
        put("url", Located(url, Origin.EXPLICIT, here))
        if "://" in url:
            put("url.scheme", Located(url.split("://", 1)[0].lower(), Origin.EXPLICIT, here))
        name = self.setting(block, f"{prefix}_ssl_name")
        put("server_name", name or Located(host.split(":")[0], Origin.DEFAULT, here, (), "host of the URL"))
        verify = self.flag(block, f"{prefix}_ssl_verify", f"{prefix}_ssl_verify")
        put("verify.peer", verify)
        put("verify.hostname", verify)
        depth = self.setting(block, f"{prefix}_ssl_verify_depth", f"{prefix}_ssl_verify_depth", _int)
        if depth is not None:
            put("verify.max_chain_depth", depth)
        trusted = self.setting(block, f"{prefix}_ssl_trusted_certificate")
        if trusted is not None:
            put("trust.store", trusted)
        put("trust.system_roots", Located(False, Origin.DEFAULT, here, (), "nginx never trusts system roots"))
        sni = self.flag(block, f"{prefix}_ssl_server_name", f"{prefix}_ssl_server_name")
        put("sni.send", sni)
        reuse = self.flag(block, f"{prefix}_ssl_session_reuse", f"{prefix}_ssl_session_reuse")
        put("session.resumption", reuse)
        self._files(subject, block, "trust.store_files", f"{prefix}_ssl_trusted_certificate")
        self._files(subject, block, "identity.certificate_files", f"{prefix}_ssl_certificate")
        self._files(subject, block, "identity.key_files", f"{prefix}_ssl_certificate_key")
        cert = self.setting(block, f"{prefix}_ssl_certificate")
        if cert is not None:
            put("identity", Located([cert.value], cert.origin, cert.location, cert.via))
        protocols = self._protocol_list(block, f"{prefix}_ssl_protocols")
        ciphers = self.setting(block, f"{prefix}_ssl_ciphers", f"{prefix}_ssl_ciphers")
        commands = self._conf_commands(block, f"{prefix}_ssl_conf_command")
        if not self._offer(subject, protocols, ciphers, None, None, commands, None, True):  # dh: a client
            return  # nginx would not start: a diagnostic says why, no endpoint
        # nginx runs the upstream TLS handshake under the connect timeout (ngx_*_upstream_ssl_init_connection).
        connect = self.setting(block, f"{prefix}_connect_timeout", f"{prefix}_connect_timeout", _seconds)
        if connect is not None:
            put("connection.timeouts.connect", connect)
            put("connection.timeouts.handshake", connect)
        self.subjects.append(subject)


#: ``listen`` parameters nginx knows (ngx_http_core_listen / ngx_stream_core_listen), bare or ``name=``.
_LISTEN_FLAGS = frozenset(
    {"default_server", "default", "ssl", "http2", "http3", "quic", "proxy_protocol", "deferred", "bind", "reuseport"}
)
_LISTEN_VALUED = frozenset(
    ["setfib", "fastopen", "backlog", "rcvbuf", "sndbuf", "accept_filter", "ipv6only", "so_keepalive", "multipath"]
)


@lru_cache(maxsize=4096)  # every server of a run names the same few files from the same few directories
def _file_path(prefix: str, ref: str) -> str:
    """A file directive's path as nginx resolves it: relative to the prefix (the configuration's directory)."""
    return ref if os.path.isabs(ref) else os.path.normpath(os.path.join(prefix, ref))


def _listen_parameter(arg: str) -> bool:
    name, sep, _ = arg.partition("=")
    return (name in _LISTEN_VALUED) if sep else (arg in _LISTEN_FLAGS)


def _default_servers(servers: list[Block]) -> dict[tuple[str, int | None], Block]:
    """Each listening socket's default server: the one whose ``listen`` says ``default_server`` (or
    ``default``), else the first server listening there."""
    defaults: dict[tuple[str, int | None], Block] = {}
    for server in servers:
        for listen in server.own("listen"):
            key = _address(listen.args[0] if listen.args else "", 443)
            params = set(listen.args[1:])
            if key not in defaults or params & {"default_server", "default"}:
                defaults[key] = server
    return defaults


def _versions_from(own: sslconf.SSLConf | None, default: sslconf.SSLConf | None) -> sslconf.SSLConf | None:
    """A non-default server's ``ssl_conf_command`` set with the version commands of the socket's default
    server (those are fixed before SNI), everything else its own."""
    base = own if own is not None else sslconf.SSLConf()
    merged = base.replace(
        protocol_flags=dict(default.protocol_flags) if default is not None else {},
        min_protocol=default.min_protocol if default is not None else None,
        max_protocol=default.max_protocol if default is not None else None,
    )
    return None if own is None and merged.empty else merged


def _shared_socket(subject: Subject, default_server: Block) -> None:
    """Say, on the offered versions, that the socket's default server decided them."""
    where = default_server.location
    note = (
        f"negotiated with the settings of the socket's default server (line {where.line}): nginx fixes the "
        "version before SNI selects this server"
    )
    for path in ("protocols",):
        value = subject.fields.get(path)
        if value is None:
            continue
        origin = Origin.INHERITED if value.origin is Origin.EXPLICIT else value.origin
        joined = f"{value.note}; {note}" if value.note else note
        subject.set(path, Located(value.value, origin, value.location, (*value.via, where), joined, value.items))


def _qualifier(block: Block, server: Block | None) -> str:
    if block.name == "location":
        return "location " + " ".join(block.args)
    return f"line{block.location.line}"


_ADDRESS = re.compile(r"^\[(?P<v6>[^\]]+)\](?::(?P<p6>\d+))?$|^(?P<host>[^:]+)(?::(?P<port>\d+))?$")


def _address(text: str, default_port: int | None) -> tuple[str, int | None]:
    """``listen`` address -> (address, port): ``8443`` -> ("0.0.0.0", 8443), ``[::]:443`` -> ("::", 443)."""
    if text.startswith("unix:"):
        return text, None
    if text.isdigit():
        return "0.0.0.0", int(text)
    match = _ADDRESS.match(text)
    if not match:
        return text, default_port
    if match["v6"]:
        return match["v6"], int(match["p6"]) if match["p6"] else default_port
    host = "0.0.0.0" if match["host"] == "*" else match["host"]
    return host, int(match["port"]) if match["port"] else default_port


_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000, "y": 31536000}


def _seconds(args: list[str], stmt: Stmt) -> int | None:
    text = args[0] if args else ""
    total = 0.0
    for number, unit in re.findall(r"(\d+)(ms|[smhdwMy]?)", text):
        total += int(number) * _UNITS.get(unit or "s", 1)
    return int(total) if text else None


def _bytes(args: list[str], stmt: Stmt) -> int | None:
    match = re.fullmatch(r"(\d+)([kKmMgG]?)", args[0] if args else "")
    if not match:
        return None
    return int(match[1]) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match[2].lower()]


def _int(args: list[str], stmt: Stmt) -> int | None:
    return int(args[0]) if args and args[0].isdigit() else None


def block_scope(block: Block) -> Location | None:
    """The lines of ``block`` in its own file, from its opening line to its last statement written in that
    file (crossplane reports no closing brace; a comment after the last statement is outside)."""
    start = block.location
    last = start.line
    pending = list(block.stmts)
    while pending:
        stmt = pending.pop()
        if stmt.location.path == start.path and not stmt.via and stmt.location.line:
            last = max(last or 0, stmt.location.line)
        if stmt.block is not None:
            pending.extend(stmt.block.stmts)
    if not start.line or not last:
        return None
    return Location(start.path, start.line, None, last, None)
