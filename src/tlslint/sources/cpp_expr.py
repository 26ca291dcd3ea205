"""C preprocessor ``#if`` expressions, evaluated three-valued and within a budget.

A configuration header is read on its own, so a macro it tests may be defined somewhere tlslint
cannot see (a Kconfig ``CONFIG_*`` symbol, a compiler ``-D`` flag, another header). Such a macro is
*unknown*, and so is every result that depends on it: ``defined(CONFIG_X) && 1`` is unknown, but
``defined(CONFIG_X) && 0`` is false and ``defined(CONFIG_X) || 1`` is true, exactly as a compiler
would decide either way.

Written here rather than taken from a preprocessor library (pcpp) because the third value is the
point: a preprocessor must decide every branch, tlslint must be able to say "it depends". The input
is an attacker's file, so the grammar is the C one without function-like macro expansion, and the
work is bounded: expressions longer than :data:`MAX_LENGTH` characters or nested deeper than
:data:`MAX_DEPTH` are rejected with :class:`ExpressionError` (the caller treats the branch as
unknown), never a ``RecursionError`` or ``MemoryError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "ExpressionError", "evaluate"]

#: Longest expression read (characters); real configuration conditions are a few hundred at most.
MAX_LENGTH = 4096
#: Deepest nesting of parentheses, unary operators and ternaries.
MAX_DEPTH = 32

Value = int | None  # None: unknown


class ExpressionError(ValueError):
    """Not an expression tlslint evaluates (syntax, or over the length/depth budget)."""


_TOKEN = re.compile(
    r"\s*(?:(?P<number>0[xX][0-9a-fA-F]+|\d+)[uUlL]*|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<op>&&|\|\||<<|>>|<=|>=|==|!=|[-+*/%<>&|^!~?:()])|(?P<char>'(?:\\.|[^'\\])')|(?P<bad>\S))"
)
#: Binary operators by precedence, loosest first (C11 6.5).
_LEVELS: tuple[tuple[str, ...], ...] = (
    ("||",),
    ("&&",),
    ("|",),
    ("^",),
    ("&",),
    ("==", "!="),
    ("<", "<=", ">", ">="),
    ("<<", ">>"),
    ("+", "-"),
    ("*", "/", "%"),
)


def evaluate(
    expression: str,
    defined: Callable[[str], bool | None],
    value: Callable[[str], Value],
) -> bool | None:
    """Whether ``expression`` holds: True, False, or None when it depends on what tlslint cannot see.

    ``defined(name)`` answers ``defined(NAME)``; ``value(name)`` gives the integer a bare identifier
    stands for (None: unknown). Raises :class:`ExpressionError` for anything else."""
    if len(expression) > MAX_LENGTH:
        raise ExpressionError(f"#if expression longer than {MAX_LENGTH} characters")
    parser = _Parser(_tokens(expression), defined, value)
    result = parser.ternary(0)
    if parser.position != len(parser.tokens):
        raise ExpressionError(f"unexpected {parser.tokens[parser.position][1]!r} in #if expression")
    return None if result is None else result != 0


def _tokens(expression: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    position = 0
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None or match.end() == position:  # only trailing blanks are left
            break
        position = match.end()
        kind = match.lastgroup
        if kind == "bad":
            raise ExpressionError(f"unexpected {match[kind]!r} in #if expression")
        if kind == "char":
            body = match[kind][1:-1]
            out.append(("number", str(ord(body[-1]))))
        elif kind is not None:
            out.append((kind, match[kind]))
    return out


class _Parser:
    def __init__(self, tokens, defined, value) -> None:
        self.tokens = tokens
        self.position = 0
        self.defined = defined
        self.value = value

    def _peek(self) -> str | None:
        return self.tokens[self.position][1] if self.position < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        if self.position >= len(self.tokens):
            raise ExpressionError("#if expression ends too early")
        token = self.tokens[self.position]
        self.position += 1
        return token

    def _expect(self, text: str) -> None:
        _, got = self._take()
        if got != text:
            raise ExpressionError(f"expected {text!r}, got {got!r} in #if expression")

    def ternary(self, depth: int) -> Value:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"#if expression nested deeper than {MAX_DEPTH}")
        condition = self.binary(0, depth)
        if self._peek() != "?":
            return condition
        self._take()
        then = self.ternary(depth + 1)
        self._expect(":")
        otherwise = self.ternary(depth + 1)
        if condition is None:
            return then if then == otherwise else None
        return then if condition else otherwise

    def binary(self, level: int, depth: int) -> Value:
        if level == len(_LEVELS):
            return self.unary(depth)
        left = self.binary(level + 1, depth)
        while self._peek() in _LEVELS[level]:
            operator = self._take()[1]
            right = self.binary(level + 1, depth)
            left = _apply(operator, left, right)
        return left

    def unary(self, depth: int) -> Value:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"#if expression nested deeper than {MAX_DEPTH}")
        kind, text = self._take()
        if text in ("!", "~", "-", "+") and kind == "op":
            operand = self.unary(depth + 1)
            if operand is None:
                return None
            return {"!": int(not operand), "~": ~operand, "-": -operand, "+": operand}[text]
        if text == "(":
            inner = self.ternary(depth + 1)
            self._expect(")")
            return inner
        if kind == "number":
            return int(text, 16) if text[:2] in ("0x", "0X") else int(text, 8 if text.startswith("0") else 10)
        if kind == "name" and text == "defined":
            parenthesised = self._peek() == "("
            if parenthesised:
                self._take()
            kind, name = self._take()
            if kind != "name":
                raise ExpressionError(f"defined needs a macro name, got {name!r}")
            if parenthesised:
                self._expect(")")
            answer = self.defined(name)
            return None if answer is None else int(answer)
        if kind == "name":
            if self._peek() == "(":  # a function-like macro: tlslint does not expand them
                raise ExpressionError(f"function-like macro {text}() in #if expression")
            return self.value(text)
        raise ExpressionError(f"unexpected {text!r} in #if expression")


def _apply(operator: str, left: Value, right: Value) -> Value:
    # Short-circuit operators decide with one known side, as a compiler would for any value of the other.
    if operator == "&&":
        if left == 0 or right == 0:
            return 0
        return None if left is None or right is None else 1
    if operator == "||":
        if (left is not None and left != 0) or (right is not None and right != 0):
            return 1
        return None if left is None or right is None else 0
    if left is None or right is None:
        return None
    return _wrap(_arithmetic(operator, left, right))


def _wrap(number: int) -> int:
    """C evaluates #if in intmax_t: keep results in 64 bits so no input grows them without bound."""
    number &= (1 << 64) - 1
    return number - (1 << 64) if number >> 63 else number


def _arithmetic(operator: str, left: int, right: int) -> int:
    if operator in ("/", "%"):
        if right == 0:
            raise ExpressionError("division by zero in #if expression")
        quotient = abs(left) // abs(right) * (1 if (left >= 0) == (right >= 0) else -1)  # C truncates
        return quotient if operator == "/" else left - quotient * right
    if operator in ("<<", ">>"):
        if not 0 <= right < 64:
            raise ExpressionError("shift out of range in #if expression")
        return left << right if operator == "<<" else left >> right
    return {
        "|": lambda: left | right,
        "^": lambda: left ^ right,
        "&": lambda: left & right,
        "==": lambda: int(left == right),
        "!=": lambda: int(left != right),
        "<": lambda: int(left < right),
        "<=": lambda: int(left <= right),
        ">": lambda: int(left > right),
        ">=": lambda: int(left >= right),
        "+": lambda: left + right,
        "-": lambda: left - right,
        "*": lambda: left * right,
    }[operator]()
