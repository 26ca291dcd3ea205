"""Path globs of ``exclude:`` and waiver ``path:``, matched in time linear in the path.

``*`` matches within one path segment, ``?`` one character of a segment, ``**`` anything (``/``
included), ``**/`` any number of whole directories (none included); everything else is literal. A
leading ``./`` is ignored.

Why not a regular expression: these globs come from files in the scanned repository, and ``re``
backtracks; ``a*a*a*a*a*a*a*a*a*a*a*a*b`` took minutes per path. Nor ``fnmatch`` (also a regex,
and without ``**``). The glob is compiled to a small nondeterministic automaton and every path is run
through it once, keeping the set of live states: O(len(path) × len(pattern)), with no backtracking.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from tlslint.records import Record

_ANY: Callable[[str], bool] = lambda c: True  # noqa: E731 - a predicate table, read as data
_IN_SEGMENT: Callable[[str], bool] = lambda c: c != "/"  # noqa: E731


class _State(Record):
    """A state of a compiled glob: the states reached without reading (``epsilon``) and by one character."""

    __slots__ = ("epsilon", "moves")

    epsilon: list[int]
    moves: list[tuple[Callable[[str], bool], int]]

    def __init__(
        self, epsilon: list[int] | None = None, moves: list[tuple[Callable[[str], bool], int]] | None = None
    ) -> None:
        self.epsilon = [] if epsilon is None else epsilon
        self.moves = [] if moves is None else moves


class Glob:
    """One compiled glob. :meth:`match` tests a whole path, :meth:`match_or_below` also a path inside a
    matching directory (what ``exclude:`` means)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._states: list[_State] = [_State()]
        text = pattern.removeprefix("./")
        index = 0
        while index < len(text):
            if text.startswith("**/", index):
                # (anything then "/") zero or more times, as a whole: an entry that may skip it, a loop.
                entry = self._last
                loop = self._new()
                after = self._new()
                self._states[entry].epsilon += [loop, after]
                self._states[loop].moves.append((_ANY, loop))
                self._states[loop].moves.append(((lambda c: c == "/"), after))
                index += 3
            elif text.startswith("**", index):
                self._repeat(_ANY)
                index += 2
            elif text[index] == "*":
                self._repeat(_IN_SEGMENT)
                index += 1
            elif text[index] == "?":
                self._step(_IN_SEGMENT)
                index += 1
            else:
                literal = text[index]
                self._step(lambda c, literal=literal: c == literal)
                index += 1
        self._accept = self._last

    @property
    def _last(self) -> int:
        return len(self._states) - 1

    def _new(self) -> int:
        self._states.append(_State())
        return self._last

    def _step(self, predicate: Callable[[str], bool]) -> None:
        here = self._last
        self._states[here].moves.append((predicate, self._new()))

    def _repeat(self, predicate: Callable[[str], bool]) -> None:
        here = self._last
        self._states[here].moves.append((predicate, here))
        self._states[here].epsilon.append(self._new())

    def _closure(self, states: set[int]) -> set[int]:
        pending = list(states)
        while pending:
            for target in self._states[pending.pop()].epsilon:
                if target not in states:
                    states.add(target)
                    pending.append(target)
        return states

    def _run(self, path: str, *, below: bool) -> bool:
        live = self._closure({0})
        for char in path:
            if below and char == "/" and self._accept in live:
                return True  # a directory above the path matches
            live = self._closure(
                {target for state in live for predicate, target in self._states[state].moves if predicate(char)}
            )
            if not live:
                return False
        return self._accept in live

    def match(self, path: str) -> bool:
        return self._run(path, below=False)

    def match_or_below(self, path: str) -> bool:
        return self._run(path, below=True)


@cache
def compile_glob(pattern: str) -> Glob:
    return Glob(pattern)
