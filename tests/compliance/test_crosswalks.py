"""Crosswalks: foreign keys, agreement with the rules' references, the audit's fixes and the three conflicts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from tlslint.compliance import load_catalogues, load_crosswalks
from tlslint.compliance.crosswalk import crosswalk_paths, load_crosswalk
from tlslint.errors import ConfigError
from tlslint.rules.explain import all_rules

OCPP = "ocpp-2.0.1@ed3+errata-2025-09"


def _rules():
    return {rule.id: rule for rule in all_rules()}


def _link(framework: str, requirement: str, rule: str):
    mapping = load_crosswalks()[framework].mappings[requirement]
    (link,) = [link for link in mapping.links if link.rule == rule]
    return link


def test_every_catalogue_has_a_crosswalk_and_every_link_names_a_shipped_rule() -> None:
    crosswalks = load_crosswalks()
    # The CRA has no rule links: it is reached through the framework crosswalks (EN 18031, IEC, ETSI -> CRA).
    assert set(crosswalks) == set(load_catalogues()) - {"cra@2024-2847"}
    known = set(_rules())
    for crosswalk in crosswalks.values():
        for mapping in crosswalk.mappings.values():
            assert all(link.rule in known for link in mapping.links)
            if mapping.coverage == "partial":
                assert mapping.residual, f"{mapping.requirement}: partial coverage must say what is left"


def test_cra_annex_i_is_reached_from_en18031_iec62443_and_etsi() -> None:
    targets: dict[str, set[str]] = {}
    for key, crosswalk in load_crosswalks().items():
        for mapping in crosswalk.mappings.values():
            for target in mapping.maps_to:
                targets.setdefault(target.target, set()).add(key.split("@")[0])
    for point in "abcdefhijkl":
        assert f"cra@2024-2847:I(2)({point})" in targets, point
    assert {"en18031-1", "iec62443-4-2", "etsi-en303645"} <= targets["cra@2024-2847:I(2)(e)"]


def test_a_crosswalk_link_to_an_unknown_rule_is_a_load_error(tmp_path: Path) -> None:
    data = yaml.safe_load(Path(crosswalk_paths()[0]).read_text(encoding="utf-8"))
    first = next(iter(data["requirements"].values()))
    first.setdefault("links", []).append({"rule": "TLS-NOPE-999", "relation": "evidence"})
    first["coverage"] = first.get("coverage", "partial")
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown rule TLS-NOPE-999"):
        load_crosswalk(path, set(_rules()))


def test_a_crosswalk_entry_for_a_requirement_the_catalogue_lacks_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "tlslint/crosswalk/v1",
                "framework": "en18031-1@2024",
                "version": "1",
                "requirements": {"LGM-1": {"coverage": "none"}},
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="no requirement 'LGM-1'"):
        load_crosswalk(path, set(_rules()))


def test_every_rule_reference_is_a_crosswalk_link_with_the_same_relation() -> None:
    crosswalks = load_crosswalks()
    for rule in _rules().values():
        for ref in rule.references:
            if ref.requirement is None:
                continue
            key, _, requirement = ref.requirement.partition(":")
            links = [link for link in crosswalks[key].mappings[requirement].links if link.rule == rule.id]
            assert links, f"{rule.id} cites {ref.requirement} but the crosswalk has no link"
            if ref.relation is not None:
                assert links[0].relation == ref.relation, (rule.id, ref.requirement)
            else:
                assert links[0].relation in ("evidence", "supports", "indeterminate"), (rule.id, ref.requirement)


# --- the three conflicts of the audit ----------------------------------------------------------------


def test_a00_fr_318_conflicts_with_tls_kx_001() -> None:
    assert _link(OCPP, "A00.FR.318", "TLS-KX-001").relation == "conflicts"
    assert _link(OCPP, "A00.FR.421", "TLS-KX-001").relation == "conflicts"
    rule = _rules()["TLS-KX-001"]
    assert not any(ref.is_evidence and ref.control == "A00.FR.318" for ref in rule.references)


def test_a00_fr_701_exempts_what_tls_verify_004_flags() -> None:
    assert _link(OCPP, "A00.FR.701", "TLS-VERIFY-004").relation == "exempts"
    # the CSMS-side revocation checks are the evidence the rule really gives
    assert _link(OCPP, "A00.FR.705", "TLS-VERIFY-004").relation == "evidence"


def test_a00_fr_510_is_only_context_for_tls_cert_009() -> None:
    assert _link(OCPP, "A00.FR.510", "TLS-CERT-009").relation == "context"
    assert _link(OCPP, "A00.FR.510", "TLS-LINK-005").relation == "evidence"


# --- every hard error of the audit is gone (or modelled) ----------------------------------------------

AUDIT = Path(__file__).parent / "audit_hard_errors.csv"


def _hard_errors() -> list[dict[str, str]]:
    with AUDIT.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _hard_errors(), ids=lambda r: f"{r['rule']}->{r['framework']} {r['control']}")
def test_audit_hard_error_is_fixed_or_modelled(row: dict[str, str]) -> None:
    rule = _rules()[row["rule"]]
    cited = [ref for ref in rule.references if (ref.framework, ref.control) == (row["framework"], row["control"])]
    if row["expect"] == "removed":
        assert not cited, f"{row['rule']} still cites {row['framework']} {row['control']}"
    else:  # modelled: still cited for reading, with the typed relation the audit asks for
        framework = row["catalogue"]
        assert _link(framework, row["control"], row["rule"]).relation == row["expect"]
        assert all(not ref.is_evidence or row["expect"] == "indeterminate" for ref in cited)
    for replacement in filter(None, row["replacement"].split(";")):
        framework, _, control = replacement.partition(" ")
        assert any((ref.framework, ref.control) == (framework, control) for ref in rule.references), replacement
