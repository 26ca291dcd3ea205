"""The findings table's own ``plain`` renderer prints what tabulate prints, byte for byte.

tlslint renders the common tables itself so that a run need not import tabulate (see
``tlslint.report.plain_table``); tabulate stays a dependency, for the tables outside that subset and as
the reference here. The generated tables mix what the findings table holds (line:column places, coloured
severities, rule ids, long messages wrapped at a width) with what could trip a re-implementation:
numbers in every notation, booleans, empty and blank cells, long and hyphenated words, East-Asian wide
characters, control characters, tabs, newlines and the surrogate escapes of non-UTF-8 file names.
"""

from __future__ import annotations

import random

import pytest
from tabulate import tabulate as reference

from tlslint.report.plain_table import render_plain, tabulate

WORDS = [
    "nginx:server[10.0.0.2:443",
    "site1.example.com],",
    "enables",
    "TLSv1.0,",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,",
    "suites",
    "(ssl_session_tickets",
    "is",
    "on,",
    "a",
    "the",
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:DHE-RSA-AES128-GCM-SHA256",
    "well-known-hyphenated-word",
    "p1-p2-p3-p4-p5-p6-p7-p8-p9-p10-p11-p12-p13-p14-p15-p16",  # textwrap would break after a hyphen
    "x" * 70,
    "-",
    "--",
    "a-b",
    "30",
    "1.5",
]
ODD_CELLS = [
    "",
    " ",
    "   ",
    "-",
    "12",
    "007",
    "0",
    "4:5",
    "1.5",
    "-3",
    "+4",
    "1e5",
    "42992e1",
    "1,000",
    "1_000",
    " 12 ",
    "inf",
    "-Infinity",
    "NaN",
    "True",
    "False",
    "true",
    "e",
    ".",
    "1.",
    "0x10",
    "漢字のメッセージ",
    "café",
    "tab\there",
    "two\nlines",
    "carriage\r\nreturn",
    "bell\x07",
    "sep\x01",
    "\x01",
    "path/\udcff\udcfe.conf",
    "\x1b[31m12\x1b[0m",
    "\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[31m\x1b[0m",
]
SEVERITIES = ["critical", "high", "medium", "low", "info"]
COLOURS = ["\033[1;31m", "\033[31m", "\033[33m", "\033[36m", "\033[2m"]


def _message(rng: random.Random) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30)))
    if rng.random() < 0.05:
        text = "  " + text + "  "
    return text


def _place(rng: random.Random) -> str:
    return rng.choice([f"{rng.randint(1, 2000)}", f"{rng.randint(1, 200)}:{rng.randint(1, 90)}", "-"])


def _findings_table(rng: random.Random, odd: bool) -> list[list[str]]:
    """A table shaped like tlslint's findings table; with ``odd``, some cells come from ODD_CELLS."""
    rows = []
    places = rng.choice(["lines", "columns", "mixed"])
    for _ in range(rng.randint(1, 12)):
        place = _place(rng)
        if places == "lines":
            place = str(rng.randint(1, 2000))
        elif places == "columns":
            place = f"{rng.randint(1, 200)}:{rng.randint(1, 90)}"
        index = rng.randrange(len(SEVERITIES))
        severity = SEVERITIES[index]
        if rng.random() < 0.4:
            severity = f"{COLOURS[index]}{severity}\033[0m"
        rule = rng.choice(["TLS-PROTO-003", "NGINX-TICKETS-001", "TLS-CERT-012", "X"])
        row = [place, severity, rule, _message(rng)]
        if odd:
            for column in range(4):
                if rng.random() < 0.15:
                    row[column] = rng.choice(ODD_CELLS)
        rows.append(row)
    return rows


def _widths(rng: random.Random, odd: bool) -> list[int | None] | None:
    """The findings table wraps the message column only; odd tables wrap any column."""
    message = [None, None, None, rng.choice([1, 2, 5, 13, 40, 52, 90, 200])]
    return rng.choice([None, message, [rng.randint(1, 8)] * 4] if odd else [None, message, message])


def _same(rows: list[list[str]], widths: list[int | None] | None) -> bool:
    try:
        expected: object = reference(rows, tablefmt="plain", maxcolwidths=widths)
    except Exception as error:  # tabulate has its own failures (a "1,000" cell it wraps); ours must match
        expected = type(error)
    try:
        got: object = tabulate(rows, tablefmt="plain", maxcolwidths=widths)
    except Exception as error:
        got = type(error)
    assert got == expected, (rows, widths)
    return True


@pytest.mark.parametrize("odd", [False, True])
def test_generated_tables_render_as_tabulate_does(odd: bool) -> None:
    rng = random.Random(20261203 + odd)
    rendered_here = 0
    cases = 400
    for _ in range(cases):
        rows = _findings_table(rng, odd)
        widths = _widths(rng, odd)
        _same(rows, widths)
        rendered_here += render_plain(rows, widths) is not None
    # The point of the module: tables shaped like the findings table are rendered without tabulate.
    assert rendered_here > cases * (0.15 if odd else 0.95)


def test_every_odd_cell_alone_and_beside_findings() -> None:
    rng = random.Random(7)
    for cell in ODD_CELLS:
        for widths in (None, [None, 3], [None, 40], [2, 2]):
            _same([[cell, "text"]], widths)
            _same([["text", cell]], widths)
            _same([[cell, cell], ["12", "x"]], widths)
            rows = _findings_table(rng, odd=False)
            rows[rng.randrange(len(rows))][rng.randrange(4)] = cell
            _same(rows, [None, None, None, rng.choice([3, 40])])


@pytest.mark.parametrize(
    "rows",
    [
        [["1", "a"], ["22", "b"], ["-", "c"]],  # "-" makes the place column text: left-aligned
        [["1", "a"], ["22", "b"], ["", "c"]],  # all numbers: right-aligned
        [["", ""], ["", ""]],
        [["x" * 100, "y"]],
    ],
)
def test_alignment_corner_cases(rows: list[list[str]]) -> None:
    assert render_plain(rows, [None, 10]) is not None
    _same(rows, [None, 10])


def test_tables_outside_the_subset_go_to_tabulate() -> None:
    assert render_plain([["漢字", "x"]], None) is None  # width depends on whether wcwidth is installed
    assert render_plain([["1e5", "x"]], None) is None  # tabulate reformats it as a number
    assert render_plain([["True", "x"]], None) is None
    assert render_plain([["a", "b"], ["c"]], None) is None
    assert tabulate([["1e5", "x"]], tablefmt="plain") == reference([["1e5", "x"]], tablefmt="plain")
