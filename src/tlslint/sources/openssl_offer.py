"""The effective offer of an OpenSSL-based endpoint: what a peer can really negotiate, with provenance.

Every OpenSSL-based engine (nginx, Apache httpd, HAProxy, curl, ...) builds its ``SSL_CTX`` in the
same layers, and this module models them once:

1. OpenSSL's built-in defaults for its version (:func:`openssl_defaults`): cipher string
   ``DEFAULT``, the three default TLS 1.3 suites, security level 1 (2 from 3.2; a build may
   override it, e.g. Debian builds 3.0 with 2 — ``openssl-seclevel=2``);
2. the system policy (``openssl.cnf`` ``system_default``), applied when the ``SSL_CTX`` is created
   (:func:`apply_system_policy` / :func:`apply_sslconf` with ``origin=inherited``);
3. the engine's own settings and defaults (:meth:`ContextState.set_protocols`,
   :meth:`ContextState.set_cipher_string`, ...), each a :class:`Located` with its origin;
4. passthrough ``SSL_CONF`` commands (``ssl_conf_command``, ``SSLOpenSSLConfCmd``), applied last.

:func:`compute` then expands the cipher string for the OpenSSL version, filters by protocol
versions, security level, certificate key types, DH parameters and PSK/SRP availability, and drops
a version that is left without a usable suite. The result holds the canonical endpoint fields
(``protocols``, ``cipher_suites.tls12``, ``cipher_suites.tls13``, ``groups``, ...), each a
:class:`Located` whose origin and location name the setting that decided it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tlslint.catalog.versions import VERSIONS, rank
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Located, Location, Origin
from tlslint.records import Frozen, Record
from tlslint.sources.sslconf import SSLConf

__all__ = [
    "ContextState",
    "Offer",
    "apply_sslconf",
    "apply_system_policy",
    "compute",
    "dh_allowed",
    "dh_security_bits",
    "openssl_defaults",
]


class ContextState(Record):
    """An ``SSL_CTX``'s TLS settings as the configuration layers leave it."""

    __slots__ = (
        "openssl_version",
        "min_protocol",
        "max_protocol",
        "disabled",
        "cipher_string",
        "ciphersuites",
        "security_level",
        "groups",
        "signature_algorithms",
        "options",
        "protocol_setting",
        "protocol_via",
        "diagnostics",
        "default_note",
        "openssl_assumed",
    )

    openssl_version: str
    min_protocol: Located[str | None]
    max_protocol: Located[str | None]
    #: SSL_OP_NO_<version>: canonical version -> Located(True = disabled)
    disabled: dict[str, Located[bool]]
    cipher_string: Located[str]
    ciphersuites: Located[str]
    security_level: Located[int]
    groups: Located[list[str]] | None
    signature_algorithms: Located[list[str]] | None
    options: dict[str, Located[bool]]
    #: the setting that last shaped the protocol set (for the provenance of ``protocols``)
    protocol_setting: Located[Any] | None
    protocol_via: list[Location]
    diagnostics: list[Diagnostic]
    #: "OpenSSL 3.0 default (version assumed; ...)": the note of every value OpenSSL's defaults decide
    default_note: str
    #: the OpenSSL version is the documented assumption, not given with --engine-version
    openssl_assumed: bool

    def __init__(
        self,
        openssl_version: str,
        min_protocol: Located[str | None],
        max_protocol: Located[str | None],
        disabled: dict[str, Located[bool]],
        cipher_string: Located[str],
        ciphersuites: Located[str],
        security_level: Located[int],
        groups: Located[list[str]] | None = None,
        signature_algorithms: Located[list[str]] | None = None,
        options: dict[str, Located[bool]] | None = None,
        protocol_setting: Located[Any] | None = None,
        protocol_via: list[Location] | None = None,
        diagnostics: list[Diagnostic] | None = None,
        default_note: str = "",
        openssl_assumed: bool = False,
    ) -> None:
        self.openssl_version = openssl_version
        self.min_protocol = min_protocol
        self.max_protocol = max_protocol
        self.disabled = disabled
        self.cipher_string = cipher_string
        self.ciphersuites = ciphersuites
        self.security_level = security_level
        self.groups = groups
        self.signature_algorithms = signature_algorithms
        self.options = {} if options is None else options
        self.protocol_setting = protocol_setting
        self.protocol_via = [] if protocol_via is None else protocol_via
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.default_note = default_note
        self.openssl_assumed = openssl_assumed

    # --- engine layer ------------------------------------------------------------------------

    def set_protocols(self, versions: Located[list[str]], *, reset_bounds: bool = True) -> None:
        """An engine's protocol list (nginx ``ssl_protocols``, Apache ``SSLProtocol``): every version not
        listed is disabled with ``SSL_OP_NO_*``. With ``reset_bounds`` (nginx does this), the min/max
        bounds a system policy set are reset to "none" / TLS 1.3, so the list alone decides."""
        # Located values are immutable: one per distinct value, shared by the versions (and both bounds).
        flags = {
            False: Located(False, versions.origin, versions.location),
            True: Located(True, versions.origin, versions.location),
        }
        for version in VERSIONS:
            self.disabled[version] = flags[version not in versions.value]
        if reset_bounds:
            self.min_protocol = self.max_protocol = Located(None, versions.origin, versions.location)
        self._shaped(versions)

    def set_bounds(self, minimum: Located[str | None] | None, maximum: Located[str | None] | None) -> None:
        """``SSL_CTX_set_min/max_proto_version`` (HAProxy ``ssl-min-ver``, curl ``--tlsv1.2``)."""
        if minimum is not None:
            self.min_protocol = minimum
            self._shaped(minimum)
        if maximum is not None:
            self.max_protocol = maximum
            self._shaped(maximum)

    def set_cipher_string(self, value: Located[str]) -> None:
        """``SSL_CTX_set_cipher_list``; an ``@SECLEVEL=n`` inside also sets the security level."""
        from tlslint.catalog.openssl_ciphers import CipherStringError, security_level_of

        self.cipher_string = value
        try:
            level = security_level_of(value.value, self.openssl_version)
        except CipherStringError:  # an OpenSSL version that is not modelled: compute() reports it
            level = None
        if level is not None:
            self.security_level = Located(
                level, value.origin, value.location, value.via, "@SECLEVEL in the cipher string"
            )

    def set_ciphersuites(self, value: Located[str]) -> None:
        self.ciphersuites = value

    def set_option(self, name: str, value: Located[bool]) -> None:
        self.options[name] = value

    def _shaped(self, setting: Located[Any]) -> None:
        previous = self.protocol_setting.location if self.protocol_setting is not None else None
        if previous is not None and previous not in self.protocol_via:
            self.protocol_via.append(previous)
        self.protocol_setting = setting


def openssl_defaults(engine_versions: dict[str, str] | None = None) -> ContextState:
    """A fresh ``SSL_CTX`` before any configuration: OpenSSL's built-in values for its version."""
    versions = engine_versions or {}
    version, note, given, values = _defaults_of(
        versions.get("openssl") or None, versions.get("openssl-seclevel") or None
    )
    minimum, maximum, cipher_string, ciphersuites, level, protocol_setting = values
    # Positional (every endpoint of every OpenSSL-based source starts here), in ContextState's field order.
    return ContextState(
        version,  # openssl_version
        minimum,  # min_protocol
        maximum,  # max_protocol
        {},  # disabled
        cipher_string,
        ciphersuites,
        level,  # security_level
        None,  # groups
        None,  # signature_algorithms
        None,  # options
        protocol_setting,
        None,  # protocol_via
        None,  # diagnostics
        note,  # default_note
        not given,  # openssl_assumed
    )


@lru_cache(maxsize=64)
def _defaults_of(openssl: str | None, seclevel: str | None) -> tuple[str, str, bool, tuple[Located[Any], ...]]:
    """The values of :func:`openssl_defaults` for an OpenSSL version and build security level, worked out
    once (every endpoint of every OpenSSL-based source starts from them; located values are immutable)."""
    from tlslint.catalog import engine_defaults

    versions = {"openssl": openssl} if openssl else {}
    version, given = engine_defaults.version_for("openssl", versions)
    suffix = "" if given else " (version assumed; use --engine-version openssl=VER)"
    note = f"OpenSSL {version} default{suffix}"
    level = engine_defaults.lookup("openssl", "security_level", version)
    level_note = note
    if seclevel:
        level = int(seclevel)
        level_note = f"OpenSSL build default (openssl-seclevel={level})"
    values = (
        Located(None, Origin.DEFAULT, None, note=note),
        Located(None, Origin.DEFAULT, None, note=note),
        Located(engine_defaults.lookup("openssl", "CipherString", version), Origin.DEFAULT, note=note),
        Located(engine_defaults.lookup("openssl", "Ciphersuites", version), Origin.DEFAULT, note=note),
        Located(level, Origin.DEFAULT, note=level_note),
        Located(None, Origin.DEFAULT, note=note),
    )
    return version, note, given, values


def apply_sslconf(state: ContextState, conf: SSLConf, *, origin: Origin | None = None) -> None:
    """Apply ``SSL_CONF`` commands (``system_default``, ``ssl_conf_command``, ``SSLOpenSSLConfCmd``) to
    ``state``. ``origin`` overrides the origin recorded on the commands (``inherited`` for a system policy)."""

    def re_origin(value: Located[Any]) -> Located[Any]:
        return value if origin is None else value.replace(origin=origin)

    if conf.cipher_string is not None:
        state.set_cipher_string(re_origin(conf.cipher_string))
    if conf.ciphersuites is not None:
        state.set_ciphersuites(re_origin(conf.ciphersuites))
    for version, enabled in conf.protocol_flags.items():
        state.disabled[version] = re_origin(enabled.replace(value=not enabled.value))
        state._shaped(re_origin(enabled))
    state.set_bounds(
        re_origin(conf.min_protocol) if conf.min_protocol is not None else None,
        re_origin(conf.max_protocol) if conf.max_protocol is not None else None,
    )
    if conf.groups is not None:
        state.groups = re_origin(conf.groups)
    if conf.signature_algorithms is not None:
        state.signature_algorithms = re_origin(conf.signature_algorithms)
    for name, value in conf.options.items():
        state.set_option(name, re_origin(value))


def apply_system_policy(state: ContextState, engine_versions: dict[str, str] | None) -> None:
    """Apply the ``system_default`` section of the ``openssl.cnf`` named by ``openssl-conf=PATH``
    (if any). Without it the system policy is unknown and not applied (documented assumption)."""
    path = (engine_versions or {}).get("openssl-conf")
    if not path:
        return
    from tlslint.sources.openssl_cnf import system_default

    conf, diagnostics = system_default(
        path, openssl_version=state.openssl_version, openssl_assumed=state.openssl_assumed
    )
    state.diagnostics.extend(diagnostics)
    if conf is not None:
        apply_sslconf(state, conf, origin=Origin.INHERITED)


class Offer(Record):
    """The offer fields an OpenSSL-based configuration leads to, and what working them out had to say."""

    __slots__ = ("fields", "diagnostics")

    fields: dict[str, Located[Any]]
    diagnostics: list[Diagnostic]

    def __init__(self, fields: dict[str, Located[Any]], diagnostics: list[Diagnostic] | None = None) -> None:
        self.fields = fields
        self.diagnostics = [] if diagnostics is None else diagnostics


def _enabled_versions(state: ContextState, *, configured: bool = False) -> list[str]:
    """The versions the configuration leaves enabled; with ``configured``, also those OpenSSL itself
    no longer has (SSLv2, SSLv3)."""
    low = state.min_protocol.value
    high = state.max_protocol.value
    out = []
    for version in VERSIONS:
        if version == "SSLv2" and not configured:
            continue  # removed from OpenSSL in 1.1.0
        if version == "SSLv3" and not configured:
            continue  # not built by default since OpenSSL 1.1.0 (no-ssl3), removed in 4.0
        if low is not None and rank(version) < rank(low):
            continue
        if high is not None and rank(version) > rank(high):
            continue
        flag = state.disabled.get(version)
        if flag is not None and flag.value:
            continue
        out.append(version)
    return out


def rejected_suite_settings(state: ContextState) -> list[tuple[Location | None, str]]:
    """The cipher settings of ``state`` that OpenSSL rejects (``SSL_CTX_set_cipher_list`` or
    ``SSL_CTX_set_ciphersuites`` fails), each with where it was written and why: an engine that stops
    on them (nginx) says so instead of building an offer. Nothing for a Red Hat ``PROFILE=`` string or an
    OpenSSL version that is not modelled (:func:`compute` speaks of those)."""
    rejected = []
    for setting, tls13 in ((state.cipher_string, False), (state.ciphersuites, True)):
        why = suites_rejected(setting.value, state.openssl_version, tls13=tls13)
        if why is not None:
            rejected.append((setting.location, why))
    return rejected


def suites_rejected(text: str, openssl_version: str, *, tls13: bool) -> str | None:
    """Why OpenSSL rejects ``text`` as a cipher string (``tls13``: as a TLS 1.3 ``Ciphersuites`` list), or
    ``None`` (also for a Red Hat ``PROFILE=`` string and an OpenSSL version that is not modelled)."""
    from tlslint.catalog.openssl_ciphers import CipherStringError, expand, parse_ciphersuites, version_family

    try:
        version_family(openssl_version)
    except CipherStringError:
        return None
    if not tls13 and text.strip().upper().startswith("PROFILE="):
        return None
    try:
        (parse_ciphersuites if tls13 else expand)(text, openssl_version)
    except CipherStringError as error:
        return str(error)
    return None


def compute(
    state: ContextState,
    *,
    key_types: set[str] | None,
    dh_params: bool | Located[int] = True,
    psk: bool = False,
    srp: bool = False,
    anchor: Location | None = None,
) -> Offer:
    """The effective offer of ``state``.

    ``key_types``: key types of the server's certificates ("RSA", "ECDSA", "Ed25519", ...), ``None``
    when unknown or on the client side (no filter). ``dh_params``: whether finite-field DHE can be
    negotiated (nginx needs ``ssl_dhparam``; OpenSSL has no built-in DH parameters unless the engine
    asks for automatic ones); a :class:`Located` size in bits when the engine loaded a parameter file,
    which OpenSSL then refuses to use below the security level's minimum, and which becomes
    ``dh_params.bits`` when a DHE suite is offered. ``anchor``: where the endpoint is defined, used for
    default values.
    """
    out: dict[str, Located[Any]] = {}
    diagnostics = list(state.diagnostics)
    level = state.security_level.value
    enabled = _enabled_versions(state)
    dh_size = dh_params if isinstance(dh_params, Located) else None
    if dh_size is not None:
        dh_params = dh_allowed(dh_size.value, level)
    if state.cipher_string.value.strip().upper().startswith("PROFILE="):
        return _system_profile(state, anchor)
    result = _negotiable(
        state.cipher_string.value,
        state.ciphersuites.value,
        state.openssl_version,
        level,
        tuple(enabled),
        frozenset(key_types) if key_types is not None else None,
        dh_params,
        psk,
        srp,
    )
    for setting, message in ((state.cipher_string, result.error12), (state.ciphersuites, result.error13)):
        if message:
            where = setting.location or anchor
            diagnostics.append(Diagnostic(where or Location("<unknown>"), f"{message}; OpenSSL rejects it", "error"))
    if result.refused_top:
        # OpenSSL refuses every handshake when the highest enabled version has no configured suite
        # ("No ciphers enabled for max supported SSL/TLS version"), e.g. TLS 1.3 on with Ciphersuites "".
        top = result.refused_top
        where = (state.ciphersuites if top == "TLSv1.3" else state.cipher_string).location or anchor
        diagnostics.append(
            Diagnostic(
                where or Location("<unknown>"),
                f"no cipher suite is enabled for {top}, the highest enabled version: OpenSSL refuses every handshake",
                "warning",
            )
        )
    offered = list(result.offered)
    if not offered and not result.refused_top and not result.error12 and not result.error13:
        where = (state.protocol_setting.location if state.protocol_setting else None) or anchor
        message = (
            f"no protocol version can be negotiated ({', '.join(enabled) or 'none enabled'} at security level "
            f"{level}, OpenSSL {state.openssl_version}): every handshake fails"
        )
        diagnostics.append(Diagnostic(where or Location("<unknown>"), message, "warning"))
    usable = {v: () for v in offered}
    dropped = [v for v in enabled if v not in usable]
    notes = []
    if dropped:
        notes.append(
            f"{', '.join(dropped)} configured but not negotiable (security level {level}"
            f"{', certificate key types ' + '/'.join(sorted(key_types)) if key_types else ''}"
            f", OpenSSL {state.openssl_version})"
        )
    setting = state.protocol_setting or Located(None, Origin.DEFAULT)
    base_note = setting.note
    note = "; ".join(n for n in (base_note, *notes) if n) or None
    where = setting.location
    if key_types:
        # Whether the certificates can serve the TLS 1.2 suites configured (read by TLS-LINK-002): an
        # ECDSA-only server with only *_RSA_* suites drops TLS 1.2 from the offer altogether.
        unfiltered = _negotiable(
            state.cipher_string.value, state.ciphersuites.value, state.openssl_version, level,
            tuple(enabled), None, dh_params, psk, srp,
        )  # fmt: skip
        if unfiltered.tls12:
            where = state.cipher_string.location or anchor
            note = f"certificate key types {'/'.join(sorted(key_types))}"
            out["identity.key_type_fits_suites"] = Located(
                bool(result.tls12), state.cipher_string.origin, where, note=note
            )
    if not offered:
        # Nothing negotiable: a diagnostic says so, and no rule judges an offer that cannot happen.
        return Offer(_unusable(state, out, anchor, where), diagnostics)
    out["protocols"] = Located(
        offered,
        setting.origin,
        where,
        tuple(state.protocol_via) + tuple(setting.via),
        note,
        _version_places(setting, offered, where),
    )
    refused = _refused(state, offered)
    if refused is not None:
        out["protocols.refused"] = refused
    tls12 = list(result.tls12)
    out["cipher_suites.tls12"] = _suites_located(state.cipher_string, tls12, state.security_level)
    tls13 = list(result.tls13)
    out["cipher_suites.tls13"] = _suites_located(state.ciphersuites, tls13, state.security_level)
    if dh_size is not None and any("_DHE_" in name for name in tls12):
        out["dh_params.bits"] = dh_size
    out.update(_extensions(state, anchor))
    if state.groups is not None:
        from tlslint.catalog.groups import normalise_group

        names = [normalise_group(g) or g for g in state.groups.value]
        out["groups"] = state.groups.replace(value=names, items=(state.groups.location,) * len(names))
    if state.signature_algorithms is not None:
        from tlslint.catalog.sigalgs import normalise_sigalg

        names = [normalise_sigalg(s) or s for s in state.signature_algorithms.value]
        where_sig = state.signature_algorithms.location
        out["signature_algorithms"] = state.signature_algorithms.replace(value=names, items=(where_sig,) * len(names))
    return Offer(out, diagnostics)


def _unusable(
    state: ContextState, out: dict[str, Located[Any]], anchor: Location | None, where: Location | None
) -> dict[str, Located[Any]]:
    """The fields of an endpoint that negotiates nothing: the versions and suites are unknown (so no
    rule judges them), what the file asks for and the extensions are kept."""
    note = "no protocol version can be negotiated (see the diagnostic)"
    for path in ("protocols", "cipher_suites.tls12", "cipher_suites.tls13"):
        out[path] = Located(None, Origin.UNKNOWN, where or anchor, (), note)
    refused = _refused(state, [])
    if refused is not None:
        out["protocols.refused"] = refused
    out.update(_extensions(state, anchor))
    return out


def _system_profile(state: ContextState, anchor: Location | None) -> Offer:
    """``PROFILE=SYSTEM`` (CentOS/RHEL/Fedora ``nginx.conf``, ``ssl.conf``): Red Hat's OpenSSL replaces
    it with the cipher list of the machine's crypto policy (``update-crypto-policies``), which the
    configuration does not say; upstream OpenSSL rejects the keyword. The versions and suites are
    therefore unknown here, and no rule judges them."""
    setting = state.cipher_string
    note = "the system crypto policy decides (Red Hat OpenSSL's PROFILE=SYSTEM); not known from this file"
    out: dict[str, Located[Any]] = {}
    for path in ("protocols", "cipher_suites.tls12", "cipher_suites.tls13"):
        out[path] = Located(None, Origin.UNKNOWN, setting.location or anchor, setting.via, note)
    out.update(_extensions(state, anchor))
    return Offer(out, list(state.diagnostics))


def _refused(state: ContextState, offered: list[str]) -> Located[list[str]] | None:
    """Versions the configuration writes (not a default) that OpenSSL will not negotiate -- removed
    from the library, or below what its security level allows -- so that a user who writes TLS 1.0
    hears about it even where the assumed OpenSSL happens to refuse it."""
    setting = state.protocol_setting
    if setting is None or setting.origin is Origin.DEFAULT or setting.location is None:
        return None
    refused = [v for v in _enabled_versions(state, configured=True) if v not in offered]
    if not refused:
        return None
    assumed = "the assumed " if state.openssl_assumed else ""
    note = (
        f"{assumed}OpenSSL {state.openssl_version} at security level {state.security_level.value} "
        f"does not negotiate {'it' if len(refused) == 1 else 'them'}"
    )
    where = setting.location
    return Located(refused, setting.origin, where, setting.via, note, _version_places(setting, refused, where))


def _version_places(setting: Located[Any], versions: list[str], where: Location | None) -> tuple[Location | None, ...]:
    """Where each of ``versions`` was written: at its own word when the setting that listed it knows its
    words' places (nginx ``ssl_protocols TLSv1 TLSv1.2``), else at the setting."""
    if not where:
        return ()
    if not setting.items:
        return (where,) * len(versions)
    return tuple(setting.item_location(version) or where for version in versions)


#: Security bits OpenSSL asks of each security level (SSL_CTX_set_security_level(3)).
_LEVEL_BITS = (0, 80, 112, 128, 192, 256)


def dh_security_bits(bits: int) -> int:
    """The security bits of a finite-field group of ``bits`` (BN_security_bits for DH)."""
    for minimum, security in ((15360, 256), (7680, 192), (3072, 128), (2048, 112), (1024, 80)):
        if bits >= minimum:
            return security
    return 0


def dh_allowed(bits: int, level: int) -> bool:
    """Whether OpenSSL accepts DH parameters of ``bits`` at security ``level`` (1024 needs level <= 1,
    ffdhe2048 level <= 2)."""
    return dh_security_bits(bits) >= _LEVEL_BITS[max(0, min(level, 5))]


#: endpoint field -> (SSL_CONF ``Options`` flag, engine_defaults key): extensions every OpenSSL-based
#: engine negotiates with OpenSSL's default unless an ``Options`` command changes it.
_EXTENSIONS = {
    "extensions.encrypt_then_mac": ("EncryptThenMac", "EncryptThenMac"),
    "extended_master_secret": ("ExtendedMasterSecret", "ExtendedMasterSecret"),
    "extensions.heartbeat": (None, "Heartbeat"),
}


def _extensions(state: ContextState, anchor: Location | None) -> dict[str, Located[Any]]:
    """The extensions the rules read, per OpenSSL version (origin ``default``) or as an ``Options``
    command wrote them (``ssl_conf_command Options -EncryptThenMac``, ``system_default``)."""
    out: dict[str, Located[Any]] = {}
    note = state.default_note or f"OpenSSL {state.openssl_version} default"
    for path, flag, value in _extension_defaults(state.openssl_version):
        written = state.options.get(flag) if flag else None
        if written is not None:
            out[path] = written
        else:
            out[path] = Located(value, Origin.DEFAULT, anchor, (), note)
    return out


@lru_cache(maxsize=64)
def _extension_defaults(openssl_version: str) -> tuple[tuple[str, str | None, Any], ...]:
    """(field, ``Options`` flag, OpenSSL's default) of each extension in :data:`_EXTENSIONS`, per version."""
    from tlslint.catalog import engine_defaults

    return tuple(
        (path, flag, engine_defaults.lookup("openssl", key, openssl_version))
        for path, (flag, key) in _EXTENSIONS.items()
    )


class _Negotiable(Frozen):
    """The suites that can be negotiated per version, the top version left without a suite, and why
    OpenSSL rejects the cipher string (``error12``) or the TLS 1.3 suites (``error13``)."""

    __slots__ = ("offered", "tls12", "tls13", "refused_top", "error12", "error13")

    offered: tuple[str, ...]
    tls12: tuple[str, ...]
    tls13: tuple[str, ...]
    refused_top: str | None
    error12: str | None
    error13: str | None

    def __init__(
        self,
        offered: tuple[str, ...],
        tls12: tuple[str, ...],
        tls13: tuple[str, ...],
        refused_top: str | None = None,
        error12: str | None = None,
        error13: str | None = None,
    ) -> None:
        object.__setattr__(self, "offered", offered)
        object.__setattr__(self, "tls12", tls12)
        object.__setattr__(self, "tls13", tls13)
        object.__setattr__(self, "refused_top", refused_top)
        object.__setattr__(self, "error12", error12)
        object.__setattr__(self, "error13", error13)


@lru_cache(maxsize=1024)
def _negotiable(
    cipher_string: str,
    ciphersuites: str,
    openssl_version: str,
    level: int,
    enabled: tuple[str, ...],
    key_types: frozenset[str] | None,
    dh_params: bool,
    psk: bool,
    srp: bool,
) -> _Negotiable:
    """The pure part of :func:`compute` (cached: thousands of endpoints share a handful of settings)."""
    from tlslint.catalog.offer import usable_suites
    from tlslint.catalog.openssl_ciphers import CipherStringError, expand, parse_ciphersuites

    error12 = error13 = None
    try:
        tls12_all = expand(cipher_string, openssl_version)
    except CipherStringError as error:
        tls12_all, error12 = [], str(error)
    try:
        tls13_all = parse_ciphersuites(ciphersuites, openssl_version)
    except CipherStringError as error:
        tls13_all, error13 = [], str(error)
    if not dh_params:
        tls12_all = [s for s in tls12_all if s.kx not in ("DHE", "DHE_PSK")]
    top = _highest_negotiable(list(enabled), level, openssl_version)
    if top is not None and not any(_covers(s, top) for s in [*tls12_all, *tls13_all]):
        return _Negotiable((), (), (), top, error12, error13)
    usable = usable_suites(
        [*tls12_all, *tls13_all],
        protocols=list(enabled),
        security_level=level,
        key_types=set(key_types) if key_types is not None else None,
        openssl_version=openssl_version,
        psk=psk,
        srp=srp,
    )
    offered = tuple(v for v in enabled if v in usable)
    legacy = {s.iana_name for v in offered if v != "TLSv1.3" for s in usable[v]}
    tls12 = tuple(s.iana_name for s in tls12_all if s.iana_name in legacy)
    tls13 = tuple(s.iana_name for s in usable.get("TLSv1.3", []))
    return _Negotiable(offered, tls12, tls13, None, error12, error13)


def _highest_negotiable(enabled: list[str], level: int, openssl_version: str) -> str | None:
    from tlslint.catalog.offer import version_allowed

    allowed = [v for v in enabled if version_allowed(v, level, openssl_version)]
    return allowed[-1] if allowed else None


def _covers(suite: Any, version: str) -> bool:
    if version == "TLSv1.3":
        return suite.tls13
    return not suite.tls13 and rank(suite.min_version) <= rank(version)


def _suites_located(setting: Located[str], names: list[str], level: Located[int]) -> Located[list[str]]:
    note = setting.note
    if level.origin is not Origin.DEFAULT or level.value != 1:
        extra = f"filtered at security level {level.value}"
        note = f"{note}; {extra}" if note else extra
    where = setting.location
    return Located(names, setting.origin, where, setting.via, note, (where,) * len(names) if where else ())
