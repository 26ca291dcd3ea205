"""Build ``report.json``: the reproducibility header, per-framework results, findings, inventory.

The document is plain data (dicts, lists, strings, ints, booleans) in a deterministic order, so that the
same inputs, tool and pack versions and ``--at`` give the same bytes (:mod:`.canonical`). Nothing in it
depends on the clock, the machine, the output directory or the environment: paths are as the user named
them (relative to the working directory when inside it), and the generation time is not recorded.
Its shape is ``schemas/report.schema.yaml``; ``integrity.report_sha256`` is the SHA-256 of the RFC 8785
form of everything else.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from typing import Any

from tlslint import __version__
from tlslint.evidence.canonical import sha256_of
from tlslint.evidence.inventory import _plain
from tlslint.records import Record

REPORT_SCHEMA_VERSION = "1.0"

#: What a static analysis can and cannot see; printed in every report so no reader over-trusts it.
METHOD = (
    "Static analysis of configuration files, source code calls and PKI material as stored; engine defaults "
    "are modelled for the stated engine versions. tlslint does not connect to the product, does not observe "
    "runtime behaviour, and cannot see settings made outside the files listed under inputs; such values are "
    "reported as unknown and turn the requirements that depend on them into manual questions."
)


class Invocation(Record):
    """The options that decide a report's content (not where it is written or in which formats)."""

    __slots__ = (
        "paths",
        "frameworks",
        "policies",
        "profile",
        "attestations",
        "deviations",
        "waivers",
        "engine_versions",
        "at",
        "config",
        "no_config",
    )

    paths: list[str]
    frameworks: list[str]
    policies: list[str]
    profile: str | None
    attestations: list[str]
    deviations: list[str]
    waivers: str | None
    engine_versions: dict[str, str]
    at: datetime.date
    config: str | None
    no_config: bool

    def __init__(
        self,
        paths: list[str],
        frameworks: list[str] | None = None,
        policies: list[str] | None = None,
        profile: str | None = None,
        attestations: list[str] | None = None,
        deviations: list[str] | None = None,
        waivers: str | None = None,
        engine_versions: dict[str, str] | None = None,
        at: datetime.date | None = None,
        config: str | None = None,
        no_config: bool = False,
    ) -> None:
        self.paths = paths
        self.frameworks = [] if frameworks is None else frameworks
        self.policies = [] if policies is None else policies
        self.profile = profile
        self.attestations = [] if attestations is None else attestations
        self.deviations = [] if deviations is None else deviations
        self.waivers = waivers
        self.engine_versions = {} if engine_versions is None else engine_versions
        self.at = datetime.date.today() if at is None else at
        self.config = config
        self.no_config = no_config

    def to_json(self) -> dict[str, Any]:
        return {
            "paths": list(self.paths),
            "frameworks": list(self.frameworks),
            "policies": list(self.policies),
            "profile": self.profile,
            "attestations": list(self.attestations),
            "deviations": list(self.deviations),
            "waivers": self.waivers,
            "engine_versions": dict(sorted(self.engine_versions.items())),
            "at": self.at.isoformat(),
            "config": self.config,
            "no_config": self.no_config,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Invocation:
        return cls(
            paths=list(data["paths"]),
            frameworks=list(data["frameworks"]),
            policies=list(data["policies"]),
            profile=data.get("profile"),
            attestations=list(data.get("attestations") or []),
            deviations=list(data.get("deviations") or []),
            waivers=data.get("waivers"),
            engine_versions=dict(data.get("engine_versions") or {}),
            at=datetime.date.fromisoformat(data["at"]),
            config=data.get("config"),
            no_config=bool(data.get("no_config")),
        )

    def command_line(self) -> list[str]:
        """The ``tlslint report`` arguments that reproduce this content (formats and output left out)."""
        argv = ["tlslint", "report", *self.paths]
        for spec in self.frameworks:
            argv += ["--framework", spec]
        for name in self.policies:
            argv += ["--policy", name]
        for option, value in (("--profile", self.profile), ("--waivers", self.waivers), ("--config", self.config)):
            if value:
                argv += [option, value]
        for path in self.attestations:
            argv += ["--attestations", path]
        for path in self.deviations:
            argv += ["--deviations", path]
        if self.engine_versions:
            argv += ["--engine-version", ",".join(f"{k}={v}" for k, v in sorted(self.engine_versions.items()))]
        if self.no_config:
            argv.append("--no-config")
        return [*argv, "--at", self.at.isoformat()]


def file_record(path: str, **extra: Any) -> dict[str, Any]:
    """Path, size and SHA-256 of a file the report depends on (amendments, the configuration file)."""
    data = Path(path).read_bytes()
    return {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), **extra}


def _shipped_name(path: str) -> str:
    """A shipped data file by its place in the distribution (``rules/tls/protocols.yaml``), not by where
    this machine installed it, so reports from two machines compare equal."""
    from tlslint.resources import data_dir

    for kind in ("rules", "policies", "frameworks", "crosswalks"):
        try:
            return f"{kind}/{Path(path).resolve().relative_to(data_dir(kind).resolve()).as_posix()}"
        except (ValueError, OSError):
            continue
    return path


def rule_packs(rules: list[Any]) -> list[dict[str, Any]]:
    by_pack: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for rule in rules:
        by_pack.setdefault(rule.pack, set()).add(rule.source.path)
        counts[rule.pack] = counts.get(rule.pack, 0) + 1
    packs = []
    for name in sorted(by_pack):
        files = [{"path": _shipped_name(p), **_digest(p)} for p in sorted(by_pack[name])]
        files.sort(key=lambda f: f["path"])
        packs.append(
            {
                "id": name,
                "rules": counts[name],
                "files": files,
                "sha256": sha256_of([[f["path"], f["sha256"]] for f in files]),
            }
        )
    return packs


def _digest(path: str) -> dict[str, Any]:
    data = Path(path).read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def policy_record(policy: Any, rules: list[Any]) -> dict[str, Any]:
    """The applied policy: edition, content hash, and every rule parameter with its effective value and
    whether the policy set it or the rule's default applies."""
    params: dict[str, dict[str, Any]] = {}
    for rule in rules:
        for name, spec in rule.params.items():
            if name in policy.params:
                params[name] = {"value": _plain(policy.params[name]), "source": "policy"}
            else:
                params.setdefault(name, {"value": _plain(spec.default), "source": "rule default"})
    return {
        "id": policy.id,
        "edition": policy.edition,
        "content_sha256": policy.content_hash,
        "files": sorted({_shipped_name(p) for p in policy.files}),
        "parameters": dict(sorted(params.items())),
        "excluded_rules": sorted(policy.exclude),
    }


def engine_assumptions(given: dict[str, str]) -> dict[str, dict[str, str]]:
    from tlslint.catalog.engine_defaults import ASSUMED

    out = {name: {"version": version, "source": "assumed (documented default)"} for name, version in ASSUMED.items()}
    for name, version in given.items():
        out[name] = {"version": version, "source": "--engine-version"}
    return dict(sorted(out.items()))


def header(invocation: Invocation, result: Any, config: Any, amendments: list[dict[str, Any]]) -> dict[str, Any]:
    files = sorted(result.inputs.files, key=lambda f: f.path)
    configuration = config.to_json()
    if config.file:
        configuration["file_record"] = file_record(config.file)
    return {
        "tool": {"name": "tlslint", "version": __version__},
        "at": invocation.at.isoformat(),
        "invocation": invocation.to_json(),
        "command_line": invocation.command_line(),
        "configuration": _plain_tree(configuration),
        "policy": policy_record(result.policy, result.rules),
        "rule_packs": rule_packs(result.rules),
        "engine_assumptions": engine_assumptions(invocation.engine_versions),
        "inputs": [{"path": f.path, "size": f.size, "sha256": f.sha256, "parser": f.source} for f in files],
        "amendments": amendments,
        "diagnostics": [_plain_tree(d.to_json()) for d in result.inputs.diagnostics],
        "method": METHOD,
    }


def _plain_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_tree(v) for v in value]
    return _plain(value)


def finding_record(finding: Any) -> dict[str, Any]:
    return _plain_tree(finding.to_json())


def rule_texts(rules: list[Any], wanted: set[str]) -> list[dict[str, Any]]:
    """Why and how of each rule the report refers to, for the appendix (``tlslint explain`` in short)."""
    return [
        {
            "id": rule.id,
            "title": rule.title,
            "severity": rule.severity,
            "pack": rule.pack,
            "rationale": rule.rationale.strip(),
            "remediation": rule.remediation.strip(),
        }
        for rule in sorted(rules, key=lambda r: r.id)
        if rule.id in wanted
    ]


def seal(document: dict[str, Any]) -> dict[str, Any]:
    """Add ``integrity``: the hash of the RFC 8785 form of the document without it."""
    body = {k: v for k, v in document.items() if k != "integrity"}
    document["integrity"] = {
        "algorithm": "sha256",
        "canonicalization": "RFC 8785 (JSON Canonicalization Scheme) of the document without 'integrity'",
        "report_sha256": sha256_of(body),
    }
    return document


def report_hash(document: dict[str, Any]) -> str:
    return sha256_of({k: v for k, v in document.items() if k != "integrity"})
