"""One nginx file's text to the statement tree ``crossplane.parse_string`` gives, without its lexer.

Why not crossplane's own lexer: it passes every character through a stack of Python generators
(escape pairing, line counting, a PEP 479 wrapper) and was about an eighth of a whole ``tlslint check``
of 1,000 generated nginx files. Here one compiled regular expression finds each token; only the rare
``${`` inside an unquoted word is walked character by character.

The result must be crossplane's, value for value, for the options :mod:`.tree` passes (one file,
no comments, ``strict`` and ``check_ctx`` off, ``check_args`` on, errors caught): the same
statements (``directive``, ``line``, ``args``, ``block``), the same errors with the same message and
line, and the same quirks — a stray ``;`` read as a directive, a ``}`` that ends a statement's
arguments without closing its block, a ``${x}`` at the very end of the file reported as unterminated,
a text after an early top-level ``}`` never read. ``tests/engines/test_nginx_lexer.py`` compares
the two on every nginx fixture, on generated files and on random mutations, with crossplane as the
oracle; crossplane stays a dependency for that and for what this module takes from it as it is:

* argument checks: crossplane's analyzer and its directive table, called exactly as its parser does;
* error types, so messages print identically;
* whole texts this module does not reproduce (:func:`parse` returns None and the caller asks
  crossplane): those naming a directive for which crossplane has a lexer extension (the
  ``*_by_lua_block`` directives, whose Lua body has its own lexical rules) and those nested deeper
  than :data:`DEPTH_LIMIT` (where crossplane's result depends on the remaining Python stack: its
  generators give up silently on a ``RecursionError``).
"""

from __future__ import annotations

import re
from typing import Any

from crossplane.analyzer import analyze, enter_block_ctx
from crossplane.errors import NgxParserDirectiveError, NgxParserSyntaxError
from crossplane.lexer import EXTERNAL_LEXERS

#: The ``crossplane.parse_string`` options whose result :func:`parse` reproduces (and the test checks).
CROSSPLANE_OPTIONS: dict[str, bool] = {
    "single": True,
    "catch_errors": True,
    "comments": False,
    "strict": False,
    "check_ctx": False,
    "check_args": True,
}
#: Blocks nested deeper than this (as crossplane's parser nests them) are left to crossplane.
DEPTH_LIMIT = 100

Statement = dict[str, Any]
Token = tuple[str, int, bool]  # (text, line, quoted), as crossplane's lexer yields them

# One token after optional whitespace (Python's \s is exactly str.isspace, crossplane's test).
# A backslash always pairs with the next character, wherever it is (crossplane pairs them before
# anything else); a lone backslash at the very end is dropped beforehand, as crossplane drops it.
# Groups: 1 comment, 2 "{" "}" ";", 3 double-quoted body, 4 single-quoted body, 5 unquoted word,
# 6 a quote with no closing one. A word cannot start with "#" (a comment) or a quote (a quoted
# token) but may contain both.
_TOKEN = re.compile(
    r"\s*(?:"
    r"(#[^\n]*)"
    r"|([{};])"
    r'|"((?:[^"\\]|\\.)*)"'
    r"|'((?:[^'\\]|\\.)*)'"
    r"|((?:[^\s{};\"'#\\]|\\.)(?:[^\s{};\\]|\\.)*)"
    r"|([\"'])"
    r")",
    re.S,
)
#: The rest of an unquoted word: quotes and "#" are ordinary characters once a word has begun.
_WORD_REST = re.compile(r"(?:[^\s{};\\]|\\.)*", re.S)
_TERMINATORS = frozenset("{;}")
_EXTENSIONS = re.compile("|".join(re.escape(name) for name in sorted(EXTERNAL_LEXERS))) if EXTERNAL_LEXERS else None


class _TooDeep(Exception):
    """Nesting past :data:`DEPTH_LIMIT`: crossplane decides this text."""


def parse(text: str, filename: str | None) -> dict[str, Any] | None:
    """``crossplane.parse_string(text, filename=filename, **CROSSPLANE_OPTIONS)["config"][0]``, faster;
    None for a text only crossplane can parse (the caller then asks crossplane, from where it always
    did: for nesting near Python's recursion limit even the caller's stack depth shows in the result)."""
    if _EXTENSIONS is not None and _EXTENSIONS.search(text):
        return None
    shown = filename if filename is not None else "<string>"
    config: dict[str, Any] = {"file": shown, "status": "ok", "errors": [], "parsed": []}
    tokens, error = _tokens(text, filename)
    try:
        config["parsed"] = _Parser(tokens, error, shown, config).block((), 0)
    except _TooDeep:
        return None
    except Exception as failure:  # crossplane records any failure as the file's error, and stops
        _record(config, failure)
    return config


def _record(config: dict[str, Any], failure: Exception) -> None:
    config["status"] = "failed"
    config["errors"].append({"error": str(failure), "line": getattr(failure, "lineno", None)})


def _tokens(text: str, filename: str | None) -> tuple[list[Token], Exception | None]:
    """Every token crossplane's lexer yields (comments left out), and the error it stops with, if any:
    the parser meets that error only when it asks for the token after the last one."""
    if text.endswith("\\"):
        backslashes = len(text) - len(text.rstrip("\\"))
        if backslashes % 2:
            text = text[:-1]  # crossplane's escape pairing runs out of text and ends the file there
    tokens: list[Token] = []
    add = tokens.append
    match = _TOKEN.match
    end = len(text)
    pos = 0
    line = 1
    counted = 0  # line == 1 + number of newlines in text[:counted]
    depth = 0
    last_line = 0  # line of the last token, comments included (crossplane's end-of-file error uses it)
    while True:
        found = match(text, pos)
        if found is None:
            break
        kind = found.lastindex
        start = found.start(kind)
        if kind == 3 or kind == 4:
            start -= 1  # the opening quote
        line += text.count("\n", counted, start)
        counted = start
        pos = found.end()
        if kind == 5:
            word = found.group(5)
            word_line = line + 1 if word.startswith("\\\n") else line
            if word[-1] == "$" and pos < end and text[pos] == "{":
                word, pos = _expand(text, pos, word)
                if pos < 0:  # the file ends inside it
                    reason = 'unexpected end of file, expecting "}"'
                    return tokens, NgxParserSyntaxError(reason, filename, word_line)
            add((word, word_line, False))
            last_line = word_line
        elif kind == 2:
            char = text[start]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth < 0:
                    return tokens, NgxParserSyntaxError('unexpected "}"', filename, line)
            add((char, line, False))
            last_line = line
        elif kind == 1:
            # Kept: crossplane turns a comment among a statement's arguments into a "#" statement.
            comment = found.group(1)
            if comment.endswith("\\") and (len(comment) - len(comment.rstrip("\\"))) % 2:
                comment = comment[:-1]  # that backslash pairs with the newline, which ends the comment
            add((comment, line, False))
            last_line = line
        elif kind == 3:
            add((found.group(3).replace('\\"', '"'), line, True))
            last_line = line
        elif kind == 4:
            add((found.group(4).replace("\\'", "'"), line, True))
            last_line = line
        else:
            reason = f'unexpected end of file, expecting "{found.group(6)}"'
            return tokens, NgxParserSyntaxError(reason, filename, line)
    if depth > 0:
        return tokens, NgxParserSyntaxError('unexpected end of file, expecting "}"', filename, last_line)
    return tokens, None


def _expand(text: str, pos: int, word: str) -> tuple[str, int]:
    """crossplane's handling of ``{`` right after a ``$`` in an unquoted word (``${name}``); the
    position after the word, or -1 if the file ends inside it.

    From the ``{`` it takes characters until the word ends in ``}`` or a whitespace character comes;
    it then needs one more character (end of file here is an error, even right after the ``}``), which
    is added to the word unless it is ``{``, ``}`` or ``;`` — a space included. The word then goes on."""
    end = len(text)
    while True:
        char = text[pos : pos + 2] if text[pos] == "\\" else text[pos]
        while word[-1] != "}" and not char.isspace():
            word += char
            pos += len(char)
            if pos >= end:
                return word, -1
            char = text[pos : pos + 2] if text[pos] == "\\" else text[pos]
        if char in _TERMINATORS:
            return word, pos
        word += char
        pos += len(char)
        rest = _WORD_REST.match(text, pos)
        word += rest.group()
        pos = rest.end()
        if not (word[-1] == "$" and pos < end and text[pos] == "{"):
            return word, pos


class _Parser:
    """crossplane's recursive parser over the token list, with its argument checks."""

    def __init__(self, tokens: list[Token], error: Exception | None, filename: str, config: dict[str, Any]):
        self.tokens = tokens
        self.error = error
        self.index = 0
        self.filename = filename
        self.config = config

    def next(self) -> Token | None:
        index = self.index
        if index < len(self.tokens):
            self.index = index + 1
            return self.tokens[index]
        if self.error is not None:
            raise self.error
        return None

    def block(self, ctx: tuple[str, ...], depth: int) -> list[Statement]:
        if depth > DEPTH_LIMIT:
            raise _TooDeep
        parsed: list[Statement] = []
        pull = self.next
        while (token := pull()) is not None:
            directive, line, quoted = token
            if not quoted and (directive == "}" or directive.startswith("#")):
                if directive == "}":
                    break
                continue
            args: list[str] = []
            statement: Statement = {"directive": directive, "line": line, "args": args}
            comments: list[str] = []
            token = pull()
            while token is not None and (token[2] or token[0] not in _TERMINATORS):
                if token[2] or not token[0].startswith("#"):
                    args.append(token[0])
                else:
                    comments.append(token[0][1:])
                token = pull()
            term = token[0] if token is not None else None
            if directive == "if":
                _unwrap_condition(args)
            try:
                analyze(
                    fname=self.filename,
                    stmt=statement,
                    term=term,
                    ctx=ctx,
                    strict=False,
                    check_ctx=False,
                    check_args=True,
                )
            except NgxParserDirectiveError as error:
                _record(self.config, error)
                if error.strerror.endswith(' is not terminated by ";"'):
                    if term == "}":
                        break  # that "}" closed this block
                    self.skip(depth + 1)
                continue
            if term == "{":
                statement["block"] = self.block(enter_block_ctx(statement, ctx), depth + 1)
            parsed.append(statement)
            for comment in comments:
                parsed.append({"directive": "#", "line": line, "args": [], "comment": comment})
        return parsed

    def skip(self, depth: int) -> None:
        """Pass over a block crossplane rejected, up to its closing brace (or the end)."""
        if depth > DEPTH_LIMIT:
            raise _TooDeep
        pull = self.next
        while (token := pull()) is not None:
            text, _line, quoted = token
            if quoted:
                continue
            if text == "}":
                return
            if text == "{":
                self.skip(depth + 1)


def _unwrap_condition(args: list[str]) -> None:
    """``if ( $a = b )``: crossplane drops the parentheses and the words they leave empty."""
    if not args or not args[0].startswith("(") or not args[-1].endswith(")"):
        return
    args[0] = args[0][1:].lstrip()
    args[-1] = args[-1][:-1].rstrip()
    first = 1 if args[0] == "" else 0
    stop = len(args) - 1 if args[-1] == "" else len(args)
    args[:] = args[first:stop]
