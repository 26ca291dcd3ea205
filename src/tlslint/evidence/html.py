"""``report.html``: one self-contained file an auditor opens offline.

Jinja2 with autoescape renders every value from the report (inputs are hostile: a file name or a
configuration value may hold markup). Nothing is fetched: CSS and the filter script are inline and the
Content-Security-Policy allows exactly those two blocks by their SHA-256 — no other script, style, image,
font, frame, form target or connection. The report JSON is embedded as a data block so the file is the
whole evidence; its hash is printed at the top.

Jinja2 is a runtime dependency (1 MiB with MarkupSafe, imported only here): the HTML is the default
output, and an auditor who installs tlslint should not have to know about an extra to get it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

STATUSES = ("fail", "manual", "not-covered", "pass", "not-applicable")
#: Waivers and deviations lapsing within this many days of ``--at`` are highlighted.
EXPIRING_DAYS = 90


def _text(name: str) -> str:
    return resources.files("tlslint.evidence").joinpath("templates", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _bytecode_cache() -> Any:
    """Compiled templates in tlslint's cache directory (see :mod:`tlslint.validation_cache`): compiling
    the report template costs about 0.1 s a run. Keyed by Jinja2 on the template's source, Jinja2's and
    Python's version; a cache that cannot be read or written only costs that time again."""
    import jinja2

    from tlslint.validation_cache import _directory

    directory = _directory()
    if directory is None:
        return None

    class Cache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, ValueError, EOFError):
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            try:
                directory.mkdir(parents=True, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return Cache(str(directory), "jinja-%s.cache")


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (_text(name), None, lambda: True)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )


def _anchor(ref: str, requirement: str) -> str:
    return "req-" + re.sub(r"[^A-Za-z0-9_-]+", "-", f"{ref}-{requirement}").strip("-")


def _location(value: Any) -> str:
    if isinstance(value, dict):
        text = str(value.get("path", ""))
        for key in ("line", "column"):
            if value.get(key) is not None:
                text += f":{value[key]}"
        return text
    return "" if value is None else str(value)


def _views(frameworks: list[dict[str, Any]], anchors: dict[str, str]) -> dict[str, dict[str, list[Any]]]:
    """What the summary lists per framework, collected once so the template stays declarative."""
    views = {}
    for framework in frameworks:
        ref = framework["ref"]
        view: dict[str, list[Any]] = {
            k: [] for k in ("fails", "deviations", "waivers", "questions", "not_covered", "conflicts")
        }
        for item in framework["requirements"]:
            anchor = anchors[f"{ref}:{item['requirement']}"]
            entry = {"requirement": item["requirement"], "anchor": anchor}
            if item["status"] == "fail":
                view["fails"].append(entry)
            if item["status"] == "not-covered":
                view["not_covered"].append(entry)
            for question in item.get("questions", []):
                if not question.get("answer"):
                    view["questions"].append({**entry, "ask": question.get("ask", question.get("id", ""))})
            for record in item.get("deviations", []):
                view["deviations"].append({**record, **entry, "css": _css(record)})
            for record in item.get("waivers", []):
                view["waivers"].append({**record, **entry, "css": _css(record)})
            for conflict in item.get("conflicts", []):
                view["conflicts"].append({**conflict, "requirement": item["requirement"]})
        views[ref] = view
    return views


#: A list value names at most this many items in the HTML; report.json keeps them all.
SHOWN_ITEMS = 8


def _show(value: Any) -> str:
    """A value as a reader wants it: lists comma-separated (long ones shortened), JSON booleans."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        items = [_show(item) for item in value]
        if len(items) > SHOWN_ITEMS + 1:
            return f"{', '.join(items[:SHOWN_ITEMS])} … and {len(items) - SHOWN_ITEMS} more (report.json lists all)"
        return ", ".join(items) or "(none)"
    return str(value)


def _css(record: dict[str, Any]) -> str:
    return {"expired": "expired", "expiring": "expiring"}.get(record.get("state", ""), "")


def _data_block(document: dict[str, Any]) -> str:
    """The report JSON for a ``<script type="application/json">`` block: nothing in it can close the
    element or open a comment (``<``, ``>`` and ``&`` as \\u escapes, which JSON readers undo)."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def render(document: dict[str, Any]) -> str:
    from markupsafe import Markup

    css, js = _text("report.css"), _text("report.js")
    csp = (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    frameworks = document["frameworks"]
    anchors = {
        f"{f['ref']}:{r['requirement']}": _anchor(f["ref"], r["requirement"])
        for f in frameworks
        for r in f["requirements"]
    }
    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=document,
        head=document["header"],
        frameworks=frameworks,
        statuses=STATUSES,
        views=_views(frameworks, anchors),
        anchors=anchors,
        total=sum(len(f["requirements"]) for f in frameworks),
        report_hash=document["integrity"]["report_sha256"],
        css=Markup(css),
        js=Markup(js),
        data=Markup(_data_block(document)),
        csp=csp,
        loc=_location,
        show=_show,
    )
