"""Mbed TLS build configuration: ``mbedtls_config.h`` (3.x/4.x), ``config.h`` (2.x) and user config
headers (``MBEDTLS_USER_CONFIG_FILE``) with ``#define`` / ``#undef`` lines.

One endpoint per header, ``mbedtls:<repo path>``, without a role: the build serves clients and
servers alike. It says what the library *can* negotiate: protocol versions, the TLS 1.2 suites implied
by the enabled key exchanges and cipher modules (or the explicit ``MBEDTLS_SSL_CIPHERSUITES`` list),
extensions (EMS, encrypt-then-MAC, max_fragment_length, record_size_limit, ALPN, SNI), tickets,
renegotiation and buffer sizes, and whether certificate dates are checked at all
(``MBEDTLS_HAVE_TIME_DATE``). Run-time choices (``mbedtls_ssl_conf_*``) come from
:mod:`tlslint.sources.ccode`.

A *full* configuration (one that mentions ``MBEDTLS_SSL_TLS_C``) describes every option: a macro it
does not define is off. A *user* configuration only changes the stock one: a macro it does not
mention keeps the Mbed TLS 3.6 default. ``//#define X`` is "off, explicitly" in a full
configuration; in a user configuration it has no effect (the stock file already defined ``X``), so the
stock default applies and a warning says so.
``#if``/``#ifdef``/``#ifndef`` blocks are followed when their condition only uses ``defined()``,
``!``, ``&&``, ``||``, 0 and 1 on macros of the same file; other conditions are noted and their
contents counted as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location, Origin
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.sources.endpoint_builder import EndpointBuilder

#: Defined in the stock Mbed TLS 3.6 mbedtls_config.h (only the options tlslint reads).
STOCK_DEFINED = frozenset(
    [
        "MBEDTLS_SSL_PROTO_TLS1_2",
        "MBEDTLS_SSL_PROTO_TLS1_3",
        "MBEDTLS_SSL_RENEGOTIATION",
        "MBEDTLS_SSL_SESSION_TICKETS",
        "MBEDTLS_SSL_ALPN",
        "MBEDTLS_SSL_SERVER_NAME_INDICATION",
        "MBEDTLS_SSL_MAX_FRAGMENT_LENGTH",
        "MBEDTLS_SSL_ENCRYPT_THEN_MAC",
        "MBEDTLS_SSL_EXTENDED_MASTER_SECRET",
        "MBEDTLS_HAVE_TIME_DATE",
        "MBEDTLS_HAVE_TIME",
        "MBEDTLS_SSL_CACHE_C",
        "MBEDTLS_SSL_TICKET_C",
        "MBEDTLS_KEY_EXCHANGE_PSK_ENABLED",
        "MBEDTLS_KEY_EXCHANGE_DHE_PSK_ENABLED",
        "MBEDTLS_KEY_EXCHANGE_ECDHE_PSK_ENABLED",
        "MBEDTLS_KEY_EXCHANGE_RSA_PSK_ENABLED",
        "MBEDTLS_KEY_EXCHANGE_RSA_ENABLED",
        "MBEDTLS_KEY_EXCHANGE_DHE_RSA_ENABLED",
        "MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED",
        "MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED",
        "MBEDTLS_KEY_EXCHANGE_ECDH_ECDSA_ENABLED",
        "MBEDTLS_KEY_EXCHANGE_ECDH_RSA_ENABLED",
        "MBEDTLS_AES_C",
        "MBEDTLS_GCM_C",
        "MBEDTLS_CCM_C",
        "MBEDTLS_CHACHAPOLY_C",
        "MBEDTLS_CIPHER_MODE_CBC",
        "MBEDTLS_CAMELLIA_C",
        "MBEDTLS_ARIA_C",
        "MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED",
        "MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED",
        "MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED",
    ]
)
STOCK_VALUES = {"MBEDTLS_SSL_IN_CONTENT_LEN": "16384", "MBEDTLS_SSL_OUT_CONTENT_LEN": "16384"}

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
#: Protocol macros, old (2.x) and current.
PROTOCOLS = (
    ("MBEDTLS_SSL_PROTO_SSL3", "SSLv3"),
    ("MBEDTLS_SSL_PROTO_TLS1", "TLSv1.0"),
    ("MBEDTLS_SSL_PROTO_TLS1_1", "TLSv1.1"),
    ("MBEDTLS_SSL_PROTO_TLS1_2", "TLSv1.2"),
    ("MBEDTLS_SSL_PROTO_TLS1_3", "TLSv1.3"),
)
_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<comment>(?://|/\*)[ \t]*)?#[ \t]*"
    r"(?P<directive>define|undef|ifdef|ifndef|if|elif|else|endif)"
    r"\b[ \t]*(?P<rest>.*)$"
)


@dataclass(slots=True)
class Macro:
    name: str
    state: str  # "defined" | "undefined" | "commented"
    value: str
    location: Location
    conditional: str | None = None  # the #if condition tlslint could not evaluate


def read_macros(path: str, text: str) -> tuple[dict[str, Macro], list[Diagnostic]]:
    """The last word on every macro in the file (a later ``#undef`` wins over a ``#define``)."""
    macros: dict[str, Macro] = {}
    diagnostics: list[Diagnostic] = []
    stack: list[tuple[bool | None, bool]] = []  # (taken / None = unknown, any branch taken)
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LINE.match(line)
        if not match:
            continue
        directive, rest = match["directive"], _strip_comment(match["rest"])
        commented = bool(match["comment"])
        if commented and directive not in ("define", "undef"):
            continue
        if directive in ("if", "ifdef", "ifndef"):
            if directive == "ifdef":
                cond = _defined(macros, rest.split()[0]) if rest.split() else None
            elif directive == "ifndef":
                cond = (not _defined(macros, rest.split()[0])) if rest.split() else None
            else:
                cond = _evaluate(rest, macros)
            stack.append((cond, bool(cond)))
            continue
        if directive == "elif":
            if stack:
                _, any_taken = stack[-1]
                cond = False if any_taken else _evaluate(rest, macros)
                stack[-1] = (cond, any_taken or bool(cond))
            continue
        if directive == "else":
            if stack:
                cond, any_taken = stack[-1]
                stack[-1] = (None if cond is None else not any_taken, True)
            continue
        if directive == "endif":
            if stack:
                stack.pop()
            continue
        if any(taken is False for taken, _ in stack):
            continue
        unknown = next((rest for taken, _ in stack if taken is None), None)
        parts = rest.split(None, 1)
        if not parts or not parts[0].startswith(("MBEDTLS_", "PSA_WANT_")):
            continue
        name = parts[0].split("(")[0]
        value = parts[1].strip() if len(parts) > 1 else ""
        column = match.start("rest") + 1 if not commented else len(match["indent"]) + 1
        loc = Location(path, number, column, number, match.start("rest") + 1 + len(name))
        if commented:
            if name not in macros or macros[name].state == "commented":
                macros[name] = Macro(name, "commented", value, loc)
            continue
        state = "defined" if directive == "define" else "undefined"
        macros[name] = Macro(name, state, value, loc, "unevaluated #if" if unknown is not None else None)
    return macros, diagnostics


def _strip_comment(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text)
    return text.split("//", 1)[0].split("/*", 1)[0].strip()


def _defined(macros: dict[str, Macro], name: str) -> bool:
    macro = macros.get(name)
    return macro is not None and macro.state == "defined"


def _evaluate(expression: str, macros: dict[str, Macro]) -> bool | None:
    """``defined(X) && !defined(Y) || 0``; None when it uses anything else."""
    expr = re.sub(
        r"defined\s*\(\s*(\w+)\s*\)|defined\s+(\w+)", lambda m: str(_defined(macros, m[1] or m[2])), expression
    )
    expr = expr.replace("&&", " and ").replace("||", " or ").replace("!", " not ")
    tokens = re.findall(r"\w+|[()]", expr)
    if any(t not in ("True", "False", "and", "or", "not", "0", "1", "(", ")") for t in tokens):
        return None
    try:
        return bool(eval(" ".join(tokens), {"__builtins__": {}}, {}))  # only True/False, and/or/not, 0/1, parentheses
    except SyntaxError:
        return None


class _Config:
    def __init__(self, path: str, macros: dict[str, Macro]) -> None:
        self.path = path
        self.macros = macros
        self.full = "MBEDTLS_SSL_TLS_C" in macros or "MBEDTLS_SSL_CLI_C" in macros
        self.kind = "full configuration" if self.full else "user configuration (stock 3.6 defaults apply)"

    def state(self, name: str) -> tuple[bool, Location | None, bool]:
        """(enabled, where it was written, whether it was written at all).

        A commented-out ``//#define X`` means "off" in a full configuration (the stock file lists
        every option that way). In a user configuration it changes nothing - the stock file included
        before it still defines ``X`` - so the stock default applies (:func:`parse` warns about it)."""
        macro = self.macros.get(name)
        if macro is not None and (self.full or macro.state != "commented"):
            return macro.state == "defined", macro.location, True
        return (False if self.full else name in STOCK_DEFINED), None, False

    def value(self, name: str) -> tuple[str | None, Location | None]:
        macro = self.macros.get(name)
        if macro is not None and macro.state == "defined":
            return macro.value, macro.location
        return STOCK_VALUES.get(name), None


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.repo import repo_relative

    result = ParseResult()
    macros, diagnostics = read_macros(path, text)
    result.diagnostics.extend(diagnostics)
    if not any(name.startswith(("MBEDTLS_SSL", "MBEDTLS_KEY_EXCHANGE", "MBEDTLS_HAVE_TIME")) for name in macros):
        return result
    config = _Config(path, macros)
    if not config.full:
        for macro in macros.values():
            if macro.state == "commented" and macro.name in STOCK_DEFINED:
                result.diagnostics.append(
                    Diagnostic(
                        macro.location,
                        f"commented-out #define {macro.name} in a user configuration has no effect: the stock "
                        f"mbedtls_config.h still defines it (write #undef {macro.name} to turn it off)",
                        "warning",
                    )
                )
    where = Location(path, 1, 1)
    builder = EndpointBuilder(f"mbedtls:{repo_relative(path)}", where, "mbedtls", label=f"Mbed TLS build ({path})")

    def origin(written: bool) -> Origin:
        # Not mentioned in a user configuration: the stock Mbed TLS 3.6 default. Not mentioned in a
        # full configuration: not defined, which that file says by leaving it out.
        return Origin.EXPLICIT if written or config.full else Origin.DEFAULT

    def flag(field: str, macro: str, on, off, note_on: str = "", note_off: str = "") -> None:
        enabled, loc, written = config.state(macro)
        value, note = (on, note_on) if enabled else (off, note_off)
        if written:
            conditional = config.macros[macro].conditional
            if conditional:
                note = f"{note} (inside an #if tlslint could not evaluate)".strip()
            builder.set(field, value, loc, note=note or None)
        else:
            builder.set(
                field, value, where, note=f"{macro} not mentioned: {config.kind}. {note}".strip(), origin=origin(False)
            )

    # Protocol versions (wp:1.2)
    versions, items = [], []
    for macro, version in PROTOCOLS:
        enabled, loc, _ = config.state(macro)
        if enabled:
            versions.append(version)
            items.append(loc or where)
    written = [loc for loc in items if loc is not where]
    builder.set(
        "protocols",
        versions,
        written[0] if written else where,
        items=tuple(items),
        note="compiled-in protocol versions",
        origin=origin(bool(written)),
    )
    _suites(builder, config, versions, where)
    # Extensions and session (wp:1.13-1.19)
    flag("extended_master_secret", "MBEDTLS_SSL_EXTENDED_MASTER_SECRET", True, False)
    flag("extensions.encrypt_then_mac", "MBEDTLS_SSL_ENCRYPT_THEN_MAC", True, False)
    flag(
        "extensions.max_fragment_length.supported",
        "MBEDTLS_SSL_MAX_FRAGMENT_LENGTH",
        True,
        False,
        "the value is requested at run time with mbedtls_ssl_conf_max_frag_len()",
    )
    flag(
        "alpn.enabled",
        "MBEDTLS_SSL_ALPN",
        True,
        False,
        "compiled in; the list is set with mbedtls_ssl_conf_alpn_protocols()",
    )
    flag(
        "sni.send", "MBEDTLS_SSL_SERVER_NAME_INDICATION", True, False, "sent when mbedtls_ssl_set_hostname() is called"
    )
    flag("session.tickets", "MBEDTLS_SSL_SESSION_TICKETS", True, False)
    flag(
        "session.renegotiation",
        "MBEDTLS_SSL_RENEGOTIATION",
        "disabled",
        "disabled",
        "compiled in, but off until mbedtls_ssl_conf_renegotiation() enables it",
        "not compiled in",
    )
    flag("compression", "MBEDTLS_ZLIB_SUPPORT", True, False)
    enabled, loc, written = config.state("MBEDTLS_SSL_EARLY_DATA")
    if enabled:
        builder.unknown("early_data", loc, "compiled in; used only when mbedtls_ssl_conf_early_data() enables it")
    else:
        builder.set("early_data", False, loc or where, origin=origin(written))
    enabled, loc, written = config.state("MBEDTLS_HAVE_TIME_DATE")
    if not enabled:
        builder.set(
            "verify.validity_period",
            "skip",
            loc or where,
            note="without MBEDTLS_HAVE_TIME_DATE Mbed TLS never checks notBefore/notAfter",
            origin=origin(written),
        )
    else:
        builder.set("verify.validity_period", "enforce", loc or where, origin=origin(written))
    enabled, loc, _ = config.state("MBEDTLS_SSL_DEBUG_ALL")
    if enabled:
        builder.set("logging.tls", "all", loc)
    # Buffers and record sizes (wp:1.18, wp:1.19)
    max_len, max_loc = config.value("MBEDTLS_SSL_MAX_CONTENT_LEN")
    for field, macro in (
        ("buffers.input", "MBEDTLS_SSL_IN_CONTENT_LEN"),
        ("buffers.output", "MBEDTLS_SSL_OUT_CONTENT_LEN"),
    ):
        raw, loc = config.value(macro)
        if loc is None and max_loc is not None:
            raw, loc = max_len, max_loc
        size = _int(raw)
        if size is None and raw is not None:
            builder.unknown(field, loc or where, f"{macro} is {raw!r}, not a number tlslint can evaluate")
        elif size is not None:
            if loc is None:
                builder.default(field, size, f"Mbed TLS default {macro} {size}", where)
            else:
                builder.set(field, size, loc)
    enabled, loc, _ = config.state("MBEDTLS_SSL_RECORD_SIZE_LIMIT")
    if enabled and "TLSv1.3" in versions:  # record_size_limit is a TLS 1.3 extension in Mbed TLS
        builder.set(
            "extensions.record_size_limit",
            builder.get("buffers.input") or 16384,
            loc,
            note="Mbed TLS advertises its input buffer size (TLS 1.3)",
        )
    enabled, loc, _ = config.state("MBEDTLS_SSL_CACHE_C")
    if enabled:
        raw, tloc = config.value("MBEDTLS_SSL_CACHE_DEFAULT_TIMEOUT")
        seconds = _int(raw) if raw is not None else 86400
        if tloc is not None:
            builder.set("session.timeout", seconds, tloc)
        else:
            builder.default("session.timeout", seconds, "MBEDTLS_SSL_CACHE_DEFAULT_TIMEOUT default 86400 s", where)
    psk = [config.state(f"MBEDTLS_KEY_EXCHANGE_{kx}_ENABLED") for kx in ("PSK", "DHE_PSK", "ECDHE_PSK", "RSA_PSK")] + [
        config.state("MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_ENABLED")
    ]
    enabled_psk = [entry for entry in psk if entry[0]]
    builder.set(
        "alternative_auth.psk",
        bool(enabled_psk),
        (enabled_psk[0][1] if enabled_psk else None) or where,
        note="PSK key exchanges compiled in" if enabled_psk else None,
    )
    # Timeouts are the application's (socket code, mbedtls_ssl_conf_read_timeout): not in the build.
    for field in ("connection.timeouts.handshake",):
        builder.unknown(field, where, "set at run time (mbedtls_ssl_conf_read_timeout / the application's socket)")
    result.subjects.append(builder.build())
    return result


def _int(raw: str | None) -> int | None:
    if raw is None:
        return None
    cleaned = re.sub(r"[uUlL]+$", "", raw.strip().strip("()"))
    try:
        return int(cleaned, 0)
    except ValueError:
        return None


def _suites(builder: EndpointBuilder, config: _Config, versions: list[str], where: Location) -> None:
    from tlslint.catalog.suites import all_suites, lookup

    explicit = config.macros.get("MBEDTLS_SSL_CIPHERSUITES")
    if explicit is not None and explicit.state == "defined":
        tls12, tls13 = [], []
        for name in re.split(r"[,\s]+", explicit.value):
            suite = lookup(name) if name else None
            if suite is None:
                continue
            (tls13 if suite.tls13 else tls12).append(suite.iana_name)
        loc = explicit.location
        if "TLSv1.2" in versions or any(v in versions for v in ("SSLv3", "TLSv1.0", "TLSv1.1")):
            builder.set("cipher_suites.tls12", tls12, loc, items=(loc,) * len(tls12))
        if "TLSv1.3" in versions:
            builder.set("cipher_suites.tls13", tls13, loc, items=(loc,) * len(tls13))
        return
    # Derived: every suite Mbed TLS implements whose key exchange and cipher modules are compiled in.
    kx_enabled: dict[tuple[str, str], Location] = {}
    for macro, pair in KEY_EXCHANGES.items():
        enabled, loc, _ = config.state(f"MBEDTLS_KEY_EXCHANGE_{macro}_ENABLED")
        if enabled:
            kx_enabled[pair] = loc or where
    modules = {
        name: config.state(f"MBEDTLS_{name}")[0]
        for name in ("AES_C", "GCM_C", "CCM_C", "CHACHAPOLY_C", "CIPHER_MODE_CBC", "CAMELLIA_C", "ARIA_C")
    }
    null_cipher = config.state("MBEDTLS_CIPHER_NULL_CIPHER")[0]

    def compiled(suite) -> bool:
        cipher_ok = {
            "AES": modules["AES_C"],
            "CHACHA20": modules["CHACHAPOLY_C"],
            "CAMELLIA": modules["CAMELLIA_C"],
            "ARIA": modules["ARIA_C"],
            "NULL": null_cipher,
        }.get(suite.cipher, False)
        mode_ok = {
            "GCM": modules["GCM_C"],
            "CCM": modules["CCM_C"],
            "CCM_8": modules["CCM_C"],
            "CBC": modules["CIPHER_MODE_CBC"],
        }.get(suite.mode, True)
        return bool(cipher_ok and mode_ok)

    tls12, items = [], []
    tls13 = []
    for suite in all_suites():
        if suite.mbedtls_name is None or not compiled(suite):
            continue
        if suite.tls13:
            tls13.append(suite.iana_name)
        elif (suite.kx, suite.au) in kx_enabled:
            tls12.append(suite.iana_name)
            items.append(kx_enabled[(suite.kx, suite.au)])
    note = "suites of the compiled-in key exchanges and cipher modules (no MBEDTLS_SSL_CIPHERSUITES list)"
    if "TLSv1.2" in versions:
        first = items[0] if items else where
        builder.set("cipher_suites.tls12", tls12, first, items=tuple(items), note=note)
    if "TLSv1.3" in versions:
        enabled, loc, written = config.state("MBEDTLS_SSL_PROTO_TLS1_3")
        stock = not config.full and not written
        builder.set(
            "cipher_suites.tls13",
            tls13,
            loc or where,
            note=note + ("; TLS 1.3 itself is a stock default" if stock else ""),
            origin=Origin.DEFAULT if stock else Origin.EXPLICIT,
        )
