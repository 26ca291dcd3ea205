"""libcurl ``curl_easy_setopt(handle, CURLOPT_X, value)`` calls -> client endpoints (best effort).

One endpoint per handle expression per C function: ``libcurl:<path>:<function>:<handle>``. libcurl's
own defaults are recorded at the first call on the handle with origin ``default``: peer and host
verification on (``CURLOPT_SSL_VERIFYPEER`` 1, ``CURLOPT_SSL_VERIFYHOST`` 2), no redirects
(``CURLOPT_FOLLOWLOCATION`` 0; at most 30 when on), a 300 s connect timeout, TLS 1.2-1.3 (8.16+).
"""

from __future__ import annotations

from tlslint.model.subject import Subject
from tlslint.sources.base import ParseContext
from tlslint.sources.ccode import Call, CFile, integer, new_builder, string, symbols
from tlslint.sources.curl import DEFAULT_REDIRECT_PROTOCOLS, default_min, redirect_protocols
from tlslint.sources.endpoint_builder import inline_secret

_SSLVERSION = {
    "CURL_SSLVERSION_DEFAULT": None,
    "CURL_SSLVERSION_TLSv1": "TLSv1.0",
    "CURL_SSLVERSION_SSLv2": "SSLv2",
    "CURL_SSLVERSION_SSLv3": "SSLv3",
    "CURL_SSLVERSION_TLSv1_0": "TLSv1.0",
    "CURL_SSLVERSION_TLSv1_1": "TLSv1.1",
    "CURL_SSLVERSION_TLSv1_2": "TLSv1.2",
    "CURL_SSLVERSION_TLSv1_3": "TLSv1.3",
}
_SSLVERSION_MAX = {
    "CURL_SSLVERSION_MAX_DEFAULT": "TLSv1.3",
    "CURL_SSLVERSION_MAX_NONE": "TLSv1.3",
    "CURL_SSLVERSION_MAX_TLSv1_0": "TLSv1.0",
    "CURL_SSLVERSION_MAX_TLSv1_1": "TLSv1.1",
    "CURL_SSLVERSION_MAX_TLSv1_2": "TLSv1.2",
    "CURL_SSLVERSION_MAX_TLSv1_3": "TLSv1.3",
}
_PROTO_BITS = {"CURLPROTO_HTTP": "http", "CURLPROTO_HTTPS": "https", "CURLPROTO_FTP": "ftp", "CURLPROTO_FTPS": "ftps"}
#: Options whose effect tlslint cannot follow.
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
_OPAQUE = ("CURLOPT_SSL_CTX_FUNCTION", "CURLOPT_SOCKOPTFUNCTION", "CURLOPT_OPENSOCKETFUNCTION")


def endpoints(cfile: CFile, context: ParseContext):
    from tlslint.repo import repo_relative

    groups: dict[tuple[str, str], list[Call]] = {}
    for call in cfile.calls:
        if call.name == "curl_easy_setopt" and len(call.args) >= 3:
            handle = call.args[0].text.replace(" ", "")
            groups.setdefault((call.function, handle), []).append(call)
    path = repo_relative(cfile.path)
    for (function, handle), calls in groups.items():
        yield from _endpoint(cfile, f"libcurl:{path}:{function or 'file'}:{handle}", function, calls, context)


def _endpoint(cfile: CFile, subject_id: str, function: str, calls: list[Call], context: ParseContext):
    from tlslint.catalog import versions
    from tlslint.catalog.openssl_ciphers import CipherStringError, expand, parse_ciphersuites

    where = calls[0].location
    builder = new_builder(
        subject_id, where, "libcurl", f"libcurl handle {calls[0].args[0].text} in {function or 'file'}()"
    )
    builder.set("role", "client", where)
    secrets: list[Subject] = []
    defines = cfile.defines
    proto_redir = None
    for call in calls:
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
            if names is None:
                builder.unknown("protocols", vloc, "CURLOPT_SSLVERSION is computed at run time")
                continue
            low = next((_SSLVERSION[n] for n in names if _SSLVERSION.get(n)), default_min(context))
            high = next((_SSLVERSION_MAX[n] for n in names if n in _SSLVERSION_MAX), "TLSv1.3")
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
                continue
            try:
                suites = [s.iana_name for s in expand(text)]
                builder.set("cipher_suites.tls12", suites, vloc, items=(vloc,) * len(suites))
            except CipherStringError as error:
                builder.unknown("cipher_suites.tls12", vloc, f"OpenSSL rejects this cipher list: {error}")
        elif option == "CURLOPT_TLS13_CIPHERS":
            if text is None:
                builder.unknown("cipher_suites.tls13", vloc, "computed at run time")
            else:
                suites = [s.iana_name for s in parse_ciphersuites(text)]
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
                proto_redir = (
                    redirect_protocols(text, [])
                    if not text.startswith(("-", "+"))
                    else redirect_protocols(text, DEFAULT_REDIRECT_PROTOCOLS),
                    vloc,
                )
            elif (names := symbols(value.text, defines)) is not None:
                proto_redir = ([_PROTO_BITS[n] for n in names if n in _PROTO_BITS], vloc)
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
                secrets.append(inline_secret(f"{subject_id} {option}", vloc, "libcurl", _PASSWORD_OPTIONS[option]))
        elif option == "CURLOPT_URL":
            if text is None:
                builder.unknown("url", vloc, "the URL is computed at run time")
                builder.unknown("url.scheme", vloc, "the URL is computed at run time")
            else:
                builder.set("url", text, vloc)
                builder.set("url.scheme", text.split("://", 1)[0].lower() if "://" in text else "http", vloc)
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
    if proto_redir is not None:
        builder.set("http.redirects.protocols", proto_redir[0], proto_redir[1])
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
    return [builder.build(), *secrets]
