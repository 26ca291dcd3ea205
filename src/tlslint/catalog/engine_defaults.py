"""Documented built-in defaults of TLS engines, per engine version.

A directive that is not written still has a value: the engine's compiled-in default, which changed
over the years (nginx enabled TLS 1.0/1.1 until 1.27.3; OpenSSL raised its security level in 3.2).
This module is the one place that knows those values. Each entry is a list of
``(first version, value)`` pairs, oldest first; :func:`lookup` picks the newest entry not newer than
the version asked for.

When the engine version is unknown (no ``--engine-version``), :data:`ASSUMED` says which version is
assumed; ``docs/engines/nginx.md`` explains the choice. Other engines (Apache httpd, HAProxy) add
their tables here in the same shape.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from tlslint.records import Frozen

__all__ = [
    "ASSUMED",
    "DEFAULTS",
    "OPENSSL_ENGINES",
    "EngineAssumption",
    "EngineVersionError",
    "assumed_version",
    "assumptions",
    "default",
    "lookup",
    "parse_engine_versions",
    "parse_version",
    "version_for",
]

Version = tuple[int, ...]


class EngineVersionError(ValueError):
    """A malformed ``--engine-version`` value."""


@functools.cache  # a few distinct versions, parsed for every default of every endpoint
def parse_version(text: str) -> Version:
    """``"1.22.1"`` -> ``(1, 22, 1)``; ``"3.0"`` -> ``(3, 0)``; a trailing letter (``1.1.1w``) or a
    distribution suffix (``1.22.1-9+deb12u11``) is ignored."""
    match = re.match(r"\s*(\d+(?:\.\d+)*)", text or "")
    if not match:
        raise EngineVersionError(f"not a version number: {text!r}")
    return tuple(int(part) for part in match[1].split("."))


#: Versions assumed when the user does not say (see docs/engines/nginx.md for why).
ASSUMED: dict[str, str] = {
    # Debian 12 (bookworm), the most common base image of the products tlslint lints, ships nginx
    # 1.22.1 with OpenSSL 3.0. Its defaults still enable TLS 1.0/1.1 and not TLS 1.3.
    "nginx": "1.22.1",
    "openssl": "3.0",
    # Debian 12 (bookworm) as well: Apache httpd 2.4.62 and HAProxy 2.6.12 (docs/engines/apache.md,
    # docs/engines/haproxy.md).
    "apache": "2.4.62",
    "haproxy": "2.6.12",
}

_NGINX_PROTOCOLS = [
    ((0, 0), ["SSLv2", "SSLv3", "TLSv1.0"]),
    ((0, 8, 19), ["SSLv3", "TLSv1.0"]),  # SSLv2 off
    ((1, 0, 12), ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2"]),  # TLS 1.1/1.2 with OpenSSL 1.0.1
    ((1, 9, 1), ["TLSv1.0", "TLSv1.1", "TLSv1.2"]),  # SSLv3 off
    ((1, 23, 4), ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]),  # TLS 1.3 on
    ((1, 27, 3), ["TLSv1.2", "TLSv1.3"]),  # TLS 1.0/1.1 off
]

#: engine -> setting -> [(first version, value), ...]
DEFAULTS: dict[str, dict[str, list[tuple[Version, Any]]]] = {
    "nginx": {
        "ssl_protocols": _NGINX_PROTOCOLS,
        "proxy_ssl_protocols": _NGINX_PROTOCOLS,
        "grpc_ssl_protocols": _NGINX_PROTOCOLS,
        "ssl_ciphers": [((0, 0), "HIGH:!aNULL:!MD5")],
        "proxy_ssl_ciphers": [((0, 0), "DEFAULT")],
        "grpc_ssl_ciphers": [((0, 0), "DEFAULT")],
        "ssl_prefer_server_ciphers": [((0, 0), False)],
        "ssl_ecdh_curve": [((0, 0), "auto")],
        "ssl_session_tickets": [((0, 0), True)],
        "ssl_session_timeout": [((0, 0), 300)],
        "ssl_session_cache": [((0, 0), "none")],
        "ssl_stapling": [((0, 0), False)],
        "ssl_verify_client": [((0, 0), "off")],
        "ssl_verify_depth": [((0, 0), 1)],
        "ssl_early_data": [((0, 0), False)],
        "ssl_buffer_size": [((0, 0), 16384)],
        "server_tokens": [((0, 0), "on")],
        # Time limits that also bound a TLS handshake (seconds). An http server's handshake runs under
        # the client_header_timeout of the socket's default server; a stream server has its own
        # ssl_handshake_timeout; an upstream handshake runs under the connect timeout.
        "client_header_timeout": [((0, 0), 60)],
        "ssl_handshake_timeout": [((0, 0), 60)],
        "proxy_connect_timeout": [((0, 0), 60)],
        "grpc_connect_timeout": [((0, 0), 60)],
        "proxy_ssl_verify": [((0, 0), False)],
        "proxy_ssl_verify_depth": [((0, 0), 1)],
        "proxy_ssl_server_name": [((0, 0), False)],
        "proxy_ssl_session_reuse": [((0, 0), True)],
        "grpc_ssl_verify": [((0, 0), False)],
        "grpc_ssl_verify_depth": [((0, 0), 1)],
        "grpc_ssl_server_name": [((0, 0), False)],
        "grpc_ssl_session_reuse": [((0, 0), True)],
    },
    "apache": {
        # mod_ssl (docs/manual/mod/mod_ssl.xml, modules/ssl/ssl_private.h). "all" includes TLS 1.3 with
        # OpenSSL >= 1.1.1, so TLS 1.0/1.1 are on unless the OpenSSL security level stops them.
        "SSLProtocol": [((2, 0), "all"), ((2, 4, 17), "all -SSLv3")],
        "SSLProxyProtocol": [((2, 0), "all"), ((2, 4, 17), "all -SSLv3")],
        # Unset: mod_ssl passes SSL_DEFAULT_CIPHER_LIST plus ":!aNULL:!eNULL:!EXP" to OpenSSL.
        "SSLCipherSuite": [((2, 0), "DEFAULT")],
        "SSLProxyCipherSuite": [((2, 0), "DEFAULT")],
        "SSLHonorCipherOrder": [((2, 0), False)],
        "SSLCompression": [((2, 0), True), ((2, 4, 4), False)],
        "SSLSessionTickets": [((2, 0), True)],
        "SSLSessionCacheTimeout": [((2, 0), 300)],
        "SSLInsecureRenegotiation": [((2, 0), False)],
        "SSLVerifyClient": [((2, 0), "none")],
        "SSLUseStapling": [((2, 0), False)],
        "SSLStaplingResponderTimeout": [((2, 0), 10)],
        "SSLProxyVerify": [((2, 0), "none")],
        "SSLProxyCheckPeerName": [((2, 0), True)],
        "SSLProxyCheckPeerExpire": [((2, 0), True)],
        "ServerTokens": [((2, 0), "Full")],
        # Core Timeout: bounds every read, the TLS handshake's included (Debian's apache2.conf says 300).
        "Timeout": [((2, 0), 300), ((2, 3, 0), 60)],
        "ServerSignature": [((2, 0), False)],
    },
    "haproxy": {
        # doc/configuration.txt: the minimum became TLSv1.2 in 2.2; before, whatever OpenSSL allowed
        # (SSLv3 off). No built-in cipher list unless the build sets LISTEN_DEFAULT_CIPHERS.
        "ssl-min-ver": [((1, 5), "TLSv1.0"), ((2, 2), "TLSv1.2")],
        "ssl-max-ver": [((1, 5), None)],
        "ciphers": [((1, 5), None)],
        "ciphersuites": [((1, 5), None)],
        "ssl-server-verify": [((1, 5), "required")],
        "prefer-server-ciphers": [((1, 5), True)],
    },
    "openssl": {
        # SSL_DEFAULT_CIPHER_LIST / OSSL_default_cipher_list()
        "CipherString": [((0, 0), "DEFAULT")],
        "Ciphersuites": [((1, 1, 1), "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256")],
        # OPENSSL_TLS_SECURITY_LEVEL when the build does not override it (Debian builds with 2).
        "security_level": [((1, 1, 0), 1), ((3, 2), 2)],
        "MinProtocol": [((0, 0), None)],
        "MaxProtocol": [((0, 0), None)],
        # Extensions an OpenSSL peer negotiates unless the application turns them off (``Options``
        # flags of SSL_CONF_cmd(3)). RFC 7366 Encrypt-then-MAC and RFC 7627 extended master secret
        # arrived in 1.1.0 and are on by default (SSL_OP_NO_ENCRYPT_THEN_MAC clear); the RFC 6520
        # heartbeat was removed in 1.1.0 (compiled in, and answered, in 1.0.1-1.0.2).
        "EncryptThenMac": [((0, 0), False), ((1, 1, 0), True)],
        "ExtendedMasterSecret": [((0, 0), False), ((1, 1, 0), True)],
        "Heartbeat": [((0, 0), False), ((1, 0, 1), True), ((1, 1, 0), False)],
    },
}


#: Engines whose endpoints run on OpenSSL (the OpenSSL version is part of their assumptions).
OPENSSL_ENGINES = frozenset({"nginx", "apache", "haproxy", "openssl"})
#: Build facts ``--engine-version`` accepts besides engine names.
_BUILD_FACTS = ("openssl-seclevel", "openssl-conf")
#: Tools whose version a run may be told but never assumes: curl's options and defaults change with its
#: release (TLS 1.2 the floor from 8.16, exact option names from 8.6, ``--tls-earlydata`` from 8.11), and
#: wget's commands with its; without the version, tlslint reads what every release reads.
_VERSION_ONLY = ("curl", "wget")


class EngineAssumption(Frozen):
    """The version of an engine a run modelled, and whether the user gave it or tlslint assumed it."""

    __slots__ = ("name", "version", "assumed")

    name: str
    version: str
    assumed: bool

    def __init__(self, name: str, version: str, assumed: bool) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "assumed", assumed)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "assumed": self.assumed}

    def __str__(self) -> str:
        return f"{self.name} {self.version}{' (assumed)' if self.assumed else ''}"


def assumptions(engines: Iterable[str], engine_versions: dict[str, str] | None) -> list[EngineAssumption]:
    """The engine versions behind a run's effective values: one per engine of ``engines`` that has
    documented defaults or whose version was given (curl, wget), plus OpenSSL under the OpenSSL-based ones, in
    a stable order."""
    given = engine_versions or {}
    seen = {e for e in engines if e in ASSUMED or (e in _VERSION_ONLY and e in given)}
    if seen & OPENSSL_ENGINES:
        seen.add("openssl")
    out = []
    for name in sorted(seen, key=lambda n: (n == "openssl", n)):
        version, given = version_for(name, engine_versions)
        out.append(EngineAssumption(name, version, not given))
    return out


def known_names() -> list[str]:
    """Names ``--engine-version`` accepts: every engine with documented defaults and the build facts."""
    return sorted({*ASSUMED, *DEFAULTS, *_BUILD_FACTS, *_VERSION_ONLY})


def assumed_version(engine: str) -> str:
    return ASSUMED[engine]


def version_for(engine: str, engine_versions: dict[str, str] | None) -> tuple[str, bool]:
    """(the version to model, whether it was given) for ``engine``."""
    given = (engine_versions or {}).get(engine)
    if given:
        return given, True
    return ASSUMED[engine], False


def lookup(engine: str, setting: str, version: str) -> Any:
    """The built-in default of ``setting`` for ``engine`` at ``version``."""
    wanted = parse_version(version)
    chosen: Any = None
    for first, value in DEFAULTS[engine][setting]:
        if first <= wanted:
            chosen = value
    return list(chosen) if isinstance(chosen, list) else chosen


def default(engine: str, setting: str, engine_versions: dict[str, str] | None) -> tuple[Any, str]:
    """The default and a note naming where it comes from, e.g. ``"nginx 1.22.1 default"`` or
    ``"nginx 1.22.1 default (version assumed; use --engine-version nginx=VER)"``."""
    version, given = version_for(engine, engine_versions)
    return lookup(engine, setting, version), _default_note(engine, version, given)


@functools.cache  # one string for the thousands of defaulted fields of a large run
def _default_note(engine: str, version: str, given: bool) -> str:
    note = f"{engine} {version} default"
    if not given:
        note += f" (version assumed; use --engine-version {engine}=VER)"
    return note


_KEYS = re.compile(r"^[a-z][a-z0-9_.-]*$")


def parse_engine_versions(text: str) -> dict[str, str]:
    """``"nginx=1.22.1,openssl=3.0"`` -> ``{"nginx": "1.22.1", "openssl": "3.0"}``.

    Besides engine names, two OpenSSL build facts are accepted: ``openssl-seclevel=N`` (the build's
    default security level; Debian and Ubuntu build with 2) and ``openssl-conf=PATH`` (the system
    ``openssl.cnf`` the engine reads; its ``system_default`` section is applied to every endpoint).
    """
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        name, value = name.strip().lower(), value.strip()
        if not sep or not value or not _KEYS.match(name):
            raise EngineVersionError(f"expected ENGINE=VERSION, got {part!r}")
        if name not in known_names():
            raise EngineVersionError(f"unknown engine {name!r} (known: {', '.join(known_names())})")
        if name == "openssl-seclevel":
            if value not in ("0", "1", "2", "3", "4", "5"):
                raise EngineVersionError(f"openssl-seclevel must be 0..5, got {value!r}")
        elif name != "openssl-conf":
            parse_version(value)
        out[name] = value
    return out
