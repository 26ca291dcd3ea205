"""HAProxy configuration (``haproxy.cfg``): TLS on ``bind`` lines (server side) and ``server`` /
``default-server`` lines (client side), with ``global`` ``ssl-default-bind-*`` /
``ssl-default-server-*`` defaults.

Each ``bind … ssl`` is a server endpoint ``haproxy:bind[FRONTEND:ADDR:PORT]``; each ``server … ssl``
a client endpoint ``haproxy:server[BACKEND/NAME]``. HAProxy builds the ``SSL_CTX`` like this, and
:mod:`tlslint.sources.openssl_offer` models it: OpenSSL's defaults and the system ``openssl.cnf``;
the protocol range from ``ssl-min-ver``/``ssl-max-ver``/``no-tlsv1x`` on the line, else from the
global ``ssl-default-*-options``, else HAProxy's default minimum (TLS 1.2 since 2.2); ``ciphers`` /
``ciphersuites`` from the line, else the global default, else OpenSSL's own. The server's cipher
order wins unless ``prefer-client-ciphers``. Only the first ``crt`` of a ``bind`` line serves a
client that sends no SNI, so it decides the key type (docs/engines/haproxy.md).
"""

from __future__ import annotations

import os
import re
from typing import Any

from tlslint.catalog.haproxy_keywords import CHECKED_GLOBAL_PREFIXES, Keywords
from tlslint.errors import InputError
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.records import Record
from tlslint.sources.base import ParseContext, ParseResult

ENGINE = "haproxy"
_SECTIONS = frozenset(
    [
        "global",
        "defaults",
        "frontend",
        "backend",
        "listen",
        "resolvers",
        "peers",
        "userlist",
        "cache",
        "program",
        "http-errors",
        "ring",
        "mailers",
        "crt-store",
        "traces",
        "log-forward",
        "fcgi-app",
    ]
)
_NO_FLAGS = {
    "no-sslv3": "SSLv3",
    "no-tlsv10": "TLSv1.0",
    "no-tlsv11": "TLSv1.1",
    "no-tlsv12": "TLSv1.2",
    "no-tlsv13": "TLSv1.3",
}
_FORCE = {
    "force-sslv3": "SSLv3",
    "force-tlsv10": "TLSv1.0",
    "force-tlsv11": "TLSv1.1",
    "force-tlsv12": "TLSv1.2",
    "force-tlsv13": "TLSv1.3",
}
# HAProxy reads keywords and their values exactly (strcmp): "SSL" on a bind line, "ssl-min-ver tlsv1.2"
# and "verify NONE" stop it (haproxy -c, tests/engines/test_haproxy_live.py).
_VERSIONS = {"SSLv3": "SSLv3", "TLSv1.0": "TLSv1.0", "TLSv1.1": "TLSv1.1", "TLSv1.2": "TLSv1.2", "TLSv1.3": "TLSv1.3"}
_VERIFY = frozenset({"none", "optional", "required"})
#: Something HAProxy refuses, where it is written: (place, what, severity). An ``error``'s text follows
#: "HAProxy refuses to start: "; a ``warning`` (a refusal that depends on an assumed version) is a sentence.
Problem = tuple[Location, str, str]


#: Global keywords of a list setting, by the side it applies to and the line option it stands for.
_GLOBAL_LISTS = {
    "ssl-default-bind-curves": ("bind", "curves"),
    "ssl-default-server-curves": ("server", "curves"),
    "ssl-default-bind-sigalgs": ("bind", "sigalgs"),
    "ssl-default-bind-client-sigalgs": ("bind", "client-sigalgs"),
    "ssl-default-server-sigalgs": ("server", "sigalgs"),
    "ssl-default-server-client-sigalgs": ("server", "client-sigalgs"),
}

#: Section headers and the section keywords tlslint reads: written in another case, HAProxy does not know
#: them and refuses to start.
_LINE_KEYWORDS = frozenset(
    [
        *_SECTIONS,
        "bind",
        "server",
        "default-server",
        "timeout",
        "ssl-default-bind-options",
        "ssl-default-server-options",
        "ssl-default-bind-ciphers",
        "ssl-default-bind-ciphersuites",
        *_GLOBAL_LISTS,
        "ssl-default-server-ciphers",
        "ssl-default-server-ciphersuites",
        "crt-base",
        "ca-base",
        "ssl-dh-param-file",
        "tune.ssl.default-dh-param",
        "tune.ssl.keylog",
        "ssl-server-verify",
    ]
)

#: ``timeout`` names HAProxy knows (lower case only: ``timeout Client 5s`` stops it).
_TIMEOUT_NAMES = frozenset(
    [
        "client",
        "server",
        "connect",
        "check",
        "queue",
        "http-keep-alive",
        "http-request",
        "tunnel",
        "tarpit",
        "client-fin",
        "server-fin",
    ]
)

#: bind keywords that make HAProxy accept client certificates with these verification errors.
_IGNORE_ERR = ("ca-ignore-err", "crt-ignore-err")
#: bind/server keywords whose argument is kept (the arguments of the others are skipped, by HAProxy's counts).
_VALUED = frozenset(
    [
        "ciphers",
        "ciphersuites",
        "verify",
        "crt",
        "ca-file",
        "sni",
        "verifyhost",
        "curves",
        "sigalgs",
        "client-sigalgs",
        "tls-ticket-keys",
        "crt-list",
        *_IGNORE_ERR,
    ]
)
#: OpenSSL verification errors about the validity period (X509_V_ERR_CERT_NOT_YET_VALID, _HAS_EXPIRED).
_VALIDITY_ERRORS = frozenset({"9", "10", "x509_v_err_cert_not_yet_valid", "x509_v_err_cert_has_expired"})


class Word(Record):
    """One word of an HAProxy line, with its place."""

    __slots__ = ("text", "location")

    text: str
    location: Location

    def __init__(self, text: str, location: Location) -> None:
        self.text = text
        self.location = location


class Line(Record):
    """One HAProxy configuration line, split into words."""

    __slots__ = ("words",)

    words: list[Word]

    def __init__(self, words: list[Word]) -> None:
        self.words = words

    @property
    def keyword(self) -> str:
        """The line's keyword as written: HAProxy knows its keywords in lower case only."""
        return self.words[0].text

    @property
    def location(self) -> Location:
        return self.words[0].location


class Section(Record):
    """An HAProxy section (global, defaults, frontend, backend, listen ...) and its lines."""

    __slots__ = ("kind", "name", "location", "lines")

    kind: str
    name: str
    location: Location
    lines: list[Line]

    def __init__(self, kind: str, name: str, location: Location, lines: list[Line] | None = None) -> None:
        self.kind = kind
        self.name = name
        self.location = location
        self.lines = [] if lines is None else lines


def tokenize(path: str, text: str) -> list[Section]:
    """Sections with their lines; words keep line and column. ``#`` outside quotes starts a comment;
    quotes group words; a backslash escapes the next character."""
    sections: list[Section] = []
    current: Section | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        words: list[Word] = []
        i, n = 0, len(raw)
        while i < n:
            if raw[i].isspace():
                i += 1
                continue
            if raw[i] == "#":
                break
            start = i
            chars = []
            quote = None
            while i < n and (quote or not raw[i].isspace()):
                ch = raw[i]
                if quote:
                    if ch == quote:
                        quote = None
                    elif ch == "\\" and quote == '"' and i + 1 < n:
                        i += 1
                        chars.append(raw[i])
                    else:
                        chars.append(ch)
                elif ch in "\"'":
                    quote = ch
                elif ch == "\\" and i + 1 < n:
                    i += 1
                    chars.append(raw[i])
                elif ch == "#":
                    break
                else:
                    chars.append(ch)
                i += 1
            if quote:
                raise InputError(Location(path, number, start + 1), "unterminated quote")
            words.append(Word("".join(chars), Location(path, number, start + 1, number, i + 1)))
            if i < n and raw[i] == "#":
                break
        if not words:
            continue
        key = words[0].text  # HAProxy compares keywords exactly: "Frontend" is an unknown keyword of the section
        if key in _SECTIONS and (raw[:1].strip() or key in ("global", "defaults", "frontend", "backend", "listen")):
            current = Section(key, words[1].text if len(words) > 1 else "", words[0].location)
            sections.append(current)
            continue
        if current is None:
            raise InputError(words[0].location, f"'{words[0].text}' outside of any section")
        current.lines.append(Line(words))
    return sections


class _Options(Record):
    """TLS settings from a ``bind``/``server`` line or a global ``ssl-default-*-options``."""

    __slots__ = (
        "min_version",
        "max_version",
        "disabled",
        "ciphers",
        "ciphersuites",
        "prefer_client",
        "no_tickets",
        "verify",
        "values",
        "certificates",
        "problems",
        "tls",
    )

    min_version: Located[str] | None
    max_version: Located[str] | None
    disabled: dict[str, Located[bool]]
    ciphers: Located[str] | None
    ciphersuites: Located[str] | None
    prefer_client: Located[bool] | None
    no_tickets: Located[bool] | None
    verify: Located[str] | None
    values: dict[str, Located[str]]
    certificates: list[Word]
    #: What makes HAProxy refuse to start, where it is written (said by the caller, once): see :data:`Problem`.
    problems: list[Problem]
    #: Whether the line speaks TLS: its ``ssl`` keyword, or ``no-ssl`` on a server taking back the
    #: default-server's (None: neither). A word that is an argument (``ca-file ssl``) is not the keyword.
    tls: bool | None

    def __init__(
        self,
        min_version: Located[str] | None = None,
        max_version: Located[str] | None = None,
        disabled: dict[str, Located[bool]] | None = None,
        ciphers: Located[str] | None = None,
        ciphersuites: Located[str] | None = None,
        prefer_client: Located[bool] | None = None,
        no_tickets: Located[bool] | None = None,
        verify: Located[str] | None = None,
        values: dict[str, Located[str]] | None = None,
        certificates: list[Word] | None = None,
        problems: list[Problem] | None = None,
        tls: bool | None = None,
    ) -> None:
        self.min_version = min_version
        self.max_version = max_version
        self.disabled = {} if disabled is None else disabled
        self.ciphers = ciphers
        self.ciphersuites = ciphersuites
        self.prefer_client = prefer_client
        self.no_tickets = no_tickets
        self.verify = verify
        self.values = {} if values is None else values
        self.certificates = [] if certificates is None else certificates
        self.problems = [] if problems is None else problems
        self.tls = tls


def _read_options(
    words: list[Word], origin: Origin, options: _Options | None, keywords: Keywords, *, judge: bool = True
) -> _Options:
    """The options of a bind or server line, of ``ssl-default-*-options`` or of a crt-list entry. A keyword
    the HAProxy version does not know (``keywords``) is a problem and is not read, and the keywords'
    arguments are told by HAProxy's own counts; at a keyword no release knows (whose arguments cannot be
    told) the rest of the line is not read, as HAProxy stops there too. Without ``judge`` (a crt-list
    entry, whose keywords HAProxy keeps in a table of its own) only a known keyword in another case is a
    problem, and an unknown one is passed over."""
    options = options or _Options()
    i = 0
    while i < len(words):
        word = words[i]
        key = word.text.lower()
        arg = words[i + 1] if i + 1 < len(words) else None
        if judge:
            problem = keywords.problem(word.text, word.location)
        elif key != word.text and keywords.arguments(key) is not None:
            problem = ("error", f"unknown keyword '{word.text}' (keywords are lower case)")
        else:
            problem = None
        if problem is not None:
            options.problems.append((word.location, problem[1], problem[0]))
            if key == "ssl":  # "SSL": HAProxy stops (said); read on as the TLS line it was meant to be
                options.tls = True
            count = keywords.arguments(key)
            if count is None:  # its arguments cannot be told from the keywords after it
                break
            i += 1 + _arguments(words, i, count)
            continue

        def located(value: Any, where: Location = word.location) -> Located[Any]:
            return Located(value, origin, where)

        if key in ("ssl-min-ver", "ssl-max-ver") and arg is not None:
            version = _VERSIONS.get(arg.text)
            if version is None:
                options.problems.append((arg.location, f"'{arg.text}' : unknown ssl/tls version", "error"))
            else:
                if key == "ssl-min-ver":
                    options.min_version = located(version, arg.location)
                else:
                    options.max_version = located(version, arg.location)
            i += 2
            continue
        if key in ("ssl", "no-ssl"):
            options.tls = key == "ssl"
        elif key in _NO_FLAGS:
            options.disabled[_NO_FLAGS[key]] = located(True)
        elif key in _FORCE:
            options.min_version = options.max_version = located(_FORCE[key])
        elif key == "prefer-client-ciphers":
            options.prefer_client = located(True)
        elif key == "no-tls-tickets":
            options.no_tickets = located(True)
        elif key == "allow-0rtt":
            options.values["allow-0rtt"] = located("on")
        elif key in _VALUED and arg:
            if key == "ciphers":
                options.ciphers = located(arg.text, arg.location)
            elif key == "ciphersuites":
                options.ciphersuites = located(arg.text, arg.location)
            elif key == "verify":
                if arg.text in _VERIFY:
                    options.verify = located(arg.text, arg.location)
                else:
                    options.problems.append(
                        (arg.location, f"verify '{arg.text}' is none of none, optional, required", "error")
                    )
            elif key == "crt":
                options.certificates.append(arg)
            else:
                options.values[key] = located(arg.text, arg.location)
            i += 2
            continue
        i += 1 + _arguments(words, i, keywords.arguments(key) or 0)
    return options


def _arguments(words: list[Word], at: int, count: int) -> int:
    """How many words after ``words[at]`` are its arguments, for a keyword taking ``count``. The one
    keyword of a variable count, ``source <addr> [usesrc <addr>] [interface <name>]``, reads its own
    (HAProxy's server parser does the same)."""
    if count >= 0:
        return count
    taken = 1  # the address
    while at + taken + 2 < len(words) and words[at + taken + 1].text in ("usesrc", "interface"):
        taken += 2
    return taken


def _merge(line: _Options, default: _Options) -> _Options:
    """A line's own settings over the global defaults, field by field (``inherited`` where taken)."""
    out = _Options()

    def pick(own: Any, base: Any) -> Any:
        return own if own is not None else (base.inherited() if base is not None else None)

    out.min_version = pick(line.min_version, default.min_version)
    out.max_version = pick(line.max_version, default.max_version)
    out.disabled = {k: v.inherited() for k, v in default.disabled.items()} | line.disabled
    out.ciphers = pick(line.ciphers, default.ciphers)
    out.ciphersuites = pick(line.ciphersuites, default.ciphersuites)
    out.prefer_client = pick(line.prefer_client, default.prefer_client)
    out.no_tickets = pick(line.no_tickets, default.no_tickets)
    out.verify = pick(line.verify, default.verify)
    out.values = {k: v.inherited() for k, v in default.values.items()} | line.values
    out.certificates = line.certificates
    return out


def _suites_taken(setting: Located[Any], state: Any, diagnostics: list[Diagnostic], *, tls13: bool) -> bool:
    """Whether OpenSSL takes a bind's or server's ``ciphers`` (``ciphersuites``: ``tls13``); if not, HAProxy
    refuses to start, said at the value."""
    from tlslint.sources.openssl_offer import suites_rejected

    why = suites_rejected(str(setting.value), state.openssl_version, tls13=tls13)
    if why is None:
        return True
    diagnostics.append(Diagnostic(setting.location or Location("<unknown>"), f"HAProxy refuses to start: {why}"))
    return False


def _list_taken(name: str, setting: Located[Any], state: Any, diagnostics: list[Diagnostic]) -> bool:
    """Whether a ``curves``, ``sigalgs`` or ``client-sigalgs`` list (of a line or its global default) is
    used: HAProxy stops when OpenSSL rejects it ("unable to set SSL curves list"); a list only the assumed
    OpenSSL rejects gets a warning and is used."""
    from tlslint.catalog.openssl_lists import group_list_error, sigalg_list_error

    check = group_list_error if name == "curves" else sigalg_list_error
    rejected = check(str(setting.value), state.openssl_version)
    if rejected is None:
        return True
    if rejected.certain(state.openssl_assumed):
        diagnostic = Diagnostic(setting.location, f"HAProxy refuses to start: {name}: {rejected.message}")
    else:
        said = rejected.assumed(name, "HAProxy refuses to start", state.openssl_version)
        diagnostic = Diagnostic(setting.location, said, "warning")
    diagnostics.append(diagnostic)
    return diagnostic.severity == "warning"


def _offer(
    options: _Options,
    side: str,
    context: ParseContext,
    anchor: Location,
    key_types: set[str] | None,
    diagnostics: list[Diagnostic],
    dh_params: Located[int] | bool = False,
    quic: Located[str] | None = None,
) -> dict[str, Located[Any]]:
    from tlslint.catalog import engine_defaults
    from tlslint.catalog.versions import VERSIONS, rank
    from tlslint.sources import openssl_offer

    state = openssl_offer.openssl_defaults(context.engine_versions)
    openssl_offer.apply_system_policy(state, context.engine_versions)
    if isinstance(dh_params, Located) and not openssl_offer.dh_allowed(dh_params.value, state.security_level.value):
        # HAProxy loads DH parameters into the context before a bind's own ciphers (and their
        # @SECLEVEL) apply: OpenSSL refuses a group below the level in force then, and HAProxy goes on
        # without DHE.
        message = (
            f"HAProxy drops the {dh_params.value}-bit DH parameters: OpenSSL security level "
            f"{state.security_level.value} refuses them when they are loaded (a bind's @SECLEVEL applies later)"
        )
        diagnostics.append(Diagnostic(dh_params.location or anchor, message, "warning"))
        dh_params = False
    minimum = options.min_version
    if minimum is None:
        value, note = engine_defaults.default(ENGINE, "ssl-min-ver", context.engine_versions)
        minimum = Located(value, Origin.DEFAULT, anchor, note=note)
    maximum = options.max_version or Located(None, minimum.origin if options.min_version else Origin.DEFAULT, anchor)
    # no-tlsv1x flags: HAProxy turns the enabled set into one range without holes, starting at the
    # lowest enabled version.
    # With ssl-min-ver/ssl-max-ver written, HAProxy ignores the no-tlsv1x flags (seen on 2.6).
    bounded = options.min_version is not None or options.max_version is not None
    enabled = [
        v
        for v in VERSIONS[1:]
        if rank(v) >= rank(minimum.value)
        and (maximum.value is None or rank(v) <= rank(maximum.value))
        and (bounded or not (v in options.disabled and options.disabled[v].value))
    ]
    if enabled:
        low = enabled[0]
        high = low
        for version in VERSIONS[rank(low) + 1 :]:
            if version not in enabled:
                break
            high = version
        flag = None if bounded else next(iter(options.disabled.values()), None)
        setting = minimum if options.min_version is not None or flag is None else flag
        state.set_bounds(setting.replace(value=low), (maximum if maximum.value else setting).replace(value=high))
    else:
        diagnostics.append(Diagnostic(anchor, "no TLS version left enabled on this line", "warning"))
        state.set_bounds(minimum.replace(value="TLSv1.3"), minimum.replace(value="TLSv1.2"))
    if quic is not None:
        # QUIC carries TLS 1.3 only (RFC 9001), whatever the bind's version options say.
        tls13 = quic.replace(value="TLSv1.3", note="a QUIC listener speaks TLS 1.3 only (RFC 9001)")
        state.set_bounds(tls13, tls13)
    # A list OpenSSL rejects stops HAProxy ("unable to set SSL cipher list"): said, and read on without it.
    if options.ciphers is not None and _suites_taken(options.ciphers, state, diagnostics, tls13=False):
        state.set_cipher_string(options.ciphers)
    if options.ciphersuites is not None and _suites_taken(options.ciphersuites, state, diagnostics, tls13=True):
        state.set_ciphersuites(options.ciphersuites)
    # Lists a line has only where the HAProxy version knows them (server curves and sigalgs since 2.9).
    curves = options.values.get("curves")
    if curves is not None and _list_taken("curves", curves, state, diagnostics):
        state.groups = curves.replace(value=str(curves.value).split(":"))
    sigalgs = options.values.get("sigalgs")
    if sigalgs is not None and _list_taken("sigalgs", sigalgs, state, diagnostics):
        state.signature_algorithms = sigalgs.replace(value=str(sigalgs.value).split(":"))
    client_sigalgs = options.values.get("client-sigalgs")  # checked; the model has no field for it
    if client_sigalgs is not None:
        _list_taken("client-sigalgs", client_sigalgs, state, diagnostics)
    offer = openssl_offer.compute(state, key_types=key_types, dh_params=dh_params, anchor=anchor)
    diagnostics.extend(offer.diagnostics)
    out = {}
    for name, value in offer.fields.items():
        out[name] = value if value.location is not None else value.replace(location=anchor)
    if side == "bind":
        prefer = options.prefer_client
        out["cipher_suites.prefer_server_order"] = (
            prefer.replace(value=False)
            if prefer is not None
            else Located(True, Origin.DEFAULT, anchor, note="HAProxy default")
        )
    tickets = options.no_tickets
    out["session.tickets"] = (
        tickets.replace(value=False) if tickets else Located(True, Origin.DEFAULT, anchor, note="HAProxy default")
    )
    if side == "bind":
        keys = options.values.get("tls-ticket-keys")
        out["session.ticket_key_rotation"] = (
            keys.replace(value=None, origin=Origin.UNKNOWN, note="keys from a file; the runtime API can replace them")
            if keys is not None
            else Located(
                False,
                Origin.DEFAULT,
                anchor,
                note="no tls-ticket-keys: the ticket keys are made at start-up and kept until HAProxy restarts",
            )
        )
    return out


def _client_verification(subject: Subject, options: _Options) -> None:
    """``verify optional|required`` on a ``bind``: the client's chain is verified unless
    ``ca-ignore-err all`` / ``crt-ignore-err all`` accept every error; ignoring the expiry errors
    turns the validity-period check off."""
    verify = options.verify
    if verify is None or verify.value not in ("optional", "required"):
        return
    ignored = [options.values[k] for k in _IGNORE_ERR if k in options.values]
    everything = next((i for i in ignored if i.value.lower() == "all"), None)
    subject.set("verify.peer", everything.replace(value=False) if everything else verify.replace(value=True))
    for item in ignored:
        codes = {code.strip().lower() for code in item.value.split(",")}
        if codes & _VALIDITY_ERRORS:  # "all" is already "not verified at all"
            subject.set("verify.validity_period", item.replace(value="skip"))


def _address(text: str) -> tuple[str, int | None]:
    host, _, port = text.rpartition(":")
    if not _:
        return text, None
    host = host.strip("[]") or "*"
    return host, int(port) if port.isdigit() else None


def _certificate_paths(words: list[Word], base: str | None, config_dir: str) -> list[str]:
    from tlslint import safe_read

    paths = []
    for word in words:
        path = word.text
        if not os.path.isabs(path):
            path = os.path.join(base or config_dir, path)
        if os.path.isdir(path) and not safe_read.outside(path):  # never list a directory outside the tree
            paths.extend(
                sorted(
                    os.path.join(path, f)
                    for f in os.listdir(path)
                    if not f.endswith((".key", ".ocsp", ".issuer", ".sctl"))
                )
            )
        else:
            paths.append(path)
    return paths


def _pem_dh(words: list[Word], base: str | None, config_dir: str) -> Located[int] | None:
    """DH parameters in the first certificate's PEM file (HAProxy reads them from there first)."""
    from tlslint.sources import certinfo

    for path in _certificate_paths(words, base, config_dir):
        bits = certinfo.dh_bits(path)
        if bits is not None:
            return Located(bits, Origin.EXPLICIT, words[0].location, note=f"{bits}-bit DH group in the crt file")
    return None


def _crt_list(
    ref: Located[str], crt_base: str | None, config_dir: str, diagnostics: list[Diagnostic]
) -> list[tuple[list[Word], Location, str]]:
    """The entries of a ``crt-list`` file: ``CERT [options] [sni ...]`` per line. Each entry becomes
    ``(words for _read_options -- "crt CERT" and the bracketed options, where it is, its label)``; the
    label is its first SNI filter, else the certificate's file name."""
    from tlslint import safe_read
    from tlslint.errors import InputError

    path = _relative(str(ref.value), config_dir)
    try:
        text = safe_read.read_text(path, limit=1024 * 1024)
    except InputError as error:  # missing, outside the tree, not a regular file, too large
        where = ref.location or Location(config_dir)
        diagnostics.append(Diagnostic(where, f"crt-list {ref.value}: not read ({error.message})", "warning"))
        return []
    from tlslint.run import display_path

    shown = display_path(path)
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0]
        words = [Word(m[0], Location(shown, number, m.start() + 1)) for m in re.finditer(r"\[[^\]]*\]|[^\s\[]+", line)]
        if not words:
            continue
        cert, rest = words[0], words[1:]
        option_words: list[Word] = [Word("crt", cert.location), cert]
        filters = []
        for word in rest:
            if word.text.startswith("["):
                inner = word.text[1:-1]
                offset = word.location.column or 1
                option_words += [
                    Word(m[0], Location(shown, number, offset + 1 + m.start())) for m in re.finditer(r"\S+", inner)
                ]
            else:
                filters.append(word.text)
        label = filters[0] if filters else os.path.basename(cert.text)
        entries.append((option_words, cert.location, label))
    return entries


def _relative(path: str, base: str) -> str:
    return path if os.path.isabs(path) else os.path.join(base, path)


_TIME = re.compile(r"^(\d+)(us|ms|s|m|h|d)?$")
_TIME_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}

#: HAProxy timeouts → endpoint fields, per side. A TLS handshake on a bind is bounded by
#: ``timeout client-hs`` (2.8+) or else ``timeout client``; towards a server by ``connect``/``server``.
_TIMEOUT_FIELDS = {
    "bind": {"client": "connection.timeouts.idle", "client-hs": "connection.timeouts.handshake"},
    "server": {"connect": "connection.timeouts.connect", "server": "connection.timeouts.idle"},
}


def _section_timeouts(sections: list[Section]) -> dict[int, dict[str, Located[float]]]:
    """Effective ``timeout`` settings of each proxy section (by ``id``): its own over those of the
    ``defaults`` section before it (origin ``inherited``). A bare number is milliseconds."""
    effective: dict[int, dict[str, Located[float]]] = {}
    defaults: dict[str, Located[float]] = {}
    for section in sections:
        own: dict[str, Located[float]] = {}
        for line in section.lines:
            if line.keyword != "timeout" or len(line.words) < 3:
                continue
            match = _TIME.match(line.words[2].text)
            if match:
                seconds = int(match[1]) * _TIME_UNITS[match[2] or "ms"]
                own[line.words[1].text] = Located(seconds, Origin.EXPLICIT, line.words[2].location)  # exact
        if section.kind == "defaults":
            defaults = own
            continue
        inherited = {name: value.replace(origin=Origin.INHERITED) for name, value in defaults.items()}
        effective[id(section)] = {**inherited, **own}
    return effective


def _set_timeouts(subject: Subject, side: str, timeouts: dict[str, Located[float]]) -> None:
    for name, path in _TIMEOUT_FIELDS[side].items():
        if name in timeouts:
            subject.set(path, timeouts[name])


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.catalog import engine_defaults
    from tlslint.sources import certinfo

    result = ParseResult()
    sections = tokenize(path, text)
    version, given = engine_defaults.version_for(ENGINE, context.engine_versions)
    bind_keywords, server_keywords, global_keywords, bind_options, server_options = (
        Keywords(kind, version, given, context.budget)
        for kind in ("bind", "server", "global", "bind-options", "server-options")
    )
    bind_defaults, server_defaults = _Options(), _Options()
    read = [bind_defaults, server_defaults]  # every line's options, for what HAProxy refuses in them
    refusals: list[Problem] = []  # what HAProxy refuses outside bind and server options
    for section in sections:  # a keyword tlslint reads, in another case: unknown to HAProxy, which stops
        for line in section.lines:
            written = line.keyword
            if written != written.lower() and written.lower() in _LINE_KEYWORDS:
                refusals.append((line.location, f"unknown keyword '{written}' (keywords are lower case)", "error"))
            elif written == "timeout" and len(line.words) > 1:
                name = line.words[1]
                if name.text != name.text.lower() and name.text.lower() in _TIMEOUT_NAMES:
                    refusals.append(
                        (name.location, f"'timeout' does not know '{name.text}' (names are lower case)", "error")
                    )
    crt_base: str | None = None
    ca_base: str | None = None
    server_verify: Located[str] | None = None
    # DHE needs DH parameters: a global file or size, or a DH PARAMETERS block in the crt PEM. Without
    # them HAProxy (2.6, OpenSSL 3) negotiates no DHE suite.
    dh_global: Located[int] | bool = False
    dh_file: Located[int] | bool | None = None
    keylog: Located[bool] | None = None
    for section in sections:
        if section.kind != "global":
            continue
        for line in section.lines:
            rest = line.words[1:]
            key = line.keyword
            if key.lower().startswith(CHECKED_GLOBAL_PREFIXES):
                problem = global_keywords.problem(key, line.location)
                if problem is not None:  # not read: the HAProxy version does not know it
                    if key == key.lower() or key.lower() not in _LINE_KEYWORDS:  # (else said above)
                        refusals.append((line.location, problem[1], problem[0]))
                    continue
            if not rest:
                continue
            if key == "ssl-default-bind-options":
                _read_options(rest, Origin.EXPLICIT, bind_defaults, bind_options)
            elif key == "ssl-default-server-options":
                _read_options(rest, Origin.EXPLICIT, server_defaults, server_options)
            elif key == "ssl-default-bind-ciphers":
                bind_defaults.ciphers = Located(rest[0].text, Origin.EXPLICIT, rest[0].location)
            elif key == "ssl-default-bind-ciphersuites":
                bind_defaults.ciphersuites = Located(rest[0].text, Origin.EXPLICIT, rest[0].location)
            elif key in _GLOBAL_LISTS:
                side, name = _GLOBAL_LISTS[key]
                defaults = bind_defaults if side == "bind" else server_defaults
                defaults.values[name] = Located(rest[0].text, Origin.EXPLICIT, rest[0].location)
            elif key == "ssl-default-server-ciphers":
                server_defaults.ciphers = Located(rest[0].text, Origin.EXPLICIT, rest[0].location)
            elif key == "ssl-default-server-ciphersuites":
                server_defaults.ciphersuites = Located(rest[0].text, Origin.EXPLICIT, rest[0].location)
            elif key == "crt-base":
                crt_base = rest[0].text
            elif key == "ca-base":
                ca_base = rest[0].text
            elif key == "ssl-dh-param-file":
                bits = certinfo.dh_bits(_relative(rest[0].text, os.path.dirname(os.path.abspath(path))))
                dh_file = Located(bits, Origin.EXPLICIT, rest[0].location) if bits else True
            elif key == "tune.ssl.default-dh-param":
                size = rest[0].text
                dh_global = Located(int(size), Origin.EXPLICIT, rest[0].location) if size.isdigit() else True
            elif key == "tune.ssl.keylog":
                if rest[0].text == "on":
                    keylog = Located(True, Origin.EXPLICIT, rest[0].location, note="tune.ssl.keylog on")
                elif rest[0].text != "off":
                    refusals.append((rest[0].location, f"tune.ssl.keylog '{rest[0].text}' is not on or off", "error"))
            elif key == "ssl-server-verify":
                if rest[0].text in ("none", "required"):
                    server_verify = Located(rest[0].text, Origin.EXPLICIT, rest[0].location)
                else:
                    refusals.append(
                        (rest[0].location, f"ssl-server-verify '{rest[0].text}' is not none or required", "error")
                    )
    config_dir = os.path.dirname(os.path.abspath(path))
    if dh_file is not None:
        dh_global = dh_file  # a parameter file wins over tune.ssl.default-dh-param
    timeouts = _section_timeouts(sections)

    def bind_endpoint(
        endpoint_id: str, anchor: Location, line: Line, section: Section, own: _Options, options: _Options
    ) -> None:
        """One TLS listener: a ``bind`` line, or one entry of its ``crt-list``."""
        host, port = _address(line.words[1].text)
        subject = Subject("endpoint", endpoint_id, anchor, ENGINE)
        subject.set("role", Located("server", Origin.EXPLICIT, anchor))
        subject.set("bind.address", Located(host, Origin.EXPLICIT, line.words[1].location))
        if port is not None:
            subject.set("bind.port", Located(port, Origin.EXPLICIT, line.words[1].location))
        key_types = None
        if own.certificates:
            first = own.certificates[:1]
            # Several crt on one bind: a client that sends SNI gets the certificate that suits it,
            # so every certificate's key type can be negotiated.
            key_types = certinfo.key_types(_certificate_paths(own.certificates, crt_base, config_dir))
            subject.set(
                "identity",
                Located(
                    [w.text for w in own.certificates],
                    Origin.EXPLICIT,
                    own.certificates[0].location,
                    items=tuple(w.location for w in own.certificates),
                ),
            )
            if key_types:
                subject.set("identity.key_types", Located(sorted(key_types), Origin.EXPLICIT, first[0].location))
        # Files the link stage (tlslint.link) connects: crt (directories expanded) and ca-file.
        crts = [(p, w.location) for w in own.certificates for p in _certificate_paths([w], crt_base, config_dir)]
        if crts:
            where = tuple(w for _, w in crts)
            subject.set("identity.certificate_files", Located([p for p, _ in crts], items=where, location=where[0]))
        ca_file = options.values.get("ca-file")
        if ca_file is not None and not str(ca_file.value).startswith("@"):
            ca_path = os.path.normpath(os.path.join(ca_base or config_dir, str(ca_file.value)))
            subject.set("trust.store_files", ca_file.replace(value=[ca_path], items=(ca_file.location,)))
        dh = _pem_dh(own.certificates[:1], crt_base, config_dir) or dh_global
        address = line.words[1]
        quic = (
            Located("quic", Origin.EXPLICIT, address.location)
            if address.text.lower().startswith(("quic4@", "quic6@"))
            else None
        )
        offer = _offer(options, "bind", context, anchor, key_types, result.diagnostics, dh, quic)
        for name, value in offer.items():
            subject.set(name, value)
        early = options.values.get("allow-0rtt")
        subject.set(
            "early_data",
            early.replace(value=True)
            if early is not None
            else Located(False, Origin.DEFAULT, anchor, note="HAProxy default (no allow-0rtt)"),
        )
        if keylog is not None:
            subject.set("logging.keylog", keylog.inherited())
        verify = options.verify
        mode = {"none": "none", "optional": "optional", "required": "required"}
        if verify is not None:
            subject.set("client_auth.mode", verify.replace(value=mode.get(verify.value, "none")))
            _client_verification(subject, options)
        else:
            subject.set("client_auth.mode", Located("none", Origin.DEFAULT, anchor, note="HAProxy default"))
        _set_timeouts(subject, "bind", timeouts.get(id(section), {}))
        result.subjects.append(subject)

    defaults_server: list[Word] = []
    for section in sections:
        if section.kind == "defaults":
            defaults_server = []
        for line in section.lines:
            key = line.keyword
            if key == "default-server":
                if section.kind == "defaults":
                    defaults_server = line.words[1:]
                continue
            if key == "bind" and section.kind in ("frontend", "listen") and len(line.words) > 1:
                words = line.words[2:]
                own = _read_options(words, Origin.EXPLICIT, None, bind_keywords)
                read.append(own)  # what HAProxy refuses on a line without TLS stops it as well
                if not own.tls:
                    continue
                options = _merge(own, bind_defaults)
                base_id = f"haproxy:bind[{section.name}:{line.words[1].text}]"
                crt_list = own.values.get("crt-list")
                entries = _crt_list(crt_list, crt_base, config_dir, result.diagnostics) if crt_list else []
                if not entries:
                    bind_endpoint(base_id, line.location, line, section, own, options)
                for entry_words, anchor, label in entries:
                    entry = _read_options(entry_words, Origin.EXPLICIT, None, bind_keywords, judge=False)
                    read.append(entry)
                    # An entry's own options win over the bind line's, which win over the global ones.
                    merged = _merge(entry, options)
                    bind_endpoint(f"{base_id[:-1]} {label}]", anchor, line, section, entry, merged)
            elif key == "server" and section.kind in ("backend", "listen") and len(line.words) > 2:
                inherited = _read_options(defaults_server, Origin.INHERITED, None, server_keywords)
                own = _read_options(line.words[3:], Origin.EXPLICIT, inherited, server_keywords)
                read.append(own)
                if not own.tls:  # the default-server's words were read first: the line's own win
                    continue
                options = _merge(own, server_defaults)
                anchor = line.location
                subject = Subject("endpoint", f"haproxy:server[{section.name}/{line.words[1].text}]", anchor, ENGINE)
                subject.set("role", Located("client", Origin.EXPLICIT, anchor))
                for name, value in _offer(options, "server", context, anchor, None, result.diagnostics, True).items():
                    subject.set(name, value)
                if keylog is not None:
                    subject.set("logging.keylog", keylog.inherited())
                verify = options.verify or server_verify
                if verify is not None:
                    subject.set("verify.peer", verify.replace(value=verify.value != "none"))
                else:
                    subject.set(
                        "verify.peer",
                        Located(True, Origin.DEFAULT, anchor, note="HAProxy default (ssl-server-verify required)"),
                    )
                if server_verify is not None and server_verify.value == "none" and options.verify is None:
                    subject.set("verify.peer", server_verify.replace(value=False, origin=Origin.INHERITED))
                host = options.values.get("verifyhost") or options.values.get("sni")
                if subject.value("verify.peer"):
                    subject.set(
                        "verify.hostname",
                        host.replace(value=True)
                        if host is not None
                        else Located(
                            False, Origin.DEFAULT, anchor, note="no verifyhost or sni: the name is not checked"
                        ),
                    )
                ca = options.values.get("ca-file")
                if ca is not None:
                    subject.set("trust.store", ca)
                    subject.set("trust.system_roots", ca.replace(value=ca.value == "@system-ca"))
                    if not str(ca.value).startswith("@"):
                        ca_path = os.path.normpath(os.path.join(ca_base or config_dir, str(ca.value)))
                        subject.set("trust.store_files", ca.replace(value=[ca_path], items=(ca.location,)))
                client_crts = [
                    (p, w.location) for w in own.certificates for p in _certificate_paths([w], crt_base, config_dir)
                ]
                if client_crts:
                    where = tuple(w for _, w in client_crts)
                    subject.set(
                        "identity.certificate_files",
                        Located([p for p, _ in client_crts], items=where, location=where[0]),
                    )
                _set_timeouts(subject, "server", timeouts.get(id(section), {}))
                result.subjects.append(subject)
    # Said once each, though every bind and server line reads the global and default options again
    # (a set, not a search of the list per line: thousands of lines with values of their own stay linear).
    refused = dict.fromkeys([*refusals, *(problem for options in read for problem in options.problems)])
    result.diagnostics.extend(
        Diagnostic(where, f"HAProxy refuses to start: {what}")
        if severity == "error"
        else Diagnostic(where, what, severity)
        for where, what, severity in refused
    )
    result.diagnostics[:] = dict.fromkeys(result.diagnostics)
    return result
