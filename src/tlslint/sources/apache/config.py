"""Evaluate an Apache httpd configuration the way httpd reads it at start-up, statically.

``Include``/``IncludeOptional`` are followed (globs relative to ``ServerRoot``, matches in sorted
order, cycles and depth bounded), ``Define``/``UnDefine`` and ``${NAME}`` are substituted,
``<IfModule>``/``<IfDefine>``/``<IfVersion>`` are decided, and directives are sorted into the main
server context and one context per ``<VirtualHost>``. Directory-level sections (``<Directory>``,
``<Location>``, ``<If>`` …) do not change the TLS offer of a listener and are not entered.

Every directive keeps where it was written and ``via``: the ``Include`` lines and the conditional
sections that brought it in, so a finding can point at the directive inside an included file and
still show how it got there.
"""

from __future__ import annotations

import glob
import os
import re

from tlslint import safe_read
from tlslint.budget import Budget, BudgetExceeded
from tlslint.errors import InputError
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location
from tlslint.records import Record
from tlslint.sources.apache.lexer import Arg, Node
from tlslint.sources.apache.lexer import parse as lex

#: Deepest chain of includes followed.
MAX_INCLUDE_DEPTH = 32
#: Most files read for one configuration.
MAX_FILES = 2000

#: Modules compiled into Debian's httpd (``apache2 -l``); IfModule tests on them are always true.
STATIC_MODULES = frozenset({"core", "so", "watchdog", "http", "log_config", "logio", "version", "unixd"})

_SKIPPED_SECTIONS = frozenset(
    {
        "directory",
        "directorymatch",
        "files",
        "filesmatch",
        "location",
        "locationmatch",
        "if",
        "elseif",
        "else",
        "limit",
        "limitexcept",
        "proxy",
        "proxymatch",
        "requireall",
        "requireany",
        "requirenone",
        "macro",
        "authnprovideralias",
        "authzprovideralias",
        "mdomain",
        "mdomainset",
    }
)
_VAR = re.compile(r"\$\{([A-Za-z0-9_.:-]+)\}")

#: (fewest, most) arguments httpd accepts for the directives tlslint reads (mod_ssl's and core's
#: TAKE1, TAKE12, TAKE2, ITERATE and RAW_ARGS declarations); httpd refuses to start otherwise, so such
#: a directive is an error and is not read. ``None``: no upper bound.
_ARITY: dict[str, tuple[int, int | None]] = {
    **dict.fromkeys(
        (
            "sslcertificatefile",
            "sslcertificatekeyfile",
            "sslcertificatechainfile",
            "sslcacertificatefile",
            "sslcacertificatepath",
            "sslcarevocationfile",
            "sslcarevocationpath",
            "sslproxycacertificatefile",
            "sslproxycacertificatepath",
            "sslproxymachinecertificatefile",
            "sslproxymachinecertificatepath",
            "sslengine",
            "sslsessioncache",
            "sslsessioncachetimeout",
            "sslsessionticketkeyfile",
            "sslstaplingcache",
            "sslstaplingrespondertimeout",
            "sslverifyclient",
            "sslverifydepth",
            "sslproxyverify",
            "sslproxyverifydepth",
            "servername",
            "servertokens",
            "serversignature",
        ),
        (1, 1),
    ),
    "sslciphersuite": (1, 2),
    "sslproxyciphersuite": (1, 2),
    "sslopensslconfcmd": (2, 2),
    "sslprotocol": (1, None),
    "sslproxyprotocol": (1, None),
    "serveralias": (1, None),
    "listen": (1, None),  # 2.4: [addr:]port [protocol]; trunk adds options=
}
#: mod_ssl's FLAG directives: exactly ``On`` or ``Off`` (any case).
_FLAGS = frozenset(
    {
        "sslhonorcipherorder",
        "sslcompression",
        "sslsessiontickets",
        "sslinsecurerenegotiation",
        "sslusestapling",
        "sslproxyengine",
        "sslproxycheckpeerexpire",
        "sslproxycheckpeername",
        "sslproxycheckpeercn",
        "sslstrictsnivhostcheck",
        "sslstaplingreturnrespondererrors",
        "sslstaplingfaketrylater",
    }
)


class Directive(Record):
    """One Apache directive, its arguments with their places, and the includes that brought it in."""

    __slots__ = ("name", "args", "location", "via", "unknown")

    name: str
    args: list[Arg]
    location: Location
    via: tuple[Location, ...]
    unknown: bool  # an argument uses a ${VAR} that is not defined

    def __init__(
        self, name: str, args: list[Arg], location: Location, via: tuple[Location, ...] = (), unknown: bool = False
    ) -> None:
        self.name = name
        self.args = args
        self.location = location
        self.via = via
        self.unknown = unknown

    @property
    def key(self) -> str:
        return self.name.lower()

    @property
    def values(self) -> list[str]:
        return [arg.text for arg in self.args]


class Context(Record):
    """The main server or one ``<VirtualHost>``: its directives in file order."""

    __slots__ = ("kind", "location", "addresses", "via", "directives")

    kind: str  # "server" | "vhost"
    location: Location
    addresses: list[str]
    via: tuple[Location, ...]
    directives: list[Directive]

    def __init__(
        self,
        kind: str,
        location: Location,
        addresses: list[str] | None = None,
        via: tuple[Location, ...] = (),
        directives: list[Directive] | None = None,
    ) -> None:
        self.kind = kind
        self.location = location
        self.addresses = [] if addresses is None else addresses
        self.via = via
        self.directives = [] if directives is None else directives

    def all(self, key: str) -> list[Directive]:
        key = key.lower()
        return [d for d in self.directives if d.key == key]

    def last(self, key: str) -> Directive | None:
        found = self.all(key)
        return found[-1] if found else None


class ApacheConfig(Record):
    """An Apache configuration read from its main file: the server context, the virtual hosts, the listeners."""

    __slots__ = ("main", "server", "vhosts", "listens", "files", "diagnostics", "modules_seen", "server_root")

    main: str
    server: Context
    vhosts: list[Context]
    listens: list[Directive]
    files: list[str]
    diagnostics: list[Diagnostic]
    modules_seen: bool  # some LoadModule was read: IfModule can be decided exactly
    server_root: str

    def __init__(
        self,
        main: str,
        server: Context,
        vhosts: list[Context] | None = None,
        listens: list[Directive] | None = None,
        files: list[str] | None = None,
        diagnostics: list[Diagnostic] | None = None,
        modules_seen: bool = False,
        server_root: str = "",
    ) -> None:
        self.main = main
        self.server = server
        self.vhosts = [] if vhosts is None else vhosts
        self.listens = [] if listens is None else listens
        self.files = [] if files is None else files
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.modules_seen = modules_seen
        self.server_root = server_root


def module_name(text: str) -> str:
    """``mod_ssl.c``, ``ssl_module``, ``mod_ssl`` -> ``ssl``."""
    name = text.strip().lower()
    name = name.removesuffix(".c").removesuffix("_module")
    return name.removeprefix("mod_")


def default_server_root(main: str) -> str:
    directory = os.path.dirname(os.path.abspath(main))
    # Upstream layout: conf/httpd.conf under the server root.
    return os.path.dirname(directory) if os.path.basename(directory) == "conf" else directory


class _Reader:
    def __init__(
        self, main: str, version: tuple[int, ...], defines: dict[str, str], budget: Budget, version_given: bool = False
    ) -> None:
        self.budget = budget
        self.config = ApacheConfig(main, Context("server", Location(main, 1, 1)))
        self.server_root = default_server_root(main)
        self.defines = dict(defines)
        self.modules: set[str] = set()
        self.version = version
        #: Whether the user gave the version (a directive of another release is then an error, not a warning).
        self.version_given = version_given
        self.stack: list[str] = []
        #: Each file is read and tokenised once, however often it is included (an include DAG).
        self.lexed: dict[str, list[Node]] = {}

    # -- helpers ------------------------------------------------------------------------------------

    def substitute(self, text: str, where: Location) -> tuple[str, bool]:
        """``${NAME}`` replaced by its ``Define``; the growing length is charged as it grows, since
        ``Define A ${A}${A}`` doubles with every line."""
        if "$" not in text:
            return text, False
        unknown = False
        length = len(text)

        def replace(match: re.Match[str]) -> str:
            nonlocal unknown, length
            value = self.defines.get(match[1])
            if value is None:
                unknown = True
                return match[0]
            length += len(value) - len(match[0])
            self.budget.expanded(length, where)
            return value

        return _VAR.sub(replace, text), unknown

    def warn(self, location: Location, message: str, severity: str = "warning") -> None:
        self.config.diagnostics.append(Diagnostic(location, message, severity))

    # -- reading ------------------------------------------------------------------------------------

    def read_file(self, path: str, text: str | None, via: tuple[Location, ...], context: Context) -> None:
        real = os.path.realpath(path)
        if real in self.stack:
            self.warn(via[-1] if via else Location(path), f"include cycle: {path} includes itself")
            return
        if len(self.stack) >= MAX_INCLUDE_DEPTH or len(self.config.files) >= MAX_FILES:
            self.warn(via[-1] if via else Location(path), "includes nested too deeply or too many files; not read")
            return
        nodes = self.lexed.get(real)
        if nodes is None:
            if text is None:
                from tlslint.yamlpos import read_text

                text = read_text(path)
                self.budget.spend("included_bytes", len(text), via[-1] if via else Location(path))
            nodes = self.lexed[real] = lex(path, text)
        self.config.files.append(path)
        self.stack.append(real)
        try:
            self.walk(nodes, context, via)
        finally:
            self.stack.pop()

    def walk(self, nodes: list[Node], context: Context, via: tuple[Location, ...]) -> None:
        for node in nodes:
            self.budget.spend("statements", 1, node.location)
            if node.is_section:
                self.section(node, context, via)
            else:
                self.directive(node, context, via)

    def section(self, node: Node, context: Context, via: tuple[Location, ...]) -> None:
        key = node.key
        inner = (*via, node.location)
        children = node.children or []
        if key in ("ifmodule", "ifdefine", "ifversion", "ifdirective", "ifsection", "iffile"):
            if self.condition(node):
                self.walk(children, context, inner)
            return
        if key == "virtualhost":
            if context.kind != "server":
                self.warn(node.location, "<VirtualHost> nested inside <VirtualHost> is not allowed", "error")
                return
            addresses = [self.substitute(a, node.location)[0] for a in node.values]
            vhost = Context("vhost", node.location, addresses, via)
            self.config.vhosts.append(vhost)
            self.walk(children, vhost, via)
            return
        if key in _SKIPPED_SECTIONS:
            return
        # An unknown section (a third-party module's): its directives are not server-level settings.

    def condition(self, node: Node) -> bool:
        values = [self.substitute(v, node.location)[0] for v in node.values]
        if not values:
            return False
        key = node.key
        if key == "ifversion":
            return _version_matches(values, self.version)
        negate = values[0].startswith("!")
        name = values[0][1:] if negate else values[0]
        if key == "ifmodule":
            found = self.module_loaded(name)
        elif key == "ifdefine":
            found = name in self.defines
        elif key == "iffile":
            path = name if os.path.isabs(name) else os.path.join(self.server_root, name)
            found = os.path.exists(path)
        else:  # IfDirective / IfSection: assume the directive exists (most do in a stock build)
            found = True
        return found != negate

    def module_loaded(self, name: str) -> bool:
        module = module_name(name)
        if module in STATIC_MODULES or module in self.modules:
            return True
        # A fragment read on its own (no LoadModule anywhere yet): assume the module it guards is
        # loaded, since the fragment exists to configure it.
        return not self.config.modules_seen

    def directive(self, node: Node, context: Context, via: tuple[Location, ...]) -> None:
        key = node.key
        if key.startswith("ssl"):
            from tlslint.catalog.apache_directives import ssl_directive_problem

            version = ".".join(map(str, self.version))
            unknown = ssl_directive_problem(node.name, version, self.version_given, self.budget, node.location)
            if unknown is not None:  # httpd stops at it ("Invalid command"); tlslint does not read it
                severity, said = unknown
                self.warn(node.location, f"httpd refuses to start: {said}" if severity == "error" else said, severity)
                return
        values = []
        unknown = False
        for arg in node.args:
            text, missing = self.substitute(arg.text, arg.location)
            values.append(Arg(text, arg.location))
            unknown = unknown or missing
        problem = _argument_problem(key, values, unknown)
        if problem is not None:
            self.warn(node.location, f"{node.name} {problem} (httpd refuses to start); not read", "error")
            return
        if key == "define" and values:
            self.defines[values[0].text] = values[1].text if len(values) > 1 else ""
            return
        if key == "undefine" and values:
            self.defines.pop(values[0].text, None)
            return
        if key == "serverroot" and values:
            root = values[0].text
            if os.path.isabs(root) and not _within(self.config.main, root):
                # A copy of /etc/httpd in a repository says "ServerRoot /etc/httpd": its includes
                # are the files next to it, not this machine's.
                self.warn(
                    node.location,
                    f"ServerRoot {root} is not where this configuration lives; includes are resolved "
                    "against the directory that holds it",
                )
                return
            self.server_root = root if os.path.isabs(root) else os.path.join(self.server_root, root)
            return
        if key == "loadmodule" and values:
            self.config.modules_seen = True
            self.modules.add(module_name(values[0].text))
            return
        if key in ("include", "includeoptional") and values:
            self.include(node, values[0].text, key == "includeoptional", unknown, context, via)
            return
        if key == "listen" and context.kind == "server":
            self.config.listens.append(Directive(node.name, values, node.location, via, unknown))
            return
        context.directives.append(Directive(node.name, values, node.location, via, unknown))

    def include(
        self, node: Node, pattern: str, optional: bool, unknown: bool, context: Context, via: tuple[Location, ...]
    ) -> None:
        if unknown:
            self.warn(node.location, f"{node.name} {pattern}: path uses an undefined variable; not followed")
            return
        path = pattern if os.path.isabs(pattern) else os.path.join(self.server_root, pattern)
        wildcard = any(ch in path for ch in "*?[")
        if wildcard:
            matches = sorted(glob.glob(path))
            allowed = [m for m in matches if not safe_read.outside(m)]
            if len(allowed) < len(matches):  # one warning, no names: the directory is not ours to list
                self.warn(node.location, f"{node.name} {pattern}: matches files outside the scanned tree; not read")
            matches = [m for m in allowed if os.path.isfile(m)] or [
                f for m in allowed if os.path.isdir(m) for f in sorted(glob.glob(os.path.join(m, "*")))
            ]
        elif os.path.isdir(path) and safe_read.outside(path):
            matches = [path]  # never list a directory outside the tree: the read refuses it
        elif os.path.isdir(path):
            matches = sorted(os.path.join(path, f) for f in os.listdir(path))
            matches = [m for m in matches if os.path.isfile(m)]
        else:
            matches = [path] if os.path.exists(path) else []
        if not matches:
            if not optional and not wildcard:
                self.warn(node.location, f"Include {pattern}: no such file (relative to ServerRoot {self.server_root})")
            return
        for match in matches:
            try:
                # Shown like every other path (relative to the working directory when inside it): the
                # glob runs on the absolute ServerRoot, but a finding must not depend on that spelling.
                self.read_file(display(match), None, (*via, node.location), context)
            except BudgetExceeded:
                raise  # the whole file stops, located where the budget ran out
            except InputError as error:  # outside the tree, not a regular file, unreadable
                self.warn(node.location, f"Include {match}: {error.message}")
            except OSError as error:
                self.warn(node.location, f"Include {match}: cannot read ({error.strerror or error})")


def _within(path: str, directory: str) -> bool:
    """Whether ``path`` lies inside ``directory``."""
    real = os.path.realpath(path)
    root = os.path.realpath(directory)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _argument_problem(key: str, values: list[Arg], unknown: bool) -> str | None:
    """What httpd's argument check would say about this directive, or None when it passes. Words from
    one starting with ``#`` on are left out: httpd has no trailing comments and would refuse them too,
    but tlslint has always read them as ignored extra words (the rule fixtures annotate lines so)."""
    comment = next((index for index, arg in enumerate(values) if arg.text.startswith("#")), None)
    values = values if comment is None else values[:comment]
    if key in _FLAGS:
        if len(values) != 1 or (not unknown and values[0].text.lower() not in ("on", "off")):
            return "must be On or Off"
        return None
    arity = _ARITY.get(key)
    if arity is None:
        return None
    fewest, most = arity
    if fewest <= len(values) and (most is None or len(values) <= most):
        return None
    if most is None:
        return f"takes at least {fewest} argument{'s' if fewest > 1 else ''}"
    wanted = str(fewest) if fewest == most else f"{fewest} or {most}"
    return f"takes {wanted} argument{'s' if most > 1 else ''}, not {len(values)}"


def _version_matches(values: list[str], version: tuple[int, ...]) -> bool:
    if len(values) == 1:
        op, wanted = "=", values[0]
    else:
        op, wanted = values[0], values[1]
    negate = op.startswith("!")
    op = op.lstrip("!") or "="
    if op in ("~",) or wanted.startswith("/"):
        pattern = wanted.strip("/")
        result = re.search(pattern, ".".join(map(str, version))) is not None
        return result != negate
    parts = tuple(int(p) for p in re.findall(r"\d+", wanted)[:3])
    mine = version[: len(parts)]
    result = {
        "=": mine == parts,
        "==": mine == parts,
        ">": mine > parts,
        ">=": mine >= parts,
        "<": mine < parts,
        "<=": mine <= parts,
    }.get(op, False)
    return result != negate


def display(path: str) -> str:
    from tlslint.run import display_path

    return display_path(path)


def read(
    path: str,
    text: str,
    *,
    version: tuple[int, ...] = (2, 4, 62),
    version_given: bool = False,
    defines: dict[str, str] | None = None,
    budget: Budget | None = None,
) -> ApacheConfig:
    """Read ``path`` (whose text is ``text``) and everything it includes, charging ``budget``; ``version``
    is httpd's, given by the user or assumed (``version_given``)."""
    reader = _Reader(path, version, defines or {}, budget if budget is not None else Budget(), version_given)
    reader.read_file(path, text, (), reader.config.server)
    reader.config.server_root = reader.server_root
    return reader.config
