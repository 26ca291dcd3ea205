"""A loaded, compiled rule."""

from __future__ import annotations

from typing import Any

from tlslint.model.located import Location
from tlslint.model.subject import Subject
from tlslint.records import Frozen, Record
from tlslint.rules.conditions import Predicate

SEVERITIES = ("critical", "high", "medium", "low", "info")  # most severe first
CONFIDENCES = ("high", "medium", "low")


def severity_rank(severity: str) -> int:
    """Higher is more severe: info=0 … critical=4."""
    return len(SEVERITIES) - 1 - SEVERITIES.index(severity)


class Reference(Frozen):
    """A rule's reference to a standard: a framework and a control, resolved against the catalogues."""

    __slots__ = ("framework", "control", "note", "requirement", "relation")

    framework: str
    control: str
    note: str | None
    #: ``en18031-1@2024:SCM-3``: the catalogue requirement it names (None for RFCs and the whitepaper).
    requirement: str | None
    #: ``context``, ``exempts`` or ``conflicts`` for a reference that is not evidence (see the crosswalk).
    relation: str | None

    def __init__(
        self,
        framework: str,
        control: str,
        note: str | None = None,
        requirement: str | None = None,
        relation: str | None = None,
    ) -> None:
        object.__setattr__(self, "framework", framework)
        object.__setattr__(self, "control", control)
        object.__setattr__(self, "note", note)
        object.__setattr__(self, "requirement", requirement)
        object.__setattr__(self, "relation", relation)

    @property
    def is_evidence(self) -> bool:
        """Whether a finding of the rule speaks to this reference (it is tagged with it)."""
        return self.relation is None

    def to_json(self) -> dict[str, str]:
        out = {"framework": self.framework, "control": self.control}
        if self.requirement is not None:
            out["id"] = self.requirement
        return out

    @property
    def tag(self) -> str:
        """The resolved ``framework@edition:requirement`` id, or ``RFC/8996`` for informative ones."""
        return self.requirement or f"{self.framework}/{self.control}"

    def __str__(self) -> str:
        return f"{self.framework} {self.control}"


class ParamSpec(Frozen):
    """A rule parameter: its name, type, default and meaning."""

    __slots__ = ("name", "type", "default", "doc")

    name: str
    type: str
    default: Any
    doc: str

    def __init__(self, name: str, type: str, default: Any, doc: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "doc", doc)

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` (from a policy or configuration file) has this parameter's declared type."""
        if self.type == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        if self.type == "number":
            return isinstance(value, int | float) and not isinstance(value, bool)
        if self.type == "bool":
            return isinstance(value, bool)
        if self.type == "list":
            return isinstance(value, list)
        return isinstance(value, str)  # str, version


def param_type_problem(rules: list[Rule], name: str, value: Any) -> str | None:
    """Why ``value`` cannot be parameter ``name`` of these rules (a wrong type would otherwise fail
    inside a comparison during evaluation), or None."""
    for rule in rules:
        spec = rule.params.get(name)
        if spec is not None and not spec.accepts(value):
            return f"parameter '{name}' of {rule.id} must be of type {spec.type}, not {type(value).__name__}"
    return None


class Rule(Record):
    """A loaded rule: what it applies to, its compiled conditions, its message, and its references."""

    __slots__ = (
        "id",
        "title",
        "severity",
        "confidence",
        "kind",
        "filters",
        "check",
        "when",
        "params",
        "message",
        "rationale",
        "remediation",
        "remediation_per_engine",
        "references",
        "pack",
        "source",
        "spec",
        "tags",
        "subsumed_by",
        "paths",
        "judged_by_fields",
    )

    id: str
    title: str
    severity: str
    confidence: str
    kind: str
    filters: dict[str, tuple[str, ...]]
    check: Predicate
    when: Predicate | None
    params: dict[str, ParamSpec]
    message: str
    rationale: str
    remediation: str
    remediation_per_engine: dict[str, str]
    references: tuple[Reference, ...]
    pack: str
    source: Location
    spec: dict[str, Any]  # the rule as written, for `tlslint explain`
    tags: tuple[str, ...]
    #: rules whose finding at the same place of the same subject has the same cause (folded into it)
    subsumed_by: tuple[str, ...]
    paths: tuple[str, ...]  # every field the rule reads (for docs/whitepaper-map.md)
    #: ``when`` and ``check`` read nothing but the origins and values of ``paths`` and of the fields that
    #: make a subject partial (compiled conditions): equal fields, equal outcome (see tlslint.rules.memo).
    judged_by_fields: bool

    def __init__(
        self,
        id: str,
        title: str,
        severity: str,
        confidence: str,
        kind: str,
        filters: dict[str, tuple[str, ...]],
        check: Predicate,
        when: Predicate | None,
        params: dict[str, ParamSpec],
        message: str,
        rationale: str,
        remediation: str,
        remediation_per_engine: dict[str, str],
        references: tuple[Reference, ...],
        pack: str,
        source: Location,
        spec: dict[str, Any],
        tags: tuple[str, ...] = (),
        subsumed_by: tuple[str, ...] = (),
        paths: tuple[str, ...] = (),
        judged_by_fields: bool = False,
    ) -> None:
        self.id = id
        self.title = title
        self.severity = severity
        self.confidence = confidence
        self.kind = kind
        self.filters = filters
        self.check = check
        self.when = when
        self.params = params
        self.message = message
        self.rationale = rationale
        self.remediation = remediation
        self.remediation_per_engine = remediation_per_engine
        self.references = references
        self.pack = pack
        self.source = source
        self.spec = spec
        self.tags = tags
        self.subsumed_by = subsumed_by
        self.paths = paths
        self.judged_by_fields = judged_by_fields

    def default_params(self) -> dict[str, Any]:
        return {name: spec.default for name, spec in self.params.items()}

    def applies_to(self, subject: Subject) -> bool:
        if subject.kind != self.kind:
            return False
        for path, allowed in self.filters.items():
            actual = subject.engine if path == "engine" else subject.value(path)
            if actual not in allowed:
                return False
        return True

    def help_uri(self) -> str | None:
        """The rule's page in the generated ``docs/rules/``, when the installation names where they are
        published (see :func:`tlslint.resources.rule_docs_url`); None rather than a link to nowhere."""
        from tlslint.resources import rule_docs_url

        base = rule_docs_url()
        return f"{base}/{self.pack}.md#{self.id.lower()}" if base else None
