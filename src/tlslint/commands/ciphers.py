"""tlslint ciphers — placeholder until the cipher-string engine lands (issue 3)."""

import argparse

HELP = "show what an OpenSSL cipher string really enables"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("expression")


def run(args: argparse.Namespace) -> int:
    from tlslint.errors import UsageError

    raise UsageError("'tlslint ciphers' is not available yet")
