"""nginx configuration files (``nginx.conf``, ``conf.d/*.conf``, ``sites-enabled/*``, ``nginx -T`` output).

:mod:`.lexer` parses each file into exactly the statement tree ``crossplane`` (the maintained
``nginx-crossplane`` fork, Apache-2.0) gives, faster; crossplane's directive table checks the
arguments. Both are imported only when an nginx file is read. :mod:`.tree` splices includes into
their blocks; :mod:`.build` applies nginx's inheritance (``http`` → ``server`` → ``location``;
``ssl_conf_command`` all or nothing per level), the built-in defaults of the nginx version
(``--engine-version nginx=VER``), and computes each endpoint's effective offer with
:mod:`tlslint.sources.openssl_offer`.

A fragment that a main ``nginx.conf`` includes is linted through that main file, never on its own
(:mod:`tlslint.includers` decides, before this source is called).
"""

from __future__ import annotations

import os

from tlslint.errors import InputError
from tlslint.model.diagnostic import Diagnostic
from tlslint.model.located import Location
from tlslint.sources.base import ParseContext, ParseResult

#: Name of nginx's main configuration file.
MAIN_NAMES = ("nginx.conf",)


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.sources.nginx import build, tree

    result = ParseResult()
    try:
        from tlslint.sources.nginx.directives import ReleaseCheck

        root, diagnostics, files = tree.build(
            path, text, context.budget, ReleaseCheck(context.engine_versions, context.budget)
        )
    except InputError:
        raise  # a budget exceeded: reported where it happened
    except Exception as error:  # crossplane raises on unbalanced input it cannot recover from
        if os.environ.get("TLSLINT_DEBUG"):
            raise
        result.diagnostics.append(Diagnostic(Location(path), f"nginx syntax: {error}"))
        return result
    result.diagnostics.extend(diagnostics)
    result.read.extend(files[1:])
    from tlslint.includers import nginx_endpoint_files

    try:
        result.covers = sorted(nginx_endpoint_files(root))
        builder = build.Builder(path, root, dict(context.engine_versions))
        builder.run()
    finally:
        tree.dismantle(root)  # the endpoints are built: nothing reads the tree again
    result.diagnostics.extend(builder.diagnostics)
    if any(d.severity == "error" for d in diagnostics):
        # A statement nginx cannot parse (wrong argument count, a ";" missing): nginx refuses to start
        # and what is left of the file is not what it says; the errors say why, no endpoints.
        return result
    result.subjects.extend(builder.subjects)
    return result
