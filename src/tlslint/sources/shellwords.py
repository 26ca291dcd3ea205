"""Find simple commands in shell text, with the exact place of every word.

Used by the curl and wget sources for shell scripts, Dockerfile ``RUN`` instructions and Makefile
recipes. This is not a shell: it splits text into simple commands the way POSIX sh tokenises them
(quotes, backslash escapes, ``\\``-newline continuations, comments, ``;`` ``&&`` ``||`` ``|`` ``&``
and newlines as separators), follows literal variable assignments made earlier in the same file, and
marks every word whose value depends on something it cannot know (an unknown ``$VAR``, ``$(...)``,
backquotes) as *dynamic*. Commands inside ``$(...)`` are found too. Positions are 1-based
line/column of the first and last character of each word in the original text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from tlslint.budget import Budget
from tlslint.model.located import Location
from tlslint.records import Record

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\+?=(.*)$", re.DOTALL)
_NAME_EQ = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_KEYWORDS = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "(", ")"})
#: Words that run the command that follows them.
WRAPPERS = frozenset({"sudo", "exec", "command", "env", "nohup", "time", "busybox", "eval", "xargs", "doas"})


class Word(Record):
    """One word of a shell command, after quote removal, with where it was written."""

    __slots__ = ("text", "start", "end", "dynamic", "quoted", "unresolved")

    text: str  # value after quote removal and known-variable expansion
    start: int  # offset of the first character in the whole text
    end: int  # offset after the last character
    dynamic: bool  # depends on a value tlslint cannot know statically
    quoted: bool
    unresolved: tuple[str, ...]  # names of the expansions that could not be resolved

    def __init__(
        self,
        text: str,
        start: int,
        end: int,
        dynamic: bool = False,
        quoted: bool = False,
        unresolved: tuple[str, ...] = (),
    ) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.dynamic = dynamic
        self.quoted = quoted
        self.unresolved = unresolved


class Command(Record):
    """One simple shell command: its words and its ``VAR=value`` prefixes."""

    __slots__ = ("words", "function", "env")

    words: list[Word]
    function: str | None  # enclosing shell function (or make target), if any
    env: dict[str, Word]  # VAR=value prefixes

    def __init__(self, words: list[Word], function: str | None, env: dict[str, Word] | None = None) -> None:
        self.words = words
        self.function = function
        self.env = {} if env is None else env


class Positions:
    """Offset -> (line, column), 1-based."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


class _Scanner:
    def __init__(self, text: str, variables: dict[str, str], make: bool, budget: Budget, path: str) -> None:
        self.text = text
        self.variables = variables
        self.make = make
        self.budget = budget
        self.path = path
        self._positions: Positions | None = None
        self.commands: list[Command] = []
        self.function_stack: list[tuple[str, int]] = []
        self.depth = 0

    def where(self, offset: int) -> Location:
        if self._positions is None:
            self._positions = Positions(self.text)
        return Location(self.path, *self._positions.at(offset))

    # -- tokens ---------------------------------------------------------------------------------
    def tokens(self, start: int, end: int) -> Iterator[Word | str]:
        """Words and operator strings ('\\n', ';', '&&', '|', '(', ')', ...), lazily: a ``$(...)``
        inside a word is scanned when the word is read, inside the right shell function."""
        text, i = self.text, start
        while i < end:
            ch = text[i]
            if ch == "\\" and i + 1 < end and text[i + 1] == "\n":
                i += 2
                continue
            if ch in " \t\r":
                i += 1
                continue
            if ch == "#":
                while i < end and text[i] != "\n":
                    i += 1
                continue
            if ch == "\n":
                yield "\n"
                i += 1
                continue
            if ch in ";&|()":
                two = text[i : i + 2]
                op = two if two in ("&&", "||", ";;") else ch
                yield op
                i += len(op)
                continue
            word, i = self.word(i, end)
            yield word

    def word(self, i: int, end: int) -> tuple[Word, int]:
        text = self.text
        start = i
        parts: list[str] = []
        dynamic = quoted = False
        unresolved: list[str] = []
        whole_var: str | None = None
        expanded = 0  # characters that expansions added: X="$X$X" doubles with every line
        while i < end:
            ch = text[i]
            if ch in " \t\r\n;&|()":
                break
            if ch == "\\":
                if i + 1 < end and text[i + 1] == "\n":
                    i += 2
                    continue
                parts.append(text[i + 1 : i + 2])
                i += 2
                continue
            if ch == "'":
                close = text.find("'", i + 1, end)
                close = end if close < 0 else close
                parts.append(text[i + 1 : close])
                quoted = True
                i = close + 1
                continue
            if ch == '"':
                quoted = True
                i += 1
                while i < end and text[i] != '"':
                    if text[i] == "\\" and i + 1 < end and text[i + 1] in '"\\$`\n':
                        if text[i + 1] != "\n":
                            parts.append(text[i + 1])
                        i += 2
                        continue
                    if text[i] in "$`":
                        value, i, ok, name = self.expansion(i, end)
                        expanded += len(value)
                        self.budget.expanded(expanded, self.where(start))
                        parts.append(value)
                        if not ok:
                            dynamic = True
                            unresolved.append(name)
                        continue
                    parts.append(text[i])
                    i += 1
                i += 1
                continue
            if ch in "$`":
                at_start = i == start
                value, i, ok, name = self.expansion(i, end)
                expanded += len(value)
                self.budget.expanded(expanded, self.where(start))
                parts.append(value)
                if not ok:
                    dynamic = True
                    unresolved.append(name)
                elif at_start and (i >= end or text[i] in " \t\r\n;&|()"):
                    whole_var = value
                continue
            parts.append(ch)
            i += 1
        word = Word("".join(parts), start, i, dynamic, quoted, tuple(unresolved))
        if whole_var is not None and not quoted and re.search(r"\s", whole_var):
            word.text = whole_var  # split later by the caller (word splitting of an unquoted expansion)
            word.unresolved = ("<split>",)
        return word, i

    def expansion(self, i: int, end: int) -> tuple[str, int, bool, str]:
        """Read ``$NAME``, ``${...}``, ``$(...)`` or a backquoted command at ``i``."""
        text = self.text
        if text[i] == "`":
            close = text.find("`", i + 1, end)
            close = end if close < 0 else close
            self.budget.spend("rescanned_chars", close - i, self.where(i))
            self.scan(i + 1, close)
            return "", close + 1, False, text[i : close + 1]
        nxt = text[i + 1 : i + 2]
        if self.make and nxt == "$":
            # "$$" in a recipe is a literal "$" for the shell: read the shell expansion after it.
            value, j, ok, name = self.expansion(i + 1, end)
            return value, j, ok, name
        if nxt == "(" and not self.make:
            close = _matching(text, i + 1, end)
            # An unclosed "$(" reads to the end; each of many reads the rest again.
            self.budget.spend("rescanned_chars", close - i, self.where(i))
            if text[i + 2 : i + 3] != "(":  # $((arithmetic)) is not a command
                self.scan(i + 2, close)
            return "", close + 1, False, text[i : close + 1]
        if nxt in ("{", "(" if self.make else "{"):
            closer = "}" if nxt == "{" else ")"
            close = text.find(closer, i + 2, end)
            close = end if close < 0 else close
            inner = text[i + 2 : close]
            name_match = _NAME.match(inner)
            name = name_match.group(0) if name_match else inner
            if name_match and name_match.end() == len(inner) and name in self.variables:
                return self.variables[name], close + 1, True, name
            return "", close + 1, False, "$" + nxt + inner + closer
        match = _NAME.match(text, i + 1, end)
        if match:
            name = match.group(0)
            if name in self.variables:
                return self.variables[name], match.end(), True, name
            return "", match.end(), False, "$" + name
        if nxt and nxt in "@*#?$!0123456789-":
            return "", i + 2, False, "$" + nxt
        return "$", i + 1, True, ""

    # -- commands -------------------------------------------------------------------------------
    def scan(self, start: int, end: int) -> None:
        current: list[Word] = []
        previous: Word | str | None = None
        for token in self.tokens(start, end):
            if isinstance(token, Word):
                current.append(token)
            elif token == "(" and len(current) == 1:
                pass  # maybe "name ( )": decided at ")"
            elif token == ")" and previous == "(" and len(current) == 1:
                self.function_stack.append((current[0].text, self.depth))
                current = []
            else:
                self.finish(current)
                current = []
            previous = token
        self.finish(current)

    def assignment(self, word: Word) -> re.Match[str] | None:
        if not _NAME_EQ.match(self.text, word.start, word.end):
            return None
        return _ASSIGN.match(word.text)

    def finish(self, words: list[Word]) -> None:
        # Keywords that introduce or close compound commands.
        while words and not words[0].quoted and words[0].text in _KEYWORDS:
            keyword = words.pop(0).text
            if keyword == "{":
                self.depth += 1
            elif keyword == "}":
                self.depth -= 1
                if self.function_stack and self.function_stack[-1][1] == self.depth:
                    self.function_stack.pop()
        if len(words) >= 2 and words[0].text == "function" and not words[0].quoted:
            self.function_stack.append((words[1].text.removesuffix("()"), self.depth))
            words = [w for w in words[2:] if w.text != "{"]
            if not words:
                self.depth += 1
                return
        if not words:
            return
        env: dict[str, Word] = {}
        while words and (match := self.assignment(words[0])):
            word = words.pop(0)
            env[match[1]] = Word(match[2], word.start, word.end, word.dynamic, word.quoted, word.unresolved)
        if not words:
            for name, value in env.items():  # plain assignments: remember literal values
                if value.dynamic:
                    self.variables.pop(name, None)
                else:
                    self.variables[name] = value.text
            return
        expanded: list[Word] = []
        for word in words:
            if word.unresolved == ("<split>",):
                expanded.extend(Word(part, word.start, word.end) for part in word.text.split())
            else:
                expanded.append(word)
        function = self.function_stack[-1][0] if self.function_stack else None
        self.commands.append(Command(expanded, function, env))


def _matching(text: str, open_index: int, end: int) -> int:
    """Index of the parenthesis closing the one at ``open_index`` (quotes respected)."""
    depth, i = 0, open_index
    while i < end:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "'\"":
            close = text.find(ch, i + 1, end)
            i = end if close < 0 else close + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return end


def commands(
    text: str,
    *,
    variables: dict[str, str] | None = None,
    make: bool = False,
    budget: Budget | None = None,
    path: str = "",
) -> list[Command]:
    """Every simple command in ``text``, in order of appearance (commands in ``$(...)`` included).
    Variable expansion and the rescans of command substitutions are charged to ``budget`` (errors
    located in ``path``)."""
    scanner = _Scanner(text, dict(variables or {}), make, budget if budget is not None else Budget(), path)
    scanner.scan(0, len(text))
    scanner.commands.sort(key=lambda c: c.words[0].start)
    return scanner.commands


def program_index(command: Command, names: frozenset[str]) -> int | None:
    """Index of the word that runs one of ``names`` (after wrappers like ``sudo``), or None."""
    for index, word in enumerate(command.words):
        base = word.text.rsplit("/", 1)[-1]
        if base in names:
            return index
        if base not in WRAPPERS and not word.text.startswith("-") and not _ASSIGN.match(word.text):
            return None
    return None


def dockerfile_shell(text: str) -> str:
    """The text with everything but the shell of ``RUN`` instructions blanked out (offsets kept)."""
    out = [" " if ch != "\n" else "\n" for ch in text]
    for match in re.finditer(r"(?im)^[ \t]*RUN[ \t]+((?:[^\n]*\\\n)*[^\n]*)", text):
        body_start = match.start(1)
        body = match.group(1)
        options = re.match(r"(?:--[a-z-]+=\S+[ \t]+)*", body)
        skip = options.end() if options else 0
        stripped = body[skip:].lstrip()
        if stripped.startswith("["):
            continue  # exec form: handled by the caller
        for offset in range(skip, len(body)):
            out[body_start + offset] = body[offset]
    return "".join(out)


def makefile_shell(text: str) -> tuple[str, dict[str, str]]:
    """Recipe lines of a Makefile (other lines blanked, offsets kept) and its literal variables."""
    variables: dict[str, str] = {}
    out = [" " if ch != "\n" else "\n" for ch in text]
    lines = text.split("\n")
    offset = 0
    in_recipe = False
    for line in lines:
        assignment = re.match(r"^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*[:?+]?=\s*(.*)$", line)
        if line.startswith("\t") or (in_recipe and offset > 0 and text[offset - 2 : offset - 1] == "\\"):
            body = line.lstrip("\t")
            lead = len(line) - len(body)
            prefix = re.match(r"[@+-]*", body)
            lead += prefix.end() if prefix else 0
            for k in range(lead, len(line)):
                out[offset + k] = line[k]
            in_recipe = True
        else:
            in_recipe = bool(re.match(r"^[^\s#=:][^=]*:(?!=)", line)) or (in_recipe and not line.strip())
            if assignment and "$" not in assignment[2]:
                variables[assignment[1]] = assignment[2].strip()
        offset += len(line) + 1
    return "".join(out), variables
