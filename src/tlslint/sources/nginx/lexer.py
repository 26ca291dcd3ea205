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

# One token and the whitespace before it (Python's \s is exactly str.isspace, crossplane's test).
# A backslash always pairs with the next character, wherever it is (crossplane pairs them before
# anything else); a lone backslash at the very end is dropped beforehand, as crossplane drops it.
# Groups: 1 whitespace, 2 unquoted word, 3 "{" "}" ";", 4 double-quoted, 5 single-quoted, 6 comment,
# 7 a quote never closed; none of 2-7 at the end of the text (\Z: trailing whitespace is then one
# match, not a search retried from each of its characters). A word cannot start with "#" (that is a
# comment) or a quote (a quoted token) but may contain both. Possessive loops: no backtracking.
_TOKEN = re.compile(
    r"(\s*+)(?:"
    r"((?:[^\s{};\"'#\\]|\\.)[^\s{};\\]*+(?:\\.[^\s{};\\]*+)*+)"
    r"|([{};])"
    r'|("[^"\\]*+(?:\\.[^"\\]*+)*+")'
    r"|('[^'\\]*+(?:\\.[^'\\]*+)*+')"
    r"|(#[^\n]*+)"
    r"|([\"'])"
    r"|\Z)",
    re.S,
)
#: The rest of an unquoted word: quotes and "#" are ordinary characters once a word has begun.
_WORD_REST = re.compile(r"[^\s{};\\]*+(?:\\.[^\s{};\\]*+)*+", re.S)
#: From the "{" of a "${": what crossplane adds to the word up to a "}" (with it, escaped or not) or
#: up to a whitespace character (without it).
_BRACED = re.compile(r"(?:[^\s}\\]|\\[^}])*+(?:\\?\})?", re.S)
_TERMINATORS = frozenset("{;}")
# crossplane's lexer extensions (today the *_by_lua_block directives); their common suffix is a
# quick first test, so that most texts are searched once.
_EXTENDED = tuple(sorted(EXTERNAL_LEXERS))


def _common_suffix(names: tuple[str, ...]) -> str:
    suffix = names[0] if names else ""
    for name in names:
        while not name.endswith(suffix):
            suffix = suffix[1:]
    return suffix


_EXTENDED_SUFFIX = _common_suffix(_EXTENDED)


#: Statement shapes crossplane's analyzer accepted: it is a pure function of the shape (directive,
#: context, terminator, argument count, whether a lone argument is on/off), and calling it for every
#: statement was a fifth of the parse. Bounded, so that made-up directive names cannot grow it.
_ACCEPTED: set[tuple[str, tuple[str, ...], str | None, int, bool]] = set()
_ACCEPTED_LIMIT = 4096


class _TooDeep(Exception):
    """Nesting past :data:`DEPTH_LIMIT`: crossplane decides this text."""


def parse(text: str, filename: str | None) -> dict[str, Any] | None:
    """``crossplane.parse_string(text, filename=filename, **CROSSPLANE_OPTIONS)["config"][0]``, faster;
    None for a text only crossplane can parse (the caller then asks crossplane, from where it always
    did: for nesting near Python's recursion limit even the caller's stack depth shows in the result)."""
    if _EXTENDED and _EXTENDED_SUFFIX in text and any(name in text for name in _EXTENDED):
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


def parse_config(text: str, filename: str) -> dict[str, Any]:
    """:func:`parse`, and crossplane itself for the texts it leaves to crossplane (Lua blocks, nesting too
    deep): what every caller reading one nginx file wants."""
    config = parse(text, filename)
    if config is None:
        import crossplane

        config = crossplane.parse_string(text, filename=filename, **CROSSPLANE_OPTIONS)["config"][0]
    return config


def _record(config: dict[str, Any], failure: Exception) -> None:
    config["status"] = "failed"
    config["errors"].append({"error": str(failure), "line": getattr(failure, "lineno", None)})


def _tokens(text: str, filename: str | None) -> tuple[list[Token], Exception | None]:
    """Every token crossplane's lexer yields, and the error it stops with, if any: the parser meets
    that error only when it asks for the token after the last one."""
    if text.endswith("\\"):
        backslashes = len(text) - len(text.rstrip("\\"))
        if backslashes % 2:
            text = text[:-1]  # crossplane's escape pairing runs out of text and ends the file there
    tokens: list[Token] = []
    add = tokens.append
    line = 1
    depth = 0
    last_line = 0  # line of the last token, comments included (crossplane's end-of-file error uses it)
    pos = 0
    while True:  # once through the text, unless a "${" word makes the scan start again after it
        for found in _TOKEN.finditer(text, pos):
            space, word, special, double, single, comment, unclosed = found.groups()
            if "\n" in space:
                line += space.count("\n")
            if word:
                word_line = line + 1 if word.startswith("\\\n") else line
                last_line = word_line
                if word[-1] == "$" and text.startswith("{", found.end()):
                    word, pos = _expand(text, found.end(), word)
                    if pos < 0:  # the file ends inside it
                        reason = 'unexpected end of file, expecting "}"'
                        return tokens, NgxParserSyntaxError(reason, filename, word_line)
                    line += word.count("\n")
                    add((word, word_line, False))
                    break  # scan again from after the word
                if "\n" in word:
                    line += word.count("\n")
                add((word, word_line, False))
            elif special:
                if special == "{":
                    depth += 1
                elif special == "}":
                    depth -= 1
                    if depth < 0:
                        return tokens, NgxParserSyntaxError('unexpected "}"', filename, line)
                add((special, line, False))
                last_line = line
            elif double or single:
                quoted = double or single
                body = quoted[1:-1].replace("\\" + quoted[0], quoted[0])
                add((body, line, True))
                last_line = line
                if "\n" in quoted:
                    line += quoted.count("\n")
            elif comment:
                # Kept: crossplane turns a comment among a statement's arguments into a "#" statement.
                if comment.endswith("\\") and (len(comment) - len(comment.rstrip("\\"))) % 2:
                    comment = comment[:-1]  # that backslash pairs with the newline, which ends the comment
                add((comment, line, False))
                last_line = line
            elif unclosed:
                reason = f'unexpected end of file, expecting "{unclosed}"'
                return tokens, NgxParserSyntaxError(reason, filename, line)
            else:  # the end of the text
                break
        else:
            break
        if not word:  # the end of the text, not a "${" word
            break
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
        braced = _BRACED.match(text, pos)
        assert braced is not None  # it matches the empty string
        word += braced.group()
        pos = braced.end()
        if pos >= end:
            return word, -1
        char = text[pos : pos + 2] if text[pos] == "\\" else text[pos]
        if char in _TERMINATORS:
            return word, pos
        word += char
        pos += len(char)
        rest = _WORD_REST.match(text, pos)
        assert rest is not None  # it matches the empty string
        word += rest.group()
        pos = rest.end()
        if not (word[-1] == "$" and pos < end and text[pos] == "{"):
            return word, pos


class _Parser:
    """crossplane's recursive parser over the token list, with its argument checks."""

    def __init__(self, tokens: list[Token], error: Exception | None, filename: str, config: dict[str, Any]):
        self.tokens = iter(tokens)
        self.error = error  # raised where the parser asks for a token past the last one
        self.filename = filename
        self.config = config

    def block(self, ctx: tuple[str, ...], depth: int) -> list[Statement]:
        if depth > DEPTH_LIMIT:
            raise _TooDeep
        parsed: list[Statement] = []
        tokens = self.tokens
        while True:
            token = next(tokens, None)
            if token is None:
                if self.error is not None:
                    raise self.error
                return parsed
            directive, line, quoted = token
            if not quoted and (directive == "}" or directive.startswith("#")):
                if directive == "}":
                    return parsed
                continue  # a comment
            args: list[str] = []
            statement: Statement = {"directive": directive, "line": line, "args": args}
            comments: list[str] = []
            token = next(tokens, None)
            while token is not None and (token[2] or token[0] not in _TERMINATORS):
                if token[2] or not token[0].startswith("#"):
                    args.append(token[0])
                else:
                    comments.append(token[0][1:])
                token = next(tokens, None)
            if token is None and self.error is not None:
                raise self.error
            term = token[0] if token is not None else None
            if directive == "if":
                _unwrap_condition(args)
            count = len(args)
            # What crossplane's analyzer looks at (past 7 arguments the count no longer matters).
            shape = (directive, ctx, term, min(count, 8), count == 1 and args[0].lower() in ("on", "off"))
            if shape not in _ACCEPTED:
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
                            return parsed  # that "}" closed this block
                        self.skip(depth + 1)
                    continue
                if len(_ACCEPTED) < _ACCEPTED_LIMIT:
                    _ACCEPTED.add(shape)
            if term == "{":
                statement["block"] = self.block(enter_block_ctx(statement, ctx), depth + 1)
            parsed.append(statement)
            for comment in comments:
                parsed.append({"directive": "#", "line": line, "args": [], "comment": comment})

    def skip(self, depth: int) -> None:
        """Pass over a block crossplane rejected, up to its closing brace (or the end)."""
        if depth > DEPTH_LIMIT:
            raise _TooDeep
        for text, _line, quoted in self.tokens:
            if quoted:
                continue
            if text == "}":
                return
            if text == "{":
                self.skip(depth + 1)
        if self.error is not None:
            raise self.error


def _unwrap_condition(args: list[str]) -> None:
    """``if ( $a = b )``: crossplane drops the parentheses and the words they leave empty."""
    if not args or not args[0].startswith("(") or not args[-1].endswith(")"):
        return
    args[0] = args[0][1:].lstrip()
    args[-1] = args[-1][:-1].rstrip()
    first = 1 if args[0] == "" else 0
    stop = len(args) - 1 if args[-1] == "" else len(args)
    args[:] = args[first:stop]
