"""GNU Wget 1.x command lines (found by :mod:`tlslint.sources.curl` in shell-like files) and ``.wgetrc``.

Command-line options and wgetrc commands are the same settings (``--no-check-certificate`` is
``check_certificate = off``), so both are normalised to wgetrc command names (lower case, no ``-``
or ``_``) and mapped once. ``-e CMD`` runs a wgetrc command from the command line. Defaults recorded
with origin ``default``: certificate and host-name checks on, redirects followed (up to 20, to any
host and to plain http), 20 tries with linear back-off, no connect timeout, 900 s read timeout, the
built-in cipher list ``HIGH:!aNULL:!RC4:!MD5:!SRP:!PSK``. The protocol range is the TLS library's
(OpenSSL / GnuTLS system policy), so it stays ``unknown`` unless ``--secure-protocol`` sets it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.sources.cli_credentials import header_holds_credential
from tlslint.sources.curl import Option, rate_bytes
from tlslint.sources.endpoint_builder import EndpointBuilder, inline_secret, span
from tlslint.sources.long_options import abbreviates_several, resolve
from tlslint.sources.shellwords import Command, Positions

if TYPE_CHECKING:
    from tlslint.budget import Budget

DEFAULT_CIPHERS = "HIGH:!aNULL:!RC4:!MD5:!SRP:!PSK"
#: Long options (normalised) that take a value.
ARG_OPTIONS = frozenset(
    [
        "secureprotocol",
        "ciphers",
        "cacertificate",
        "cadirectory",
        "crlfile",
        "certificate",
        "certificatetype",
        "privatekey",
        "privatekeytype",
        "pinnedpubkey",
        "tries",
        "waitretry",
        "wait",
        "maxredirect",
        "connecttimeout",
        "readtimeout",
        "dnstimeout",
        "timeout",
        "limitrate",
        "useragent",
        "outputdocument",
        "outputfile",
        "appendoutput",
        "directoryprefix",
        "execute",
        "inputfile",
        "base",
        "level",
        "accept",
        "reject",
        "domains",
        "excludedomains",
        "includedirectories",
        "excludedirectories",
        "quota",
        "header",
        "user",
        "password",
        "httpuser",
        "httppassword",
        "postdata",
        "postfile",
        "method",
        "bodydata",
        "bodyfile",
        "referer",
        "savecookies",
        "loadcookies",
        "bindaddress",
        "retryonhttperror",
        "randomfile",
        "egdfile",
        "hstsfile",
        "config",
        "restrictfilenames",
        "localencoding",
        "remoteencoding",
        "progress",
        "reportspeed",
        "backups",
        "cutdirs",
        "defaultpage",
        "ftpuser",
        "ftppassword",
        "proxyuser",
        "proxypassword",
        "tries",
        "preferfamily",
    ]
)
SHORT = {
    "O": "outputdocument", "o": "outputfile", "a": "appendoutput", "P": "directoryprefix", "t": "tries",
    "T": "timeout", "w": "wait", "e": "execute", "U": "useragent", "i": "inputfile", "B": "base",
    "l": "level", "A": "accept", "R": "reject", "D": "domains", "I": "includedirectories",
    "X": "excludedirectories", "Q": "quota", "n": "nooption", "q": "quiet", "v": "verbose", "d": "debug",
    "c": "continue", "N": "timestamping", "S": "serverresponse", "r": "recursive", "k": "convertlinks",
    "K": "backupconverted", "p": "pagerequisites", "H": "spanhosts", "L": "relativeonly", "x": "forcedirectories",
    "4": "inet4only", "6": "inet6only", "b": "background", "F": "forcehtml", "m": "mirror", "E": "adjustextension",
    "Y": "proxy",
}  # fmt: skip
SHORT_WITH_ARG = frozenset("OoaPtTweUiBlARDIXQnY")
_VERSIONS = {
    "sslv2": "SSLv2",
    "sslv3": "SSLv3",
    "tlsv1": "TLSv1.0",
    "tlsv11": "TLSv1.1",
    "tlsv12": "TLSv1.2",
    "tlsv13": "TLSv1.3",
}

#: The long options GNU Wget 1.21 lists in ``--help``, and the positive forms of its ``--no-`` switches:
#: getopt_long takes any unambiguous abbreviation of these (``--no-check-cert``), case as written.
LONG_OPTIONS = frozenset(
    [
        "accept",
        "accept-regex",
        "adjust-extension",
        "append-output",
        "ask-password",
        "auth-no-challenge",
        "background",
        "backup-converted",
        "backups",
        "base",
        "bind-address",
        "body-data",
        "body-file",
        "ca-certificate",
        "ca-directory",
        "cache",
        "certificate",
        "certificate-type",
        "check-certificate",
        "ciphers",
        "clobber",
        "compression",
        "config",
        "connect-timeout",
        "content-disposition",
        "content-on-error",
        "continue",
        "convert-file-only",
        "convert-links",
        "cookies",
        "crl-file",
        "cut-dirs",
        "debug",
        "default-page",
        "delete-after",
        "directories",
        "directory-prefix",
        "dns-cache",
        "dns-timeout",
        "domains",
        "exclude-directories",
        "exclude-domains",
        "execute",
        "follow-ftp",
        "follow-tags",
        "force-directories",
        "force-html",
        "ftp-password",
        "ftp-user",
        "ftps-clear-data-connection",
        "ftps-fallback-to-ftp",
        "ftps-implicit",
        "ftps-resume-ssl",
        "glob",
        "header",
        "help",
        "host-directories",
        "hsts",
        "hsts-file",
        "http-keep-alive",
        "http-password",
        "http-user",
        "https-only",
        "if-modified-since",
        "ignore-case",
        "ignore-length",
        "ignore-tags",
        "include-directories",
        "inet4-only",
        "inet6-only",
        "input-file",
        "iri",
        "keep-session-cookies",
        "level",
        "limit-rate",
        "load-cookies",
        "local-encoding",
        "max-redirect",
        "method",
        "mirror",
        "netrc",
        "no-cache",
        "no-check-certificate",
        "no-clobber",
        "no-config",
        "no-cookies",
        "no-directories",
        "no-dns-cache",
        "no-glob",
        "no-host-directories",
        "no-hsts",
        "no-http-keep-alive",
        "no-if-modified-since",
        "no-iri",
        "no-netrc",
        "no-parent",
        "no-passive-ftp",
        "no-proxy",
        "no-remove-listing",
        "no-use-server-timestamps",
        "no-verbose",
        "no-warc-compression",
        "no-warc-digests",
        "no-warc-keep-log",
        "output-document",
        "output-file",
        "page-requisites",
        "parent",
        "passive-ftp",
        "password",
        "pinnedpubkey",
        "post-data",
        "post-file",
        "prefer-family",
        "preserve-permissions",
        "private-key",
        "private-key-type",
        "progress",
        "protocol-directories",
        "proxy",
        "proxy-password",
        "proxy-user",
        "quiet",
        "quota",
        "random-wait",
        "read-timeout",
        "recursive",
        "referer",
        "regex-type",
        "reject",
        "reject-regex",
        "rejected-log",
        "relative",
        "remote-encoding",
        "remove-listing",
        "report-speed",
        "restrict-file-names",
        "retr-symlinks",
        "retry-connrefused",
        "retry-on-http-error",
        "save-cookies",
        "save-headers",
        "secure-protocol",
        "server-response",
        "show-progress",
        "span-hosts",
        "spider",
        "start-pos",
        "strict-comments",
        "timeout",
        "timestamping",
        "tries",
        "trust-server-names",
        "unlink",
        "use-askpass",
        "use-server-timestamps",
        "user",
        "user-agent",
        "verbose",
        "version",
        "wait",
        "waitretry",
        "warc-cdx",
        "warc-compression",
        "warc-dedup",
        "warc-digests",
        "warc-file",
        "warc-header",
        "warc-keep-log",
        "warc-max-size",
        "warc-tempdir",
        "xattr",
    ]
)


#: Password options (normalised names): command line and ``.wgetrc``.
_PASSWORD_OPTIONS = frozenset({"password", "httppassword", "proxypassword", "ftppassword"})


def normalise(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "")


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    """A ``.wgetrc`` / ``wgetrc``: ``command = value`` lines."""
    from tlslint.repo import repo_relative

    result = ParseResult()
    where = Location(path, 1, 1)
    builder = EndpointBuilder(f"wgetrc:{repo_relative(path)}", where, "wget", label=f"wget defaults ({path})")
    builder.set("role", "client", where)
    builder.set("source.partial", True, where, note="a defaults file: only what it writes is judged")
    options = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"^[ \t]*([A-Za-z_-][A-Za-z0-9_-]*)[ \t]*=[ \t]*(.*?)[ \t]*$", line)
        if not match or line.lstrip().startswith("#"):
            continue
        loc = Location(path, number, match.start(1) + 1, number, match.end(1) + 1)
        vloc = Location(path, number, match.start(2) + 1, number, match.end(2) + 1)
        value = re.split(r"[ \t]+#", match[2], maxsplit=1)[0]  # lenient: a trailing comment
        consequence = "every wget run that reads this file fails"
        unknown = unknown_command(match[1], loc, context.engine_versions, context.budget, consequence)
        if unknown is not None:
            result.diagnostics.append(unknown)
            if unknown.severity == "error":
                continue  # not read: wget stops at it
        options.append(Option(normalise(match[1]), value, loc, vloc))
    apply_commands(builder, options, result, context.engine_versions)
    if len(builder.subject.fields) > 3:
        result.subjects.append(builder.build())
    return result


def from_command(
    path: str,
    positions: Positions,
    command: Command,
    index: int,
    subject_id: str,
    context,
    result: ParseResult | None = None,
):
    """The endpoint of one wget call; diagnostics and inline secrets go to ``result``."""
    program = command.words[index]
    where = span(path, positions, program.start, program.end)
    builder = EndpointBuilder(subject_id, where, "wget", label=f"wget call ({subject_id.split(':', 2)[2]})")
    builder.set("role", "client", where)
    options: list[Option] = []
    urls: list[tuple[str, Location, bool]] = []
    words = command.words[index + 1 :]
    i = 0
    while i < len(words):
        word = words[i]
        loc = span(path, positions, word.start, word.end)
        text = word.text
        if word.dynamic and not word.quoted and not text:
            builder.uncertain = "an expansion that cannot be resolved statically may change this"
            builder.uncertain_at = loc
            i += 1
            continue
        if not text.startswith("-") or text == "-":
            urls.append((text, loc, word.dynamic))
            i += 1
            continue
        if text.startswith("--"):
            name, eq, value = text[2:].partition("=")
            resolved = resolve(name, LONG_OPTIONS)
            if resolved is None and result is not None and not word.dynamic:
                unknown = _unknown_option(name, loc, context.budget)
                if unknown is not None:
                    result.diagnostics.append(unknown)
            key = normalise(resolved or name)  # "--no-check-cert" is --no-check-certificate
            if eq:
                vloc = Location(loc.path, loc.line, (loc.column or 1) + len(name) + 3, loc.end_line, loc.end_column)
                options.append(Option(key, value, loc, vloc, word.dynamic))
            elif key in ARG_OPTIONS and i + 1 < len(words):
                value_word = words[i + 1]
                vloc = span(path, positions, value_word.start, value_word.end)
                options.append(Option(key, value_word.text, loc, vloc, value_word.dynamic))
                i += 1
            elif key.startswith("no") and key[2:] not in ("parent", "clobber", "verbose"):
                options.append(Option(key[2:], "off", loc))
            else:
                options.append(Option(key, "on", loc))
            i += 1
            continue
        letters = text[1:]
        for k, letter in enumerate(letters):
            key = SHORT.get(letter, letter)
            if letter in SHORT_WITH_ARG:
                rest = letters[k + 1 :]
                if rest:
                    options.append(Option(key, rest, loc, loc, word.dynamic))
                elif i + 1 < len(words):
                    value_word = words[i + 1]
                    vloc = span(path, positions, value_word.start, value_word.end)
                    options.append(Option(key, value_word.text, loc, vloc, value_word.dynamic))
                    i += 1
                break
            options.append(Option(key, "on", loc))
        i += 1
    # "-e check_certificate=off" runs a wgetrc command.
    expanded: list[Option] = []
    for option in options:
        if option.name == "execute" and option.value and "=" in option.value:
            name, _, value = option.value.partition("=")
            at = option.value_location or option.location
            unknown = (
                None if option.dynamic else unknown_command(name.strip(), at, context.engine_versions, context.budget)
            )
            if unknown is not None and result is not None:
                result.diagnostics.append(unknown)
            expanded.append(Option(normalise(name.strip()), value.strip(), option.location, option.value_location))
        else:
            expanded.append(option)
    apply_commands(builder, expanded, result if result is not None else ParseResult(), context.engine_versions)
    for text, loc, dynamic in urls:
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", text)
        if dynamic and not scheme:
            builder.unknown("url", loc, "the URL is built at run time")
            builder.unknown("url.scheme", loc, "the URL's scheme is only known at run time")
        else:
            builder.set_url(text, loc)
        break
    for name, value in command.env.items():
        if name == "SSLKEYLOGFILE":
            builder.set("logging.keylog", True, span(path, positions, value.start, value.end))
    apply_defaults(builder, where)
    if builder.plaintext_only():
        builder.drop_tls("a plaintext URL and no redirect: the request never uses TLS")
    return builder.build()


def unknown_command(
    written: str,
    where: Location,
    versions: dict[str, str],
    budget: Budget | None = None,
    consequence: str = "the command fails",
) -> Diagnostic | None:
    """A wgetrc command (a ``.wgetrc`` line, ``-e name=value``) that wget does not know: it stops ("Unknown
    command", exit 2). Misspelt (``check_certificat``), or unknown to the wget version given, it is an
    error; a name like none may be a newer wget's command than those tlslint knows: a warning."""
    from tlslint.catalog._wget_command_data import COMMANDS, NEWEST
    from tlslint.catalog.releases import closest, span_of, unknown_name, version_problem

    name = normalise(written)  # wget compares them without case, "-" or "_"
    version = versions.get("wget") or None  # none is assumed for wget
    span = span_of(version, 3) if version else None
    if name in COMMANDS:
        if version is None or span is None:
            return None
        problem = version_problem("wget", written, COMMANDS[name], span, version, True, key="wget")
    else:
        near = closest(name, sorted(COMMANDS), budget, where)
        said = f"Unknown command '{written}'"
        problem = unknown_name(
            "wget", written, span, NEWEST, version, version is not None, said=said, near=near, key="wget"
        )
    if problem is None:
        return None
    severity, what = problem
    return Diagnostic(where, f"{what}: {consequence}" if severity == "error" else what, severity)


def _unknown_option(name: str, where: Location, budget: Budget | None = None) -> Diagnostic | None:
    """What wget does with ``--name``, which none of its long options is or abbreviates alone: it refuses
    it ("unrecognized option", or "is ambiguous") and the command fails. ``--no-X`` for an option ``X`` is
    wget's own negation (it takes it for switches and for some options with a value: ``--no-backups``).
    Misspelt (``--secure-protocl``) or ambiguous (``--no-c``), it fails with every wget: an error; any
    other name may be a newer wget's option than those tlslint knows (wget 1.21): a warning."""
    from tlslint.catalog.releases import closest

    if name.startswith("no-") and resolve(name[3:], LONG_OPTIONS) is not None:
        return None
    several = sorted(option for option in LONG_OPTIONS if option.startswith(name))
    near = None if several else closest(name, sorted(LONG_OPTIONS), budget, where)
    if len(several) > 1:
        return Diagnostic(
            where, f"{abbreviates_several(name, several)}: wget refuses it and the command fails", "error"
        )
    if near is not None:
        return Diagnostic(where, f"wget does not know --{name} (did you mean --{near}?): the command fails", "error")
    return Diagnostic(
        where, f"wget 1.21 does not know --{name}: the command fails unless your wget is newer and knows it", "warning"
    )


def _bool(value: str | None) -> bool | None:
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in ("on", "1", "yes", "true"):
        return True
    if lowered in ("off", "0", "no", "false", "quiet"):
        return False
    return None


def _seconds(value: str | None) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", value or "")
    if not match:
        return None
    return float(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[match[2]]


def apply_commands(
    builder: EndpointBuilder, options: list[Option], result: ParseResult, engine_versions: dict[str, str] | None = None
) -> None:
    from tlslint.catalog import versions

    for option in options:
        name, value, loc = option.name, option.value, option.location
        vloc = option.value_location or loc
        if name in _PASSWORD_OPTIONS:  # never copied anywhere; written literally, an inline secret
            if value and not option.dynamic:
                result.subjects.append(inline_secret(f"{builder.subject.id} --{name}", vloc, "wget"))
            continue
        if name == "header" and value and not option.dynamic and header_holds_credential(value):
            result.subjects.append(inline_secret(f"{builder.subject.id} --header", vloc, "wget", "token"))
            continue
        if option.dynamic:
            builder.unknown(_FIELD_OF.get(name, "url"), vloc, f"--{name}: the value is only known at run time")
            continue
        if name == "checkcertificate":
            enabled = _bool(value)
            if enabled is False:
                note = "--no-check-certificate / check_certificate = off turns off certificate checks"
                builder.set("verify.peer", False, loc, note=note)
                builder.set("verify.hostname", False, loc, note=note)
                builder.set("verify.validity_period", "skip", loc, note=note)
            elif enabled is True:
                builder.set("verify.peer", True, loc)
                builder.set("verify.hostname", True, loc)
        elif name == "secureprotocol":
            key = normalise(value or "").replace(".", "")
            if key in _VERSIONS:
                low = _VERSIONS[key]
                builder.set(
                    "protocols",
                    versions.between(low, "TLSv1.3") if low.startswith("TLS") else [low],
                    vloc,
                    note="with OpenSSL the value is a minimum; with GnuTLS it selects the versions",
                )
            elif key == "pfs":
                builder.set("cipher_suites.tls12", _expand(DEFAULT_CIPHERS + ":!kRSA"), vloc, note="PFS mode")
        elif name == "ciphers":
            from tlslint.catalog.openssl_ciphers import CipherStringError
            from tlslint.sources.openssl_client import client, mark_lowered_level

            mark_lowered_level(builder, value or "", vloc, engine_versions)
            try:  # what the ClientHello carries: no PSK/SRP suites (wget sets no PSK callback, no SRP user)
                suites = [s.iana_name for s in client(engine_versions).offered_suites(value or "")]
            except CipherStringError as error:
                builder.unknown("cipher_suites.tls12", vloc, f"OpenSSL rejects this cipher list: {error}")
                continue
            builder.set("cipher_suites.tls12", suites, vloc, items=(vloc,) * len(suites))
        elif name in ("cacertificate", "cadirectory"):
            builder.set("trust.store", value, vloc)
            builder.set("trust.system_roots", False, loc, note="a CA file/directory replaces the default store")
        elif name == "crlfile":
            builder.set("revocation.mode", "crl", loc)
        elif name == "pinnedpubkey":
            pins = [p.strip() for p in (value or "").split(";") if p.strip()]
            builder.set("pinning.pins", pins, vloc, items=(vloc,) * len(pins))
            builder.set("pinning.backup", len(pins) > 1, vloc)
        elif name == "tries":
            tries = (value or "").strip().lower()
            count = -1 if tries in ("0", "inf") else (int(tries) - 1 if tries.isdigit() else None)
            builder.set("connection.retry.max_retries", count, vloc, note="wget: tries - 1; 0/inf means no limit")
            if not builder.has("connection.retry.backoff"):
                builder.set("connection.retry.backoff", True, loc, note="wget waits 1 s, 2 s, ... up to waitretry")
        elif name == "waitretry":
            seconds = _seconds(value)
            builder.set("connection.retry.max_delay", seconds, vloc)
            builder.set("connection.retry.backoff", bool(seconds), vloc, note="wget waits 1, 2, ... up to this")
        elif name == "maxredirect":
            count = int(value) if (value or "").strip().isdigit() else None
            builder.set("http.redirects.max", count, vloc)
            builder.set("http.redirects.follow", None if count is None else count > 0, vloc)
        elif name in ("connecttimeout", "readtimeout", "dnstimeout", "timeout"):
            seconds = _seconds(value)
            if name in ("connecttimeout", "timeout"):
                builder.set("connection.timeouts.connect", seconds, vloc)
            if name in ("readtimeout", "timeout"):
                builder.set("connection.timeouts.idle", seconds, vloc)
        elif name == "limitrate":
            builder.set("connection.rate_limit", rate_bytes((value or "").replace("k", "K")), vloc)
        elif name == "useragent":
            builder.set("http.user_agent", value, vloc)
        elif name == "httpsonly" and _bool(value):
            builder.set("http.redirects.protocols", ["https"], loc, note="--https-only (recursive mode only)")


_FIELD_OF = {
    "checkcertificate": "verify.peer",
    "secureprotocol": "protocols",
    "ciphers": "cipher_suites.tls12",
    "pinnedpubkey": "pinning.pins",
    "cacertificate": "trust.store",
    "tries": "connection.retry.max_retries",
    "maxredirect": "http.redirects.max",
    "connecttimeout": "connection.timeouts.connect",
    "limitrate": "connection.rate_limit",
}


def _expand(expression: str) -> list[str]:
    from tlslint.catalog.openssl_ciphers import expand

    return [s.iana_name for s in expand(expression)]


def apply_defaults(builder: EndpointBuilder, where: Location) -> None:
    builder.default("verify.peer", True, "wget checks certificates by default", where)
    builder.default("verify.hostname", True, "wget checks the host name by default", where)
    builder.default("verify.validity_period", "enforce", "wget checks certificate dates", where)
    builder.default("trust.system_roots", True, "wget uses the TLS library's default CA store", where)
    builder.default("revocation.mode", "none", "wget checks no revocation without --crl-file", where)
    if "protocols" not in builder.subject.fields:
        builder.unknown(
            "protocols", where, "wget uses the TLS library's defaults (openssl.cnf / GnuTLS system priority)"
        )
    if "cipher_suites.tls12" not in builder.subject.fields:
        # Like the protocols: OpenSSL builds use wget's list (DEFAULT_CIPHERS), GnuTLS builds (Debian's wget)
        # the library's NORMAL priority — which one this device has is not in the script.
        builder.unknown(
            "cipher_suites.tls12",
            where,
            f"wget's TLS library decides: {DEFAULT_CIPHERS} with OpenSSL, the NORMAL priority with GnuTLS",
        )
    builder.default("http.redirects.follow", True, "wget follows redirects by default", where)
    if builder.get("http.redirects.follow") is not False:
        builder.default("http.redirects.max", 20, "wget default --max-redirect 20", where)
        builder.default("http.redirects.same_domain_only", False, "wget follows redirects to any host", where)
        builder.default(
            "http.redirects.protocols",
            ["http", "https", "ftp", "ftps"],
            "wget follows redirects from https to http and ftp",
            where,
        )
    builder.default("connection.retry.max_retries", 19, "wget default: 20 tries", where)
    builder.default("connection.retry.backoff", True, "wget waits 1 s, 2 s, ... up to --waitretry (10 s)", where)
    builder.default(
        "connection.timeouts.connect", 0.0, "wget sets no connect timeout: the OS TCP timeout applies", where
    )
    builder.default("connection.timeouts.idle", 900.0, "wget default read timeout 900 s", where)
    builder.default("logging.keylog", False, "no SSLKEYLOGFILE in the command's environment", where)
    builder.default(
        "extensions.encrypt_then_mac",
        True,
        "wget's TLS library offers Encrypt-then-MAC by default (OpenSSL >= 1.1.0, GnuTLS >= 3.4)",
        where,
    )
