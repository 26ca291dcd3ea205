"""libcurl ``curl_easy_setopt(handle, CURLOPT_X, value)`` calls -> client endpoints (best effort).

One endpoint per handle expression per C function: ``libcurl:<path>:<function>:<handle>``. libcurl's
own defaults are recorded at the first call on the handle with origin ``default``: peer and host
verification on (``CURLOPT_SSL_VERIFYPEER`` 1, ``CURLOPT_SSL_VERIFYHOST`` 2), no redirects
(``CURLOPT_FOLLOWLOCATION`` 0; at most 30 when on), a 300 s connect timeout, TLS 1.2-1.3 (8.16+).
"""

from __future__ import annotations

import re

from tlslint.records import Frozen
from tlslint.sources.base import ParseContext
from tlslint.sources.ccode import Branch, Call, CFile, integer, new_builder, string, strip_cast, symbols
from tlslint.sources.curl import DEFAULT_REDIRECT_PROTOCOLS, apply_openssl_defaults, default_min, redirect_protocols
from tlslint.sources.endpoint_builder import inline_secret

#: CURLOPT_SSLVERSION is a bit field: the minimum in the low 16 bits, the maximum in the high ones
#: (include/curl/curl.h). ``TLSv1_2 | TLSv1_3`` is 6 | 7 = 7: a TLS 1.3 minimum, whatever the author meant.
_SSLVERSION_BITS = {
    "CURL_SSLVERSION_DEFAULT": 0,
    "CURL_SSLVERSION_TLSv1": 1,
    "CURL_SSLVERSION_SSLv2": 2,
    "CURL_SSLVERSION_SSLv3": 3,
    "CURL_SSLVERSION_TLSv1_0": 4,
    "CURL_SSLVERSION_TLSv1_1": 5,
    "CURL_SSLVERSION_TLSv1_2": 6,
    "CURL_SSLVERSION_TLSv1_3": 7,
    "CURL_SSLVERSION_MAX_NONE": 0,
    "CURL_SSLVERSION_MAX_DEFAULT": 1 << 16,
    "CURL_SSLVERSION_MAX_TLSv1_0": 4 << 16,
    "CURL_SSLVERSION_MAX_TLSv1_1": 5 << 16,
    "CURL_SSLVERSION_MAX_TLSv1_2": 6 << 16,
    "CURL_SSLVERSION_MAX_TLSv1_3": 7 << 16,
}
_MIN_NAMES = {1: "TLSv1.0", 2: "SSLv2", 3: "SSLv3", 4: "TLSv1.0", 5: "TLSv1.1", 6: "TLSv1.2", 7: "TLSv1.3"}
_MAX_NAMES = {0: "TLSv1.3", 1: "TLSv1.3", 4: "TLSv1.0", 5: "TLSv1.1", 6: "TLSv1.2", 7: "TLSv1.3"}
_PROTO_BITS = {"CURLPROTO_HTTP": "http", "CURLPROTO_HTTPS": "https", "CURLPROTO_FTP": "ftp", "CURLPROTO_FTPS": "ftps"}
#: Options whose string literal is a password (user:password for the USERPWD pair): reported as
#: inline secrets, never copied.
_PASSWORD_OPTIONS = {
    "CURLOPT_USERPWD": "password",
    "CURLOPT_PROXYUSERPWD": "password",
    "CURLOPT_PASSWORD": "password",
    "CURLOPT_PROXYPASSWORD": "password",
    "CURLOPT_KEYPASSWD": "passphrase",
    "CURLOPT_SSLKEYPASSWD": "passphrase",
    "CURLOPT_XOAUTH2_BEARER": "token",
    "CURLOPT_TLSAUTH_PASSWORD": "password",
}
#: Options whose effect tlslint cannot follow.
_OPAQUE = ("CURLOPT_SSL_CTX_FUNCTION", "CURLOPT_SOCKOPTFUNCTION", "CURLOPT_OPENSOCKETFUNCTION")
#: Calls that use a handle without configuring it.
_USES = ("curl_easy_perform", "curl_easy_cleanup", "curl_easy_reset", "curl_easy_duphandle")
#: How many helper calls deep a handle is followed (``setup(h)`` calling ``setup_tls(h)``...).
_MAX_DEPTH = 4


class _Write(Frozen):
    """One ``curl_easy_setopt`` on a handle, seen from the function that owns the handle: a call made in a
    helper carries the branch and position of the helper's call site in front of its own."""

    __slots__ = ("call", "branch", "order")

    call: Call
    branch: Branch
    order: tuple[int, ...]

    def __init__(self, call: Call, branch: Branch, order: tuple[int, ...]) -> None:
        object.__setattr__(self, "call", call)
        object.__setattr__(self, "branch", branch)
        object.__setattr__(self, "order", order)


def endpoints(cfile: CFile, context: ParseContext):
    from tlslint.repo import repo_relative

    groups: dict[tuple[str, str], list[Call]] = {}
    for call in cfile.calls:
        # curl_easy_perform() and friends take part too: where the handle is used decides which of its
        # settings are conditional (a setopt on a path the perform is not on).
        if (call.name == "curl_easy_setopt" and len(call.args) >= 3) or (call.name in _USES and len(call.args) == 1):
            groups.setdefault(_handle_key(cfile, call.function, call.args[0].text), []).append(call)
    owned: dict[tuple[str, str], list[_Write]] = {}
    for key, calls in groups.items():
        for owner, branch, order in _owners(cfile, key, (), (), 0):
            owned.setdefault(owner, []).extend(
                _Write(c, (*branch, *_unguarded(c.branch, key[1])), (*order, c.order)) for c in calls
            )
    path = repo_relative(cfile.path)
    for (function, handle), writes in owned.items():
        if not any(w.call.name == "curl_easy_setopt" for w in writes):
            continue
        writes.sort(key=lambda w: w.order)
        yield from _endpoint(cfile, f"libcurl:{path}:{function or 'file'}:{handle}", function, writes, context)


def _handle_key(cfile: CFile, function: str, text: str) -> tuple[str, str]:
    """One handle, one key: a local variable or parameter belongs to its function; a global variable
    or a struct member (``ctx->curl``) is the same handle in every function of the file."""
    handle = text.replace(" ", "")
    if re.fullmatch(r"[A-Za-z_]\w*", handle):
        return (function, handle) if handle in cfile.locals.get(function, ()) else ("", handle)
    member = re.search(r"(?:->|\.)([A-Za-z_]\w*)$", handle)
    if member:
        return ("", handle)
    return (function, handle)


def _unguarded(branch: Branch, handle: str) -> Branch:
    """``branch`` without the NULL tests of ``handle`` itself (``if (curl) { ... }``)."""
    return tuple(entry for entry in branch if entry[2] != handle)


def _owners(cfile: CFile, key: tuple[str, str], branch: Branch, order: tuple[int, ...], depth: int):
    """The handles that ``key`` stands for: itself, or — when it is a helper's parameter or the value a
    helper returns — the caller's handle at every call site in the file (recursively)."""
    function, handle = key
    found = []
    if function and depth < _MAX_DEPTH:
        parameters = cfile.parameters.get(function, [])
        if handle in parameters:
            index = parameters.index(handle)
            for site in cfile.local_calls:
                if site.name == function and index < len(site.args) and site.function != function:
                    caller = _handle_key(cfile, site.function, site.args[index].text.lstrip("&"))
                    prefix = _unguarded(site.branch, caller[1])
                    found += _owners(cfile, caller, (*prefix, *branch), (site.order, *order), depth + 1)
        if handle in cfile.returns.get(function, ()):
            for caller_function, variable, callee, position in cfile.assigned_from:
                if callee == function and caller_function != function:
                    caller = _handle_key(cfile, caller_function, variable)
                    found += _owners(cfile, caller, branch, (position, *order), depth + 1)
    return found or [(key, branch, order)]


def _endpoint(cfile: CFile, subject_id: str, function: str, writes: list[_Write], context: ParseContext):
    from tlslint.catalog import versions

    first = next(w.call for w in writes if w.call.name == "curl_easy_setopt")
    where = first.location
    builder = new_builder(
        subject_id, where, "libcurl", f"libcurl handle {first.args[0].text} in {function or 'file'}()"
    )
    builder.set("role", "client", where)
    survivors, ambiguous = _effective(writes, cfile.defines)
    secrets: list = []
    touched: dict[str, set[str]] = {}
    for write in writes:
        if id(write) not in survivors:
            continue
        option = write.call.args[1].text.strip()
        before = dict(builder.subject.fields)
        _apply(builder, write.call, cfile.defines, context, secrets)
        if option in ambiguous:
            changed = {p for p, v in builder.subject.fields.items() if before.get(p) is not v}
            touched.setdefault(option, set()).update(p for p in changed if not p.startswith("source."))
    for option, paths in touched.items():
        place, note = ambiguous[option]
        for path in sorted(paths):
            builder.unknown(path, place, note)
    low = default_min(context)
    builder.default("protocols", versions.between(low, "TLSv1.3"), f"libcurl default TLS {low[4:]}-1.3", where)
    builder.default("verify.peer", True, "libcurl default CURLOPT_SSL_VERIFYPEER 1", where)
    builder.default("verify.hostname", True, "libcurl default CURLOPT_SSL_VERIFYHOST 2", where)
    builder.default("verify.validity_period", "enforce", "libcurl checks certificate dates", where)
    builder.default("trust.system_roots", True, "libcurl's default CA bundle", where)
    builder.default("revocation.mode", "none", "libcurl checks no revocation without CRLFILE/VERIFYSTATUS", where)
    builder.default("http.redirects.follow", False, "libcurl default CURLOPT_FOLLOWLOCATION 0", where)
    if builder.get("http.redirects.follow"):
        builder.default("http.redirects.max", 30, "libcurl default CURLOPT_MAXREDIRS 30 (8.3.0+)", where)
        builder.default(
            "http.redirects.protocols", list(DEFAULT_REDIRECT_PROTOCOLS), "libcurl default redirect protocols", where
        )
    builder.default("connection.timeouts.connect", 300.0, "libcurl default CURLOPT_CONNECTTIMEOUT 300 s", where)
    builder.default("connection.timeouts.handshake", 300.0, "the connect timeout includes the TLS handshake", where)
    apply_openssl_defaults(builder, where, context, "libcurl")
    if builder.get("url.scheme") in ("https", "wss"):
        builder.subject.fields.pop("plaintext_allowed", None)  # CURLOPT_USE_SSL does nothing on https://
    if builder.plaintext_only():
        builder.drop_tls("a plaintext URL and no redirect: the transfer never uses TLS")
    return [builder.build(), *secrets]


def _effective(writes: list[_Write], defines: dict[str, str]) -> tuple[set[int], dict[str, tuple]]:
    """Which writes decide each option, and the options whose value depends on the path taken.

    A write on the handle's straight-line path (no branch beyond what every write of the handle shares,
    e.g. the usual ``if (curl) { ... }``) overrides the writes before it. Writes after it that sit in a
    branch — or, without one, the branch writes and the library default — compete: when they disagree
    the value is unknown (tlslint does not pick one), with a note naming the lines."""
    common = writes[0].branch
    for write in writes[1:]:
        length = 0
        while length < min(len(common), len(write.branch)) and common[length] == write.branch[length]:
            length += 1
        common = common[:length]
    by_option: dict[str, list[_Write]] = {}
    for write in writes:
        if write.call.name != "curl_easy_setopt":
            continue
        by_option.setdefault(write.call.args[1].text.strip(), []).append(write)
    survivors: set[int] = set()
    ambiguous: dict[str, tuple] = {}
    for option, group in by_option.items():
        straight = [i for i, w in enumerate(group) if w.branch == common]
        deciding = group[straight[-1] :] if straight else group
        survivors.update(id(w) for w in deciding)
        values = {strip_cast(w.call.args[2].text).replace(" ", "") for w in deciding}
        if len(values) > 1 or not straight:
            lines = ", ".join(str(w.call.location.line) for w in deciding)
            note = f"{option} depends on the code path (set conditionally, line {lines})"
            if option in ("CURLOPT_SSL_VERIFYPEER", "CURLOPT_SSL_VERIFYHOST") and any(
                integer(w.call.args[2].text, defines) == 0 for w in deciding
            ):
                note += "; certificate verification can be switched off at run time"
            ambiguous[option] = (deciding[-1].call.args[2].location, note)
    return survivors, ambiguous


def _apply(builder, call: Call, defines: dict[str, str], context: ParseContext, secrets: list) -> None:
    """Apply one ``curl_easy_setopt(handle, option, value)`` to the endpoint."""
    from tlslint.catalog import versions
    from tlslint.catalog.openssl_ciphers import CipherStringError, parse_ciphersuites
    from tlslint.sources.openssl_client import client, mark_lowered_level

    option, value = call.args[1].text.strip(), call.args[2]
    loc, vloc = call.location, value.location
    number = integer(value.text, defines)
    text = string(value.text, defines)
    if option == "CURLOPT_SSL_VERIFYPEER":
        builder.set("verify.peer", None if number is None else number != 0, vloc)
        if number == 0:
            builder.set("verify.validity_period", "skip", vloc, note="no certificate verification at all")
    elif option == "CURLOPT_SSL_VERIFYHOST":
        builder.set("verify.hostname", None if number is None else number != 0, vloc)
    elif option == "CURLOPT_SSLVERSION":
        names = symbols(value.text, defines)
        if names is None or any(n not in _SSLVERSION_BITS for n in names):
            builder.unknown("protocols", vloc, "CURLOPT_SSLVERSION is computed at run time")
            return
        bits = 0
        for name in names:
            bits |= _SSLVERSION_BITS[name]
        low = _MIN_NAMES.get(bits & 0xFFFF) or default_min(context)
        high = _MAX_NAMES.get(bits >> 16, "TLSv1.3")
        if low.startswith("SSL"):
            builder.set("protocols", [low], vloc)
        else:
            builder.set(
                "protocols",
                versions.between(low, high) if versions.rank(low) <= versions.rank(high) else [high],
                vloc,
            )
    elif option == "CURLOPT_SSL_CIPHER_LIST":
        if text is None:
            builder.unknown("cipher_suites.tls12", vloc, "the cipher list is computed at run time")
            return
        try:
            mark_lowered_level(builder, text, vloc, context.engine_versions)
            suites = [s.iana_name for s in client(context.engine_versions).offered_suites(text)]
            builder.set("cipher_suites.tls12", suites, vloc, items=(vloc,) * len(suites))
        except CipherStringError as error:
            builder.unknown("cipher_suites.tls12", vloc, f"OpenSSL rejects this cipher list: {error}")
    elif option == "CURLOPT_TLS13_CIPHERS":
        if text is None:
            builder.unknown("cipher_suites.tls13", vloc, "computed at run time")
        else:
            try:
                suites = [s.iana_name for s in parse_ciphersuites(text)]
            except CipherStringError as error:
                builder.unknown("cipher_suites.tls13", vloc, f"OpenSSL rejects this list: {error}")
            else:
                builder.set("cipher_suites.tls13", suites, vloc, items=(vloc,) * len(suites))
    elif option == "CURLOPT_PINNEDPUBLICKEY":
        if text is None:
            builder.unknown("pinning.pins", vloc, "the pinned key is computed at run time")
        else:
            pins = [p for p in text.split(";") if p]
            builder.set("pinning.pins", pins, vloc, items=(vloc,) * len(pins))
            builder.set("pinning.backup", len(pins) > 1, vloc)
    elif option in ("CURLOPT_CAINFO", "CURLOPT_CAPATH", "CURLOPT_CAINFO_BLOB"):
        builder.set("trust.store", text, vloc)
        builder.set("trust.system_roots", False, loc)
    elif option == "CURLOPT_CRLFILE":
        builder.set("revocation.mode", "crl", loc)
    elif option == "CURLOPT_SSL_VERIFYSTATUS":
        if number:
            builder.set("revocation.mode", "ocsp-stapling-required", vloc)
            builder.set("revocation.on_error", "fatal", vloc)
    elif option == "CURLOPT_SSL_OPTIONS":
        names = symbols(value.text, defines) or []
        if "CURLSSLOPT_NO_REVOKE" in names:
            builder.set("revocation.mode", "none", vloc, note="CURLSSLOPT_NO_REVOKE (Schannel)")
    elif option == "CURLOPT_FOLLOWLOCATION":
        builder.set("http.redirects.follow", None if number is None else number != 0, vloc)
        if number:
            builder.set("http.redirects.same_domain_only", False, vloc, note="libcurl follows to any host")
    elif option == "CURLOPT_MAXREDIRS":
        builder.set("http.redirects.max", number, vloc)
    elif option in ("CURLOPT_REDIR_PROTOCOLS_STR", "CURLOPT_REDIR_PROTOCOLS"):
        if option.endswith("_STR") and text is not None:
            base = DEFAULT_REDIRECT_PROTOCOLS if text.startswith(("-", "+")) else []
            builder.set("http.redirects.protocols", redirect_protocols(text, base), vloc)
        elif (names := symbols(value.text, defines)) is not None:
            builder.set("http.redirects.protocols", [_PROTO_BITS[n] for n in names if n in _PROTO_BITS], vloc)
        else:
            builder.unknown("http.redirects.protocols", vloc, "computed at run time")
    elif option in ("CURLOPT_CONNECTTIMEOUT", "CURLOPT_CONNECTTIMEOUT_MS"):
        seconds = None if number is None else (number / 1000 if option.endswith("_MS") else float(number))
        if seconds == 0:
            seconds = 300.0  # 0 means "the default"
        builder.set("connection.timeouts.connect", seconds, vloc)
        builder.set("connection.timeouts.handshake", seconds, vloc, note="includes the TLS handshake")
    elif option in ("CURLOPT_TIMEOUT", "CURLOPT_TIMEOUT_MS"):
        seconds = None if number is None else (number / 1000 if option.endswith("_MS") else float(number))
        builder.set("connection.timeouts.total", seconds, vloc)
    elif option == "CURLOPT_MAX_RECV_SPEED_LARGE":
        builder.set("connection.rate_limit", number, vloc)
    elif option in _PASSWORD_OPTIONS:  # never copied anywhere; a literal is an inline secret
        if text and (option not in ("CURLOPT_USERPWD", "CURLOPT_PROXYUSERPWD") or text.partition(":")[2]):
            subject_id = builder.subject.id
            secrets.append(inline_secret(f"{subject_id} {option}", vloc, "libcurl", _PASSWORD_OPTIONS[option]))
    elif option == "CURLOPT_URL":
        if text is None:
            builder.unknown("url", vloc, "the URL is computed at run time")
            builder.unknown("url.scheme", vloc, "the URL is computed at run time")
        else:
            builder.set_url(text, vloc)
    elif option in ("CURLOPT_USE_SSL", "CURLOPT_FTP_SSL"):
        names = symbols(value.text, defines) or []
        if "CURLUSESSL_TRY" in names:
            note = "CURLUSESSL_TRY: TLS only if the server offers it, otherwise plaintext"
            builder.set("plaintext_allowed", True, vloc, note=note)
        elif {"CURLUSESSL_ALL", "CURLUSESSL_CONTROL"} & set(names):
            builder.set("plaintext_allowed", False, vloc, note="the transfer fails without TLS")
    elif option == "CURLOPT_SSL_ENABLE_ALPN":
        builder.set("alpn.enabled", None if number is None else number != 0, vloc)
    elif option == "CURLOPT_SSL_SESSIONID_CACHE":
        builder.set("session.resumption", None if number is None else number != 0, vloc)
    elif option == "CURLOPT_USERAGENT":
        builder.set("http.user_agent", text, vloc)
    elif option == "CURLOPT_VERBOSE" and number:
        builder.set("logging.tls", "handshake", vloc)
    elif option in _OPAQUE:
        builder.append("source.opaque", option, loc)
