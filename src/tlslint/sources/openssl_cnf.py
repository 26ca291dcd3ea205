"""OpenSSL configuration files (``openssl.cnf``, config(5)) and their system-wide TLS policy.

The reader follows config(5): ``[section]`` headers, ``name = value`` lines (the last of a name
wins), ``#`` comments, ``\\`` continuations, quotes, ``$var`` / ``${var}`` / ``$section::name`` /
``$ENV::NAME`` expansion, ``.include`` of a file or a directory's ``*.cnf``/``*.conf`` files and
``.pragma``. Every value keeps its file and line.

tlslint never reads its own environment for a configuration it lints: a value that uses
``$ENV::NAME`` (directly or through a variable) is *unknown*, so it is not applied and a warning says
so, and ``OPENSSL_CONF_INCLUDE`` is not consulted. Includes are read through
:mod:`tlslint.safe_read` (regular files inside the scanned tree), and no diagnostic quotes a line.

The TLS policy is reached through ``openssl_conf = A`` → ``[A] ssl_conf = B`` → ``[B]
system_default = C`` → ``[C]`` holding ``SSL_CONF`` commands, interpreted by
:mod:`tlslint.sources.sslconf`. The source turns it into one endpoint, ``openssl:system_default``:
what a program that configures nothing itself would offer. Engines that read the system policy
(nginx, Apache, ...) get it through ``--engine-version openssl-conf=PATH`` and
:func:`system_default`.
"""

from __future__ import annotations

import glob
import os
import re

from tlslint.budget import Budget
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.records import Record
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.sources.sslconf import SSLConf, apply

__all__ = ["CnfFile", "parse", "read_cnf", "ssl_sections", "system_default"]

MAX_INCLUDE_DEPTH = 16
#: Name of the main configuration: a ``.include``d fragment named alone is linted through it.
MAIN_NAMES = ("openssl.cnf",)
MAX_VALUE_LENGTH = 64 * 1024
MAX_FILE_BYTES = 8 * 1024 * 1024
DEFAULT_SECTION = "default"


class CnfFile(Record):
    """An OpenSSL configuration file: its sections and the place of every value."""

    __slots__ = ("path", "sections", "section_locations", "diagnostics", "files", "unknown")

    path: str
    #: section -> name -> (value, location); insertion order kept, last value wins
    sections: dict[str, dict[str, tuple[str, Location]]]
    section_locations: dict[str, Location]
    diagnostics: list[Diagnostic]
    files: list[str]
    #: (section, name) whose value depends on the environment: unknown, never applied
    unknown: set[tuple[str, str]]

    def __init__(
        self,
        path: str,
        sections: dict[str, dict[str, tuple[str, Location]]] | None = None,
        section_locations: dict[str, Location] | None = None,
        diagnostics: list[Diagnostic] | None = None,
        files: list[str] | None = None,
        unknown: set[tuple[str, str]] | None = None,
    ) -> None:
        self.path = path
        self.sections = {} if sections is None else sections
        self.section_locations = {} if section_locations is None else section_locations
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.files = [] if files is None else files
        self.unknown = set() if unknown is None else unknown

    def get(self, section: str, name: str) -> tuple[str, Location] | None:
        found = self.sections.get(section, {}).get(name)
        if found is None and section != DEFAULT_SECTION:
            found = self.sections.get(DEFAULT_SECTION, {}).get(name)
        return found


_SECTION = re.compile(r"^\s*\[\s*([^\]]*?)\s*\]\s*$")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_.;,:!%&*+/\-]+(?:::[A-Za-z0-9_.]+)?)\s*=\s*(.*)$")
_DIRECTIVE = re.compile(r"^\s*\.(include|pragma)\b\s*=?\s*(.*)$")
_VAR = re.compile(
    r"\$(?:\{([A-Za-z0-9_]+)(?:::([A-Za-z0-9_.]+))?\}|\(([A-Za-z0-9_]+)(?:::([A-Za-z0-9_.]+))?\)|([A-Za-z0-9_]+)(?:::([A-Za-z0-9_.]+))?)"
)


def _strip_comment(text: str) -> str:
    out, quote, i = [], None, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i : i + 2])
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        out.append(ch)
        i += 1
    return "".join(out).rstrip()


def _unquote(text: str) -> str:
    out, quote, i = [], None, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append({"n": "\n", "r": "\r", "t": "\t", "b": "\b"}.get(nxt, nxt))
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = None
            else:
                out.append(ch)
        elif ch in "\"'":
            quote = ch
        else:
            out.append(ch)
        i += 1
    return "".join(out).strip()


def read_cnf(path: str, text: str | None = None, budget: Budget | None = None) -> CnfFile:
    """Read an openssl.cnf and everything it includes, charging ``budget`` for expansion."""
    cnf = CnfFile(path)
    cnf.sections[DEFAULT_SECTION] = {}
    state = {"section": DEFAULT_SECTION, "dollarid": False, "includedir": None}
    state["budget"] = budget if budget is not None else Budget()
    state["read"] = set()  # real paths read so far: an include DAG reads each file once
    _read(cnf, path, text, state, depth=0, seen=set())
    return cnf


def _read(
    cnf: CnfFile, path: str, text: str | None, state: dict, depth: int, seen: set[str], via: Location | None = None
) -> None:
    """Read one file (``via``: the ``.include`` line that names it, where a refusal is reported)."""
    real = os.path.realpath(path)
    if real in seen:
        cnf.diagnostics.append(Diagnostic(Location(path), "include cycle; file read once", "warning"))
        return
    seen = seen | {real}
    if text is None and real in state["read"]:
        return  # a diamond of includes: its settings are in already; doubling DAGs read once per path
    state["read"].add(real)
    if text is None:
        from tlslint import safe_read
        from tlslint.errors import InputError

        try:
            text = safe_read.read_text(path, limit=MAX_FILE_BYTES)
        except InputError as error:
            # Refused (outside the tree, not a regular file) like a missing include: a warning.
            severity = "warning" if isinstance(error, safe_read.ReadRefused) else "error"
            if via is None:
                cnf.diagnostics.append(Diagnostic(error.location, error.message, severity))
            else:
                cnf.diagnostics.append(Diagnostic(via, f".include {path}: {error.message}", severity))
            return
    cnf.files.append(path)
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        start = number + 1
        line = lines[number]
        number += 1
        while line.endswith("\\") and not line.endswith("\\\\") and number < len(lines):
            line = line[:-1] + lines[number]
            number += 1
        body = _strip_comment(line)
        if not body.strip():
            continue
        where = Location(path, start)
        match = _DIRECTIVE.match(body)
        if match:
            if match[1] == "pragma":
                pragma = match[2].strip()
                if pragma.startswith("dollarid"):
                    state["dollarid"] = pragma.split(":", 1)[-1].strip().lower() in ("on", "true")
                elif pragma.startswith("includedir"):
                    state["includedir"] = pragma.split(":", 1)[-1].strip()
                continue
            _include(cnf, path, _unquote(match[2]), where, state, depth, seen)
            continue
        match = _SECTION.match(body)
        if match:
            state["section"] = match[1]
            cnf.sections.setdefault(match[1], {})
            cnf.section_locations.setdefault(match[1], where)
            continue
        match = _ASSIGN.match(body)
        if not match:
            # Never quote the line: an included file may be anything (a key, a password file).
            cnf.diagnostics.append(Diagnostic(where, "not a 'name = value' line; ignored", "warning"))
            continue
        name, raw = match[1], match[2]
        section = state["section"]
        if "::" in name:
            section, name = name.split("::", 1)
            cnf.sections.setdefault(section, {})
        value, unknown = _expand(cnf, section, _unquote(raw), where, state)
        if unknown:
            cnf.unknown.add((section, name))
            cnf.sections.setdefault(section, {}).pop(name, None)
            cnf.diagnostics.append(
                Diagnostic(
                    where,
                    f"{name} depends on the environment ($ENV::...), which tlslint does not read; its value is "
                    "unknown and not applied",
                    "warning",
                )
            )
            continue
        cnf.unknown.discard((section, name))
        cnf.sections.setdefault(section, {})[name] = (value[:MAX_VALUE_LENGTH], where)


def _include(cnf: CnfFile, path: str, target: str, where: Location, state: dict, depth: int, seen: set[str]) -> None:
    if depth >= MAX_INCLUDE_DEPTH:
        cnf.diagnostics.append(Diagnostic(where, f"includes nested deeper than {MAX_INCLUDE_DEPTH}; not followed"))
        return
    from tlslint import safe_read

    candidates = [target]
    if not os.path.isabs(target):
        # OpenSSL also tries $OPENSSL_CONF_INCLUDE: never tlslint's own environment.
        bases = [state.get("includedir"), os.path.dirname(path)]
        candidates = [os.path.join(base, target) for base in bases if base] + [target]
    for candidate in candidates:
        if os.path.isdir(candidate):
            if safe_read.outside(candidate):  # not even the names of a directory outside the tree
                cnf.diagnostics.append(Diagnostic(where, f".include {target}: {safe_read.OUTSIDE}", "warning"))
                return
            names = sorted(
                p for p in glob.glob(os.path.join(glob.escape(candidate), "*")) if p.endswith((".cnf", ".conf"))
            )
            for name in names:
                _read(cnf, name, None, state, depth + 1, seen, where)
            return
        if os.path.exists(candidate):  # a FIFO or device too: the read refuses it with its reason
            _read(cnf, candidate, None, state, depth + 1, seen, where)
            return
    cnf.diagnostics.append(Diagnostic(where, f".include {target}: no such file or directory", "warning"))


def _expand(cnf: CnfFile, section: str, value: str, where: Location, state: dict) -> tuple[str, bool]:
    """The value with its variables replaced, and whether it depends on the environment (unknown)."""
    if "$" not in value:
        return value, False
    unknown = False
    length = len(value)

    def replace(match: re.Match[str]) -> str:
        nonlocal length
        text = _value_of(match)
        length += len(text) - len(match[0])
        state["budget"].expanded(length, where)  # "$a$a$a..." multiplies with every line
        return text

    def _value_of(match: re.Match[str]) -> str:
        nonlocal unknown
        first = match[1] or match[3] or match[5]
        second = match[2] or match[4] or match[6]
        if second is not None:
            if first == "ENV":
                unknown = True
                return ""
            found = cnf.get(first, second)
            depends = (first, second) in cnf.unknown or (DEFAULT_SECTION, second) in cnf.unknown
        else:
            found = cnf.get(section, first)
            depends = (section, first) in cnf.unknown or (DEFAULT_SECTION, first) in cnf.unknown
        if found is None and depends:
            unknown = True
            return ""
        if found is None:
            missing = Diagnostic(where, f"variable ${first} has no value", "warning")
            if missing not in cnf.diagnostics[-1:]:  # once, however often the line repeats it
                cnf.diagnostics.append(missing)
            return ""
        return found[0]

    if state.get("dollarid"):
        return value, False
    expanded = _VAR.sub(replace, value)
    return expanded, unknown


def ssl_sections(cnf: CnfFile) -> tuple[str | None, list[Location]]:
    """The name of the ``system_default`` section, and the chain of lines leading to it."""
    chain: list[Location] = []
    init = cnf.get(DEFAULT_SECTION, "openssl_conf")
    if init is None:
        return None, chain
    chain.append(init[1])
    ssl = cnf.sections.get(init[0], {}).get("ssl_conf")
    if ssl is None:
        return None, chain
    chain.append(ssl[1])
    system = cnf.sections.get(ssl[0], {}).get("system_default")
    if system is None:
        return None, chain
    chain.append(system[1])
    return system[0], chain


def _commands(cnf: CnfFile, section: str) -> list[tuple[str, str, Location | None]]:
    return [(name, value, where) for name, (value, where) in cnf.sections.get(section, {}).items()]


def system_default(
    path: str, text: str | None = None, *, openssl_version: str | None = None, openssl_assumed: bool = False
) -> tuple[SSLConf | None, list[Diagnostic]]:
    """The ``SSL_CONF`` commands of the file's ``system_default`` section (``None`` if it has none), as
    OpenSSL ``openssl_version`` reads them (see :func:`tlslint.sources.sslconf.apply`)."""
    cnf = read_cnf(path, text)
    section, chain = ssl_sections(cnf)
    if section is None:
        return None, cnf.diagnostics
    if section not in cnf.sections:
        cnf.diagnostics.append(Diagnostic(chain[-1], f"section [{section}] does not exist", "warning"))
        return None, cnf.diagnostics
    conf = apply(
        _commands(cnf, section),
        strip_prefix=True,
        openssl_version=openssl_version,
        openssl_assumed=openssl_assumed,
    )
    return conf, cnf.diagnostics + conf.diagnostics


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.sources import openssl_offer

    result = ParseResult()
    cnf = read_cnf(path, text, context.budget)
    result.read.extend(f for f in cnf.files if f != path)
    result.diagnostics.extend(cnf.diagnostics)
    section, chain = ssl_sections(cnf)
    if section is None:
        return result  # no system TLS policy: nothing to lint (a CA or request config, say)
    where = cnf.section_locations.get(section, chain[-1])
    state = openssl_offer.openssl_defaults(context.engine_versions)
    conf = apply(
        _commands(cnf, section),
        strip_prefix=True,
        openssl_version=state.openssl_version,
        openssl_assumed=state.openssl_assumed,
    )
    result.diagnostics.extend(conf.diagnostics)
    openssl_offer.apply_sslconf(state, conf)
    offer = openssl_offer.compute(state, key_types=None, dh_params=True, anchor=where)
    result.diagnostics.extend(d for d in offer.diagnostics if d not in result.diagnostics)
    subject = Subject(
        "endpoint", "openssl:system_default", where, "openssl", label=f"openssl:system_default[{section}]"
    )
    for name, value in offer.fields.items():
        if value.location is None and value.origin is Origin.DEFAULT:
            value = Located(value.value, value.origin, where, value.via, value.note, value.items)
        subject.set(name, value)
    _options(subject, conf, where)
    # A system policy has no connection: timeouts belong to each application, so no timeout rule
    # judges this endpoint (an unknown value is never judged).
    subject.set(
        "connection.timeouts.handshake",
        Located(None, Origin.UNKNOWN, where, note="openssl.cnf has no timeout setting; each application sets its own"),
    )
    result.subjects.append(subject)
    return result


def _options(subject: Subject, conf: SSLConf, where: Location) -> None:
    """Endpoint fields that ``Options`` flags decide (OpenSSL 3.x defaults when not written)."""
    note = "OpenSSL default"
    flags = {
        "cipher_suites.prefer_server_order": ("ServerPreference", False, False),
        "session.tickets": ("SessionTicket", True, False),
        "compression": ("Compression", False, False),
    }
    for path, (flag, default, _) in flags.items():
        written = conf.options.get(flag)
        if written is not None:
            subject.set(path, written)
        else:
            subject.set(path, Located(default, Origin.DEFAULT, where, note=note))
    if "UnsafeLegacyRenegotiation" in conf.options and conf.options["UnsafeLegacyRenegotiation"].value:
        subject.set("session.renegotiation", replace_value(conf.options["UnsafeLegacyRenegotiation"], "insecure"))
    elif "NoRenegotiation" in conf.options and conf.options["NoRenegotiation"].value:
        subject.set("session.renegotiation", replace_value(conf.options["NoRenegotiation"], "disabled"))


def replace_value(located: Located, value: object) -> Located:
    return Located(value, located.origin, located.location, located.via, located.note, located.items)
