"""A rule rendered for people: used by ``tlslint explain`` and the SARIF ``help`` text."""

from __future__ import annotations

from tlslint.errors import UsageError
from tlslint.rules.model import Rule


def all_rules() -> list[Rule]:
    """Every rule tlslint knows: the shipped packs and the built-in rules of the suppression stage."""
    from tlslint.builtin_rules import builtin_rules
    from tlslint.rules.loader import load_packs, pack_dirs

    return [*load_packs(list(pack_dirs())), *builtin_rules()]


def find_rule(rule_id: str) -> Rule:
    rules = {rule.id: rule for rule in all_rules()}
    wanted = rule_id.strip().upper()
    if wanted in rules:
        return rules[wanted]
    import difflib

    close = difflib.get_close_matches(wanted, list(rules), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise UsageError(f"unknown rule '{rule_id}'{hint}; 'tlslint rules' lists them")


def filter_text(path: str, allowed: object) -> str:
    """``role=client``, or for a list of allowed values ``purpose in (ocpp-csms, log-upload)``."""
    if isinstance(allowed, list):
        return f"{path} in ({', '.join(str(value) for value in allowed)})"
    return f"{path}={allowed}"


def param_text(value: object) -> str:
    """A parameter's default as a policy may write it: JSON, which YAML reads too (``["Pionix", "EVerest"]``)."""
    import json

    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def explain(rule: Rule) -> str:
    """Markdown: title, what it checks, why, the fix (per engine), parameters and references."""
    import yaml  # for the rule's condition as written; all_rules() (check --select/--ignore) needs no parser

    lines = [f"# {rule.id}: {rule.title}", ""]
    lines.append(
        f"Severity: {rule.severity} · confidence: {rule.confidence} · applies to: {rule.kind} · pack: {rule.pack}"
    )
    filters = {k: v for k, v in rule.spec["applies_to"].items() if k != "kind"}
    if filters:
        lines.append(f"Only for: {', '.join(filter_text(k, v) for k, v in filters.items())}")
    lines += ["", "## Why it matters", "", rule.rationale, "", "## What it checks", "", "```yaml"]
    check = {key: rule.spec[key] for key in ("when", "check") if key in rule.spec}
    lines.append(yaml.safe_dump(check, sort_keys=False).rstrip())
    lines += ["```", "", "## How to fix it", "", rule.remediation]
    for engine, fix in rule.remediation_per_engine.items():
        lines += ["", f"**{engine}**:", "", "```", fix.rstrip(), "```"]
    if rule.params:
        lines += ["", "## Parameters", ""]
        for param in rule.params.values():
            lines.append(f"- `{param.name}` ({param.type}, default `{param_text(param.default)}`): {param.doc}")
    lines += ["", "## References", ""]
    for ref in rule.references:
        resolved = f" ({ref.requirement})" if ref.requirement else ""
        relation = f" [{ref.relation}]" if ref.relation else ""
        lines.append(f"- {ref.framework} {ref.control}{resolved}{relation}" + (f" — {ref.note}" if ref.note else ""))
    return "\n".join(lines)
