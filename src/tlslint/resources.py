"""Where the shipped data (rule packs, policies, schemas, framework catalogues) lives.

In a wheel the data is copied to ``tlslint/_data/`` (see ``pyproject.toml``). In a source checkout
(editable install, or running the tests) it is read from the repository's top level instead.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
#: The policy a run applies when none is named (kept here, with the other names of shipped data, so that
#: reading it costs no import of the policy machinery).
DEFAULT_POLICY = "secure-defaults"


@cache
def data_dir(name: str) -> Path:
    """Directory of shipped data: ``rules``, ``policies``, ``schemas`` or ``frameworks``."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"tlslint data directory {name!r} is missing from this installation")


#: The ``[project.urls]`` label under which a published tlslint names where ``docs/rules/`` is served.
RULE_DOCS_LABEL = "Rule documentation"


@cache
def rule_docs_url() -> str | None:
    """Base URL of the generated rule pages (``docs/rules/<pack>.md``), or None when this installation
    does not name one. Only the package's own metadata decides: a link in a report must never come from
    the scanned tree or the environment."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("tlslint").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in entries:
        label, _, url = entry.partition(",")
        if label.strip() == RULE_DOCS_LABEL and url.strip().startswith("https://"):
            return url.strip().rstrip("/")
    return None
