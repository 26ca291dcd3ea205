"""The rule engine: operator semantics, absent values, and clear errors for broken rule packs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tlslint.errors import ConfigError
from tlslint.model import Located, Location, Subject
from tlslint.rules.conditions import CompileContext, Verdict, compile_condition
from tlslint.rules.loader import load_rule_file
from tlslint.rules.model import ParamSpec

HERE = Location("test.yaml", 1, 1)


def endpoint(**fields: object) -> Subject:
    subject = Subject("endpoint", "e", HERE, "test")
    for path, value in fields.items():
        subject.set(path.replace("__", "."), Located(value, location=HERE))
    return subject


def verdict(condition: dict, subject: Subject, params: dict | None = None) -> Verdict:
    declared = {name: ParamSpec(name, "int", value, "") for name, value in (params or {}).items()}
    predicate = compile_condition(condition, CompileContext("endpoint", HERE, declared))
    return predicate(subject, params or {}).verdict


@pytest.mark.parametrize(
    ("condition", "value", "expected"),
    [
        ({"path": "protocols", "none_in": ["TLSv1.0"]}, ["TLSv1.2", "TLSv1.3"], Verdict.PASS),
        ({"path": "protocols", "none_in": ["TLSv1.0"]}, ["TLSv1.0", "TLSv1.2"], Verdict.FAIL),
        ({"path": "protocols", "gte": "TLSv1.2"}, ["TLSv1.2", "TLSv1.3"], Verdict.PASS),
        ({"path": "protocols", "gte": "TLSv1.2"}, ["TLSv1.1", "TLSv1.3"], Verdict.FAIL),  # by version order, not text
        ({"path": "protocols", "subset_of": ["TLSv1.2", "TLSv1.3"]}, ["TLSv1.3"], Verdict.PASS),
        ({"path": "protocols", "any_in": ["TLSv1.3"]}, ["TLSv1.2"], Verdict.FAIL),
        ({"path": "protocols", "length_gte": 2}, ["TLSv1.2"], Verdict.FAIL),
    ],
)
def test_list_operators(condition: dict, value: list, expected: Verdict) -> None:
    assert verdict(condition, endpoint(protocols=value)) is expected


def test_absent_value_is_not_applicable_unless_told_otherwise() -> None:
    subject = endpoint()
    assert verdict({"path": "session.timeout", "lte": 86400}, subject) is Verdict.NA
    assert verdict({"path": "session.timeout", "lte": 86400, "missing": "fail"}, subject) is Verdict.FAIL
    assert verdict({"path": "session.timeout", "exists": True}, subject) is Verdict.FAIL
    assert verdict({"path": "session.timeout", "exists": False}, subject) is Verdict.PASS


def test_parameters_and_boolean_combinators() -> None:
    subject = endpoint(session__timeout=172800.0, session__tickets=True)
    limit = {"path": "session.timeout", "lte": {"param": "limit"}}
    assert verdict(limit, subject, {"limit": 86400}) is Verdict.FAIL
    assert verdict(limit, subject, {"limit": 604800}) is Verdict.PASS
    either = {"or": [{"path": "session.tickets", "equals": False}, limit]}
    assert verdict(either, subject, {"limit": 604800}) is Verdict.PASS
    assert verdict({"not": either}, subject, {"limit": 604800}) is Verdict.FAIL
    assert verdict({"and": [{"path": "session.tickets", "equals": True}, limit]}, subject, {"limit": 1}) is Verdict.FAIL


def test_quantifier_reads_catalogue_attributes() -> None:
    no_static_rsa = {"path": "cipher_suites.tls12", "none": {"attr": "pfs", "equals": False}}
    good = endpoint(cipher_suites__tls12=["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"])
    bad = endpoint(cipher_suites__tls12=["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"])
    assert verdict(no_static_rsa, good) is Verdict.PASS
    assert verdict(no_static_rsa, bad) is Verdict.FAIL


def test_failure_points_at_the_offending_list_element() -> None:
    element = Location("t.yaml", 7, 30)
    subject = Subject("endpoint", "e", HERE, "test")
    subject.set("protocols", Located(["TLSv1.2", "TLSv1.0"], location=HERE, items=(Location("t.yaml", 7, 20), element)))
    predicate = compile_condition({"path": "protocols", "none_in": ["TLSv1.0"]}, CompileContext("endpoint", HERE, {}))
    outcome = predicate(subject, {})
    assert outcome.offending == ("TLSv1.0",)
    assert outcome.location == element


def test_a_list_is_judged_once_yet_each_subject_gets_its_own_outcome() -> None:
    """Quantifiers with a literal operand remember their answer per distinct list: a subject with an equal
    list gets the same verdict and offending elements, located at its own value and its own elements."""
    predicate = compile_condition(
        {"path": "cipher_suites.tls12", "none": {"matches": "_CBC_"}}, CompileContext("endpoint", HERE, {})
    )
    suites = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"]
    outcomes = []
    for line in (3, 9):
        subject = Subject("endpoint", f"e{line}", HERE, "test")
        items = (Location("t.conf", line, 5), Location("t.conf", line, 40))
        subject.set("cipher_suites.tls12", Located(list(suites), location=Location("t.conf", line, 1), items=items))
        outcomes.append((subject, predicate(subject, {})))
    for subject, outcome in outcomes:
        assert outcome.verdict is Verdict.FAIL
        assert outcome.offending == ("TLS_RSA_WITH_AES_128_CBC_SHA",)
        assert outcome.located is subject.get("cipher_suites.tls12")
        assert outcome.location == subject.get("cipher_suites.tls12").items[1]
    reordered = endpoint(cipher_suites__tls12=[*reversed(suites), "TLS_RSA_WITH_AES_256_CBC_SHA"])
    assert predicate(reordered, {}).offending == ("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA")


def test_equal_lists_of_other_types_are_not_answered_with_each_others_elements() -> None:
    """``True == 1``: a list of ``[True]`` judged first must not make ``[1]`` report ``True``."""
    predicate = compile_condition({"path": "protocols", "none": {"equals": 1}}, CompileContext("endpoint", HERE, {}))
    assert predicate(endpoint(protocols=[True]), {}).offending == (True,)
    offending = predicate(endpoint(protocols=[1]), {}).offending
    assert offending == (1,) and type(offending[0]) is int


RULE = """\
id: TLS-TEST-001
title: A rule for tests
severity: low
confidence: high
applies_to: {kind: endpoint}
check: CHECK
message: MESSAGE
rationale: because
remediation: {text: fix it}
references: [{framework: RFC, control: "8446"}]
"""


def write_rule(tmp_path: Path, check: str, message: str = "'{subject}: {value}'") -> Path:
    path = tmp_path / "rule.yaml"
    path.write_text(textwrap.dedent(RULE).replace("CHECK", check).replace("MESSAGE", message), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("check", "message", "error"),
    [
        (
            "{path: protocol, none_in: [SSLv3]}",
            "'{subject}'",
            "unknown endpoint field 'protocol' (did you mean 'protocols'?)",
        ),
        ("{path: protocols, none_in: {param: nope}}", "'{subject}'", "undeclared parameter 'nope'"),
        ("{path: protocols, none_in: [SSLv3]}", "'{subject} {colour}'", "unknown placeholder(s): colour"),
        ("{path: protocols, frobs: [SSLv3]}", "'{subject}'", "invalid rule"),
        ("{path: protocols, matches: '(['}", "'{subject}'", "invalid regular expression"),
        # YAML's unquoted NULL and off are no value and a boolean: names that could never match.
        ("{path: cipher_suites.tls12, none: {attr: cipher, in: [NULL, RC4]}}", "'{subject}'", "holds a null"),
        ("{path: protocols, none_in: [~]}", "'{subject}'", "holds a null"),
        ("{path: client_auth.mode, in: [off, none]}", "'{subject}'", "mixes names and booleans"),
    ],
)
def test_broken_rules_fail_to_load_with_a_location(tmp_path: Path, check: str, message: str, error: str) -> None:
    path = write_rule(tmp_path, check, message)
    with pytest.raises(ConfigError) as raised:
        load_rule_file(str(path), pack="test")
    assert error in str(raised.value)
    assert str(raised.value).startswith(str(path))


def test_unknown_values_are_never_judged() -> None:
    from tlslint.model import Origin

    subject = Subject("endpoint", "e", HERE, "test")
    subject.set("connection.timeouts.handshake", Located(None, Origin.UNKNOWN, HERE, note="set at run time"))
    for condition in (
        {"path": "connection.timeouts.handshake", "exists": True},
        {"path": "connection.timeouts.handshake", "lte": 60, "missing": "fail"},
        {"path": "connection.timeouts.handshake", "lte": 60},
        {"path": "connection.timeouts.handshake", "all": {"gte": 1}, "missing": "fail"},
    ):
        assert verdict(condition, subject) is Verdict.UNKNOWN


def test_unknown_is_three_valued_but_absent_is_neutral() -> None:
    from tlslint.model import Origin

    unknown = Subject("endpoint", "e", HERE, "test")
    unknown.set("connection.timeouts.handshake", Located(None, Origin.UNKNOWN, HERE))
    unknown.set("connection.timeouts.idle", Located(0.0, location=HERE))
    handshake = {"path": "connection.timeouts.handshake", "lte": 60}
    idle = {"path": "connection.timeouts.idle", "gt": 0}
    assert verdict({"or": [handshake, idle]}, unknown) is Verdict.UNKNOWN  # never a finding
    assert verdict({"and": [handshake, idle]}, unknown) is Verdict.FAIL  # fails whatever the unknown is
    absent = Subject("endpoint", "e", HERE, "test")
    absent.set("connection.timeouts.idle", Located(0.0, location=HERE))
    assert verdict({"or": [handshake, idle]}, absent) is Verdict.FAIL  # an exemption not written is not claimed


def test_inspect_table_shows_false_as_false(tmp_path: Path) -> None:
    from conftest import run_cli

    path = tmp_path / "tls.yaml"
    path.write_text(
        "apiVersion: tlslint/v1\nkind: TLSConfiguration\n"
        "endpoints:\n  - {id: e, role: client, purpose: other, logging: {keylog: false}}\n",
        encoding="utf-8",
    )
    out = run_cli("inspect", str(path)).out
    (line,) = [row for row in out.splitlines() if row.startswith("logging.keylog")]
    assert line.split()[1] == "false"


def test_validation_cache_skips_only_unchanged_valid_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tlslint.rules import loader

    monkeypatch.setenv("TLSLINT_CACHE_DIR", str(tmp_path / "cache"))
    loader._validation_cache.cache_clear()
    path = write_rule(tmp_path, "{path: protocols, none_in: [SSLv3]}")
    assert [rule.id for rule in load_rule_file(str(path), pack="test")] == ["TLS-TEST-001"]
    loader._validation_cache().save()
    loader._validation_cache.cache_clear()

    def no_validation() -> None:
        raise AssertionError("an unchanged, known-valid file must not be validated again")

    monkeypatch.setattr(loader, "_validator", no_validation)
    assert [rule.id for rule in load_rule_file(str(path), pack="test")] == ["TLS-TEST-001"]
    monkeypatch.undo()
    monkeypatch.setenv("TLSLINT_CACHE_DIR", str(tmp_path / "cache"))
    # An edit makes the file unknown again: it is validated, and an invalid rule is still refused.
    path.write_text(path.read_text().replace("severity: low", "severity: urgent"), encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid rule"):
        load_rule_file(str(path), pack="test")
    loader._validation_cache.cache_clear()


def _fresh_caches(loader) -> None:  # type: ignore[no-untyped-def]
    loader._validation_cache.cache_clear()
    loader._parsed_cache.cache_clear()


def test_parsed_rule_files_are_remembered_privately(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged, known-valid pack file is not parsed again; a cache file that someone else could
    have written is not believed (it decides what the rules say)."""
    import json
    import os

    import yaml

    from tlslint.rules import loader

    cache = tmp_path / "cache"
    monkeypatch.setenv("TLSLINT_CACHE_DIR", str(cache))
    _fresh_caches(loader)
    path = write_rule(tmp_path, "{path: protocols, none_in: [SSLv3]}")
    rules = load_rule_file(str(path), pack="test")
    loader._validation_cache().save()
    loader._parsed_cache().save(loader._LOADED)
    (written,) = cache.glob("parsed-rules-*.json")
    assert written.stat().st_mode & 0o077 == 0
    _fresh_caches(loader)

    def no_parse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("an unchanged, known-valid file must not be parsed again")

    monkeypatch.setattr(yaml, "load", no_parse)
    again = load_rule_file(str(path), pack="test")
    assert [(r.id, r.message, r.severity) for r in again] == [(r.id, r.message, r.severity) for r in rules]
    assert [json.dumps(r.spec) for r in again] == [json.dumps(r.spec) for r in rules]  # key order too
    # Tampered with by another writer: the cache file is group-writable now, so it is not read.
    tampered = written.read_text().replace("SSLv3", "SSLv2")
    written.write_text(tampered)
    os.chmod(written, 0o666)
    _fresh_caches(loader)
    with pytest.raises(AssertionError, match="parsed again"):
        load_rule_file(str(path), pack="test")
    _fresh_caches(loader)


def test_unwritable_cache_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tlslint.rules import loader

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("TLSLINT_CACHE_DIR", str(blocker / "cache"))
    loader._validation_cache.cache_clear()
    path = write_rule(tmp_path, "{path: protocols, none_in: [SSLv3]}")
    assert len(load_rule_file(str(path), pack="test")) == 1
    loader._validation_cache().save()  # silently does nothing
    loader._validation_cache.cache_clear()


def test_long_offending_lists_are_shortened_in_messages_but_kept_whole() -> None:
    from tlslint.findings import MESSAGE_ITEMS, _show

    names = [f"TLS_SUITE_{n}" for n in range(12)]
    assert _show(names) == ", ".join(names[:MESSAGE_ITEMS]) + f" and {12 - MESSAGE_ITEMS} more"
    assert _show(names[: MESSAGE_ITEMS + 1]) == ", ".join(names[: MESSAGE_ITEMS + 1])  # "and 1 more" helps nobody


def test_policies_are_remembered_privately_and_handed_out_as_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A known-valid, unchanged policy comes from the parsed-data cache without a YAML parser; each load
    gets its own data; a cache file someone else could have written is not believed."""
    import os

    from tlslint import schemas, yamlpos
    from tlslint.policy import load_policy

    def fresh() -> None:
        schemas._cache_for.cache_clear()
        schemas._parsed_cache_for.cache_clear()

    cache = tmp_path / "cache"
    monkeypatch.setenv("TLSLINT_CACHE_DIR", str(cache))
    path = tmp_path / "mine.yaml"
    path.write_text(
        'id: mine\nedition: "1"\ntitle: Mine\nextends: secure-defaults\nparams: {min_rsa_bits: 3072}\n'
        "exclude: [TLS-PROTO-002]\n",
        encoding="utf-8",
    )
    fresh()
    first = load_policy(str(path))
    (written,) = cache.glob("parsed-policy-*.json")
    assert written.stat().st_mode & 0o077 == 0
    fresh()

    def no_parse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("an unchanged, known-valid policy must not be parsed again")

    monkeypatch.setattr(yamlpos, "load_yaml", no_parse)
    again = load_policy(str(path))
    assert (again.packs, again.exclude, again.params, again.content_hash) == (
        first.packs,
        first.exclude,
        first.params,
        first.content_hash,
    )
    data = schemas.load_validated_data(str(path), schemas.POLICY_SCHEMA, "policy")
    data["params"]["min_rsa_bits"] = 1024  # a caller changing what it got ...
    assert load_policy(str(path)).params["min_rsa_bits"] == 3072  # ... changes no later load
    os.chmod(written, 0o666)  # writable by others now: not believed
    fresh()
    with pytest.raises(AssertionError, match="parsed again"):
        load_policy(str(path))
    fresh()
