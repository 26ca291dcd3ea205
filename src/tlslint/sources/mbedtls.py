"""Mbed TLS build configuration: ``mbedtls_config.h`` (3.x/4.x), ``config.h`` (2.x) and user config
headers (``MBEDTLS_USER_CONFIG_FILE``).

One endpoint per header that configures TLS, ``mbedtls:<repo path>``, without a role: the build
serves clients and servers alike. It says what the library *can* negotiate: protocol versions, the
suites ``mbedtls_ssl_list_ciphersuites()`` returns (derived from the key exchanges, cipher, mode and
hash modules with the rules of :mod:`tlslint.sources.mbedtls_suites`, or the explicit
``MBEDTLS_SSL_CIPHERSUITES`` list), extensions, tickets, renegotiation, buffer sizes and whether
certificate dates are checked at all. Run-time choices (``mbedtls_ssl_conf_*``) come from
:mod:`tlslint.sources.ccode`.

The reading depends on the release line (``--engine-version mbedtls=X``, else inferred from the
macros the file writes, else 3.6): 3.x ignores the 2.x protocol macros; 4.x moved the crypto options
to TF-PSA-Crypto (``PSA_WANT_*``), so a crypto option a 4.x ``mbedtls_config.h`` does not write is
unknown, not off.

A *full* configuration (one that writes ``MBEDTLS_SSL_TLS_C``/``_CLI_C``/``_SRV_C``) describes every
option: a macro it does not define is off. A *user* configuration only changes the stock one: a macro
it does not mention keeps the stock default of the release line. Library headers (``ssl.h``,
``debug.h``, ``ssl_misc.h``: they declare Mbed TLS functions and types) and full configurations
without TLS (``config-no-entropy.h``) are not builds.
"""

from __future__ import annotations

import re

from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location, Origin
from tlslint.records import Record
from tlslint.sources import mbedtls_suites
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.sources.endpoint_builder import EndpointBuilder
from tlslint.sources.mbedtls_header import Header, Resolver, read_header


def _names(text: str) -> frozenset[str]:
    return frozenset(f"MBEDTLS_{name}" for name in text.split())


#: Options the stock configuration of each release line defines (only those tlslint reads):
#: 2.28.10 include/mbedtls/config.h, 3.6.5 and 4.1.0 include/mbedtls/mbedtls_config.h.
STOCK = {
    "2": _names(
        """
    HAVE_TIME HAVE_TIME_DATE CIPHER_MODE_CBC REMOVE_ARC4_CIPHERSUITES REMOVE_3DES_CIPHERSUITES
    KEY_EXCHANGE_PSK_ENABLED KEY_EXCHANGE_DHE_PSK_ENABLED KEY_EXCHANGE_ECDHE_PSK_ENABLED
    KEY_EXCHANGE_RSA_PSK_ENABLED KEY_EXCHANGE_RSA_ENABLED KEY_EXCHANGE_DHE_RSA_ENABLED
    KEY_EXCHANGE_ECDHE_RSA_ENABLED KEY_EXCHANGE_ECDHE_ECDSA_ENABLED KEY_EXCHANGE_ECDH_ECDSA_ENABLED
    KEY_EXCHANGE_ECDH_RSA_ENABLED SSL_ENCRYPT_THEN_MAC SSL_EXTENDED_MASTER_SECRET SSL_RENEGOTIATION
    SSL_MAX_FRAGMENT_LENGTH SSL_PROTO_TLS1 SSL_PROTO_TLS1_1 SSL_PROTO_TLS1_2 SSL_ALPN
    SSL_SESSION_TICKETS SSL_SERVER_NAME_INDICATION AES_C ARC4_C CAMELLIA_C CCM_C CHACHAPOLY_C DES_C
    GCM_C MD5_C SHA1_C SHA256_C SHA512_C SSL_CACHE_C SSL_TICKET_C SSL_CLI_C SSL_SRV_C SSL_TLS_C
    X509_CRT_PARSE_C CIPHER_C MD_C ECDH_C ECDSA_C RSA_C DHM_C
    """
    ),
    "3": _names(
        """
    HAVE_TIME HAVE_TIME_DATE CIPHER_MODE_CBC KEY_EXCHANGE_PSK_ENABLED KEY_EXCHANGE_DHE_PSK_ENABLED
    KEY_EXCHANGE_ECDHE_PSK_ENABLED KEY_EXCHANGE_RSA_PSK_ENABLED KEY_EXCHANGE_RSA_ENABLED
    KEY_EXCHANGE_DHE_RSA_ENABLED KEY_EXCHANGE_ECDHE_RSA_ENABLED KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
    KEY_EXCHANGE_ECDH_ECDSA_ENABLED KEY_EXCHANGE_ECDH_RSA_ENABLED SSL_ENCRYPT_THEN_MAC
    SSL_EXTENDED_MASTER_SECRET SSL_RENEGOTIATION SSL_MAX_FRAGMENT_LENGTH SSL_PROTO_TLS1_2
    SSL_PROTO_TLS1_3 SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED
    SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
    SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED SSL_ALPN SSL_SESSION_TICKETS
    SSL_SERVER_NAME_INDICATION AES_C CAMELLIA_C ARIA_C CCM_C CHACHAPOLY_C DES_C GCM_C MD5_C SHA1_C
    SHA256_C SHA384_C SHA512_C SSL_CACHE_C SSL_TICKET_C SSL_CLI_C SSL_SRV_C SSL_TLS_C
    X509_CRT_PARSE_C CIPHER_C MD_C ECDH_C ECDSA_C RSA_C DHM_C ECJPAKE_C
    """
    ),
    "4": _names(
        """
    KEY_EXCHANGE_ECDHE_ECDSA_ENABLED KEY_EXCHANGE_ECDHE_PSK_ENABLED KEY_EXCHANGE_ECDHE_RSA_ENABLED
    KEY_EXCHANGE_PSK_ENABLED SSL_ALPN SSL_CACHE_C SSL_CLI_C SSL_ENCRYPT_THEN_MAC
    SSL_EXTENDED_MASTER_SECRET SSL_MAX_FRAGMENT_LENGTH SSL_PROTO_TLS1_2 SSL_PROTO_TLS1_3
    SSL_RENEGOTIATION SSL_SERVER_NAME_INDICATION SSL_SESSION_TICKETS SSL_SRV_C SSL_TICKET_C
    SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED
    SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED SSL_TLS_C X509_CRT_PARSE_C
    """
    ),
}
STOCK_VALUES = {"MBEDTLS_SSL_IN_CONTENT_LEN": "16384", "MBEDTLS_SSL_OUT_CONTENT_LEN": "16384"}
#: TLS options (any release line): writing one of these makes a header a TLS configuration.
TLS_OPTIONS = _names(
    """
    KEY_EXCHANGE_DHE_PSK_ENABLED KEY_EXCHANGE_DHE_RSA_ENABLED KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
    KEY_EXCHANGE_ECDHE_PSK_ENABLED KEY_EXCHANGE_ECDHE_RSA_ENABLED KEY_EXCHANGE_ECDH_ECDSA_ENABLED
    KEY_EXCHANGE_ECDH_RSA_ENABLED KEY_EXCHANGE_ECJPAKE_ENABLED KEY_EXCHANGE_PSK_ENABLED
    KEY_EXCHANGE_RSA_ENABLED KEY_EXCHANGE_RSA_PSK_ENABLED SSL_ALPN SSL_CACHE_C
    SSL_CACHE_DEFAULT_TIMEOUT SSL_CBC_RECORD_SPLITTING SSL_CIPHERSUITES SSL_CLI_C SSL_CONTEXT_SERIALIZATION
    SSL_DEBUG_ALL SSL_EARLY_DATA SSL_ENCRYPT_THEN_MAC SSL_EXTENDED_MASTER_SECRET SSL_FALLBACK_SCSV
    SSL_IN_CONTENT_LEN SSL_KEEP_PEER_CERTIFICATE SSL_MAX_CONTENT_LEN SSL_MAX_FRAGMENT_LENGTH
    SSL_NULL_CIPHERSUITES SSL_OUT_CONTENT_LEN SSL_PROTO_DTLS SSL_PROTO_SSL3 SSL_PROTO_TLS1
    SSL_PROTO_TLS1_1 SSL_PROTO_TLS1_2 SSL_PROTO_TLS1_3 SSL_PROTO_TLS1_3_EXPERIMENTAL SSL_RECORD_SIZE_LIMIT
    SSL_RENEGOTIATION SSL_SERVER_NAME_INDICATION SSL_SESSION_TICKETS SSL_SRV_C SSL_TICKET_C SSL_TLS_C
    SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED
    SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED SSL_TRUNCATED_HMAC HAVE_TIME_DATE
    """
)
#: Written (as #define) only in 2.x configurations / only in 3.x-4.x ones: how the line is inferred.
ONLY_2X = _names(
    "SSL_PROTO_SSL3 SSL_PROTO_TLS1 SSL_PROTO_TLS1_1 ARC4_C REMOVE_ARC4_CIPHERSUITES REMOVE_3DES_CIPHERSUITES "
    "SSL_TRUNCATED_HMAC SSL_CBC_RECORD_SPLITTING SSL_FALLBACK_SCSV SSL_EXPORT_KEYS ZLIB_SUPPORT "
    "SSL_PROTO_TLS1_3_EXPERIMENTAL ENABLE_WEAK_CIPHERSUITES SSL_MAX_CONTENT_LEN"
)
ONLY_3X = _names(
    "SSL_PROTO_TLS1_3 SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED "
    "SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED SSL_TLS1_3_COMPATIBILITY_MODE SHA384_C "
    "SSL_KEYING_MATERIAL_EXPORT SSL_EARLY_DATA SSL_RECORD_SIZE_LIMIT SSL_DTLS_CONNECTION_ID_COMPAT SHA224_C"
)
#: Core crypto modules: a header defining several of them (and no TLS module) is a full
#: configuration of a build without TLS (config-no-entropy.h, config-symmetric-only.h).
_CORE_MODULES = _names("CIPHER_C MD_C AES_C PLATFORM_C ENTROPY_C CTR_DRBG_C BIGNUM_C SHA256_C PSA_CRYPTO_C ECP_C")
_TLS_MODULES = _names("SSL_TLS_C SSL_CLI_C SSL_SRV_C")
#: Key-exchange macro -> (kx, au) as the suite catalogue spells them.
KEY_EXCHANGES = {
    "RSA": ("RSA", "RSA"),
    "DHE_RSA": ("DHE", "RSA"),
    "ECDHE_RSA": ("ECDHE", "RSA"),
    "ECDHE_ECDSA": ("ECDHE", "ECDSA"),
    "ECDH_ECDSA": ("ECDH", "ECDSA"),
    "ECDH_RSA": ("ECDH", "RSA"),
    "PSK": ("PSK", "PSK"),
    "DHE_PSK": ("DHE_PSK", "PSK"),
    "ECDHE_PSK": ("ECDHE_PSK", "PSK"),
    "RSA_PSK": ("RSA_PSK", "RSA"),
}
#: Protocol macros per release line: 3.x and 4.x silently ignore the 2.x ones.
PROTOCOLS = {
    "2": (
        ("MBEDTLS_SSL_PROTO_SSL3", "SSLv3"),
        ("MBEDTLS_SSL_PROTO_TLS1", "TLSv1.0"),
        ("MBEDTLS_SSL_PROTO_TLS1_1", "TLSv1.1"),
        ("MBEDTLS_SSL_PROTO_TLS1_2", "TLSv1.2"),
    ),
    "3": (("MBEDTLS_SSL_PROTO_TLS1_2", "TLSv1.2"), ("MBEDTLS_SSL_PROTO_TLS1_3", "TLSv1.3")),
}
PROTOCOLS["4"] = PROTOCOLS["3"]
_ASSUMED_LINE = "3"
_LINE_NAMES = {"2": "2.28", "3": "3.6", "4": "4.x"}
#: Key exchanges that authenticate with certificates.
_CERTIFICATE_KX = ("RSA", "DHE_RSA", "ECDHE_RSA", "ECDHE_ECDSA", "ECDH_RSA", "ECDH_ECDSA")


def parse_int(raw: str | None) -> int | None:
    """``16384``, ``(4096u)``, ``0x4000UL`` -> the number; anything else (a macro, an expression) None."""
    if raw is None:
        return None
    cleaned = re.sub(r"[uUlL]+$", "", raw.strip().strip("()").strip())
    try:
        return int(cleaned, 0)
    except ValueError:
        return None


class _Neutral(Resolver):
    """First pass: nothing outside the file is known (only which macros the file writes matters)."""


class _BuildResolver(Resolver):
    """What a macro the header does not write means when an ``#if`` tests it: in a full
    configuration an Mbed TLS option it leaves out is off; in a user configuration it has its stock
    value; anything else (``CONFIG_*``, compiler macros) is unknown."""

    def __init__(self, full: bool, line: str) -> None:
        self.full, self.line = full, line

    def defined(self, name: str) -> bool | None:
        if self.line == "4" and _crypto_option(name):
            return None
        if name.startswith("MBEDTLS_") and (name in TLS_OPTIONS or name in STOCK[self.line] or self.full):
            return False if self.full else name in STOCK[self.line]
        return None

    def value(self, name: str) -> int | None:
        return None


def _crypto_option(name: str) -> bool:
    """4.x: options TF-PSA-Crypto's crypto_config.h decides (not mbedtls_config.h)."""
    if name.startswith("PSA_WANT_"):
        return True
    if name in _TLS_SIDE_4X or name.startswith(("MBEDTLS_SSL_", "MBEDTLS_KEY_EXCHANGE_", "MBEDTLS_X509_")):
        return False
    return name.startswith(_CRYPTO_PREFIXES) or name.endswith(("_C", "_ALT"))


_CRYPTO_PREFIXES = tuple(
    f"MBEDTLS_{prefix}"
    for prefix in [
        "HAVE_TIME",
        "PSA_",
        "CIPHER_",
        "ECP_",
        "PLATFORM_",
        "ENTROPY_",
        "MD_",
        "SHA",
        "AES_",
        "RSA_",
        "ECDSA_",
        "GCM_",
        "CCM_",
        "CHACHA",
    ]
)


#: Non-crypto options that stay in a 4.x mbedtls_config.h.
_TLS_SIDE_4X = _names(
    "NET_C TIMING_C TIMING_ALT ERROR_C ERROR_STRERROR_DUMMY VERSION_C VERSION_FEATURES DEBUG_C PKCS7_C CONFIG_VERSION "
    "CONFIG_FILE USER_CONFIG_FILE"
)


class _Line(Record):
    """The Mbed TLS major version a run assumes, whether it was given, and why."""

    __slots__ = ("line", "given", "why")

    line: str  # "2" | "3" | "4"
    given: bool
    why: str

    def __init__(self, line: str, given: bool, why: str) -> None:
        self.line = line
        self.given = given
        self.why = why


def release_line(context: ParseContext, defined: set[str], full: bool) -> _Line:
    """The Mbed TLS release line to read the header as."""
    from tlslint.catalog.engine_defaults import EngineVersionError, parse_version

    given = context.engine_versions.get("mbedtls")
    if given:
        try:
            major = parse_version(given)[0]
        except EngineVersionError:
            major = 3
        line = "2" if major <= 2 else "3" if major == 3 else "4"
        return _Line(line, True, f"Mbed TLS {given} (--engine-version)")
    old, new = defined & ONLY_2X, defined & ONLY_3X
    if any(name.startswith("PSA_WANT_") for name in defined) and "MBEDTLS_PSA_CRYPTO_CONFIG" not in defined:
        return _Line("4", False, "Mbed TLS 4.x inferred from PSA_WANT_* options; use --engine-version mbedtls=VER")
    if full and not any(_crypto_option(name) and name.endswith("_C") for name in defined):
        # A 2.x/3.x build with TLS needs crypto modules (check_config.h); 4.x takes them from TF-PSA-Crypto.
        return _Line("4", False, "Mbed TLS 4.x inferred: TLS without crypto modules; use --engine-version mbedtls=VER")
    if old and not new:
        return _Line("2", False, f"Mbed TLS 2.28 inferred from {sorted(old)[0]}; use --engine-version mbedtls=VER")
    return _Line(_ASSUMED_LINE, False, "Mbed TLS 3.6 assumed; use --engine-version mbedtls=VER")


class _Config:
    def __init__(self, header: Header, full: bool, line: _Line) -> None:
        self.macros = header.macros
        self.full = full
        self.line = line.line
        stock = _LINE_NAMES[self.line]
        self.kind = "full configuration" if full else f"user configuration (stock {stock} defaults apply)"

    def state(self, name: str) -> tuple[bool | None, Location | None, bool]:
        """(enabled - None when it depends on what tlslint cannot see, where it was written, whether
        it was written at all).

        A commented-out ``//#define X`` means "off" in a full configuration (the stock file lists
        every option that way). In a user configuration it changes nothing - the stock file included
        before it still defines ``X`` - so the stock default applies (:func:`parse` warns about it)."""
        macro = self.macros.get(name)
        if macro is not None and (self.full or macro.state != "commented"):
            enabled = macro.state == "defined"
            return (enabled if macro.certain else None), macro.location, True
        if self.line == "4" and _crypto_option(name):
            return None, None, False
        return (False if self.full else name in STOCK[self.line]), None, False

    def value(self, name: str) -> tuple[str | None, Location | None, bool]:
        """(raw value, where, certain)."""
        macro = self.macros.get(name)
        if macro is not None and macro.state == "defined":
            return macro.value, macro.location, macro.certain
        if macro is not None and macro.state == "undefined" and not macro.certain:
            return None, macro.location, False
        return STOCK_VALUES.get(name), None, True


def is_build(header: Header) -> tuple[bool, str | None]:
    """Whether the header configures a TLS build; when not, why (None: say nothing)."""
    written = {name for name, macro in header.macros.items() if macro.state in ("defined", "undefined", "commented")}
    if header.api_declarations:
        return False, None  # ssl.h, debug.h, ssl_misc.h: library headers that declare the API
    # A choice is a #define (or //#define) of a TLS option, or an #undef outside any #if. An #undef
    # that depends on other options derives the configuration (config_adjust_ssl.h), it chooses nothing.
    tls_written = {
        name
        for name in written & TLS_OPTIONS
        if header.macros[name].state != "undefined" or header.macros[name].certain
    }
    if not tls_written:
        return False, None
    defined = {name for name, macro in header.macros.items() if macro.state == "defined"}
    only_time = not (tls_written - _names("HAVE_TIME_DATE"))
    if not (written & _TLS_MODULES) and only_time and len(defined & _CORE_MODULES) >= 3:
        return False, "a full Mbed TLS configuration without MBEDTLS_SSL_TLS_C: no TLS in this build"
    return True, None


class _Reading(Record):
    """An Mbed TLS configuration header as read, the configuration it gives and the version assumed."""

    __slots__ = ("header", "config", "line")

    header: Header
    config: _Config
    line: _Line

    def __init__(self, header: Header, config: _Config, line: _Line) -> None:
        self.header = header
        self.config = config
        self.line = line


def _read(path: str, text: str, context: ParseContext, result: ParseResult) -> _Reading | None:
    """The header read as the build configuration of its release line; None when it is no TLS build."""
    from tlslint.repo import repo_root

    root = repo_root(path)
    first = read_header(path, text, _Neutral(), root=root)
    build, why = is_build(first)
    if not build:
        if why:
            result.diagnostics.append(Diagnostic(Location(path, 1, 1), why, "info"))
        elif not first.macros:  # an #include-only configuration whose include tlslint cannot reach
            for name, where, followed in first.includes:
                if not followed:
                    message = f'#include "{name}" not found inside the repository: this configuration is not read'
                    result.diagnostics.append(Diagnostic(where, message, "warning"))
        return None
    # A full configuration writes the TLS modules itself; one that includes the stock file first
    # (then #undef-s what it does not want) is read on top of the stock defaults, like a user one.
    full = first.stock_include is None and any(
        first.macros[name].state != "undefined" for name in set(first.macros) & _TLS_MODULES
    )
    # The release line is read from what the file certainly defines, evaluated as the assumed line;
    # a different answer is read once more as that line (an #if on a stock option depends on it).
    line = release_line(context, _certain(first), full)
    header = read_header(path, text, _BuildResolver(full, line.line), root=root)
    if not line.given:
        again = release_line(context, _certain(header), full)
        if again.line != line.line:
            line = again
            header = read_header(path, text, _BuildResolver(full, line.line), root=root)
    result.diagnostics.extend(header.diagnostics)
    config = _Config(header, full, line)
    tls, where, _ = config.state("MBEDTLS_SSL_TLS_C")
    if tls is False and not full:
        message = "MBEDTLS_SSL_TLS_C is turned off: no TLS in this build"
        result.diagnostics.append(Diagnostic(where or Location(path, 1, 1), message, "info"))
        return None
    return _Reading(header, config, line)


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.repo import repo_relative

    result = ParseResult()
    reading = _read(path, text, context, result)
    if reading is None:
        return result
    _diagnose(reading.config, reading.header, result, reading.line, path)
    where = Location(path, 1, 1)
    builder = EndpointBuilder(f"mbedtls:{repo_relative(path)}", where, "mbedtls", label=f"Mbed TLS build ({path})")
    _Endpoint(builder, reading.config, where, result, reading.line.why).build()
    result.subjects.append(builder.build())
    return result


def library_suites(path: str, text: str, context: ParseContext) -> list[str] | None:
    """What ``mbedtls_ssl_list_ciphersuites()`` of this build returns, as Mbed TLS names, less the
    names it does not implement (the library skips those at handshake time); None when it is no TLS
    build or depends on what tlslint cannot see. Used to compare tlslint with the real library."""
    scratch = ParseResult()
    reading = _read(path, text, context, scratch)
    if reading is None:
        return None
    where = Location(path, 1, 1)
    endpoint = _Endpoint(EndpointBuilder("scratch", where, "mbedtls"), reading.config, where, scratch, "")
    out = []
    for macro, _ in endpoint.candidates():
        compiled, _ = endpoint.compiled(macro)
        if compiled is None:
            return None
        if compiled:
            out.append(macro)
    return out


def _certain(header: Header) -> set[str]:
    return {name for name, macro in header.macros.items() if macro.state == "defined" and macro.certain}


def _diagnose(config: _Config, header: Header, result: ParseResult, line: _Line, path: str) -> None:
    if not config.full:
        for macro in header.macros.values():
            if macro.state == "commented" and macro.name in STOCK[config.line]:
                result.diagnostics.append(
                    Diagnostic(
                        macro.location,
                        f"commented-out #define {macro.name} in a user configuration has no effect: the stock "
                        f"configuration still defines it (write #undef {macro.name} to turn it off)",
                        "warning",
                    )
                )
    if config.line != "2":
        for name in ("MBEDTLS_SSL_PROTO_SSL3", "MBEDTLS_SSL_PROTO_TLS1", "MBEDTLS_SSL_PROTO_TLS1_1"):
            macro = header.macros.get(name)
            if macro is not None and macro.state == "defined":
                result.diagnostics.append(
                    Diagnostic(
                        macro.location,
                        f"{name} has no effect in Mbed TLS {_LINE_NAMES[config.line]} (TLS 1.0/1.1 and SSL 3.0 were "
                        f"removed in 3.0); read as {line.why}",
                        "warning",
                    )
                )
    if config.full and config.line in ("2", "3"):
        _check_config(config, result, Location(path, 1, 1))


def _check_config(config: _Config, result: ParseResult, fallback: Location) -> None:
    """The few check_config.h rules that turn a TLS build into a failed build (#error)."""
    tls, loc, _ = config.state("MBEDTLS_SSL_TLS_C")
    if tls is not True:
        return
    where = loc or fallback
    psa = config.line == "3" and config.state("MBEDTLS_USE_PSA_CRYPTO")[0]
    problems = []
    for module in ("MBEDTLS_CIPHER_C", "MBEDTLS_MD_C"):
        state = config.state(module)[0]
        if state is False and not psa:
            problems.append(f"MBEDTLS_SSL_TLS_C without {module}")
    protocols = [config.state(macro)[0] for macro, _ in PROTOCOLS[config.line]]
    if all(state is False for state in protocols):
        problems.append("MBEDTLS_SSL_TLS_C without any protocol version")
    if config.line == "2":
        on = {version for (macro, version), state in zip(PROTOCOLS["2"], protocols, strict=True) if state}
        order = ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2"]
        known = all(state is not None for state in protocols)
        if (
            known
            and on
            and order.index(max(on, key=order.index)) - order.index(min(on, key=order.index)) + 1 != len(on)
        ):
            problems.append('a gap in the protocol versions ("Illegal protocol selection")')
    for problem in problems:
        result.diagnostics.append(
            Diagnostic(where, f"check_config.h rejects this configuration: {problem}; the build fails", "warning")
        )


class _Endpoint:
    """Fills one build endpoint from a configuration."""

    def __init__(
        self, builder: EndpointBuilder, config: _Config, where: Location, result: ParseResult, release: str
    ) -> None:
        self.builder, self.config, self.where, self.result = builder, config, where, result
        self.release = release  # "Mbed TLS 3.6 assumed; ...": said in the notes of version-dependent fields

    def origin(self, written: bool) -> Origin:
        # Not mentioned in a user configuration: the stock default. Not mentioned in a full
        # configuration: not defined, which that file says by leaving it out.
        return Origin.EXPLICIT if written or self.config.full else Origin.DEFAULT

    def flag(self, field: str, macro: str, on, off, note_on: str = "", note_off: str = "") -> None:
        enabled, loc, written = self.config.state(macro)
        if enabled is None:
            self.builder.unknown(field, loc or self.where, f"{macro} depends on a macro defined outside this file")
            return
        value, note = (on, note_on) if enabled else (off, note_off)
        if written:
            self.builder.set(field, value, loc, note=note or None)
        else:
            note = f"{macro} not mentioned: {self.config.kind}. {note}".strip()
            self.builder.set(field, value, self.where, note=note, origin=self.origin(False))

    def build(self) -> None:
        builder, config, where = self.builder, self.config, self.where
        versions = self.protocols()
        self.suites(versions)
        # Extensions and session (wp:1.13-1.19)
        self.flag("extended_master_secret", "MBEDTLS_SSL_EXTENDED_MASTER_SECRET", True, False)
        self.flag("extensions.encrypt_then_mac", "MBEDTLS_SSL_ENCRYPT_THEN_MAC", True, False)
        self.flag(
            "extensions.max_fragment_length.supported",
            "MBEDTLS_SSL_MAX_FRAGMENT_LENGTH",
            True,
            False,
            "the value is requested at run time with mbedtls_ssl_conf_max_frag_len()",
        )
        self.flag(
            "alpn.enabled",
            "MBEDTLS_SSL_ALPN",
            True,
            False,
            "compiled in; the list is set with mbedtls_ssl_conf_alpn_protocols()",
        )
        self.flag(
            "sni.send",
            "MBEDTLS_SSL_SERVER_NAME_INDICATION",
            True,
            False,
            "sent when mbedtls_ssl_set_hostname() is called",
        )
        self.flag("session.tickets", "MBEDTLS_SSL_SESSION_TICKETS", True, False)
        self.flag(
            "session.renegotiation",
            "MBEDTLS_SSL_RENEGOTIATION",
            "disabled",
            "disabled",
            "compiled in, but off until mbedtls_ssl_conf_renegotiation() enables it",
            "not compiled in",
        )
        if config.line == "2":
            self.flag("compression", "MBEDTLS_ZLIB_SUPPORT", True, False)
        enabled, loc, written = config.state("MBEDTLS_SSL_EARLY_DATA")
        if enabled is False:
            builder.set("early_data", False, loc or where, origin=self.origin(written))
        else:
            builder.unknown(
                "early_data", loc or where, "compiled in; used only when mbedtls_ssl_conf_early_data() enables it"
            )
        self.validity()
        enabled, loc, _ = config.state("MBEDTLS_SSL_DEBUG_ALL")
        if enabled:
            builder.set("logging.tls", "all", loc)
        self.buffers(versions)
        enabled, loc, _ = config.state("MBEDTLS_SSL_CACHE_C")
        if enabled:
            raw, tloc, certain = config.value("MBEDTLS_SSL_CACHE_DEFAULT_TIMEOUT")
            seconds = parse_int(raw) if raw is not None else 86400
            if tloc is not None:
                builder.set("session.timeout", seconds if certain else None, tloc)
            else:
                builder.default("session.timeout", seconds, "MBEDTLS_SSL_CACHE_DEFAULT_TIMEOUT default 86400 s", where)
        psk, psk_loc = self.psk_only()
        if psk is None:
            builder.unknown(
                "alternative_auth.psk",
                psk_loc or where,
                "PSK key exchanges compiled in next to certificate ones: PSK is used only when the "
                "application configures a key (mbedtls_ssl_conf_psk / _psk_cb)",
            )
        else:
            builder.set(
                "alternative_auth.psk",
                psk,
                psk_loc or where,
                note="the only key exchanges compiled in are PSK ones" if psk else None,
            )
        # Timeouts are the application's (socket code, mbedtls_ssl_conf_read_timeout): not in the build.
        builder.unknown(
            "connection.timeouts.handshake",
            where,
            "set at run time (mbedtls_ssl_conf_read_timeout / the application's socket)",
        )

    def psk_only(self) -> tuple[bool | None, Location | None]:
        """(True: PSK is the only way to authenticate, so it is used; None: PSK is compiled in next
        to certificates or depends on what tlslint cannot see; False: no PSK key exchange), and the
        PSK macro's place."""
        config = self.config
        psk = [config.state(f"MBEDTLS_KEY_EXCHANGE_{kx}_ENABLED") for kx in ("PSK", "DHE_PSK", "ECDHE_PSK", "RSA_PSK")]
        psk.append(config.state("MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED"))
        psk.append(config.state("MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED"))
        enabled = [loc for state, loc, _ in psk if state]
        if not enabled:
            return (False if all(state is False for state, _, _ in psk) else None), None
        certificates = [config.state(f"MBEDTLS_KEY_EXCHANGE_{kx}_ENABLED")[0] for kx in _CERTIFICATE_KX]
        certificates.append(config.state("MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED")[0])
        x509 = config.state("MBEDTLS_X509_CRT_PARSE_C")[0]
        if x509 is False or all(state is False for state in certificates):
            return True, enabled[0]
        return None, enabled[0]

    def protocols(self) -> list[str] | None:
        config, where = self.config, self.where
        versions, items, uncertain, turned_off = [], [], [], []
        for macro, version in PROTOCOLS[config.line]:
            enabled, loc, written = config.state(macro)
            if written and enabled is False and loc is not None:
                turned_off.append(loc)  # "#undef MBEDTLS_SSL_PROTO_TLS1_3": where a missing version is decided
            if enabled is None:
                uncertain.append(macro)
            elif enabled:
                versions.append(version)
                items.append(loc or where)
        if uncertain:
            self.builder.unknown(
                "protocols", where, f"{', '.join(uncertain)} depend on macros defined outside this file"
            )
            return None
        written = [loc for loc in items if loc is not where] + turned_off
        self.builder.set(
            "protocols",
            versions,
            written[0] if written else where,
            items=tuple(items),
            note=f"compiled-in protocol versions ({self.release})",
            origin=self.origin(bool(written)),
        )
        return versions

    def validity(self) -> None:
        config, builder, where = self.config, self.builder, self.where
        x509, _, _ = config.state("MBEDTLS_X509_CRT_PARSE_C")
        if x509 is False:
            return  # no certificates in this build (PSK only): there are no dates to check
        enabled, loc, written = config.state("MBEDTLS_HAVE_TIME_DATE")
        if enabled is None or x509 is None:
            why = "moved to TF-PSA-Crypto in 4.x" if config.line == "4" and not written else "defined outside this file"
            builder.unknown("verify.validity_period", loc or where, f"MBEDTLS_HAVE_TIME_DATE: {why}")
        elif not enabled:
            builder.set(
                "verify.validity_period",
                "skip",
                loc or where,
                origin=self.origin(written),
                note="without MBEDTLS_HAVE_TIME_DATE Mbed TLS never checks notBefore/notAfter",
            )
        else:
            builder.set("verify.validity_period", "enforce", loc or where, origin=self.origin(written))

    def buffers(self, versions: list[str] | None) -> None:
        config, builder, where = self.config, self.builder, self.where
        max_len, max_loc, max_certain = config.value("MBEDTLS_SSL_MAX_CONTENT_LEN")
        for field, macro in (
            ("buffers.input", "MBEDTLS_SSL_IN_CONTENT_LEN"),
            ("buffers.output", "MBEDTLS_SSL_OUT_CONTENT_LEN"),
        ):
            raw, loc, certain = config.value(macro)
            if loc is None and max_loc is not None:
                raw, loc, certain = max_len, max_loc, max_certain
            size = parse_int(raw) if certain else None
            if size is None and (raw is not None or not certain):
                builder.unknown(
                    field,
                    loc or where,
                    f"{macro} is {raw!r}, not a number tlslint can evaluate"
                    if certain
                    else f"{macro} depends on macros defined outside this file",
                )
            elif size is not None:
                if loc is None:
                    builder.default(field, size, f"Mbed TLS default {macro} {size}", where)
                else:
                    builder.set(field, size, loc)
        enabled, loc, _ = config.state("MBEDTLS_SSL_RECORD_SIZE_LIMIT")
        if enabled and versions and "TLSv1.3" in versions:  # record_size_limit is a TLS 1.3 extension in Mbed TLS
            builder.set(
                "extensions.record_size_limit",
                builder.get("buffers.input") or 16384,
                loc,
                note="Mbed TLS advertises its input buffer size (TLS 1.3)",
            )

    # --- cipher suites ----------------------------------------------------------------------------

    def compiled(self, macro: str) -> tuple[bool | None, Location | None]:
        """Whether suite ``macro`` is compiled in, and the macro responsible for it (item location)."""
        states = {}
        for requirement in mbedtls_suites.requirements(macro, self.config.line):
            enabled, loc, _ = self.config.state(requirement.macro)
            if enabled is not None and enabled != requirement.wanted:
                return False, None
            states[requirement.role] = (enabled is None, loc, requirement.macro)
        if any(unknown for unknown, _, _ in states.values()):
            return None, None
        return True, self.responsible(macro, states)

    def responsible(self, macro: str, states: dict) -> Location:
        """The macro whose weakness the suite carries: the NULL/RC4/DES cipher, a key exchange
        without forward secrecy, CBC mode, CCM_8's mode, else the key exchange."""
        suite = _catalogue(macro)
        role = "kx"
        if suite is not None:
            if suite.cipher in ("NULL", "RC4", "DES", "3DES"):
                role = "cipher"
            elif not suite.pfs and "kx" in states:
                role = "kx"
            elif suite.mode in ("CBC", "CCM_8"):
                role = "mode"
        if role not in states:
            role = "kx" if "kx" in states else "protocol"
        loc = states.get(role, (False, None, ""))[1]
        return loc or self.where

    def suites(self, versions: list[str] | None) -> None:
        config, builder, where = self.config, self.builder, self.where
        if versions is None:
            builder.unknown("cipher_suites.tls12", where, "the protocol versions are unknown")
            builder.unknown("cipher_suites.tls13", where, "the protocol versions are unknown")
            return
        explicit = config.macros.get("MBEDTLS_SSL_CIPHERSUITES")
        if explicit is not None and explicit.state == "defined":
            if not explicit.certain:
                for field in ("cipher_suites.tls12", "cipher_suites.tls13"):
                    builder.unknown(
                        field,
                        explicit.location,
                        "MBEDTLS_SSL_CIPHERSUITES is set inside an #if that "
                        "depends on macros defined outside this file",
                    )
                return
            note = "MBEDTLS_SSL_CIPHERSUITES"
        else:
            note = f"suites of the compiled-in key exchanges, cipher, mode and hash modules ({self.release})"
        candidates = self.candidates()
        tls12, items12, tls13, items13, unknown, psk = [], [], [], [], [], []
        uncatalogued = 0
        psk_used = self.psk_only()[0] is True  # a PSK-only build always has a key configured
        from tlslint.catalog import versions as catalog_versions

        top = max((catalog_versions.rank(v) for v in versions), default=-1)
        for macro, token_loc in candidates:
            compiled, responsible = self.compiled(macro)
            suite = _catalogue(macro)
            if compiled is False:
                continue
            if compiled is None:
                unknown.append(macro)
                continue
            if suite is None:  # EC J-PAKE (Thread): a private code point, not in the IANA catalogue
                uncatalogued += bool(compiled)
                if compiled and token_loc is not None:
                    self.result.diagnostics.append(
                        Diagnostic(
                            token_loc, f"{macro} has no IANA code point in tlslint's catalogue: not judged", "info"
                        )
                    )
                continue
            if not psk_used and (suite.kx in ("PSK", "DHE_PSK", "ECDHE_PSK", "RSA_PSK") or suite.au == "PSK"):
                psk.append(suite.iana_name)  # offered only once a PSK is configured (mbedtls_ssl_conf_psk*)
                continue
            if catalog_versions.rank(suite.min_version) > top:
                continue  # e.g. a TLS 1.2 suite in a TLS 1.1-only build: never negotiated
            if suite.tls13:
                tls13.append(suite.iana_name)
                items13.append(token_loc or responsible)
            else:
                tls12.append(suite.iana_name)
                items12.append(token_loc or responsible)
        if psk:
            note += f"; {len(psk)} PSK suite(s) left out: Mbed TLS offers them only with a configured PSK"
        if unknown:
            for field in ("cipher_suites.tls12", "cipher_suites.tls13"):
                builder.unknown(
                    field,
                    where,
                    f"{len(unknown)} suite(s) depend on options defined outside this file"
                    + (" (TF-PSA-Crypto in 4.x)" if config.line == "4" else ""),
                )
            return
        legacy = [v for v in versions if v != "TLSv1.3"]
        if legacy:
            first = items12[0] if items12 else (explicit.location if explicit is not None else where)
            builder.set("cipher_suites.tls12", tls12, first, items=tuple(items12), note=note)
        if "TLSv1.3" in versions:
            _, loc, written = config.state("MBEDTLS_SSL_PROTO_TLS1_3")
            stock = not config.full and not written
            builder.set(
                "cipher_suites.tls13",
                tls13,
                items13[0] if items13 and explicit else (loc or where),
                items=tuple(items13),
                note=note + ("; TLS 1.3 itself is a stock default" if stock else ""),
                origin=Origin.DEFAULT if stock and explicit is None else Origin.EXPLICIT,
            )
        if not tls12 and not tls13 and not psk and not uncatalogued and config.state("MBEDTLS_SSL_TLS_C")[0]:
            self.result.diagnostics.append(
                Diagnostic(
                    explicit.location if explicit is not None else where,
                    "no cipher suite is compiled in (no cipher, mode or hash module for any enabled key "
                    "exchange): every handshake fails",
                    "warning",
                )
            )

    def candidates(self) -> list[tuple[str, Location | None]]:
        """Suite names to consider: the explicit list (each with its place) or every implemented one."""
        explicit = self.config.macros.get("MBEDTLS_SSL_CIPHERSUITES")
        if explicit is not None and explicit.state == "defined":
            return self.explicit(explicit)
        return [(name, None) for name in mbedtls_suites.implemented(self.config.line)]

    def explicit(self, explicit) -> list[tuple[str, Location | None]]:
        """The names of ``MBEDTLS_SSL_CIPHERSUITES``, each with its own place; unknown names are
        diagnosed (the build fails on a name Mbed TLS does not define), the first
        :data:`_MAX_NAME_DIAGNOSTICS` one by one and the rest counted."""
        out, problems = [], []
        for match in re.finditer(r"[A-Za-z_]\w*", explicit.value):
            name = match[0]
            loc = explicit.value_at(match.start()) if explicit.value_at else explicit.location
            loc = Location(loc.path, loc.line, loc.column, loc.line, loc.column + len(name))
            lines = mbedtls_suites.known_name(name)
            shown = name if len(name) <= 80 else name[:77] + "..."
            if lines is None:
                problems.append(
                    Diagnostic(loc, f"{shown} is not a cipher suite Mbed TLS defines: the build fails", "warning")
                )
            elif self.config.line not in lines:
                release = _LINE_NAMES[self.config.line]
                problems.append(
                    Diagnostic(loc, f"{shown} does not exist in Mbed TLS {release}: the build fails", "warning")
                )
            else:
                out.append((name, loc))
        self.result.diagnostics.extend(problems[:_MAX_NAME_DIAGNOSTICS])
        if len(problems) > _MAX_NAME_DIAGNOSTICS:
            rest = len(problems) - _MAX_NAME_DIAGNOSTICS
            self.result.diagnostics.append(
                Diagnostic(problems[_MAX_NAME_DIAGNOSTICS].location, f"{rest} more unknown suite names", "warning")
            )
        return out


#: Unknown suite names reported one by one; the rest of a (hostile) list is counted in one line.
_MAX_NAME_DIAGNOSTICS = 20


def _catalogue(macro: str):
    return mbedtls_suites.catalogue_entry(macro)
