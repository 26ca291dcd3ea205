"""C#: .NET TLS settings and BouncyCastle ``TlsClient`` / ``TlsServer`` subclasses (best effort).

Parsed with tree-sitter's C# grammar (imported only when a ``.cs`` file passes the registry's sniff).

* .NET: assignments (also inside object initialisers) to ``SslProtocols`` / ``EnabledSslProtocols`` /
  ``ServicePointManager.SecurityProtocol``; certificate-validation callbacks
  (``ServerCertificateCustomValidationCallback``, ``RemoteCertificateValidationCallback``,
  ``ServerCertificateValidationCallback``, ``ClientCertificateValidation``, the third argument of
  ``new SslStream(...)``) - a lambda or method that returns ``true`` whatever it is given, or
  ``DangerousAcceptAnyServerCertificateValidator``, accepts every certificate; one that compares
  ``SslPolicyErrors.None`` verifies; anything else is *opaque*. ``CheckCertificateRevocationList``,
  ``CheckCertificateRevocation``, ``CertificateRevocationCheckMode``, ``EncryptionPolicy``.
  One endpoint per C# method: ``dotnet:<path>:<Class>.<Method>``.
* BouncyCastle: a class deriving from ``DefaultTlsClient``/``AbstractTlsClient``/``PskTlsClient``/
  ``SrpTlsClient`` (or the server counterparts) is an endpoint ``bouncycastle:<path>:<Class>``;
  ``GetSupportedVersions()`` and ``GetSupportedCipherSuites()`` overrides give versions and suites;
  an empty ``NotifyServerCertificate`` means nothing is verified (BouncyCastle itself checks nothing).

Every endpoint carries ``source.confidence: medium``.
"""

from __future__ import annotations

import re
from functools import cache

from tlslint.model.located import Location
from tlslint.sources.base import ParseContext, ParseResult
from tlslint.sources.endpoint_builder import EndpointBuilder

_PROTOCOLS = {
    "Ssl2": ["SSLv2"],
    "Ssl3": ["SSLv3"],
    "Tls": ["TLSv1.0"],
    "Tls11": ["TLSv1.1"],
    "Tls12": ["TLSv1.2"],
    "Tls13": ["TLSv1.3"],
    "Default": ["SSLv3", "TLSv1.0"],
}
_VALIDATION = (
    "ServerCertificateCustomValidationCallback",
    "RemoteCertificateValidationCallback",
    "ServerCertificateValidationCallback",
    "ClientCertificateValidation",
)
_BC_CLIENT = {"DefaultTlsClient", "AbstractTlsClient", "PskTlsClient", "SrpTlsClient"}
_BC_SERVER = {"DefaultTlsServer", "AbstractTlsServer", "PskTlsServer", "SrpTlsServer"}
_BC_VERSIONS = {"SSLv3": "SSLv3", "TLSv10": "TLSv1.0", "TLSv11": "TLSv1.1", "TLSv12": "TLSv1.2", "TLSv13": "TLSv1.3"}
#: bc-csharp DefaultTlsClient's suites, summarised: TLS 1.3 AEADs, ECDHE and DHE with AEAD/CBC, static RSA.
_BC_DEFAULT_TLS12 = [
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
]


@cache
def _parser():
    import tree_sitter
    import tree_sitter_c_sharp

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_c_sharp.language()))


class _Doc:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.source = text.encode("utf-8")
        self.lines = self.source.split(b"\n")
        self.tree = _parser().parse(self.source)
        self.methods: dict[str, list] = {}
        #: ``static readonly`` / ``const`` fields: name -> their initializer (arrays of suites, versions)
        self.constants: dict[str, object] = {}
        for node in self.walk(self.tree.root_node):
            if node.type in ("method_declaration", "local_function_statement"):
                name = node.child_by_field_name("name")
                if name is not None:
                    self.methods.setdefault(self.text(name), []).append(node)
            elif node.type == "field_declaration":
                modifiers = {self.text(c) for c in node.children if c.type == "modifier"}
                if "const" in modifiers or {"static", "readonly"} <= modifiers:
                    for declarator in self.walk(node):
                        if declarator.type == "variable_declarator" and declarator.named_children:
                            value = declarator.named_children[-1]
                            if value is not declarator.named_children[0]:
                                self.constants[self.text(declarator.named_children[0])] = value

    def walk(self, node):
        stack = [node]
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(current.children))

    def text(self, node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def loc(self, node) -> Location:
        (row, col), (erow, ecol) = node.start_point, node.end_point
        return Location(self.path, row + 1, self._col(row, col), erow + 1, self._col(erow, ecol))

    def _col(self, row: int, col: int) -> int:
        line = self.lines[row] if row < len(self.lines) else b""
        return len(line[:col].decode("utf-8", errors="replace")) + 1


_STATE = "dotnet"


def _project(path: str) -> str:
    """The C# project a file belongs to: the nearest directory with a ``*.csproj`` (else the repository)."""
    import os

    from tlslint.repo import ancestors, repo_root

    directory = os.path.dirname(os.path.abspath(path))
    for current in ancestors(directory, levels=12):
        try:
            if any(name.endswith(".csproj") for name in os.listdir(current)):
                return current
        except OSError:
            break
    return repo_root(path) or directory


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.repo import repo_relative

    result = ParseResult()
    doc = _Doc(path, text)
    anchor = repo_relative(path)
    builders: dict[str, EndpointBuilder] = {}
    project = _project(path)
    state = context.state.setdefault(_STATE, {}).setdefault(project, {"pending": [], "methods": {}})
    for name, nodes in doc.methods.items():
        for method in nodes:
            klass = _enclosing(method, ("class_declaration", "struct_declaration", "record_declaration"))
            class_name = doc.text(klass.child_by_field_name("name")) if klass is not None else ""
            body = method.child_by_field_name("body") or next(
                (c for c in method.children if c.type in ("block", "arrow_expression_clause")), None
            )
            entry = (class_name, doc.text(body) if body is not None else None, _empty_body(method))
            state["methods"].setdefault(name, []).append((*entry, doc.loc(method.child_by_field_name("name"))))
    for node in doc.walk(doc.tree.root_node):
        if node.type == "class_declaration":
            subject = _bouncycastle(doc, node, anchor, state["pending"])
            if subject is not None:
                result.subjects.append(subject)
        elif node.type == "assignment_expression":
            _assignment(doc, node, anchor, builders, state["pending"])
        elif node.type == "object_creation_expression":
            type_node = node.child_by_field_name("type")
            args = node.child_by_field_name("arguments")
            if type_node is not None and doc.text(type_node) == "SslStream" and args is not None:
                named = [a for a in args.named_children if a.type == "argument"]
                if len(named) >= 3:
                    builder = _method_builder(doc, node, anchor, builders)
                    builder.set("role", "client", doc.loc(type_node)) if not builder.get("role") else None
                    _callback(doc, named[2], builder, state["pending"])
    for builder in builders.values():
        _dotnet_defaults(builder)
        result.subjects.append(builder.build())
    return result


def _enclosing(node, kinds: tuple[str, ...]):
    current = node.parent
    while current is not None and current.type not in kinds:
        current = current.parent
    return current


def _method_builder(doc: _Doc, node, anchor: str, builders: dict[str, EndpointBuilder]) -> EndpointBuilder:
    method = _enclosing(node, ("method_declaration", "constructor_declaration", "local_function_statement",
                               "property_declaration"))  # fmt: skip
    klass = _enclosing(node, ("class_declaration", "struct_declaration", "record_declaration"))
    method_name = doc.text(method.child_by_field_name("name")) if method is not None else "field"
    class_name = doc.text(klass.child_by_field_name("name")) if klass is not None else "global"
    key = f"{class_name}.{method_name}"
    if key not in builders:
        where = doc.loc(method.child_by_field_name("name")) if method is not None else doc.loc(node)
        builder = EndpointBuilder(f"dotnet:{anchor}:{key}", where, "dotnet", label=f".NET TLS in {key}()",
                                  confidence="medium")  # fmt: skip
        body = doc.text(method) if method is not None else doc.text(node)
        if re.search(r"SslServerAuthenticationOptions|HttpsConnectionAdapterOptions|ClientCertificateValidation"
                     r"|AuthenticateAsServer|UseHttps|ConfigureHttpsDefaults", body):  # fmt: skip
            builder.set("role", "server", where)
        elif re.search(r"HttpClientHandler|SocketsHttpHandler|SslClientAuthenticationOptions|AuthenticateAsClient"
                       r"|ServerCertificate|ServicePointManager|HttpClient|WebRequest", body):  # fmt: skip
            builder.set("role", "client", where)
        builders[key] = builder
    return builders[key]


def _member_names(doc: _Doc, node, owner: str, depth: int = 0) -> list[tuple[str, object]]:
    """``Owner.Member`` references in ``node``, in order, following identifiers that name a ``static
    readonly`` array or a ``const`` of the same file (``return Suites;``, ``=> Arrays.Clone(Suites)``)."""
    out = []
    for child in doc.walk(node):
        if child.type == "member_access_expression":
            expression, name = child.child_by_field_name("expression"), child.child_by_field_name("name")
            if expression is not None and name is not None and doc.text(expression).endswith(owner):
                out.append((doc.text(name), child))
        elif child.type == "identifier" and depth < 3 and child.parent is not None:
            parent = child.parent
            member_part = parent.type == "member_access_expression" and parent.child_by_field_name("name") == child
            value = doc.constants.get(doc.text(child))
            if value is not None and not member_part and not _inside(child, value):
                out.extend(_member_names(doc, value, owner, depth + 1))
    return out


def _inside(node, container) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def _assignment(doc: _Doc, node, anchor: str, builders: dict[str, EndpointBuilder], pending: list) -> None:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return
    target = doc.text(left).rsplit(".", 1)[-1].strip()
    interesting = target in (
        "SslProtocols",
        "EnabledSslProtocols",
        "SecurityProtocol",
        "CheckCertificateRevocationList",
        "CheckCertificateRevocation",
        "CertificateRevocationCheckMode",
        "RevocationMode",
        "EncryptionPolicy",
        *_VALIDATION,
    )
    if not interesting:
        return
    builder = _method_builder(doc, node, anchor, builders)
    vloc = doc.loc(right)
    if target in ("SslProtocols", "EnabledSslProtocols", "SecurityProtocol"):
        owner = "SecurityProtocolType" if target == "SecurityProtocol" else "SslProtocols"
        members = _member_names(doc, right, owner)
        if not members:
            builder.unknown("protocols", vloc, "the protocol set is computed at run time")
            return
        names = [m for m, _ in members]
        if names == ["None"] or names == ["SystemDefault"]:
            builder.unknown("protocols", vloc, "SslProtocols.None: the operating system decides")
            return
        versions, items = [], []
        for name, member in members:
            for version in _PROTOCOLS.get(name, []):
                if version not in versions:
                    versions.append(version)
                    items.append(doc.loc(member))
        builder.set("protocols", versions, vloc, items=tuple(items))
    elif target in ("CheckCertificateRevocationList", "CheckCertificateRevocation"):
        value = doc.text(right).strip()
        if value in ("true", "false"):
            builder.set("revocation.mode", "crl" if value == "true" else "none", vloc,
                        note="online CRL/OCSP through the operating system" if value == "true" else None)  # fmt: skip
        else:
            builder.unknown("revocation.mode", vloc, "computed at run time")
    elif target in ("CertificateRevocationCheckMode", "RevocationMode"):
        mode = doc.text(right).rsplit(".", 1)[-1].strip()
        mapped = {"NoCheck": "none", "Online": "ocsp", "Offline": "crl"}.get(mode)
        builder.set("revocation.mode", mapped, vloc, note=f"X509RevocationMode.{mode}")
    elif target == "EncryptionPolicy":
        policy = doc.text(right).rsplit(".", 1)[-1].strip()
        if policy in ("NoEncryption", "AllowNoEncryption", "RequireEncryption"):
            builder.set(
                "cipher_suites.null_allowed", policy != "RequireEncryption", vloc, note=f"EncryptionPolicy.{policy}"
            )
        else:
            builder.unknown("cipher_suites.null_allowed", vloc, "computed at run time")
    elif target in _VALIDATION:
        if target == "ClientCertificateValidation" and not builder.get("role"):
            builder.set("role", "server", doc.loc(left))
        _callback(doc, right, builder, pending)


def _callback(doc: _Doc, node, builder: EndpointBuilder, pending: list) -> None:
    """Judge a validation callback: accepts everything, verifies (SslPolicyErrors.None), or opaque. A
    method defined in another file of the project is judged by :func:`finish`."""
    loc = doc.loc(node)
    text = doc.text(node).strip()
    inner = node
    match = re.fullmatch(r"new\s+RemoteCertificateValidationCallback\s*\((.*)\)", text, re.DOTALL)
    if match:
        text = match[1].strip()
    body_text = None
    if "DangerousAcceptAnyServerCertificateValidator" in text:
        verdict = "accept-all"
    else:
        lambdas = [n for n in doc.walk(inner) if n.type in ("lambda_expression", "anonymous_method_expression")]
        if lambdas:
            body_text = doc.text(lambdas[0].child_by_field_name("body") or lambdas[0])
        elif re.fullmatch(r"[A-Za-z_][\w.]*", text):
            name = text.rsplit(".", 1)[-1]
            methods = doc.methods.get(name)
            if not methods:
                pending.append((builder, name, text.rsplit(".", 1)[0] if "." in text else None))
            body = methods[0].child_by_field_name("body") if methods else None
            if body is None and methods:
                body = next((c for c in methods[0].children if c.type in ("block", "arrow_expression_clause")), None)
            body_text = doc.text(body) if body is not None else None
        verdict = _judge(body_text)
    _apply_verdict(builder, verdict, loc)


def _apply_verdict(builder: EndpointBuilder, verdict: str, loc: Location) -> None:
    if verdict != "opaque":
        builder.resolved(("verify.peer", "verify.hostname"))
        _drop_opaque(builder, "certificate validation callback")
    if verdict == "accept-all":
        note = "the validation callback accepts every certificate"
        builder.set("verify.peer", False, loc, note=note)
        builder.set("verify.hostname", False, loc, note=note)
        builder.set("verify.validity_period", "skip", loc, note=note)
    elif verdict == "verifies":
        builder.set("verify.peer", True, loc, note="the callback accepts only SslPolicyErrors.None")
        builder.set("verify.hostname", True, loc, note="name mismatches are SslPolicyErrors the callback rejects")
    else:
        builder.append("source.opaque", "certificate validation callback", loc)
        builder.unknown("verify.peer", loc, "a custom validation callback decides; tlslint cannot follow it")
        builder.unknown("verify.hostname", loc, "a custom validation callback decides; tlslint cannot follow it")


def _judge(body: str | None) -> str:
    if body is None:
        return "opaque"
    stripped = re.sub(r"//[^\n]*|/\*.*?\*/", "", body, flags=re.DOTALL).strip()
    if stripped == "true" or re.fullmatch(r"\{\s*return\s+true\s*;\s*\}", stripped):
        return "accept-all"
    returns = re.findall(r"\breturn\s+([^;]+);", stripped)
    if returns and all(r.strip() == "true" for r in returns) and "throw" not in stripped:
        return "accept-all"
    if re.fullmatch(r"\{?\s*(?:return\s+)?\w+\s*==\s*SslPolicyErrors\.None\s*;?\s*\}?", stripped):
        return "verifies"
    return "opaque"


def _dotnet_defaults(builder: EndpointBuilder) -> None:
    where = builder.subject.location
    role = builder.get("role")
    if "protocols" not in builder.subject.fields:
        builder.unknown("protocols", where, "SslProtocols not set: the operating system's TLS policy decides")
    if role == "client":
        builder.default(
            "verify.peer", True, ".NET validates the server certificate unless a callback overrides it", where
        )
        builder.default("verify.hostname", True, ".NET checks the host name (TargetHost) by default", where)
        builder.default("revocation.mode", "none", ".NET default: X509RevocationMode.NoCheck", where)
        builder.unknown("connection.timeouts.connect", where, "set on SocketsHttpHandler/HttpClient, not scanned")
    builder.default("cipher_suites.null_allowed", False, "EncryptionPolicy.RequireEncryption", where)
    builder.unknown(
        "connection.timeouts.handshake", where, "HttpClient.Timeout / Kestrel HandshakeTimeout, not scanned"
    )


# --- BouncyCastle ------------------------------------------------------------------------------------


def _empty_body(method) -> bool:
    block = method.child_by_field_name("body") or next((c for c in method.children if c.type == "block"), None)
    return block is not None and not [c for c in block.named_children if c.type != "comment"]


def _drop_opaque(builder: EndpointBuilder, what: str) -> None:
    """A hook judged after all (found in another file): no longer something to review by hand."""
    found = builder.subject.get("source.opaque")
    if found is not None and what in found.value:
        keep = [(v, i) for v, i in zip(found.value, found.items or (), strict=False) if v != what]
        builder.subject.fields.pop("source.opaque")
        for value, item in keep:
            builder.append("source.opaque", value, item)


def _judge_notify(builder: EndpointBuilder, empty: bool, loc: Location) -> None:
    if empty:
        note = "NotifyServerCertificate() is empty: BouncyCastle itself checks nothing"
        builder.resolved(("verify.peer", "verify.hostname"))
        builder.set("verify.peer", False, loc, note=note)
        builder.set("verify.hostname", False, loc, note=note)
        builder.set("verify.validity_period", "skip", loc, note=note)
    else:
        builder.append("source.opaque", "NotifyServerCertificate", loc)
        builder.unknown("verify.peer", loc, "NotifyServerCertificate() decides; tlslint cannot follow it")


def _old_api_versions(doc: _Doc, builder: EndpointBuilder, methods: dict, where: Location) -> None:
    """Org.BouncyCastle.Crypto.Tls: ``MinimumVersion`` (default TLS 1.0) up to ``ClientVersion`` (default
    TLS 1.2); the old API has no TLS 1.3."""
    from tlslint.catalog import versions as catalog_versions

    bounds = {}
    for name, default in (("MinimumVersion", "TLSv1.0"), ("ClientVersion", "TLSv1.2")):
        member = methods.get(name)
        found = (
            [(m, n) for m, n in _member_names(doc, member, "ProtocolVersion") if m in _BC_VERSIONS] if member else []
        )
        bounds[name] = (_BC_VERSIONS[found[0][0]], doc.loc(found[0][1])) if found else (default, None)
    (low, low_loc), (high, high_loc) = bounds["MinimumVersion"], bounds["ClientVersion"]
    if catalog_versions.rank(low) > catalog_versions.rank(high):
        low = high
    span = catalog_versions.between(low, high)
    if low_loc is None and high_loc is None:
        builder.default(
            "protocols", span, "old BouncyCastle API (Crypto.Tls) default: TLS 1.0 to 1.2, no TLS 1.3", where
        )
        return
    items = tuple((high_loc or where) if v == high else (low_loc or where) for v in span)
    builder.set("protocols", span, low_loc or high_loc, items=items, note="old BouncyCastle API: no TLS 1.3")


def _bouncycastle(doc: _Doc, klass, anchor: str, pending: list):
    from tlslint.catalog import versions as catalog_versions
    from tlslint.catalog.suites import lookup

    bases = next((c for c in klass.children if c.type == "base_list"), None)
    if bases is None:
        return None
    base_names = {doc.text(c).split("<")[0].rsplit(".", 1)[-1] for c in bases.named_children}
    client, server = base_names & _BC_CLIENT, base_names & _BC_SERVER
    if not client and not server:
        return None
    name_node = klass.child_by_field_name("name")
    name = doc.text(name_node)
    where = doc.loc(name_node)
    kind = "client" if client else "server"
    label = f"BouncyCastle {kind} {name}"
    builder = EndpointBuilder(f"bouncycastle:{anchor}:{name}", where, "bouncycastle", label=label, confidence="medium")
    builder.set("role", "client" if client else "server", where)
    body = klass.child_by_field_name("body")
    methods = {}
    if body is not None:
        for child in body.named_children:
            if child.type in ("method_declaration", "property_declaration") and child.child_by_field_name("name"):
                methods[doc.text(child.child_by_field_name("name"))] = child
    # The old API (Org.BouncyCastle.Crypto.Tls, bc-csharp <= 1.8) has other hooks and other defaults.
    old_api = "Org.BouncyCastle.Crypto.Tls" in doc.text(doc.tree.root_node)
    versions_method = methods.get("GetSupportedVersions")
    if old_api:
        _old_api_versions(doc, builder, methods, where)
    elif versions_method is not None:
        text = doc.text(versions_method)
        members = [(m, n) for m, n in _member_names(doc, versions_method, "ProtocolVersion") if m in _BC_VERSIONS]
        loc = doc.loc(versions_method.child_by_field_name("name"))
        down = re.search(r"ProtocolVersion\.(\w+)\s*\.\s*DownTo\s*\(\s*ProtocolVersion\.(\w+)", text)
        if down and down[1] in _BC_VERSIONS and down[2] in _BC_VERSIONS:
            found = catalog_versions.between(_BC_VERSIONS[down[2]], _BC_VERSIONS[down[1]])
            # Each version points at the bound that lets it in: the lowest ones at the DownTo() argument.
            top = next((doc.loc(n) for m, n in members if m == down[1]), loc)
            bottom = next((doc.loc(n) for m, n in reversed(members) if m == down[2]), loc)
            items = tuple(top if v == _BC_VERSIONS[down[1]] else bottom for v in found)
            builder.set("protocols", found, bottom if len(found) > 1 else top, items=items)
        elif members:
            found, items = [], []
            for member, node in members:
                version = _BC_VERSIONS[member]
                if version not in found:
                    found.append(version)
                    items.append(doc.loc(node))
            builder.set("protocols", sorted(found, key=catalog_versions.rank), loc, items=tuple(items))
        else:
            builder.unknown("protocols", loc, "GetSupportedVersions() computes the versions at run time")
    else:
        builder.default("protocols", ["TLSv1.2", "TLSv1.3"], "BouncyCastle default: TLS 1.3 down to 1.2", where)
    suites_method = methods.get("GetCipherSuites" if old_api else "GetSupportedCipherSuites")
    if suites_method is not None:
        loc = doc.loc(suites_method.child_by_field_name("name"))
        members = _member_names(doc, suites_method, "CipherSuite")
        tls12, items12, tls13, items13 = [], [], [], []
        for member, node in members:
            suite = lookup(member)
            if suite is None:
                continue
            (tls13 if suite.tls13 else tls12).append(suite.iana_name)
            (items13 if suite.tls13 else items12).append(doc.loc(node))
        if members:
            builder.set("cipher_suites.tls12", tls12, loc, items=tuple(items12))
            builder.set("cipher_suites.tls13", tls13, loc, items=tuple(items13))
        else:
            builder.unknown("cipher_suites.tls12", loc, "GetSupportedCipherSuites() computes the list at run time")
    elif "DefaultTlsClient" in base_names and old_api:
        builder.unknown(
            "cipher_suites.tls12", where, "the old DefaultTlsClient's list depends on the bc-csharp release"
        )
    elif "DefaultTlsClient" in base_names:
        builder.default(
            "cipher_suites.tls12", list(_BC_DEFAULT_TLS12), "bc-csharp DefaultTlsClient suites (summary)", where
        )
    builder.default(
        "extensions.encrypt_then_mac",
        True,
        "BouncyCastle offers and accepts Encrypt-then-MAC (RFC 7366) by default",
        where,
    )
    renegotiation = methods.get("NotifySecureRenegotiation")
    if renegotiation is not None and _empty_body(renegotiation):
        note = "NotifySecureRenegotiation() is emptied: a peer without RFC 5746 secure renegotiation is accepted"
        builder.set("session.renegotiation", "insecure", doc.loc(renegotiation.child_by_field_name("name")), note=note)
    if client:
        notify = doc.methods.get("NotifyServerCertificate")
        if notify:
            method = notify[0]
            _judge_notify(builder, _empty_body(method), doc.loc(method.child_by_field_name("name")))
        else:
            builder.unknown(
                "verify.peer", where, "no NotifyServerCertificate() in this file; BouncyCastle checks nothing itself"
            )
            authentication = methods.get("GetAuthentication")
            created = re.search(r"\bnew\s+(\w+)\s*\(", doc.text(authentication)) if authentication else None
            pending.append((builder, "NotifyServerCertificate", created[1] if created else None))
        sni = methods.get("GetSniServerNames")
        if sni is None:
            builder.default(
                "sni.send", False, "BouncyCastle sends no SNI unless GetSniServerNames() is overridden", where
            )
        else:
            builder.set("sni.send", True, doc.loc(sni.child_by_field_name("name")))
        builder.unknown("connection.timeouts.connect", where, "the application's socket code connects")
    builder.unknown("connection.timeouts.handshake", where, "GetHandshakeTimeoutMillis() / the application's socket")
    return builder.build()


def finish(context: ParseContext) -> ParseResult:
    """Callbacks and ``NotifyServerCertificate`` implementations defined in another file of the same
    project (an accept-all validator in a shared helper class): judged once every file is read."""
    for project in context.state.get(_STATE, {}).values():
        for builder, name, owner in project["pending"]:
            candidates = project["methods"].get(name, [])
            if owner is not None:
                candidates = [c for c in candidates if c[0] == owner.rsplit(".", 1)[-1]] or candidates
            if len(candidates) != 1:
                continue  # not found, or several: stays opaque / unknown
            _class, body, empty, loc = candidates[0]
            if name == "NotifyServerCertificate":
                _judge_notify(builder, empty, loc)
            else:
                _apply_verdict(builder, _judge(body), loc)
    return ParseResult()
