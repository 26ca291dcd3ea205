"""Generated documentation stays in step with the code it describes."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_whitepaper_map_is_up_to_date() -> None:
    generated = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "whitepaper_map.py")], capture_output=True, text=True, check=True
    ).stdout
    committed = (REPO / "docs" / "whitepaper-map.md").read_text(encoding="utf-8")
    assert committed == generated, "regenerate: .venv/bin/python scripts/whitepaper_map.py > docs/whitepaper-map.md"


def test_every_whitepaper_section_is_modelled() -> None:
    text = (REPO / "docs" / "whitepaper-map.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| 1.") or line.startswith("| 2.")]
    assert len(rows) == 43  # wp:1.1–1.39 and wp:2.1–2.4
    unmodelled = [
        row.split("|")[1].strip()
        for row in rows
        if row.split("|")[3].strip() == "—" and row.split("|")[4].strip() == "—"
    ]
    # 2.1 (frameworks) and 2.3 (secure defaults) are properties of policies, not of the document.
    assert set(unmodelled) <= {"2.1", "2.3"}, unmodelled


def test_rule_docs_are_up_to_date() -> None:
    process = subprocess.run([sys.executable, str(REPO / "scripts" / "rule_docs.py")], capture_output=True, text=True)
    assert process.returncode == 0, process.stderr + " — regenerate: .venv/bin/python scripts/rule_docs.py --write"


def test_every_rule_has_a_documented_section_with_both_examples() -> None:
    from tlslint.rules.loader import load_packs, pack_dirs

    for pack in pack_dirs():
        page = (REPO / "docs" / "rules" / f"{pack}.md").read_text(encoding="utf-8")
        for rule in load_packs([pack]):
            section = page.split(f"## {rule.id}\n", 1)[1].split("\n## ", 1)[0]
            for heading in ("What it checks", "Why it matters", "Example that fires", "Example that stays quiet"):
                assert f"### {heading}" in section, (rule.id, heading)
            assert "_No " not in section, f"{rule.id} has no fixture for one of its examples"


def test_help_uri_points_at_the_generated_page_when_the_package_names_one(monkeypatch) -> None:
    from tlslint import resources
    from tlslint.rules.explain import find_rule

    monkeypatch.setattr(resources, "rule_docs_url", lambda: "https://example.org/tlslint/docs/rules")
    rule = find_rule("TLS-PROTO-001")
    assert rule.help_uri() == "https://example.org/tlslint/docs/rules/core.md#tls-proto-001"
    assert "## TLS-PROTO-001\n" in (REPO / "docs" / "rules" / "core.md").read_text(encoding="utf-8")
