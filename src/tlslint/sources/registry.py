"""Which source reads which file.

This table is the one place that knows file patterns: discovery uses it to walk a tree, and the
pre-commit hook's ``files`` pattern is generated from it (``tlslint config files-pattern``;
``tests/ci/test_precommit.py`` keeps the two equal).
A source claims a file when its name matches one of ``patterns`` and, if ``sniff`` is set, the
file's text matches ``sniff`` — so an unrelated ``.yaml`` file in a firmware repository is left alone
rather than reported as broken. :mod:`tlslint.recognise` applies the table to the whole text and
breaks ties between sources by which one parses the file.
"""

from __future__ import annotations

import fnmatch
import functools
import importlib
import os
import re
from collections.abc import Iterator
from types import ModuleType

from tlslint.records import Frozen


class LazyPattern:
    """A regular expression compiled when first used. A run reads files of a few sources; compiling
    every source's content sniff when this table is imported cost each run about 3 ms."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled().search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(text)

    def __eq__(self, other: object) -> bool:  # as compiled patterns compare: by pattern and flags
        return isinstance(other, LazyPattern) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __getstate__(self) -> tuple[str, int]:
        return self.pattern, self.flags

    def __setstate__(self, state: tuple[str, int]) -> None:
        self.pattern, self.flags = state
        self._compiled = None


class SourceEntry(Frozen):
    """A source of the registry: which files it reads (names, content sniff) and the module that reads them."""

    __slots__ = (
        "name",
        "module",
        "patterns",
        "sniff",
        "description",
        "by_content",
        "hook_patterns",
        "program",
        "shares_state",
    )

    name: str
    module: str
    patterns: tuple[str, ...]
    sniff: LazyPattern | None
    description: str
    #: Recognised by content whatever its name (certificates and keys): the module offers
    #: ``claims(path, head: bytes) -> bool`` and ``parse_bytes(path, data, context) -> ParseResult``.
    by_content: bool
    #: Paths the pre-commit hook hands over for a source that recognises files by content or by their
    #: directory rather than by a name pattern (``patterns`` of ``*`` would hand over every file).
    hook_patterns: tuple[str, ...]
    #: Program text (C, C#, shell): PEM armour in it is a string literal, not a certificate file, so
    #: the PKI content sniff does not claim it.
    program: bool
    #: The module keeps state across files (``context.state``, a ``finish`` pass): its files are parsed
    #: by the main process in discovery order, never ahead by a ``--jobs`` worker (tlslint.parallel).
    shares_state: bool

    def __init__(
        self,
        name: str,
        module: str,
        patterns: tuple[str, ...],
        sniff: LazyPattern | None = None,
        description: str = "",
        by_content: bool = False,
        hook_patterns: tuple[str, ...] = (),
        program: bool = False,
        shares_state: bool = False,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "module", module)
        object.__setattr__(self, "patterns", patterns)
        object.__setattr__(self, "sniff", sniff)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "by_content", by_content)
        object.__setattr__(self, "hook_patterns", hook_patterns)
        object.__setattr__(self, "program", program)
        object.__setattr__(self, "shares_state", shares_state)

    def matches_name(self, path: str) -> bool:
        return _name_matcher(self.patterns)(os.path.basename(path)) is not None

    def matches_hook(self, path: str) -> bool:
        """Whether the file's name is one of ``hook_patterns`` (base-name patterns only)."""
        names = tuple(p for p in self.hook_patterns if "/" not in p)
        return bool(names) and _name_matcher(names)(os.path.basename(path)) is not None

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


@functools.cache
def _name_matcher(patterns: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """One compiled expression for a source's patterns, as ``fnmatch.fnmatchcase`` reads each of them (every
    discovered file is matched against every source: one regular-expression call, not one per pattern)."""
    return re.compile("|".join(fnmatch.translate(pattern) for pattern in patterns) or "(?!)").match


#: Bytes the content sources (certificates and keys) look at: the window in which
#: :func:`tlslint.pki.detect.sniff` searches for PEM markers, so a key after a long preamble is found.
SNIFF_BYTES = 1024 * 1024

SOURCES: tuple[SourceEntry, ...] = (
    SourceEntry(
        name="tlsconfig",
        module="tlslint.sources.tlsconfig",
        patterns=("*.yaml", "*.yml", "*.json"),
        # tlslint/v1, not the product profile (tlslint/product/v1) or amendments (tlslint/amendments/v1):
        # those are inputs of 'tlslint report', kept in the same repositories, and no TLS configuration.
        sniff=LazyPattern(r"""["']?apiVersion["']?\s*:\s*["']?tlslint/v\d""", re.MULTILINE),
        description="tlslint TLS configuration document (apiVersion: tlslint/v1)",
    ),
    SourceEntry(
        name="apache",
        module="tlslint.sources.apache",
        patterns=("httpd.conf", "apache2.conf", "*.conf", "*.conf.in", "*.vhost"),
        # Case-sensitive on purpose: mod_ssl's "SSLProtocol" versus nginx's "ssl_protocols".
        sniff=LazyPattern(
            r"^[ \t]*(?:<(?:VirtualHost|IfModule|IfDefine|IfVersion)\b"
            r"|(?:SSL[A-Z][A-Za-z]+|LoadModule|ServerRoot|ServerTokens|DocumentRoot|IncludeOptional)[ \t])",
            re.MULTILINE,
        ),
        description="Apache httpd 2.4 configuration (httpd.conf, apache2.conf, sites-enabled/*.conf)",
    ),
    SourceEntry(
        name="haproxy",
        module="tlslint.sources.haproxy",
        # Also *.conf: real HAProxy configurations are often named lb.conf or server.conf; the sniff
        # (a section keyword alone on its line) and the parse check keep nginx and Apache files out.
        patterns=("haproxy.cfg", "*.cfg", "*.conf"),
        sniff=LazyPattern(
            r"^(?:global|defaults|frontend[ \t]+\S+|backend[ \t]+\S+|listen[ \t]+\S+)[ \t]*(?:#.*)?$", re.MULTILINE
        ),
        description="HAProxy configuration (haproxy.cfg): bind/server TLS options, global ssl-default-*",
    ),
    SourceEntry(
        name="kestrel",
        module="tlslint.sources.kestrel",
        patterns=("appsettings.json", "appsettings.*.json"),
        sniff=LazyPattern(r'"Kestrel"\s*:', re.IGNORECASE),
        description="ASP.NET Core Kestrel settings in appsettings*.json (comments allowed)",
        shares_state=True,  # hands certificate passwords to the PKI source
    ),
    SourceEntry(
        name="nginx",
        module="tlslint.sources.nginx",
        patterns=("nginx.conf", "*.conf", "*.nginx", "*.nginxconf"),
        sniff=LazyPattern(
            r"^[ \t]*(?:(?:http|server|stream|events|upstream|location|mail)\b[^;{}\n]*\{"
            r"|(?:ssl_[a-z_]+|proxy_ssl_[a-z_]+|grpc_ssl_[a-z_]+|listen|server_name|proxy_pass|worker_processes)"
            r"[ \t][^\n{}]*;)",
            re.MULTILINE,
        ),
        description="nginx configuration (nginx.conf, conf.d/*.conf, nginx -T output)",
        # Debian's site files have no extension (sites-available/default, gitlab-ssl).
        hook_patterns=("sites-available/*", "sites-enabled/*"),
    ),
    SourceEntry(
        name="openssl-cnf",
        module="tlslint.sources.openssl_cnf",
        patterns=("openssl.cnf", "*.cnf", "opensslcnf.config"),
        sniff=LazyPattern(r"^[ \t]*(?:openssl_conf|ssl_conf|system_default)[ \t]*=", re.MULTILINE),
        description="OpenSSL configuration with a system_default TLS policy (openssl.cnf)",
    ),
    SourceEntry(
        name="libocpp",
        module="tlslint.sources.libocpp",
        patterns=("*.json",),
        # libocpp 2.x component configs and flattened device-model dumps name each "variable_name";
        # libocpp 1.6 configs have an "Internal" section with ChargePointId / CentralSystemURI.
        sniff=LazyPattern(r'"variable_name"\s*:|"(?:CentralSystemURI|ChargePointId)"\s*:'),
        description="libocpp device model: 2.x component configs, flattened dumps, 1.6 config JSON",
    ),
    SourceEntry(
        name="everest",
        module="tlslint.sources.everest",
        patterns=("*.yaml", "*.yml"),
        sniff=LazyPattern(r"^active_modules\s*:", re.MULTILINE),
        description="EVerest run configuration (active_modules: EvseV2G, Evse15118D20, EvseSecurity, OCPP)",
    ),
)


# Device sources (curl, wget, Mbed TLS, libcurl, .NET): appended so that the cheap content sniffs keep
# unrelated scripts, C files and C# files from ever being parsed.
SOURCES += (
    SourceEntry(
        name="shell",
        module="tlslint.sources.curl",
        patterns=(
            "*.sh",
            "*.bash",
            "*.ksh",
            "Dockerfile",
            "Dockerfile.*",
            "*.Dockerfile",
            "Containerfile",
            "Makefile",
            "makefile",
            "GNUmakefile",
            "*.mk",
            # BitBake recipes and appends: do_install() / do_fetch() bodies are shell.
            "*.bb",
            "*.bbappend",
            "*.bbclass",
        ),
        sniff=LazyPattern(r"(?:^|[\s;&|(`\"'/=])(?:curl|wget2?)(?:\.exe)?[ \t]"),
        description="curl and wget command lines in shell scripts, Dockerfiles and Makefiles",
        program=True,
    ),
    SourceEntry(
        name="curlrc",
        module="tlslint.sources.curl",
        patterns=(".curlrc", "_curlrc", "curlrc", "*.curlrc"),
        description="curl config file (.curlrc)",
    ),
    SourceEntry(
        name="wgetrc",
        module="tlslint.sources.wget",
        patterns=(".wgetrc", "wgetrc", "*.wgetrc"),
        description="GNU Wget startup file (.wgetrc, /etc/wgetrc)",
    ),
    SourceEntry(
        name="mbedtls-config",
        module="tlslint.sources.mbedtls",
        patterns=("*.h",),
        # An option line, or (an #include-only configuration) a quoted include of an Mbed TLS config header.
        sniff=LazyPattern(
            r"^[ \t]*(?://[ \t]*)?#[ \t]*(?:define|undef)[ \t]+MBEDTLS_(?:SSL_|KEY_EXCHANGE_|HAVE_TIME)"
            r'|^[ \t]*#[ \t]*include[ \t]*"(?i:[^"\n]*mbedtls[^"\n]*config[^"\n]*\.h)"',
            re.M,
        ),
        description="Mbed TLS build configuration (mbedtls_config.h, MBEDTLS_USER_CONFIG_FILE)",
        program=True,
    ),
    SourceEntry(
        name="c-code",
        module="tlslint.sources.ccode",
        patterns=("*.c", "*.cc", "*.cpp", "*.cxx", "*.h", "*.hpp"),
        sniff=LazyPattern(r"\b(?:curl_easy_setopt|mbedtls_ssl_conf_\w+|mbedtls_ssl_config_defaults)[ \t]*\("),
        description="C/C++ code calling libcurl curl_easy_setopt or Mbed TLS mbedtls_ssl_conf_* (best effort)",
        program=True,
    ),
    SourceEntry(
        name="dotnet",
        module="tlslint.sources.dotnet",
        patterns=("*.cs",),
        sniff=LazyPattern(
            r"\b(?:SslProtocols|SecurityProtocolType|CheckCertificateRevocation(?:List)?"
            r"|(?:Server|Remote)?Certificate(?:Custom)?ValidationCallback|ClientCertificateValidation"
            r"|CertificateRevocationCheckMode|EncryptionPolicy|DefaultTlsClient|AbstractTlsClient|PskTlsClient"
            r"|DefaultTlsServer|AbstractTlsServer|GetSupportedVersions|GetSupportedCipherSuites"
            r"|DangerousAcceptAnyServerCertificateValidator"
            # callbacks and TlsAuthentication classes another file of the project refers to
            r"|SslPolicyErrors|NotifyServerCertificate|TlsAuthentication|NotifySecureRenegotiation)\b"
        ),
        description=".NET TLS settings and BouncyCastle TlsClient/TlsServer overrides in C# (best effort)",
        program=True,
        shares_state=True,  # callbacks defined in another file are judged in its finish pass
    ),
)


def content_sources() -> list[SourceEntry]:
    """Sources that look at every file's first bytes, whatever its name."""
    return [entry for entry in SOURCES if entry.by_content]


def candidates(path: str) -> list[SourceEntry]:
    """Sources whose file-name patterns match ``path`` (before looking at content)."""
    return list(_candidates_named(os.path.basename(path)))


@functools.lru_cache(maxsize=1024)  # recognition asks twice per file; many files share a name
def _candidates_named(base: str) -> tuple[SourceEntry, ...]:
    return tuple(entry for entry in SOURCES if not entry.by_content and _name_matcher(entry.patterns)(base) is not None)


def by_name(name: str) -> SourceEntry:
    """The entry of source ``name`` (KeyError when there is none)."""
    for entry in SOURCES:
        if entry.name == name:
            return entry
    raise KeyError(name)


def names() -> list[str]:
    """Every source name, for ``--type GLOB=SOURCE`` and ``types:`` in the configuration."""
    return list(dict.fromkeys(entry.name for entry in SOURCES))


def claim(path: str, text: str) -> SourceEntry | None:
    """The source that reads ``path`` given its whole text (see :func:`tlslint.recognise.recognise`)."""
    from tlslint.recognise import recognise

    return recognise(path, text).entry


SOURCES += (
    SourceEntry(
        name="pki",
        module="tlslint.sources.pki_files",
        patterns=("*",),
        description="certificates, keys, bundles, PKCS#7/#12, CRLs — PEM or DER, recognised by content",
        by_content=True,
        shares_state=True,  # pairs keys with certificates and builds chains across files
        hook_patterns=(
            "*.pem",
            "*.crt",
            "*.cer",
            "*.der",
            "*.key",
            "*.p12",
            "*.pfx",
            "*.p7b",
            "*.p7c",
            "*.crl",
            "*.csr",
            "*.cert",
            "*.ca-bundle",
            "privkey*",
            "fullchain*",
            "*_key",
            "*-key",
            "id_rsa",
            "id_ecdsa",
            "id_ed25519",
        ),
    ),
)


# --- recognition by the first line (issue 12 item 13; kept apart for the discovery rewrite) ---------------

#: ``#!/bin/sh``, ``#!/usr/bin/env bash``, ``#!/bin/busybox sh``, ``#! /bin/ash -e`` ...
_SHELL_SHEBANG = re.compile(
    rb"^#![ \t]*\S*/(?:env[ \t]+(?:-\S+[ \t]+)*)?(?:busybox[ \t]+)?(?:ba|da|k|z|a|mk)?sh(?:[ \t]|$)"
)


def by_shebang(path: str, head: bytes) -> list[SourceEntry]:
    """Sources for a file without an extension, from its first line: an extensionless shell script
    (``/etc/init.d/*``, ``/usr/bin/fw-update``) is read like ``*.sh``."""
    first = head.split(b"\n", 1)[0]
    if os.path.splitext(os.path.basename(path))[1] == "" and _SHELL_SHEBANG.match(first):
        return [entry for entry in SOURCES if entry.name == "shell"]
    return []
