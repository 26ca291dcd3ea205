#!/usr/bin/env python3
"""Generate docs/rules/<pack>.md: every rule documented the way ruff documents its rules.

Each rule gets what it checks, why it matters, an example that fires and one that stays quiet (taken
from the rule's own test fixtures, so the examples are proven by the test suite), the fix per engine,
its parameters and its references. A pack's introduction comes from ``rules/<pack>/README.md``.
Nothing here is maintained by hand; ``tests/foundation/test_docs.py`` fails when a committed page is
out of date. Regenerate with

    .venv/bin/python scripts/rule_docs.py --write
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from tlslint.rules.explain import filter_text, param_text  # noqa: E402
from tlslint.rules.loader import load_packs, pack_dirs  # noqa: E402
from tlslint.rules.model import Rule  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "rules"
DOCS = REPO / "docs" / "rules"
ANNOTATION = re.compile(r"(?:#|//)\s*(expect|ok):\s*([A-Z0-9-]+(?:\s*,\s*[A-Z0-9-]+)*)")
#: Lines of context shown above the line that fires; a quiet fixture is shown whole up to this size.
CONTEXT_LINES = 6
WHOLE_FILE_LINES = 30
FENCE = {".c": "c", ".h": "c", ".cs": "csharp", ".json": "json", ".yaml": "yaml", ".yml": "yaml", ".sh": "sh"}


def anchor(rule_id: str) -> str:
    """The GitHub-style heading anchor of a rule's section (``TLS-PROTO-001`` → ``tls-proto-001``)."""
    return rule_id.lower()


def _fixture_index() -> dict[str, dict[str, list[tuple[Path, int | None]]]]:
    """rule id → {"expect": [(file, line)], "ok": [(file, None)]}, in file order."""
    index: dict[str, dict[str, list[tuple[Path, int | None]]]] = {}
    for path in sorted(p for p in FIXTURES.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            match = ANNOTATION.search(line)
            if not match:
                continue
            standalone = not line[: match.start()].strip()
            for rule_id in re.split(r"\s*,\s*", match[2]):
                at = None if standalone or match[1] == "ok" else number
                index.setdefault(rule_id, {"expect": [], "ok": []})[match[1]].append((path, at))
    return index


def _fence(path: Path) -> str:
    return FENCE.get(path.suffix, "")


def _excerpt(path: Path, line: int | None) -> tuple[str, str]:
    """(caption, code) of a fixture: the lines up to the one that fires, or the whole small file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    relative = path.relative_to(REPO).as_posix()
    if line is None:
        shown = lines[:WHOLE_FILE_LINES]
        more = f" (first {WHOLE_FILE_LINES} of {len(lines)} lines)" if len(lines) > WHOLE_FILE_LINES else ""
        return f"[`{relative}`](../../{relative}){more}", "\n".join(shown)
    start = max(0, line - 1 - CONTEXT_LINES)
    caption = f"[`{relative}`](../../{relative}), line {line} fires"
    return caption, "\n".join(lines[start:line])


def _generated_in(rule_id: str) -> Path | None:
    """The test module that builds this rule's examples at test time (certificates and keys cannot be
    stored as fixtures: they would expire, and key files would teach scanners to ignore real keys)."""
    for path in sorted((REPO / "tests").rglob("test_*.py")):
        if f'"{rule_id}"' in path.read_text(encoding="utf-8"):
            return path
    return None


def _example(kind: str, found: list[tuple[Path, int | None]], rule_id: str) -> list[str]:
    if not found:
        generated = _generated_in(rule_id)
        if generated is None:
            return [f"_No {kind} fixture._", ""]
        relative = generated.relative_to(REPO).as_posix()
        return [f"Built at test time by [`{relative}`](../../{relative}), which asserts it.", ""]
    # Prefer an example pinned to a line: it shows exactly which token is responsible.
    path, line = next(((p, n) for p, n in found if n is not None), found[0])
    caption, code = _excerpt(path, line)
    return [caption, "", f"```{_fence(path)}", code, "```", ""]


def render_rule(rule: Rule, fixtures: dict[str, list[tuple[Path, int | None]]]) -> list[str]:
    import yaml

    out = [f"## {rule.id}", "", f"**{rule.title}**", ""]
    out.append(f"Severity `{rule.severity}` · confidence `{rule.confidence}` · applies to `{rule.kind}`")
    filters = {k: v for k, v in rule.spec["applies_to"].items() if k != "kind"}
    if filters:
        out.append(f"(only {', '.join(filter_text(k, v) for k, v in filters.items())})")
    out += ["", "### What it checks", "", "```yaml"]
    condition = {key: rule.spec[key] for key in ("when", "check") if key in rule.spec}
    out += [yaml.safe_dump(condition, sort_keys=False).rstrip(), "```", ""]
    out += ["### Why it matters", "", rule.rationale.strip(), ""]
    out += ["### Example that fires", "", *_example("triggering", fixtures.get("expect", []), rule.id)]
    out += ["### Example that stays quiet", "", *_example("quiet", fixtures.get("ok", []), rule.id)]
    out += ["### How to fix it", "", rule.remediation.strip(), ""]
    for engine, fix in rule.remediation_per_engine.items():
        out += [f"- **{engine}**:", "", "  ```", *(f"  {line}" for line in fix.rstrip().splitlines()), "  ```", ""]
    if rule.params:
        out += ["### Parameters", ""]
        for param in rule.params.values():
            out.append(f"- `{param.name}` ({param.type}, default `{param_text(param.default)}`): {param.doc}")
        out.append("")
    out += ["### References", ""]
    for ref in rule.references:
        out.append(f"- {ref.framework} {ref.control}" + (f" — {ref.note}" if ref.note else ""))
    if not rule.references:
        out.append("- none")
    out += ["", f"`tlslint explain {rule.id}` prints this offline.", ""]
    return out


def render_pack(pack: str, directory: Path, index) -> str:
    rules = load_packs([pack])
    intro_file = directory / "README.md"
    intro = intro_file.read_text(encoding="utf-8").strip() if intro_file.is_file() else f"# Pack `{pack}`"
    out = [
        "<!-- Generated by scripts/rule_docs.py from the rule YAML and its fixtures; do not edit. -->",
        "",
        intro,
        "",
        "| id | severity | title |",
        "|---|---|---|",
    ]
    for rule in rules:
        out.append(f"| [{rule.id}](#{anchor(rule.id)}) | {rule.severity} | {rule.title} |")
    out.append("")
    for rule in rules:
        out += render_rule(rule, index.get(rule.id, {}))
    return "\n".join(out).rstrip() + "\n"


def render_all() -> dict[str, str]:
    """docs/rules file name → content, for every shipped pack."""
    index = _fixture_index()
    return {f"{pack}.md": render_pack(pack, directory, index) for pack, directory in pack_dirs().items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write docs/rules/*.md (default: check only)")
    args = parser.parse_args()
    stale = []
    for name, text in render_all().items():
        path = DOCS / name
        if args.write:
            path.write_text(text, encoding="utf-8")
        elif not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    if stale:
        print(f"stale: {', '.join(stale)} (run scripts/rule_docs.py --write)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
