"""``tlslint check - --stdin-filename PATH``: lint an editor's buffer that is not saved yet.

The text read from standard input stands in for ``PATH`` for the whole run (:func:`tlslint.safe_read.overlay`):
its name decides which source reads it (or ``--type``), its place which configuration applies and what its
includes resolve against, and findings and fingerprints name ``PATH`` exactly as a run on the saved file would.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager


def add_stdin_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="with PATH '-': the file the text on standard input stands for (its name and place decide how it "
        "is read and which configuration applies)",
    )


@contextmanager
def stdin_as_file(args: argparse.Namespace) -> Iterator[None]:
    """When the only PATH is ``-``, read standard input and let it stand for ``--stdin-filename``."""
    from tlslint.errors import UsageError

    if "-" not in args.paths:
        yield
        return
    if args.paths != ["-"]:
        raise UsageError("'-' (standard input) must be the only PATH")
    if not args.stdin_filename:
        raise UsageError("reading standard input needs --stdin-filename PATH: the file the text stands for")
    from tlslint import safe_read
    from tlslint.yamlpos import MAX_BYTES

    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UsageError(f"standard input is larger than the {MAX_BYTES // (1024 * 1024)} MiB input limit")
    args.paths = [args.stdin_filename]
    with safe_read.overlay({args.stdin_filename: data}):
        yield
