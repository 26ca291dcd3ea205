"""Framework catalogues: complete per verified edition list, own words only, and foreign keys for rule references."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tlslint.compliance import find_catalogue, load_catalogues, resolve_reference
from tlslint.compliance.catalogue import catalogue_paths, load_catalogue
from tlslint.errors import ConfigError, UsageError

# The requirement lists of each edition, as verified (docs/compliance.md, "Sources"). A catalogue that
# loses or invents a requirement fails here.
_EN18031_COMMON = [
    "ACM-1",
    "ACM-2",
    "AUM-1-1",
    "AUM-1-2",
    "AUM-2",
    "AUM-3",
    "AUM-4",
    "AUM-5-1",
    "AUM-5-2",
    "AUM-6",
    "SUM-1",
    "SUM-2",
    "SUM-3",
    "SSM-1",
    "SSM-2",
    "SSM-3",
    "SCM-1",
    "SCM-2",
    "SCM-3",
    "SCM-4",
    "CCK-1",
    "CCK-2",
    "CCK-3",
    "GEC-1",
    "GEC-2",
    "GEC-3",
    "GEC-4",
    "GEC-5",
    "GEC-6",
    "CRY-1",
]
EDITION_LISTS = {
    "en18031-1@2024": {*_EN18031_COMMON, "RLM-1", "NMM-1", "TCM-1"},
    "en18031-2@2024": {
        *_EN18031_COMMON,
        *[
            "ACM-3",
            "ACM-4",
            "ACM-5",
            "ACM-6",
            "AUM-2-2",
            "LGM-1",
            "LGM-2",
            "LGM-3",
            "LGM-4",
            "DLM-1",
            "UNM-1",
            "UNM-2",
            "GEC-7",
        ],
    },
    "en18031-3@2024": {*_EN18031_COMMON, *["AUM-1-3", "AUM-2-2", "LGM-1", "LGM-2", "LGM-3", "LGM-4", "GEC-8"]},
    "cra@2024-2847": {"I(1)", *(f"I(2)({c})" for c in "abcdefghijklm")},
}
# IEC 62443-4-2:2019: component requirements (CR for all types, SAR/EDR/HDR/NDR type clauses) and their REs.
_IEC_CR = {
    "1.1": 2, "1.2": 1, "1.3": 0, "1.4": 0, "1.5": 1, "1.7": 2, "1.8": 0, "1.9": 1, "1.10": 0, "1.11": 0,
    "1.12": 0, "1.14": 1, "2.1": 4, "2.2": 0, "2.5": 0, "2.6": 0, "2.7": 0, "2.8": 0, "2.9": 1, "2.10": 0,
    "2.11": 2, "2.12": 1, "3.1": 1, "3.3": 1, "3.4": 2, "3.5": 0, "3.6": 0, "3.7": 0, "3.8": 0, "3.9": 1,
    "4.1": 0, "4.2": 2, "4.3": 0, "5.1": 0, "6.1": 1, "6.2": 0, "7.1": 1, "7.2": 0, "7.3": 1, "7.4": 0,
    "7.6": 1, "7.7": 0, "7.8": 0,
}  # fmt: skip
_IEC_TYPED = {
    ("NDR", "1.6"): 1, ("NDR", "1.13"): 1, ("SAR", "2.4"): 1, ("EDR", "2.4"): 1, ("HDR", "2.4"): 1,
    ("NDR", "2.4"): 1, ("EDR", "2.13"): 1, ("HDR", "2.13"): 1, ("NDR", "2.13"): 1, ("SAR", "3.2"): 0,
    ("EDR", "3.2"): 0, ("HDR", "3.2"): 1, ("NDR", "3.2"): 0, ("NDR", "5.2"): 3, ("NDR", "5.3"): 0,
    **{(t, n): r for t in ("EDR", "HDR", "NDR")
       for n, r in (("3.10", 1), ("3.11", 1), ("3.12", 0), ("3.13", 0), ("3.14", 1))},
}  # fmt: skip


def _with_res(prefix: str, number: str, res: int) -> set[str]:
    base = f"{prefix} {number}"
    return {base, *(f"{base} RE{i}" for i in range(1, res + 1))}


EDITION_LISTS["iec62443-4-2@2019"] = set().union(
    *(_with_res("CR", n, r) for n, r in _IEC_CR.items()), *(_with_res(t, n, r) for (t, n), r in _IEC_TYPED.items())
)
# OCPP 2.0.1 edition 3, Part 2 section A00: every requirement id of the tables (A00.FR.305 and .706 do not exist).
OCPP_201_A00 = {
    *(f"A00.FR.00{i}" for i in range(1, 7)),
    *(f"A00.FR.20{i}" for i in range(1, 8)),
    *(f"A00.FR.3{i:02}" for i in range(1, 25) if i != 5),
    *(f"A00.FR.4{i:02}" for i in range(1, 30)),
    *(f"A00.FR.5{i:02}" for i in range(1, 15)),
    *(f"A00.FR.60{i}" for i in range(1, 5)),
    *(f"A00.FR.70{i}" for i in (1, 2, 3, 4, 5, 7)),
    *(f"A00.FR.80{i}" for i in range(1, 8)),
}

QUOTES = re.compile('["“”„«»]')
NORMATIVE_CAPS = re.compile(r"\b(SHALL|SHOULD|MUST|MAY|REQUIRED|RECOMMENDED)\b")
MAX_WORDS = 60


def paraphrase_problems(text: str) -> list[str]:
    """Why a summary may be the standard's text rather than tlslint's own words."""
    problems = []
    if len(text.split()) > MAX_WORDS:
        problems.append(f"longer than {MAX_WORDS} words")
    if QUOTES.search(text):
        problems.append("contains quotation marks")
    if NORMATIVE_CAPS.search(text):
        problems.append("uses the standard's capitalised normative verbs")
    return problems


def missing_requirements(catalogue, expected: set[str]) -> tuple[set[str], set[str]]:
    ids = set(catalogue.requirements)
    return expected - ids, ids - expected


def test_every_shipped_catalogue_loads_with_hash_and_provenance() -> None:
    catalogues = load_catalogues()
    assert len(catalogues) == len(catalogue_paths()) >= 10
    for catalogue in catalogues.values():
        assert re.fullmatch("[0-9a-f]{64}", catalogue.content_hash)
        assert catalogue.provenance.sources and catalogue.provenance.checked_on
        assert catalogue.edition and catalogue.catalogue_version and catalogue.requirements


@pytest.mark.parametrize("key", sorted(EDITION_LISTS))
def test_complete_catalogues_hold_exactly_the_verified_edition_list(key: str) -> None:
    catalogue = load_catalogues()[key]
    assert catalogue.complete
    assert missing_requirements(catalogue, EDITION_LISTS[key]) == (set(), set())


def test_ocpp_201_catalogue_holds_every_a00_requirement_of_edition_3() -> None:
    catalogue = find_catalogue("ocpp-2.0.1")
    a00 = {rid for rid in catalogue.requirements if rid.startswith("A00.")}
    assert a00 == OCPP_201_A00


def test_the_completeness_check_names_a_requirement_missing_from_a_catalogue(tmp_path: Path) -> None:
    source = Path(load_catalogues()["en18031-1@2024"].path)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["requirements"] = [r for r in data["requirements"] if r["id"] != "AUM-6"]
    broken = tmp_path / "en18031-1-2024.yaml"
    broken.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert missing_requirements(load_catalogue(broken), EDITION_LISTS["en18031-1@2024"]) == ({"AUM-6"}, set())


@pytest.mark.parametrize("key", sorted(load_catalogues()))
def test_summaries_and_questions_are_own_words(key: str) -> None:
    for requirement in load_catalogues()[key].requirements.values():
        assert not paraphrase_problems(requirement.summary), (requirement.id, paraphrase_problems(requirement.summary))
        for question in requirement.questions:
            assert not QUOTES.search(question.ask), (requirement.id, question.ask)


@pytest.mark.parametrize(
    "text",
    [
        '"The Charging Station SHALL only use TLS v1.2 or above."',
        "The charging station SHALL only use TLS 1.2 or above.",
        " ".join(["word"] * (MAX_WORDS + 1)),
    ],
)
def test_the_paraphrase_guard_rejects_quoted_normative_or_long_text(text: str) -> None:
    assert paraphrase_problems(text)


def test_a_quoted_summary_longer_than_the_schema_allows_is_a_load_error(tmp_path: Path) -> None:
    source = Path(load_catalogues()["cra@2024-2847"].path)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["requirements"][0]["summary"] = "x" * 700
    broken = tmp_path / "cra.yaml"
    broken.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape("cra.yaml")):
        load_catalogue(broken)


def test_a_duplicate_requirement_or_unknown_parent_is_a_load_error(tmp_path: Path) -> None:
    source = Path(load_catalogues()["cra@2024-2847"].path)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["requirements"].append(dict(data["requirements"][0]))
    broken = tmp_path / "cra.yaml"
    broken.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match="listed twice"):
        load_catalogue(broken)
    data["requirements"].pop()
    data["requirements"][1]["parent"] = "I(9)"
    broken.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match="parent"):
        load_catalogue(broken)


def test_iec_requirement_enhancements_carry_their_security_level_and_component_type() -> None:
    iec = find_catalogue("iec62443-4-2")
    assert "sl_target" not in iec.requirements["CR 4.3"].applies_when  # SL 1 and up
    assert iec.requirements["CR 1.9"].applies_when["sl_target"] == ("2", "3", "4")
    assert iec.requirements["CR 1.9 RE1"].applies_when["sl_target"] == ("3", "4")
    assert iec.requirements["CR 1.9 RE1"].parent == "CR 1.9"
    assert iec.requirements["EDR 3.13"].applies_when == {"sl_target": ("2", "3", "4"), "component_type": ("EDR",)}


def test_en18031_interoperability_deviation_exists_in_parts_1_and_2_but_not_3() -> None:
    for part, allowed in (("1", ("interoperability",)), ("2", ("interoperability",)), ("3", ())):
        catalogue = find_catalogue(f"en18031-{part}")
        assert catalogue.requirements["SCM-3"].deviations == allowed
        assert catalogue.requirements["SCM-2"].deviations == allowed


# --- rule references -------------------------------------------------------------------------------


def test_a_reference_resolves_to_the_qualified_requirement() -> None:
    assert resolve_reference("EN18031-1", "SCM-3", "rule") == "en18031-1@2024:SCM-3"
    assert resolve_reference("IEC62443-4-2", "CR 1.9 RE1", "rule") == "iec62443-4-2@2019:CR 1.9 RE1"
    assert resolve_reference("RFC", "8996", "rule") is None


@pytest.mark.parametrize(
    ("framework", "control", "message"),
    [
        ("EN18031-1", "LGM-1", "has no requirement 'LGM-1'"),  # LGM exists only in parts 2 and 3
        ("EN18031-1", "AUM-1", "has no requirement 'AUM-1'"),  # a heading, not a requirement
        ("ISO15118-20", "TLS", "unknown framework"),
        ("OCPP-2.0.1", "A00.FR.305", "has no requirement"),
    ],
)
def test_a_reference_to_an_id_no_catalogue_knows_is_an_error(framework: str, control: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        resolve_reference(framework, control, "rules/x.yaml:3")


def test_a_rule_pack_citing_a_nonexistent_requirement_does_not_load(tmp_path: Path) -> None:
    from tlslint.rules.loader import load_rule_file

    rule = {
        "id": "TEST-REF-001",
        "title": "A rule with a bad reference",
        "severity": "low",
        "confidence": "high",
        "applies_to": {"kind": "endpoint"},
        "check": {"path": "protocols", "none_in": ["SSLv3"]},
        "message": "{subject} is bad",
        "rationale": "Test.",
        "remediation": {"text": "Fix it."},
        "references": [{"framework": "EN18031-1", "control": "LGM-1"}],
    }
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump([rule]), encoding="utf-8")
    with pytest.raises(ConfigError, match="LGM-1"):
        load_rule_file(str(path), pack="test")


def test_find_catalogue_accepts_id_key_or_alias_and_names_what_ships() -> None:
    assert find_catalogue("en18031-1").key == find_catalogue("EN18031-1").key == "en18031-1@2024"
    assert find_catalogue("ocpp-2.0.1@ed3+errata-2025-09").id == "ocpp-2.0.1"
    with pytest.raises(UsageError, match="shipped"):
        find_catalogue("en18031-9")


def test_the_reference_index_is_cached_by_catalogue_content(tmp_path: Path, monkeypatch) -> None:
    from tlslint.compliance import references

    monkeypatch.setenv("TLSLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TLSLINT_NO_CACHE", raising=False)
    built = references._build_index(references.catalogue_paths())
    references.reference_index.cache_clear()
    try:
        assert references.reference_index() == built  # built and written
        assert len(list(tmp_path.glob("framework-index-*.json"))) == 1
        references.reference_index.cache_clear()
        assert references.reference_index() == built  # read back
    finally:
        references.reference_index.cache_clear()
    assert built["EN18031-1"][0] == "en18031-1@2024" and "SCM-3" in built["EN18031-1"][1]
