"""One implementation of OpenSSL's ``SSL_CONF_cmd`` file commands (``SSL_CONF_cmd(3)``).

The same commands reach OpenSSL from three places: an ``openssl.cnf`` section (``system_default``
and application sections), nginx ``ssl_conf_command`` and Apache ``SSLOpenSSLConfCmd``. Each source
hands its ``(name, value, location)`` triples to :func:`apply` and gets back an :class:`SSLConf`:
the settings written, each a :class:`Located`, plus diagnostics for names OpenSSL would reject.

Semantics kept from OpenSSL (file-command mode, ``SSL_CONF_FLAG_FILE``):

* names are matched case-insensitively; in an ``openssl.cnf`` section anything up to the first
  ``.`` is ignored (``TLS.MinProtocol``), which :func:`command_name` does when asked;
* a later command overrides an earlier one of the same name, except ``Protocol`` and ``Options``,
  which switch individual flags on (``name``) or off (``-name``) and so accumulate;
* ``MinProtocol``/``MaxProtocol`` take ``None`` (no bound), ``SSLv3``, ``TLSv1`` … ``TLSv1.3``, spelled
  exactly (``DTLS…`` values apply only to DTLS and are ignored here); ``Protocol`` and ``Options`` words
  are matched in any case, and a word OpenSSL does not know ends the list (``TLSv1.0`` is none of its
  words: the words before it are applied, the ones after it are not).
"""

from __future__ import annotations

import re
from typing import Any

from tlslint.catalog.openssl_lists import group_list_error, sigalg_list_error
from tlslint.catalog.versions import VERSIONS
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Located, Location
from tlslint.records import Record

__all__ = ["KNOWN_COMMANDS", "OPTION_FLAGS", "SSLConf", "apply", "command_name", "protocol_value"]

#: Canonical spelling of each file command OpenSSL knows (lower-case key -> spelling).
KNOWN_COMMANDS = {
    name.lower(): name
    for name in [
        "SignatureAlgorithms",
        "ClientSignatureAlgorithms",
        "Curves",
        "Groups",
        "ECDHParameters",
        "CipherString",
        "Ciphersuites",
        "Protocol",
        "MinProtocol",
        "MaxProtocol",
        "Options",
        "VerifyMode",
        "Certificate",
        "PrivateKey",
        "ServerInfoFile",
        "ChainCAPath",
        "ChainCAFile",
        "VerifyCAPath",
        "VerifyCAFile",
        "RequestCAFile",
        "RequestCAPath",
        "ClientCAFile",
        "ClientCAPath",
        "DHParameters",
        "RecordPadding",
        "NumTickets",
        "SetCertificateFlags",
        "SetHostFlags",
        "SetExpectedDNSName",
        "SetExpectedIPAddress",
    ]
}

#: ``Options`` flag names (SSL_CONF_cmd(3)); values are the canonical spellings.
OPTION_FLAGS = {
    name.lower(): name
    for name in [
        "SessionTicket",
        "Compression",
        "EmptyFragments",
        "Bugs",
        "DHSingle",
        "ECDHSingle",
        "ServerPreference",
        "PrioritizeChaCha",
        "NoResumptionOnRenegotiation",
        "NoRenegotiation",
        "UnsafeLegacyRenegotiation",
        "UnsafeLegacyServerConnect",
        "EncryptThenMac",
        "AllowNoDHEKEX",
        "PreferNoDHEKEX",
        "MiddleboxCompat",
        "AntiReplay",
        "ExtendedMasterSecret",
        "CANames",
        "KTLS",
        "StrictCertCheck",
        "TxCertificateCompression",
        "RxCertificateCompression",
        "KTLSTxZerocopySendfile",
        "IgnoreUnexpectedEOF",
    ]
}

# Protocol names as SSL_CONF spells them.
#: MinProtocol/MaxProtocol values (exact) -> version.
_BOUNDS = {"SSLv3": "SSLv3", "TLSv1": "TLSv1.0", "TLSv1.1": "TLSv1.1", "TLSv1.2": "TLSv1.2", "TLSv1.3": "TLSv1.3"}
#: Protocol words (any case) -> version.
_PROTOCOLS = {
    "sslv2": "SSLv2",
    "sslv3": "SSLv3",
    "tlsv1": "TLSv1.0",
    "tlsv1.1": "TLSv1.1",
    "tlsv1.2": "TLSv1.2",
    "tlsv1.3": "TLSv1.3",
}


#: What an SSL_CONF command name looks like (``TLS.MinProtocol``, ``Ciphersuites``).
_COMMAND_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,39}$")


def command_name(raw: str, *, strip_prefix: bool = False) -> str:
    """The command a name refers to: ``TLS.MinProtocol`` -> ``MinProtocol`` (with ``strip_prefix``,
    as in openssl.cnf sections); unknown names keep their spelling."""
    name = raw.strip()
    if strip_prefix and "." in name:
        name = name.split(".", 1)[1]
    return KNOWN_COMMANDS.get(name.lower(), name)


def protocol_value(text: str) -> str | bool | None:
    """``MinProtocol``/``MaxProtocol`` value: a canonical version, ``None`` for "no bound", or
    ``False`` when OpenSSL would reject it. DTLS values give ``None`` (they do not bound TLS).

    OpenSSL compares these values exactly, unlike command names and ``Protocol``/``Options`` words:
    ``tlsv1.2`` and ``TLSv1.0`` are no values of it, and a system policy that says so leaves the bound
    unset (``tests/engines/test_openssl_conf_live.py`` handshakes with such a policy)."""
    value = text.strip()
    if value in ("None", "DTLSv1", "DTLSv1.2"):
        return None
    return _BOUNDS.get(value, False)


class SSLConf(Record):
    """What a list of ``SSL_CONF`` commands sets. ``None`` fields were not written."""

    __slots__ = (
        "min_protocol",
        "max_protocol",
        "protocol_flags",
        "cipher_string",
        "ciphersuites",
        "groups",
        "signature_algorithms",
        "client_signature_algorithms",
        "options",
        "other",
        "diagnostics",
    )

    min_protocol: Located[str | None] | None
    max_protocol: Located[str | None] | None
    #: ``Protocol`` flags: canonical version -> Located(True enabled / False disabled)
    protocol_flags: dict[str, Located[bool]]
    cipher_string: Located[str] | None
    ciphersuites: Located[str] | None
    groups: Located[list[str]] | None
    signature_algorithms: Located[list[str]] | None
    client_signature_algorithms: Located[list[str]] | None
    #: ``Options`` flags: canonical flag -> Located(True set / False cleared)
    options: dict[str, Located[bool]]
    #: every other known command, by canonical name (VerifyMode, NumTickets, Certificate, ...)
    other: dict[str, Located[str]]
    diagnostics: list[Diagnostic]

    def __init__(
        self,
        min_protocol: Located[str | None] | None = None,
        max_protocol: Located[str | None] | None = None,
        protocol_flags: dict[str, Located[bool]] | None = None,
        cipher_string: Located[str] | None = None,
        ciphersuites: Located[str] | None = None,
        groups: Located[list[str]] | None = None,
        signature_algorithms: Located[list[str]] | None = None,
        client_signature_algorithms: Located[list[str]] | None = None,
        options: dict[str, Located[bool]] | None = None,
        other: dict[str, Located[str]] | None = None,
        diagnostics: list[Diagnostic] | None = None,
    ) -> None:
        self.min_protocol = min_protocol
        self.max_protocol = max_protocol
        self.protocol_flags = dict() if protocol_flags is None else protocol_flags
        self.cipher_string = cipher_string
        self.ciphersuites = ciphersuites
        self.groups = groups
        self.signature_algorithms = signature_algorithms
        self.client_signature_algorithms = client_signature_algorithms
        self.options = dict() if options is None else options
        self.other = dict() if other is None else other
        self.diagnostics = list() if diagnostics is None else diagnostics

    @property
    def empty(self) -> bool:
        return not (
            self.min_protocol
            or self.max_protocol
            or self.protocol_flags
            or self.cipher_string
            or self.ciphersuites
            or self.groups
            or self.signature_algorithms
            or self.client_signature_algorithms
            or self.options
            or self.other
        )

    def locations(self) -> list[Location]:
        found: list[Location] = []
        values: list[Any] = [
            self.min_protocol,
            self.max_protocol,
            self.cipher_string,
            self.ciphersuites,
            self.groups,
            self.signature_algorithms,
            *self.protocol_flags.values(),
            *self.options.values(),
        ]
        for value in values:
            if value is not None and value.location is not None and value.location not in found:
                found.append(value.location)
        return found


def apply(
    commands: list[tuple[str, str, Location | None]],
    *,
    strip_prefix: bool = False,
    origin: Any = None,
    base: SSLConf | None = None,
    refusing: str | None = None,
    openssl_version: str | None = None,
    openssl_assumed: bool = False,
) -> SSLConf:
    """Apply ``(name, value, location)`` commands in order, on top of ``base`` (or nothing).

    ``origin`` (an :class:`~tlslint.model.located.Origin`) is recorded on every value; it defaults
    to ``explicit``. A name or value OpenSSL rejects becomes a diagnostic and is otherwise ignored:
    a warning in ``openssl.cnf``, whose other commands OpenSSL still applies, and an error when the
    server ``refusing`` (``nginx``, ``httpd``) stops on any command ``SSL_CONF_cmd`` rejects.

    ``openssl_version`` (``openssl_assumed``: not given but assumed) is the OpenSSL whose names the lists
    of ``Groups``, ``Curves`` and the signature algorithm commands are checked against
    (:mod:`tlslint.catalog.openssl_lists`; without it, unchecked). A list that only the assumed version
    rejects is a warning and stays applied: a later OpenSSL may take it.
    """
    from tlslint.model.located import Origin

    origin = origin or Origin.EXPLICIT
    conf = base if base is not None else SSLConf()
    for raw_name, raw_value, where in commands:
        name = command_name(raw_name, strip_prefix=strip_prefix)
        value = raw_value.strip()
        place = where or Location("<unknown>")

        def located(v: Any, _where: Location | None = where) -> Located[Any]:
            return Located(v, origin, _where)

        def bad(message: str, _place: Location = place) -> None:
            if refusing is None:
                conf.diagnostics.append(Diagnostic(_place, message, "warning"))
            else:
                conf.diagnostics.append(Diagnostic(_place, f"{refusing} refuses to start: {message}"))

        if name in ("MinProtocol", "MaxProtocol"):
            parsed = protocol_value(value)
            if parsed is False:
                known = "None, SSLv3, TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3, spelled so"
                bad(f"{name} {value!r} is not a value OpenSSL knows ({known})")
                continue
            if name == "MinProtocol":
                conf.min_protocol = located(parsed)
            else:
                conf.max_protocol = located(parsed)
        elif name == "Protocol":
            for token in _split_list(value):
                enable = not token.startswith("-")
                word = token.lstrip("+-").lower()
                if word == "all":
                    for version in VERSIONS:
                        if version != "SSLv2":
                            conf.protocol_flags[version] = located(enable)
                elif word in _PROTOCOLS:
                    conf.protocol_flags[_PROTOCOLS[word]] = located(enable)
                elif word not in ("dtlsv1", "dtlsv1.2"):
                    bad(f"Protocol: unknown protocol {token!r}; OpenSSL applies none of the words after it")
                    break  # OpenSSL stops at the word it does not know, keeping the ones before
        elif name == "CipherString":
            conf.cipher_string = located(value)
        elif name == "Ciphersuites":
            conf.ciphersuites = located(value)
        elif name in _NAME_LISTS:
            check = _NAME_LISTS[name]
            rejected = check(value, openssl_version) if openssl_version else None
            if rejected is not None and rejected.certain(openssl_assumed):
                bad(f"{name}: {rejected.message}")
                continue  # not applied
            if rejected is not None:
                consequence = f"{refusing} refuses to start" if refusing else "OpenSSL ignores the line"
                said = rejected.assumed(name, consequence, str(openssl_version))
                conf.diagnostics.append(Diagnostic(place, said, "warning"))
            listed = Located(_split_colon(value), origin, where)
            if name in ("Groups", "Curves"):
                conf.groups = listed
            elif name == "SignatureAlgorithms":
                conf.signature_algorithms = listed
            else:
                conf.client_signature_algorithms = listed
        elif name == "Options":
            for token in _split_list(value):
                enable = not token.startswith("-")
                flag = OPTION_FLAGS.get(token.lstrip("+-").lower())
                if flag is None:
                    bad(f"Options: unknown option {token!r}; OpenSSL applies none of the words after it")
                    break  # as for Protocol
                conf.options[flag] = located(enable)
        elif name in KNOWN_COMMANDS.values():
            conf.other[name] = located(value)
        else:
            # Quoted only when it looks like a command: an included file may be anything, and the
            # padded last line of a PEM key ("...AB==") reads as a name with the value "=".
            shown = repr(raw_name) if _COMMAND_LIKE.match(raw_name.strip()) and value not in ("", "=") else "the name"
            bad(f"{shown} is not an SSL_CONF command OpenSSL knows")
    return conf


#: The commands whose value is a list of names OpenSSL looks up one by one, and how it reads each.
_NAME_LISTS = {
    "Groups": group_list_error,
    "Curves": group_list_error,
    "SignatureAlgorithms": sigalg_list_error,
    "ClientSignatureAlgorithms": sigalg_list_error,
}


def _split_list(value: str) -> list[str]:
    return [token.strip() for token in value.replace(" ", ",").split(",") if token.strip()]


def _split_colon(value: str) -> list[str]:
    return [token.strip() for token in value.split(":") if token.strip()]
