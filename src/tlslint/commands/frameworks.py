"""tlslint frameworks — browse the framework catalogues and what tlslint can show for each requirement.

    tlslint frameworks list
    tlslint frameworks show ID[@EDITION]
    tlslint frameworks explain ID[@EDITION]:REQUIREMENT
    tlslint frameworks coverage ID[@EDITION] [PATH ...] [--profile product.yaml] [--amendments FILE] [--policy P]
    tlslint frameworks profile-skeleton [ID ...]

``coverage`` without paths prints the crosswalk (requirement -> links -> what is left); with paths it lints
them in compliance mode and prints every requirement's verdict (docs/compliance.md).
"""

from __future__ import annotations

import argparse

from tlslint.commands._common import add_engine_version_option, add_policy_option, parse_date

HELP = "framework catalogues: list, show, explain a requirement, coverage and verdicts, product-profile skeleton"


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(parser))
    listing = sub.add_parser("list", help="the shipped catalogues with edition and size")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    show = sub.add_parser("show", help="one catalogue: provenance and every requirement")
    show.add_argument("framework", metavar="ID[@EDITION]")
    show.add_argument("--format", choices=("table", "json"), default="table")
    explain = sub.add_parser("explain", help="one requirement: summary, applicability, questions, linked rules")
    explain.add_argument("requirement", metavar="ID[@EDITION]:REQUIREMENT")
    coverage = sub.add_parser("coverage", help="every requirement with its links and gaps, or its verdict for PATHs")
    coverage.add_argument("framework", metavar="ID[@EDITION]")
    coverage.add_argument("paths", nargs="*", metavar="PATH", help="lint these and print each requirement's verdict")
    coverage.add_argument("--profile", metavar="FILE", help="product profile (product.yaml)")
    coverage.add_argument("--amendments", metavar="FILE", action="append", help="attestations, deviations, N/A")
    coverage.add_argument("--at", type=parse_date, metavar="YYYY-MM-DD", help="evaluate dates as of this day")
    coverage.add_argument("--format", choices=("table", "json"), default="table")
    add_policy_option(coverage)
    add_engine_version_option(coverage)
    skeleton = sub.add_parser("profile-skeleton", help="a commented product.yaml for the given frameworks")
    skeleton.add_argument("frameworks", nargs="*", metavar="ID[@EDITION]", help="default: every shipped catalogue")


def run(args: argparse.Namespace) -> int:
    return {
        "list": _list,
        "show": _show,
        "explain": _explain,
        "coverage": _coverage,
        "profile-skeleton": _skeleton,
    }[args.action](args)


def _list(args: argparse.Namespace) -> int:
    import json

    from tabulate import tabulate

    from tlslint.compliance import load_catalogues, load_crosswalks

    catalogues = load_catalogues()
    crosswalks = load_crosswalks()
    if args.format == "json":
        data = [
            {**c.to_json(requirements=False), "requirements": len(c.requirements), "mapped": _mapped(crosswalks, c.key)}
            for c in catalogues.values()
        ]
        print(json.dumps({"frameworks": data}, indent=2))
        return 0
    rows = [
        [c.key, c.title[:70], len(c.requirements), "yes" if c.complete else "partial", _mapped(crosswalks, c.key)]
        for c in catalogues.values()
    ]
    print(tabulate(rows, headers=["framework", "title", "requirements", "complete", "with rules"]))
    return 0


def _mapped(crosswalks, key: str) -> int:
    crosswalk = crosswalks.get(key)
    return sum(1 for m in crosswalk.mappings.values() if m.links) if crosswalk else 0


def _show(args: argparse.Namespace) -> int:
    import json
    import textwrap

    from tlslint.compliance import find_catalogue

    catalogue = find_catalogue(args.framework)
    if args.format == "json":
        print(json.dumps(catalogue.to_json(), indent=2))
        return 0
    print(f"{catalogue.key} — {catalogue.title}")
    print(
        f"publisher {catalogue.publisher}; catalogue version {catalogue.catalogue_version}; "
        f"sha256 {catalogue.content_hash}"
    )
    print(f"scope: {catalogue.scope}")
    print(f"checked against: {'; '.join(catalogue.provenance.sources)} ({catalogue.provenance.checked_on})")
    if catalogue.provenance.notes:
        print(f"notes: {catalogue.provenance.notes}")
    print()
    for requirement in catalogue.requirements.values():
        applies = f"  [{requirement.applicability}]" if requirement.applicability else ""
        print(f"{requirement.id:<16} {requirement.title}{applies}")
        print(textwrap.indent(textwrap.fill(requirement.summary, 100), " " * 17))
    return 0


def _explain(args: argparse.Namespace) -> int:
    from tlslint.compliance import find_catalogue, load_crosswalks
    from tlslint.compliance.crosswalk import mapping_for
    from tlslint.errors import UsageError

    head, sep, requirement_id = args.requirement.partition(":")
    if not sep:
        raise UsageError(
            f"give a requirement as ID[@EDITION]:REQUIREMENT, e.g. en18031-1:SCM-3 (got {args.requirement!r})"
        )
    catalogue = find_catalogue(head)
    requirement = catalogue.requirements.get(requirement_id)
    if requirement is None:
        from tlslint.schemas import hint

        raise UsageError(
            f"{catalogue.key} has no requirement {requirement_id!r}{hint(requirement_id, catalogue.requirements)}"
        )
    crosswalks = load_crosswalks()
    mapping = mapping_for(crosswalks.get(catalogue.key), catalogue.key, requirement.id)
    lines = [f"{catalogue.qualified(requirement.id)} — {requirement.title}", "", requirement.summary, ""]
    if requirement.strength:
        lines.append(f"strength: {requirement.strength}")
    if requirement.applicability:
        lines.append(f"applies: {requirement.applicability}")
    if requirement.deviations:
        lines.append(f"deviations allowed: {', '.join(requirement.deviations)}")
    lines.append(
        f"coverage by tlslint: {mapping.coverage}" + (f" — left: {mapping.residual}" if mapping.residual else "")
    )
    for link in mapping.links:
        scope = " " + ", ".join(f"{k}={'/'.join(v)}" for k, v in link.scope.items()) if link.scope else ""
        lines.append(f"  {link.relation:<13} {link.rule}{scope}" + (f" — {link.note}" if link.note else ""))
    for guardrail in mapping.guardrails:
        lines.append(f"  guardrail     {guardrail.param} {guardrail.op} {guardrail.value}")
    for question in requirement.questions:
        lines.append(f"  question      {question.id}: {question.ask}")
    for target in mapping.maps_to:
        lines.append(f"  maps to       {target.target} ({target.relation})")
    qid = catalogue.qualified(requirement.id)
    inbound = [
        m.requirement
        for c in crosswalks.values()
        for m in c.mappings.values()
        if any(t.target == qid for t in m.maps_to)
    ]
    if inbound:
        lines.append(f"  mapped from   {', '.join(inbound)}")
    print("\n".join(lines))
    return 0


def _coverage(args: argparse.Namespace) -> int:
    from tlslint.compliance import find_catalogue

    catalogue = find_catalogue(args.framework)
    if args.paths:
        return _verdicts(args, catalogue)
    return _static_coverage(args, catalogue)


def _static_coverage(args: argparse.Namespace, catalogue) -> int:
    """The crosswalk as a table: each requirement, how it is covered and what an assessor must add."""
    import json

    from tabulate import tabulate

    from tlslint.compliance import load_crosswalks
    from tlslint.compliance.crosswalk import mapping_for

    crosswalk = load_crosswalks().get(catalogue.key)
    rows, data = [], []
    for requirement in catalogue.requirements.values():
        mapping = mapping_for(crosswalk, catalogue.key, requirement.id)
        status = _static_status(mapping, requirement)
        shown = [f"{link.rule}({link.relation})" for link in mapping.links]
        links = ", ".join(shown[:3]) + (f" +{len(shown) - 3} more" if len(shown) > 3 else "")
        gap = mapping.residual or ("; ".join(q.ask for q in requirement.questions) if requirement.questions else "")
        rows.append([requirement.id, status, mapping.coverage, links or "-", gap[:70] or "-"])
        data.append({"requirement": catalogue.qualified(requirement.id), "status": status, **mapping.to_json()})
    if args.format == "json":
        print(json.dumps({"framework": catalogue.key, "requirements": data}, indent=2))
        return 0
    print(tabulate(rows, headers=["requirement", "status", "coverage", "links", "gap (what an assessor adds)"]))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[1]] = counts.get(row[1], 0) + 1
    print(f"\n{len(rows)} requirements in {catalogue.key}: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    return 0


def _static_status(mapping, requirement) -> str:
    """What tlslint can establish for a requirement before seeing any input."""
    automated = any(link.relation in ("evidence", "supports", "indeterminate") for link in mapping.links)
    if automated and mapping.coverage == "full":
        return "automated"
    if automated:
        return "automated+manual"
    if requirement.questions:
        return "manual"
    return "not-covered"


def _verdicts(args: argparse.Namespace, catalogue) -> int:
    import datetime
    import json

    from tabulate import tabulate

    from tlslint.commands._common import resolve_policy
    from tlslint.compliance import evaluate_frameworks, load_amendments, load_profile, with_defaults
    from tlslint.compliance.model import Amendments, ProductProfile
    from tlslint.run import lint

    at = args.at or datetime.date.today()
    policy = resolve_policy(args.policy)
    profile = with_defaults(load_profile(args.profile) if args.profile else ProductProfile(), policy.profile)
    amendments = Amendments()
    for path in args.amendments or ():
        more = load_amendments(path)
        amendments = Amendments(
            amendments.attestations + more.attestations,
            amendments.deviations + more.deviations,
            amendments.not_applicable + more.not_applicable,
            more.path,
            more.content_hash,
        )
    result = lint(args.paths, policy, at=at, engine_versions=args.engine_versions, ledger=True)
    compliance = evaluate_frameworks(result, [catalogue], profile, amendments, at)
    framework = compliance.frameworks[0]
    if args.format == "json":
        print(json.dumps(compliance.to_json(), indent=2, default=str))
        return 0
    rows = []
    for verdict in framework.verdicts:
        rows.append(
            [verdict.requirement.split(":", 1)[1], verdict.status, "+".join(verdict.basis) or "-", verdict.reason[:100]]
        )
        for question in verdict.questions[:3]:
            rows.append(["", "", "?", question.ask[:100]])
    print(tabulate(rows, headers=["requirement", "status", "basis", "reason / open question"]))
    counts = framework.counts()
    print(f"\n{catalogue.key} as of {at}, policy {policy.name}: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    return 0


def _skeleton(args: argparse.Namespace) -> int:
    from tlslint.compliance import find_catalogue, load_catalogues
    from tlslint.compliance.profile import skeleton

    catalogues = [find_catalogue(name) for name in args.frameworks] or list(load_catalogues().values())
    print(skeleton(catalogues), end="")
    return 0
