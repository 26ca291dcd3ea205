"""Apache httpd 2.4 (mod_ssl) configuration files.

:mod:`.lexer` tokenizes one file with positions, :mod:`.config` follows includes and conditional
sections into the main server and its virtual hosts, and :mod:`.build` computes each TLS endpoint's
effective values. See docs/engines/apache.md. A fragment that a main ``apache2.conf``/``httpd.conf``
includes is linted through that main file (:mod:`tlslint.includers` decides, before this source runs).
"""

from __future__ import annotations

from tlslint.sources.base import ParseContext, ParseResult

#: Names of httpd's main configuration file (upstream httpd also keeps it as ``conf/httpd.conf``).
MAIN_NAMES = ("apache2.conf", "httpd.conf")


def parse(path: str, text: str, context: ParseContext) -> ParseResult:
    from tlslint.catalog import engine_defaults
    from tlslint.sources.apache import build, config

    result = ParseResult()
    version, given = engine_defaults.version_for("apache", context.engine_versions)
    parsed = config.read(
        path, text, version=engine_defaults.parse_version(version), version_given=given, budget=context.budget
    )
    result.diagnostics.extend(parsed.diagnostics)
    result.read.extend(f for f in parsed.files if f != path)
    subjects, diagnostics = build.endpoints(parsed, context)
    result.subjects.extend(subjects)
    said = set(result.diagnostics)  # the vhosts of one file may each say the same thing: said once
    for diagnostic in diagnostics:
        if diagnostic not in said:
            result.diagnostics.append(diagnostic)
            said.add(diagnostic)
    return result
