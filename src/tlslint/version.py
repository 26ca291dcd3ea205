"""``tlslint --version``: what produced a result, so that a report can be reproduced.

Besides tlslint's own version it names the default policy's edition, a short content hash of every
shipped rule pack, and the versions of the pieces whose behaviour shapes findings: Python, the OpenSSL
Python links against, ``cryptography`` and the nginx parser. Versions come from package metadata rather
than imports, so the answer stays fast (the start-up budget is 150 ms).
"""

from __future__ import annotations

import hashlib
import os
import platform
import re

from tlslint import __version__


def pack_hashes() -> dict[str, str]:
    """Pack name → the first 12 hex digits of the SHA-256 over its files (names and contents, sorted)."""
    from tlslint.resources import data_dir

    hashes = {}
    for directory in sorted(p for p in data_dir("rules").iterdir() if p.is_dir()):
        name = directory.name
        digest = hashlib.sha256()
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        hashes[name] = digest.hexdigest()[:12]
    return hashes


def _default_policy_edition() -> str:
    from tlslint.resources import DEFAULT_POLICY, data_dir

    text = (data_dir("policies") / f"{DEFAULT_POLICY}.yaml").read_text(encoding="utf-8")
    # The shipped policy is validated by the test suite; the version line needs only its edition.
    match = re.search(r"^edition:\s*[\"']?([^\"'\s]+)", text, re.MULTILINE)
    return f"{DEFAULT_POLICY}@{match.group(1) if match else 'unknown'}"


def _distribution(name: str) -> str:
    """The installed version of a distribution, from its ``NAME-VERSION.dist-info`` directory name (the
    wheel standard's naming): importing ``importlib.metadata`` alone would cost more than the budget allows."""
    import sys

    prefix = name.replace("-", "_").lower() + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for candidate in names:
            if candidate.endswith(".dist-info") and candidate.lower().startswith(prefix):
                return candidate[len(prefix) : -len(".dist-info")]
    return "not installed"


def _openssl() -> str:
    import _ssl  # the C module alone: the version string without the cost of importing ssl

    return _ssl.OPENSSL_VERSION


def version_text() -> str:
    packs = ", ".join(f"{name} {digest}" for name, digest in pack_hashes().items())
    lines = [
        f"tlslint {__version__}",
        f"default policy: {_default_policy_edition()}",
        f"rule packs: {packs}",
        f"python {platform.python_version()}; {_openssl()} (Python's ssl)",
        f"cryptography {_distribution('cryptography')}; "
        f"nginx parser nginx-crossplane {_distribution('nginx-crossplane')}",
    ]
    return "\n".join(lines) + "\n"
