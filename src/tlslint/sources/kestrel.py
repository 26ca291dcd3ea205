"""ASP.NET Core Kestrel settings in ``appsettings.json`` / ``appsettings.{Environment}.json``.

The .NET JSON configuration provider accepts ``//`` and ``/* */`` comments and trailing commas, and
its keys are case-insensitive, so this module has its own small JSON reader that keeps line and
column of every key and value. What it reads (``Kestrel`` section):

* ``Endpoints:<name>:{Url, SslProtocols[], ClientCertificateMode, Certificate{Path, KeyPath, Password,
  Subject, Store, Location, AllowInvalid}, Sni:{<host>:{SslProtocols, ClientCertificateMode,
  Certificate}}}`` — each HTTPS endpoint is a server endpoint ``kestrel:endpoint[<name>]``, each SNI
  entry ``kestrel:endpoint[<name>/sni:<host>]``;
* ``EndpointDefaults:{SslProtocols, ClientCertificateMode}`` and ``Certificates:Default`` — inherited.

``SslProtocols`` not written means ``None``: the operating system decides. On Linux that is OpenSSL's
policy (TLS 1.2 and 1.3 with OpenSSL 3), reported with origin ``default`` and a note saying so
(``protocols.platform_default``). An inline certificate ``Password`` becomes a ``secret`` subject.
An endpoint whose name contains "ocpp" is taken for an OCPP listener (``purpose: ocpp-csms``, origin
``default``), so the OCPP rules apply to it.
"""

from __future__ import annotations

import array
import os
import re
from typing import Any

from tlslint.errors import InputError
from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import Subject
from tlslint.sources.base import ParseContext, ParseResult

ENGINE = "kestrel"
MAX_DEPTH = 200
Path = tuple[Any, ...]

_PROTOCOLS = {
    "ssl2": ["SSLv2"],
    "ssl3": ["SSLv3"],
    "tls": ["TLSv1.0"],
    "tls10": ["TLSv1.0"],
    "tls11": ["TLSv1.1"],
    "tls12": ["TLSv1.2"],
    "tls13": ["TLSv1.3"],
    "default": ["SSLv3", "TLSv1.0"],  # obsolete SslProtocols.Default = Ssl3 | Tls
    "none": [],
}
_CLIENT_MODES = {
    "nocertificate": "none",
    "allowcertificate": "optional",
    "delaycertificate": "optional",
    "requirecertificate": "required",
}
#: What "SslProtocols: None" (the default) gives on Linux with OpenSSL 3 and its default policy.
_OS_DEFAULT = ["TLSv1.2", "TLSv1.3"]


class _Reader:
    """JSON with comments and trailing commas; knows where every value and key was written.

    Offsets are kept per container (an ``array`` of ints for a list, a dict for an object), found
    through the container's identity, and turned into a :class:`Location` only when asked for. A table
    of ``path tuple -> Location`` per value cost 900 times the input in memory for a deeply nested
    array."""

    def __init__(self, path: str, text: str) -> None:
        self.path, self.text, self.i = path, text, 0
        self.root_offset = 0
        #: id(container) -> (offset of each child value, offset of each key); containers stay alive
        #: in the parsed document, so their ids stay theirs.
        self.tables: dict[int, tuple[Any, dict[str, int]]] = {}
        self.data: Any = None
        self.lines = [0]
        for index, ch in enumerate(text):
            if ch == "\n":
                self.lines.append(index + 1)

    def document(self) -> Any:
        self.skip()
        self.root_offset = self.i
        self.data = self.value()
        return self.data

    def _offset(self, path: Path, *, key: bool) -> int | None:
        node, offset = self.data, self.root_offset
        for depth, step in enumerate(path, start=1):
            table = self.tables.get(id(node))
            if table is None:
                return None
            try:
                offset = (table[1] if key and depth == len(path) else table[0])[step]
                node = node[step]
            except (IndexError, KeyError, TypeError):
                return None
        return offset

    def value_loc(self, path: Path) -> Location | None:
        """Where the value at ``path`` starts."""
        offset = self._offset(path, key=False)
        return None if offset is None else self.loc(offset)

    def key_loc(self, path: Path) -> Location | None:
        """Where the key that introduces ``path`` was written."""
        offset = self._offset(path, key=True) if path else None
        return None if offset is None else self.loc(offset)

    def loc(self, index: int) -> Location:
        import bisect

        line = bisect.bisect_right(self.lines, index)
        return Location(self.path, line, index - self.lines[line - 1] + 1)

    def fail(self, message: str) -> InputError:
        return InputError(self.loc(min(self.i, len(self.text))), message)

    def skip(self) -> None:
        text, n = self.text, len(self.text)
        while self.i < n:
            ch = text[self.i]
            if ch in " \t\r\n\ufeff":
                self.i += 1
            elif text.startswith("//", self.i):
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end + 1
            elif text.startswith("/*", self.i):
                end = text.find("*/", self.i + 2)
                if end < 0:
                    raise self.fail("unterminated /* comment")
                self.i = end + 2
            else:
                break

    def value(self, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail("nested too deeply")
        self.skip()
        if self.i >= len(self.text):
            raise self.fail("unexpected end of file")
        ch = self.text[self.i]
        if ch == "{":
            self.i += 1
            out: dict[str, Any] = {}
            offsets: dict[str, int] = {}
            key_offsets: dict[str, int] = {}
            while True:
                self.skip()
                if self.text.startswith("}", self.i):
                    self.i += 1
                    self.tables[id(out)] = (offsets, key_offsets)
                    return out
                key_at = self.i
                key = self.string()
                self.skip()
                if not self.text.startswith(":", self.i):
                    raise self.fail("expected ':' after a key")
                self.i += 1
                self.skip()
                key_offsets[key], offsets[key] = key_at, self.i
                out[key] = self.value(depth + 1)
                self.skip()
                if self.text.startswith(",", self.i):
                    self.i += 1
                elif not self.text.startswith("}", self.i):
                    raise self.fail("expected ',' or '}'")
        if ch == "[":
            self.i += 1
            items: list[Any] = []
            starts = array.array("q")
            while True:
                self.skip()
                if self.text.startswith("]", self.i):
                    self.i += 1
                    self.tables[id(items)] = (starts, {})
                    return items
                starts.append(self.i)
                items.append(self.value(depth + 1))
                self.skip()
                if self.text.startswith(",", self.i):
                    self.i += 1
                elif not self.text.startswith("]", self.i):
                    raise self.fail("expected ',' or ']'")
        if ch == '"':
            return self.string()
        for word, result in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.i):
                self.i += len(word)
                return result
        start = self.i
        while self.i < len(self.text) and self.text[self.i] in "+-0123456789.eE":
            self.i += 1
        token = self.text[start : self.i]
        try:
            return float(token) if any(c in token for c in ".eE") else int(token)
        except ValueError:
            self.i = start
            raise self.fail("not a JSON value") from None

    def string(self) -> str:
        import json

        if not self.text.startswith('"', self.i):
            raise self.fail("expected a string")
        end = self.i + 1
        while True:
            end = self.text.find('"', end)
            if end < 0:
                raise self.fail("unterminated string")
            backslashes = 0
            while self.text[end - 1 - backslashes] == "\\":
                backslashes += 1
            if backslashes % 2 == 0:
                break
            end += 1
        raw = self.text[self.i : end + 1]
        self.i = end + 1
        try:
            return json.loads(raw)
        except ValueError:
            raise self.fail("invalid string escape") from None


def _get(mapping: Any, key: str) -> tuple[str, Any] | None:
    """Case-insensitive lookup, as .NET configuration keys are: (the key as written, the value)."""
    if not isinstance(mapping, dict):
        return None
    for name, value in mapping.items():
        if name.lower() == key.lower():
            return name, value
    return None


class _Doc:
    def __init__(self, reader: _Reader, data: Any) -> None:
        self.reader, self.data = reader, data

    def find(self, path: Path, *keys: str) -> tuple[Path, Any] | None:
        node: Any = self.data
        for step in path:
            node = node[step]
        for key in keys:
            found = _get(node, key)
            if found is None:
                return None
            path, node = (*path, found[0]), found[1]
        return path, node

    def loc(self, path: Path) -> Location:
        return self.reader.value_loc(path) or Location(self.reader.path)


def _protocols(value: Any) -> list[str] | None:
    words = value if isinstance(value, list) else str(value).replace("|", ",").split(",")
    out: list[str] = []
    for word in words:
        versions = _PROTOCOLS.get(str(word).strip().lower())
        if versions is None:
            return None
        out += [v for v in versions if v not in out]
    return out


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    result = ParseResult()
    reader = _Reader(path, text)
    data = reader.document()
    reader.skip()
    if reader.i < len(reader.text):
        raise reader.fail("text after the end of the JSON document")
    doc = _Doc(reader, data)
    kestrel = doc.find((), "Kestrel")
    if kestrel is None or not isinstance(kestrel[1], dict):
        return result
    root = kestrel[0]
    defaults = doc.find(root, "EndpointDefaults")
    default_cert = doc.find(root, "Certificates", "Default")
    endpoints = doc.find(root, "Endpoints")
    # An OCPP server (OCPP.Core, SteVe-like backends) says so outside the Kestrel section too: a logging
    # category, a connection string, an "OcppUrl"... or in the endpoint's name.
    ocpp_document = _mentions_ocpp(data, [10_000])
    if endpoints is not None and isinstance(endpoints[1], dict):
        for name, body in endpoints[1].items():
            e_path = (*endpoints[0], name)
            url = _get(body, "Url")
            if url is None:
                continue
            if not str(url[1]).lower().startswith("https"):
                result.subjects.append(_plain_listener(doc, name, e_path, url, ocpp_document or "ocpp" in name.lower()))
                continue
            subject = Subject("endpoint", f"kestrel:endpoint[{name}]", doc.loc(e_path), ENGINE)
            url_path = (*e_path, url[0])
            _fill(subject, doc, e_path, defaults, default_cert, result, context)
            if "ocpp" in name.lower():
                subject.set(
                    "purpose",
                    Located(
                        "ocpp-csms",
                        Origin.DEFAULT,
                        reader.key_loc(e_path) or doc.loc(e_path),
                        note=f"inferred from the endpoint name {name!r}",
                    ),
                )
            subject.set("url", Located(url[1], Origin.EXPLICIT, doc.loc(url_path)))
            host, port = _bind(str(url[1]))
            subject.set("bind.address", Located(host, Origin.EXPLICIT, doc.loc(url_path)))
            if port is not None:
                subject.set("bind.port", Located(port, Origin.EXPLICIT, doc.loc(url_path)))
            result.subjects.append(subject)
            sni = doc.find(e_path, "Sni")
            if sni is not None and isinstance(sni[1], dict):
                for host_name in sni[1]:
                    s_path = (*sni[0], host_name)
                    child = Subject("endpoint", f"kestrel:endpoint[{name}/sni:{host_name}]", doc.loc(s_path), ENGINE)
                    _fill(child, doc, s_path, defaults, default_cert, result, context, parent=e_path)
                    for key in ("url", "bind.address", "bind.port", "purpose"):
                        if key in subject.fields:
                            child.set(key, subject.fields[key].inherited())
                    child.set("server_name", Located(host_name, Origin.EXPLICIT, reader.key_loc(s_path)))
                    result.subjects.append(child)
    return result


def _mentions_ocpp(data: Any, budget: list[int]) -> bool:
    """Whether a key or string value outside the Kestrel section names OCPP (bounded walk)."""
    budget[0] -= 1
    if budget[0] < 0:
        return False
    if isinstance(data, str):
        return "ocpp" in data.lower()
    if isinstance(data, dict):
        return any(
            ("ocpp" in str(key).lower() or _mentions_ocpp(value, budget))
            for key, value in data.items()
            if str(key).lower() != "kestrel"
        )
    if isinstance(data, list):
        return any(_mentions_ocpp(item, budget) for item in data)
    return False


def _plain_listener(doc: _Doc, name: str, e_path: Path, url: tuple[str, Any], ocpp: bool) -> Subject:
    """A plain-HTTP listener (``http://0.0.0.0:8081``): no TLS at all, an endpoint for the transport rules."""
    url_path = (*e_path, url[0])
    where = doc.loc(url_path)
    subject = Subject("endpoint", f"kestrel:endpoint[{name}]", doc.loc(e_path), ENGINE, label=f"Kestrel {name}")
    subject.set("role", Located("server", Origin.EXPLICIT, subject.location))
    subject.set("url", Located(url[1], Origin.EXPLICIT, where))
    scheme = str(url[1]).split("://", 1)[0].lower() if "://" in str(url[1]) else "http"
    subject.set("url.scheme", Located(scheme, Origin.EXPLICIT, where))
    host, _ = _bind(str(url[1]))
    subject.set("bind.address", Located(host, Origin.EXPLICIT, where))
    written = re.search(r":(\d+)(?:/|$)", str(url[1]).split("://", 1)[-1])
    subject.set("bind.port", Located(int(written[1]) if written else 80, Origin.EXPLICIT, where))
    subject.set("plaintext_allowed", Located(True, Origin.EXPLICIT, where, note="an http:// listener carries no TLS"))
    subject.set("source.no_tls", Located("a plain-HTTP listener", Origin.EXPLICIT, where))
    if host in ("localhost", "127.0.0.1", "::1"):
        subject.set("trusted_network", Located(True, Origin.EXPLICIT, where, note="loopback: behind a local proxy"))
    if ocpp:
        note = "the settings belong to an OCPP server (OCPP named in the file or the endpoint)"
        subject.set("purpose", Located("ocpp-csms", Origin.DEFAULT, doc.loc(e_path), note=note))
    return subject


def _bind(url: str) -> tuple[str, int | None]:
    rest = url.split("://", 1)[-1].split("/", 1)[0]
    if rest.startswith("["):
        host, _, tail = rest[1:].partition("]")
        port = tail.lstrip(":")
    else:
        host, _, port = rest.partition(":")
    if host in ("*", "+"):
        host = "*"
    return host, int(port) if port.isdigit() else 443


def _fill(
    subject: Subject,
    doc: _Doc,
    path: Path,
    defaults: tuple[Path, Any] | None,
    default_cert: tuple[Path, Any] | None,
    result: ParseResult,
    context: ParseContext,
    parent: Path | None = None,
) -> None:
    subject.set("role", Located("server", Origin.EXPLICIT, subject.location))

    def lookup(key: str) -> Located[Any] | None:
        for base, origin in ((path, Origin.EXPLICIT), (parent, Origin.INHERITED)):
            if base is None:
                continue
            found = doc.find(base, key)
            if found is not None:
                return Located(found[1], origin, doc.loc(found[0]), items=_items(doc, found))
        if defaults is not None:
            found = doc.find(defaults[0], key)
            if found is not None:
                return Located(
                    found[1], Origin.INHERITED, doc.loc(found[0]), (subject.location,), items=_items(doc, found)
                )
        return None

    protocols = lookup("SslProtocols")
    if protocols is not None:
        versions = _protocols(protocols.value)
        if versions is None:
            result.diagnostics.append(
                _diagnostic(protocols.location, f"SslProtocols {protocols.value!r}: not a .NET SslProtocols value")
            )
        elif not versions:
            subject.set(
                "protocols",
                Located(_OS_DEFAULT, Origin.DEFAULT, protocols.location, note="SslProtocols None: the OS decides"),
            )
            subject.set(
                "protocols.platform_default",
                Located(True, protocols.origin, protocols.location, protocols.via, note="SslProtocols None"),
            )
        else:
            items = protocols.items if len(protocols.items) == len(versions) else ()
            subject.set(
                "protocols", Located(versions, protocols.origin, protocols.location, protocols.via, items=items)
            )
    else:
        subject.set(
            "protocols",
            Located(
                _OS_DEFAULT,
                Origin.DEFAULT,
                subject.location,
                note="SslProtocols not set (None): the OS decides; on Linux OpenSSL 3 offers TLS 1.2 and 1.3",
            ),
        )
        subject.set(
            "protocols.platform_default",
            Located(True, Origin.DEFAULT, subject.location, note="SslProtocols not set: Kestrel's default None"),
        )
    subject.set(
        "connection.timeouts.handshake",
        Located(10, Origin.DEFAULT, subject.location, note="Kestrel HttpsConnectionAdapterOptions.HandshakeTimeout"),
    )
    mode = lookup("ClientCertificateMode")
    if mode is not None:
        value = _CLIENT_MODES.get(str(mode.value).lower(), "none")
        subject.set("client_auth.mode", Located(value, mode.origin, mode.location, mode.via))
    else:
        subject.set("client_auth.mode", Located("none", Origin.DEFAULT, subject.location, note="NoCertificate"))
    certificate = None
    for base, origin in ((path, Origin.EXPLICIT), (parent, Origin.INHERITED)):
        if base is not None and certificate is None:
            found = doc.find(base, "Certificate")
            if found is not None:
                certificate = (found, origin)
    if certificate is None and default_cert is not None:
        certificate = (default_cert, Origin.INHERITED)
    if certificate is not None:
        (c_path, body), origin = certificate
        _certificate(subject, doc, c_path, body, origin, result, context)


def _items(doc: _Doc, found: tuple[Path, Any]) -> tuple[Location | None, ...]:
    if not isinstance(found[1], list):
        return ()
    return tuple(doc.reader.value_loc((*found[0], i)) for i in range(len(found[1])))


def _certificate(
    subject: Subject, doc: _Doc, path: Path, body: Any, origin: Origin, result: ParseResult, context: ParseContext
) -> None:
    from tlslint.sources import certinfo

    if not isinstance(body, dict):
        return
    where = doc.loc(path)
    file_ = _get(body, "Path")
    store = _get(body, "Subject")
    if file_ is not None:
        subject.set("identity", Located([file_[1]], origin, doc.loc((*path, file_[0]))))
        candidate = file_[1]
        if isinstance(candidate, str) and not os.path.isabs(candidate):
            candidate = os.path.join(os.path.dirname(os.path.abspath(doc.reader.path)), candidate)
        kind = certinfo.key_type(candidate) if isinstance(candidate, str) else None
        for key, field in (("Path", "identity.certificate_files"), ("KeyPath", "identity.key_files")):  # tlslint.link
            found = _get(body, key)
            if found is not None and isinstance(found[1], str) and found[1]:
                ref = os.path.join(os.path.dirname(doc.reader.path), found[1])  # relative: to the content root
                subject.set(field, Located([os.path.normpath(ref)], origin, doc.loc((*path, found[0]))))
        if kind:
            subject.set("identity.key_types", Located([kind], origin, doc.loc((*path, file_[0]))))
    elif store is not None:
        subject.set("identity", Located([f"store:{store[1]}"], origin, doc.loc((*path, store[0]))))
    subject.set("identity.key_storage", Located(["file" if file_ else "os-store"], origin, where))
    allow_invalid = _get(body, "AllowInvalid")
    if allow_invalid is not None and isinstance(allow_invalid[1], bool):
        subject.set("identity.allow_invalid", Located(allow_invalid[1], origin, doc.loc((*path, allow_invalid[0]))))
    password = _get(body, "Password")
    if password is not None and isinstance(password[1], str) and password[1]:
        p_path = (*path, password[0])
        anchor = "kestrel:" + ":".join(str(step) for step in p_path)
        secret = Subject("secret", anchor, doc.loc(p_path), ENGINE)
        secret.set("secret.kind", Located("password", Origin.EXPLICIT, doc.reader.key_loc(p_path)))
        secret.set("secret.inline", Located(True, Origin.EXPLICIT, doc.loc(p_path)))
        if not any(s.id == secret.id for s in result.subjects):
            result.subjects.append(secret)
        if file_ is not None and isinstance(file_[1], str) and file_[1]:
            # The password opens the PFX it sits next to, so its certificate and key are linted too.
            from tlslint.sources.pki_files import register_passphrase

            target = os.path.join(os.path.dirname(os.path.abspath(doc.reader.path)), file_[1])
            register_passphrase(context, target, password[1])


def _diagnostic(location: Location | None, message: str) -> Any:
    from tlslint.model.diagnostic import Diagnostic

    return Diagnostic(location or Location("<unknown>"), message, "warning")
