"""Does a text parse as this server configuration format? The tie-breaker of recognition.

A name like ``site.conf`` fits nginx, Apache and HAProxy, and a quick content sniff can be fooled: an
nginx file may carry ``SSLRandomSeed`` inside a multi-line quoted string. When more than one source's
sniff matches (or a file has no telling name at all), recognition asks each candidate whether the
whole file really parses in its syntax. Each check uses the source's own tokenizer or parser, never a
second imitation of it, and follows no includes (it must not read other files).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CLOSING_BRACE = re.compile(r"^[ \t]*\}[ \t]*(?:#.*)?$", re.MULTILINE)
_TRAILING_COMMENT = re.compile(r"\s#[^\"']*$")
_ENDS_LIKE_NGINX = re.compile(r"[;{][ \t]*(?:#.*)?$")


def nginx(path: str, text: str) -> bool:
    """The nginx parser (tlslint's tokenizer, crossplane's tree and checks) reads it without an error,
    finds at least one directive, and the text ends a statement (crossplane quietly accepts a last
    directive without its ``;``, nginx does not)."""
    from tlslint.sources.nginx import lexer

    try:
        config = lexer.parse_config(text, path)
    except Exception:
        return False
    clean = not config.get("errors") and bool(config.get("parsed"))
    return clean and _ends_a_statement(text)


def _ends_a_statement(text: str) -> bool:
    for line in reversed(text.splitlines()):
        stripped = _TRAILING_COMMENT.sub("", line).strip()
        if stripped and not stripped.startswith("#"):
            return stripped.endswith((";", "}"))
    return False


def apache(path: str, text: str) -> bool:
    """The Apache lexer accepts it, and it is not written in braces and semicolons: nginx text also
    lexes as Apache directives (``server {``), so lines that end like nginx statements decide."""
    from tlslint.sources.apache.lexer import parse

    if _CLOSING_BRACE.search(text):
        return False
    try:
        nodes = parse(path, text)
    except Exception:
        return False
    return bool(nodes) and not _mostly_nginx_statements(text)


def _mostly_nginx_statements(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return sum(1 for line in lines if _ENDS_LIKE_NGINX.search(line)) * 2 >= len(lines)


def haproxy(path: str, text: str) -> bool:
    """Every statement sits in a section (global, defaults, frontend, ...), as HAProxy requires."""
    from tlslint.sources.haproxy import tokenize

    if _CLOSING_BRACE.search(text) or _mostly_nginx_statements(text):
        return False
    try:
        return bool(tokenize(path, text))
    except Exception:
        return False


#: Source name -> its check. Sources without one are decided by name and sniff alone.
FITS: dict[str, Callable[[str, str], bool]] = {"nginx": nginx, "apache": apache, "haproxy": haproxy}
