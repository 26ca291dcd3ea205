"""curl command lines (shell scripts, Dockerfiles, Makefiles) and ``.curlrc`` files.

Each curl invocation becomes one client endpoint, ``curl:<repo path>:<shell function or "main">#<n>``
(the n-th curl call in that function), so the id survives edits elsewhere in the file. Every field
points at the option that set it; what curl does when nothing is written is recorded with origin
``default`` at the ``curl`` word (curl verifies the peer and the host name, follows no redirects
without ``-L``, allows TLS 1.2 and 1.3 since 8.16, waits 300 s to connect, retries nothing). An
unresolved ``$VAR`` that may hold options turns those defaults into ``unknown``.

Shell files may also hold wget calls: :func:`parse` hands them to :mod:`tlslint.sources.wget`.
"""

from __future__ import annotations

import json
import os
import re

from tlslint.budget import Budget
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location
from tlslint.records import Record
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.sources.cli_credentials import header_holds_credential
from tlslint.sources.curl_options import ARG_OPTIONS, CURL_8_5_LONG_OPTIONS, SHORT, SHORT_WITH_ARG
from tlslint.sources.endpoint_builder import EndpointBuilder, inline_secret, span
from tlslint.sources.shellwords import Command, Positions, Word, commands, program_index

PROGRAMS = frozenset({"curl", "curl.exe", "wcurl"})
WGET = frozenset({"wget", "wget2"})

#: curl's redirect protocols when nothing restricts them (CURLOPT_REDIR_PROTOCOLS_STR default).
DEFAULT_REDIRECT_PROTOCOLS = ["http", "https", "ftp", "ftps"]
_TLS_VERSIONS = {"1": "TLSv1.0", "1.0": "TLSv1.0", "1.1": "TLSv1.1", "1.2": "TLSv1.2", "1.3": "TLSv1.3"}


class Option(Record):
    """One option as written: canonical long name, its value (None for flags) and places."""

    __slots__ = ("name", "value", "location", "value_location", "dynamic")

    name: str
    value: str | None
    location: Location
    value_location: Location | None
    dynamic: bool  # the value depends on something unknown

    def __init__(
        self,
        name: str,
        value: str | None,
        location: Location,
        value_location: Location | None = None,
        dynamic: bool = False,
    ) -> None:
        self.name = name
        self.value = value
        self.location = location
        self.value_location = value_location
        self.dynamic = dynamic


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    base = os.path.basename(path)
    if base in (".curlrc", "_curlrc", "curlrc") or base.endswith(".curlrc"):
        return parse_curlrc(path, text, context)
    return parse_shell(path, text, context)


# --- shell-like files ------------------------------------------------------------------------------


def shell_commands(path: str, text: str, budget: Budget | None = None) -> list[Command]:
    from tlslint.sources import shellwords

    base = os.path.basename(path)
    lowered = base.lower()
    if lowered in ("makefile", "gnumakefile") or lowered.endswith(".mk"):
        shell, variables = shellwords.makefile_shell(text)
        return commands(shell, variables=variables, make=True, budget=budget, path=path)
    if lowered.startswith(("dockerfile", "containerfile")) or lowered.endswith((".dockerfile", ".containerfile")):
        found = commands(shellwords.dockerfile_shell(text), budget=budget, path=path)
        found.extend(_exec_form_runs(text))
        return sorted(found, key=lambda c: c.words[0].start)
    return commands(text, budget=budget, path=path)


def _exec_form_runs(text: str) -> list[Command]:
    """``RUN ["curl", "-k", "https://..."]``: the JSON array, one word per element."""
    out = []
    for match in re.finditer(r"(?im)^[ \t]*RUN[ \t]+(\[[^\n]*\])[ \t]*$", text):
        try:
            items = json.loads(match[1])
        except ValueError:
            continue
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            continue
        words, cursor = [], match.start(1)
        for item in items:
            at = text.find(json.dumps(item), cursor, match.end(1))
            at = cursor if at < 0 else at
            words.append(Word(item, at, at + len(json.dumps(item)), quoted=True))
            cursor = at + 1
        if words:
            out.append(Command(words, None))
    return out


def parse_shell(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.repo import repo_relative

    result = ParseResult()
    positions = Positions(text)
    anchor_path = repo_relative(path)
    counters: dict[tuple[str, str], int] = {}
    for command in shell_commands(path, text, context.budget):
        index = program_index(command, PROGRAMS | WGET)
        if index is None:
            continue
        program = command.words[index].text.rsplit("/", 1)[-1]
        tool = "wget" if program in WGET else "curl"
        function = command.function or "main"
        counters[(tool, function)] = counters.get((tool, function), 0) + 1
        subject_id = f"{tool}:{anchor_path}:{function}#{counters[(tool, function)]}"
        if tool == "wget":
            from tlslint.sources import wget

            result.subjects.append(wget.from_command(path, positions, command, index, subject_id, context, result))
        else:
            result.subjects.append(from_command(path, positions, command, index, subject_id, context, result))
    return result


def from_command(
    path: str,
    positions: Positions,
    command: Command,
    index: int,
    subject_id: str,
    context: ParseContext,
    result: ParseResult,
):
    program = command.words[index]
    where = span(path, positions, program.start, program.end)
    builder = EndpointBuilder(subject_id, where, "curl", label=f"curl call ({subject_id.split(':', 2)[2]})")
    builder.set("role", "client", where)
    options: list[Option] = []
    urls: list[tuple[str, Location, bool]] = []
    words = command.words[index + 1 :]
    i = 0
    only_urls = False
    while i < len(words):
        word = words[i]
        loc = span(path, positions, word.start, word.end)
        text = word.text
        if word.dynamic and not word.quoted and not text:
            # "$OPTS": may hold any option.
            builder.uncertain = f"{_source_text(positions, word)} cannot be resolved statically and may change this"
            builder.uncertain_at = loc
            i += 1
            continue
        if only_urls or not text.startswith("-") or text == "-":
            urls.append((text, loc, word.dynamic))
            i += 1
            continue
        if text == "--":
            only_urls = True
            i += 1
            continue
        if text.startswith("--"):
            name = long_name(text[2:], loc, context, result, dynamic=word.dynamic)
            if name is None:  # a spelling this curl refuses: the command fails there
                i += 1
                continue
            negated = name.startswith("no-") and name[3:] not in ARG_OPTIONS and name not in ARG_OPTIONS
            if name in ARG_OPTIONS:
                value = words[i + 1] if i + 1 < len(words) else None
                options.append(_option(path, positions, name, loc, value))
                i += 2
                continue
            options.append(Option(("no-" + name[3:]) if negated else name, None, loc))
            i += 1
            continue
        # A cluster of short options: "-fsSL", "-kLo" "file", "-ofile".
        letters = text[1:]
        for k, letter in enumerate(letters):
            name = SHORT.get(letter, letter)
            if letter in SHORT_WITH_ARG:
                rest = letters[k + 1 :]
                if rest:
                    options.append(Option(name, rest, loc, loc, word.dynamic))
                else:
                    value = words[i + 1] if i + 1 < len(words) else None
                    options.append(_option(path, positions, name, loc, value))
                    i += 1
                break
            options.append(Option(name, None, loc))
        i += 1
    for name, value in command.env.items():
        if name == "SSLKEYLOGFILE":
            builder.set("logging.keylog", True, span(path, positions, value.start, value.end))
    for option in options:
        if option.name == "url" and option.value is not None:
            urls.append((option.value, option.value_location or option.location, option.dynamic))
    apply_options(builder, options, context, result)
    _apply_url(builder, urls)
    if builder.get("url.scheme") in ("https", "wss"):
        builder.subject.fields.pop("plaintext_allowed", None)  # --ssl / --ssl-reqd do nothing on https://
    apply_defaults(builder, where, context)
    if builder.plaintext_only():
        builder.drop_tls("a plaintext URL and no redirect: the request never uses TLS")
    return builder.build()


def long_name(
    given: str,
    where: Location,
    context: ParseContext,
    result: ParseResult,
    *,
    config_file: bool = False,
    dynamic: bool = False,
) -> str | None:
    """The long option curl reads in ``--given``: curl before 8.6 matched names in any case and took any
    unambiguous abbreviation (``--Insecure``, ``--insec``), curl 8.6 and later match them exactly. With
    no curl version given such a spelling is read as older curl reads it, with a warning (a gate must
    not be passed by a spelling); with 8.6 or later given, it is refused as curl refuses it (None).
    A name no curl takes is said too (:func:`_unknown_option`), unless part of it is only known at run
    time (``dynamic``)."""
    from tlslint.sources.long_options import resolve

    negated = given.startswith("no-")  # curl strips it as written, then matches the rest in full
    rest = given[3:] if negated else given
    if rest in CURL_8_5_LONG_OPTIONS or rest in ARG_OPTIONS or _documented(rest):
        too_new = _too_new(rest, where, context, config_file=config_file)
        if too_new is not None:
            result.diagnostics.append(too_new)
        return given
    meant = resolve(rest, CURL_8_5_LONG_OPTIONS, any_case=True)
    if meant is None or (negated and meant.lower() != rest.lower()):
        if not dynamic:
            result.diagnostics.append(_unknown_option(given, rest, where, context, config_file=config_file))
        return given  # unknown or ambiguous to every curl: nothing it sets
    version = context.engine_versions.get("curl")
    spelled = ("no-" if negated else "") + meant
    if version and _major_minor(version) >= (8, 6):
        message = f"curl {version} refuses --{given} (it matches option names exactly): the command fails"
        result.diagnostics.append(Diagnostic(where, message, "warning"))
        return None
    message = f"--{given} is --{spelled} to curl before 8.6 (any case, any unambiguous abbreviation); 8.6 refuses it"
    result.diagnostics.append(Diagnostic(where, message, "warning"))
    return spelled


def _unknown_option(given: str, rest: str, where: Location, context: ParseContext, *, config_file: bool) -> Diagnostic:
    """What curl does with ``--given``, a name none of its releases takes: on the command line the command
    fails ("option --tls-maxx: is unknown", exit 2); in a config file curl warns and goes on without it,
    so the setting meant does not apply. A misspelling (``--tls-maxx``) or an abbreviation of several
    options (``--tl``) fails with every curl: an error. Any other name may be an option of a curl newer
    than the documentation tlslint was built from: a warning."""
    from tlslint.catalog._curl_option_data import NEWEST, OPTIONS
    from tlslint.catalog.releases import closest
    from tlslint.sources.long_options import abbreviates_several

    several = sorted(name for name in CURL_8_5_LONG_OPTIONS if name.lower().startswith(rest.lower()))
    near = None if several else closest(rest, sorted(OPTIONS), context.budget, where)
    if len(several) > 1:
        what = abbreviates_several(given, several)
    elif near is not None:
        what = f"curl does not know --{given} (did you mean --{near}?)"
    else:
        newest = ".".join(map(str, NEWEST))
        what = f"curl does not know --{given} (no curl up to {newest}, the newest tlslint knows, has it)"
    return _not_taken(what, where, config_file=config_file, certain=len(several) > 1 or near is not None)


def _not_taken(what: str, where: Location, *, config_file: bool, certain: bool) -> Diagnostic:
    """``what`` curl does not take, with what follows: in a config file curl warns and goes on without it;
    on the command line the command fails — certainly (an error), or unless the curl is newer than
    tlslint's knowledge of its options (a warning)."""
    if config_file:
        return Diagnostic(
            where, f"{what}: curl warns and goes on without it, so what it meant does not apply", "warning"
        )
    if certain:
        return Diagnostic(where, f"{what}: curl refuses it and the command fails", "error")
    return Diagnostic(where, f"{what}: the command fails unless your curl is newer and knows it", "warning")


def _documented(name: str) -> bool:
    from tlslint.catalog._curl_option_data import OPTIONS

    return name in OPTIONS


def _too_new(name: str, where: Location, context: ParseContext, *, config_file: bool) -> Diagnostic | None:
    """``--name`` is an option of a later curl than the one given (``--engine-version curl=7.88.1``):
    such a curl does not know it (as :func:`_unknown_option` says of an unknown one)."""
    version = context.engine_versions.get("curl")
    if not version:  # the common case, on every option curl knows: nothing to import or compare
        return None
    from tlslint.catalog._curl_option_data import OPTIONS
    from tlslint.catalog.releases import span_of

    known = OPTIONS.get(name)
    if known is None or known[1] <= span_of(version, 3)[1]:
        return None
    what = f"curl {version} does not know --{name} (added in {'.'.join(map(str, known[1]))})"
    return _not_taken(what, where, config_file=config_file, certain=True)


def _source_text(positions: Positions, word: Word) -> str:
    return "the expansion " + (word.unresolved[0] if word.unresolved else "")


def _option(path: str, positions: Positions, name: str, loc: Location, value: Word | None) -> Option:
    if value is None:
        return Option(name, None, loc)
    return Option(name, value.text, loc, span(path, positions, value.start, value.end), value.dynamic)


def _apply_url(builder: EndpointBuilder, urls: list[tuple[str, Location, bool]]) -> None:
    for text, loc, dynamic in urls:
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", text)
        if dynamic and not scheme:
            builder.unknown("url", loc, f"the URL {text or '(a variable)'} is built at run time")
            builder.unknown("url.scheme", loc, "the URL's scheme is only known at run time")
            return
        # curl guesses https only for hosts without a scheme when --proto-default says so; plain
        # "host/path" is fetched over http.
        builder.set_url(text, loc)
        return


def _seconds(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def rate_bytes(value: str) -> int | None:
    """``100K`` / ``1M`` / ``500`` -> bytes per second (curl counts K as 1024). ``10K/m`` per minute."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)[bB]?\s*(?:/\s*([smhd]))?\s*", value)
    if not match:
        return None
    factor = 1024 ** "kmgt".index(match[2].lower()) * 1024 if match[2] else 1
    per = {"s": 1, "m": 60, "h": 3600, "d": 86400}[match[3] or "s"]
    return int(float(match[1]) * factor / per)


def redirect_protocols(spec: str, start: list[str]) -> list[str]:
    """curl's ``--proto`` / ``--proto-redir`` syntax: ``=https``, ``-all,+https``, ``https``."""
    allowed = list(start)
    everything = ["http", "https", "ftp", "ftps", "file", "scp", "sftp", "ws", "wss", "smb", "smbs", "ldap"]
    for raw in spec.split(","):
        item = raw.strip().lower()
        if not item:
            continue
        mode = "+"
        while item and item[0] in "+-=":
            mode, item = item[0], item[1:]
        names = everything if item == "all" else [item]
        if mode == "=":
            allowed = list(names)
        elif mode == "-":
            allowed = [p for p in allowed if p not in names]
        else:
            allowed.extend(p for p in names if p not in allowed)
    return allowed


def apply_options(builder: EndpointBuilder, options: list[Option], context: ParseContext, result: ParseResult) -> None:
    """Map curl options (command line or .curlrc) onto endpoint fields."""
    from tlslint.catalog import versions

    minimum: Option | None = None
    maximum: Option | None = None
    proto: Option | None = None
    proto_redir: Option | None = None
    for option in options:
        name, value, loc = option.name, option.value, option.location
        vloc = option.value_location or loc
        unknown_value = option.dynamic or value is None
        if name == "header" and value is not None and not option.dynamic and header_holds_credential(value):
            result.subjects.append(inline_secret(f"{builder.subject.id} --header", vloc, "curl", "token"))
            continue
        if name in _CREDENTIAL_OPTIONS and value is not None and not option.dynamic:
            kind = _written_secret(name, value)
            if kind is not None:
                result.subjects.append(inline_secret(f"{builder.subject.id} --{name}", vloc, "curl", kind))
            continue
        if name == "insecure":
            builder.set("verify.peer", False, loc, note="-k/--insecure turns off certificate verification")
            builder.set("verify.hostname", False, loc, note="-k/--insecure also turns off the host-name check")
            builder.set("verify.validity_period", "skip", loc, note="-k/--insecure accepts expired certificates")
        elif name in ("ssl", "ftp-ssl"):
            # Opportunistic: STARTTLS/AUTH TLS when the server offers it, plaintext when it does not (or
            # when an attacker strips the offer). No effect on https:// URLs (see from_command).
            note = f"--{name}: TLS only if the server offers it, otherwise plaintext (--ssl-reqd requires it)"
            builder.set("plaintext_allowed", True, loc, note=note)
        elif name in ("ssl-reqd", "ftp-ssl-reqd"):
            builder.set("plaintext_allowed", False, loc, note=f"--{name}: the transfer fails without TLS")
        elif name in ("tlsv1", "tlsv1.0", "tlsv1.1", "tlsv1.2", "tlsv1.3"):
            minimum = option
        elif name in ("sslv2", "sslv3"):
            result.diagnostics.append(
                Diagnostic(loc, f"--{name} is ignored by current curl (SSLv2/SSLv3 support was removed)", "info")
            )
        elif name == "tls-max":
            maximum = option
        elif name == "ciphers":
            _ciphers(builder, option, result, context, srp=any(o.name == "tlsuser" for o in options))
        elif name == "tls13-ciphers":
            _tls13_ciphers(builder, option, result)
        elif name == "curves":
            _groups(builder, option, result, context)
        elif name == "pinnedpubkey":
            if unknown_value:
                builder.unknown("pinning.pins", vloc, "the pinned key is given at run time")
            else:
                pins = [p.strip() for p in value.split(";") if p.strip()]
                builder.set("pinning.pins", pins, vloc, items=(vloc,) * len(pins))
                builder.set("pinning.backup", len(pins) > 1, vloc, note=f"{len(pins)} pin(s) given")
        elif name in ("cacert", "capath"):
            builder.set("trust.store", None if unknown_value else value, vloc)
            if name == "cacert" and not unknown_value and vloc is not None:  # for the link stage (tlslint.link)
                ca_file = os.path.normpath(os.path.join(os.path.dirname(vloc.path), value))  # relative: to the script
                builder.set("trust.store_files", [ca_file], vloc, items=(vloc,))
            builder.set("trust.system_roots", False, loc, note=f"--{name} replaces the default CA bundle")
        elif name == "ca-native":
            builder.set("trust.system_roots", True, loc)
        elif name == "crlfile":
            builder.set("revocation.mode", "crl", loc)
        elif name == "cert-status":
            builder.set("revocation.mode", "ocsp-stapling-required", loc)
            builder.set("revocation.on_error", "fatal", loc)
        elif name == "ssl-no-revoke":
            builder.set("revocation.mode", "none", loc, note="Schannel only: revocation checks off")
        elif name in ("location", "location-trusted", "follow"):
            builder.set("http.redirects.follow", True, loc)
            builder.set("http.redirects.same_domain_only", False, loc, note="curl follows redirects to any host")
        elif name == "max-redirs":
            number = _int(value)
            builder.set("http.redirects.max", number, vloc)
        elif name == "proto":
            proto = option
        elif name == "proto-redir":
            proto_redir = option
        elif name == "retry":
            builder.set("connection.retry.max_retries", _int(value), vloc)
            if not builder.has("connection.retry.backoff"):
                builder.set("connection.retry.backoff", True, loc, note="curl doubles the wait after each retry")
        elif name == "retry-delay":
            builder.set("connection.retry.backoff", False, loc, note="--retry-delay waits a fixed time between tries")
            seconds = _seconds(value or "")
            if seconds is not None:
                builder.set("connection.retry.max_delay", seconds, vloc)
        elif name == "connect-timeout":
            seconds = None if unknown_value else _seconds(value)
            builder.set("connection.timeouts.connect", seconds, vloc)
            builder.set(
                "connection.timeouts.handshake", seconds, vloc, note="curl's connect timeout includes the TLS handshake"
            )
        elif name == "max-time":
            builder.set("connection.timeouts.total", None if unknown_value else _seconds(value), vloc)
        elif name == "limit-rate":
            builder.set("connection.rate_limit", None if unknown_value else rate_bytes(value), vloc)
        elif name == "no-alpn":
            builder.set("alpn.enabled", False, loc)
        elif name == "no-sessionid":
            builder.set("session.resumption", False, loc)
        elif name == "tls-earlydata":
            builder.set("early_data", True, loc)
        elif name == "user-agent":
            builder.set("http.user_agent", None if unknown_value else value, vloc)
        elif name == "config":
            builder.uncertain = "options read from another config file (-K) may change this"
            builder.uncertain_at = loc
        elif name in ("trace", "trace-ascii"):
            builder.set("logging.tls", "all", loc)
    # Versions: --tlsv1.x is the minimum, --tls-max the maximum.
    if minimum is not None or maximum is not None:
        low = _TLS_VERSIONS.get(minimum.name.removeprefix("tlsv"), "TLSv1.0") if minimum else default_min(context)
        high = "TLSv1.3"
        if maximum is not None and maximum.value not in (None, "default"):
            high = _TLS_VERSIONS.get(maximum.value.strip(), "TLSv1.3")
        if versions.rank(low) > versions.rank(high):
            low = high
        where = (minimum or maximum).location  # type: ignore[union-attr]
        span_versions = versions.between(low, high)
        items = tuple(
            (minimum.location if minimum and v == low else (maximum.location if maximum else where))
            for v in span_versions
        )
        builder.set("protocols", span_versions, where, items=items)
    if builder.get("http.redirects.follow") is True:
        follow_at = builder.subject.fields["http.redirects.follow"].location
        builder.default("http.redirects.max", 50, "curl's command line follows up to 50 redirects", follow_at)
        start = list(DEFAULT_REDIRECT_PROTOCOLS)
        where, note = None, "curl's default redirect protocols"
        if proto is not None and proto.value and not proto.dynamic:
            start = [p for p in start if p in redirect_protocols(proto.value, start)]
            where, note = proto.value_location, None
        if proto_redir is not None and proto_redir.value and not proto_redir.dynamic:
            start = redirect_protocols(proto_redir.value, start)
            if proto is not None and proto.value and not proto.dynamic:
                start = [p for p in start if p in redirect_protocols(proto.value, DEFAULT_REDIRECT_PROTOCOLS)]
            where, note = proto_redir.value_location, None
        if where is not None:
            builder.set("http.redirects.protocols", start, where)
        else:
            follow = builder.subject.get("http.redirects.follow")
            builder.default("http.redirects.protocols", start, note, follow.location if follow else None)
    if proto is not None and proto.value and not proto.dynamic:
        allowed = redirect_protocols(proto.value, ["http", "https", "ftp", "ftps"])
        builder.set("transfer_protocols", [p.upper() for p in allowed], proto.value_location)


#: Options whose value holds a password when written literally (``-u user:password``,
#: ``-E cert.pem:password``, ``--pass``); never copied anywhere, reported as inline secrets.
_CREDENTIAL_OPTIONS = frozenset({"user", "proxy-user", "pass", "proxy-pass", "cert", "proxy-cert", "oauth2-bearer"})
#: A Windows drive prefix of a ``--cert`` path (``C:\\certs\\c.pem``), not a ``FILE:PASSWORD`` separator.
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _written_secret(name: str, value: str) -> str | None:
    """The kind of secret ``--name value`` writes inline, or ``None`` when it writes none."""
    if name in ("pass", "proxy-pass"):
        return "passphrase" if value else None
    if name == "oauth2-bearer":
        return "token" if value else None
    if name in ("cert", "proxy-cert"):
        path = value[2:] if _DRIVE.match(value) else value
        return "passphrase" if not value.startswith("pkcs11:") and path.partition(":")[2] else None
    return "password" if ":" in value and value.split(":", 1)[1] else None  # -u user (no password): prompts


def _major_minor(version: str) -> tuple[int, ...]:
    """``--engine-version curl=8.5.0`` -> ``(8, 5)``; ``()`` for a version without a number."""
    return tuple(int(part) for part in re.findall(r"\d+", version)[:2])


def default_min(context: ParseContext) -> str:
    """The lowest version curl (and libcurl) negotiates when nothing is written: TLS 1.2 from curl 8.16;
    before, TLS 1.0 — unless OpenSSL's default security level already refuses it (OpenSSL 3)."""
    from tlslint.catalog.versions import rank
    from tlslint.sources.openssl_client import client

    version = context.engine_versions.get("curl")
    low = "TLSv1.2"
    if version and () < _major_minor(version) < (8, 16):
        low = "TLSv1.0"
    floor = client(context.engine_versions).protocol_floor()
    return floor if rank(floor) > rank(low) else low


def apply_openssl_defaults(builder: EndpointBuilder, where: Location, context: ParseContext, tool: str) -> None:
    """Library defaults of an OpenSSL-based client (curl, libcurl) that its options do not show."""
    from tlslint.sources.openssl_client import client

    openssl = client(context.engine_versions)
    builder.default(
        "extensions.encrypt_then_mac",
        openssl.encrypt_then_mac(),
        f"{tool} on {openssl.note}: Encrypt-then-MAC is offered by default since OpenSSL 1.1.0",
        where,
    )


def apply_defaults(builder: EndpointBuilder, where: Location, context: ParseContext) -> None:
    """What curl does when the command line says nothing (curl 8.16+ unless --engine-version says)."""
    low = default_min(context)
    from tlslint.catalog import versions

    builder.default(
        "protocols",
        versions.between(low, "TLSv1.3"),
        f"curl default: TLS {low[4:]} to 1.3" + (" (curl >= 8.16)" if low == "TLSv1.2" else ""),
        where,
    )
    builder.default("verify.peer", True, "curl verifies the server certificate by default", where)
    builder.default("verify.hostname", True, "curl checks the host name by default", where)
    builder.default("verify.validity_period", "enforce", "curl checks certificate dates", where)
    builder.default("trust.system_roots", True, "curl uses its default CA bundle", where)
    builder.default("revocation.mode", "none", "curl does not check revocation unless --crlfile/--cert-status", where)
    builder.default("http.redirects.follow", False, "curl follows no redirects without -L", where)
    builder.default("connection.timeouts.connect", 300.0, "curl default connect timeout: 300 s", where)
    builder.default(
        "connection.timeouts.handshake", 300.0, "curl's 300 s connect timeout also bounds the TLS handshake", where
    )
    builder.default("connection.retry.max_retries", 0, "curl retries nothing without --retry", where)
    builder.default("logging.keylog", False, "no SSLKEYLOGFILE in the command's environment", where)
    builder.default("early_data", False, "curl sends no early data without --tls-earlydata", where)
    apply_openssl_defaults(builder, where, context, "curl")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _ciphers(
    builder: EndpointBuilder, option: Option, result: ParseResult, context: ParseContext, *, srp: bool
) -> None:
    from tlslint.catalog.openssl_ciphers import CipherStringError
    from tlslint.sources.openssl_client import client, mark_lowered_level

    loc = option.value_location or option.location
    if option.dynamic or option.value is None:
        builder.unknown("cipher_suites.tls12", loc, "the cipher list is given at run time")
        return
    openssl = client(context.engine_versions)
    mark_lowered_level(builder, option.value, loc, context.engine_versions)
    try:
        suites = openssl.offered_suites(option.value, srp=srp)
    except CipherStringError as error:
        result.diagnostics.append(Diagnostic(loc, f"--ciphers {option.value!r}: {error}", "warning"))
        builder.unknown("cipher_suites.tls12", loc, f"curl rejects this cipher list with OpenSSL: {error}")
        return
    builder.set(
        "cipher_suites.tls12",
        [s.iana_name for s in suites],
        loc,
        note=f"what {openssl.note} offers for this list (curl passes it to its TLS backend): no PSK suites"
        " without a PSK callback, no SRP suites without --tlsuser, none the security level refuses",
        items=(loc,) * len(suites),
    )


def _tls13_ciphers(builder: EndpointBuilder, option: Option, result: ParseResult) -> None:
    from tlslint.catalog.openssl_ciphers import CipherStringError, parse_ciphersuites

    loc = option.value_location or option.location
    if option.dynamic or option.value is None:
        builder.unknown("cipher_suites.tls13", loc, "the TLS 1.3 suites are given at run time")
        return
    try:
        suites = parse_ciphersuites(option.value)
    except CipherStringError as error:
        result.diagnostics.append(Diagnostic(loc, f"--tls13-ciphers {option.value!r}: {error}", "warning"))
        builder.unknown("cipher_suites.tls13", loc, f"curl rejects this list with OpenSSL: {error}")
        return
    builder.set("cipher_suites.tls13", [s.iana_name for s in suites], loc, items=(loc,) * len(suites))


def _groups(builder: EndpointBuilder, option: Option, result: ParseResult, context: ParseContext) -> None:
    """``--curves``: curl hands the list to OpenSSL, and every transfer fails (exit 59, "failed setting
    curves list") when OpenSSL rejects it; a list only the assumed OpenSSL rejects gets a warning."""
    from tlslint.catalog.engine_defaults import version_for
    from tlslint.catalog.groups import lookup_group
    from tlslint.catalog.openssl_lists import group_list_error

    loc = option.value_location or option.location
    if option.dynamic or option.value is None:
        builder.unknown("groups", loc, "the groups are given at run time")
        return
    openssl, given = version_for("openssl", context.engine_versions)
    rejected = group_list_error(option.value, openssl)
    if rejected is not None:
        setting = f"--curves {option.value!r}"
        if rejected.certain(not given):
            said = f"{setting}: {rejected.message}; every transfer fails"
            result.diagnostics.append(Diagnostic(loc, said, "warning"))
            builder.unknown("groups", loc, f"curl fails with OpenSSL {openssl}: {rejected.message}")
            return
        said = rejected.assumed(setting, "every transfer fails", openssl)
        result.diagnostics.append(Diagnostic(loc, said, "warning"))
    names = []
    for raw in option.value.split(":"):
        group = lookup_group(raw.strip())
        names.append(group.iana_name if group is not None else raw.strip())
    builder.set("groups", names, loc, items=(loc,) * len(names))


# --- .curlrc ---------------------------------------------------------------------------------------

_RC_LINE = re.compile(r"^[ \t]*(?P<dashes>-{1,2})?(?P<name>[A-Za-z0-9][A-Za-z0-9.-]*)(?P<rest>.*)$")


def parse_curlrc(path: str, text: str, context: ParseContext) -> ParseResult:
    """A ``.curlrc``: one option per line, ``name = value`` / ``name value`` / ``--name value``.

    The file sets defaults for every curl run of that user; only what it writes is recorded (the
    command lines that use it carry curl's built-in defaults)."""
    from tlslint.repo import repo_relative

    result = ParseResult()
    where = Location(path, 1, 1)
    builder = EndpointBuilder(f"curlrc:{repo_relative(path)}", where, "curl", label=f"curl defaults ({path})")
    builder.set("role", "client", where)
    builder.set("source.partial", True, where, note="a defaults file: only what it writes is judged")
    options: list[Option] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _RC_LINE.match(line)
        if not match:
            continue
        name = match["name"]
        loc = Location(path, number, match.start("name") + 1, number, match.end("name") + 1)
        if match["dashes"] == "-" and len(name) >= 1:
            name = SHORT.get(name[0], name[0])
        else:  # a config file's names are matched as the command line's
            meant = long_name(name, loc, context, result, config_file=True)
            if meant is None:
                continue
            name = meant
        rest = match["rest"]
        value: str | None = None
        value_loc = None
        sep = re.match(r"[ \t]*[=:]?[ \t]*" if not match["dashes"] else r"[ \t]+", rest)
        raw = rest[sep.end() :] if sep else ""
        if raw.strip():
            col = match.end("name") + (sep.end() if sep else 0) + 1
            if raw.startswith('"'):
                close = raw.find('"', 1)
                value = raw[1 : close if close > 0 else None].replace('\\"', '"')
            else:
                value = raw.split()[0]
            value_loc = Location(path, number, col, number, col + len(raw.rstrip()))
        options.append(Option(name, value, loc, value_loc))
    apply_options(builder, options, context, result)
    urls = [(o.value, o.value_location or o.location, False) for o in options if o.name == "url" and o.value]
    _apply_url(builder, urls)
    if len(builder.subject.fields) > 3:  # more than role, source.confidence and source.partial
        result.subjects.append(builder.build())
    return result
