"""Waiver files: accepted risks with a justification, an approver and an expiry date.

An entry matches a finding by ``fingerprint``, or by ``rule`` plus an optional ``path`` glob on the
finding's repository-relative path. From the day after ``expires`` (compared with ``--at``, default
today) the waiver stops suppressing and is reported as TLSLINT-WAIVER-001. The format is described
by ``schemas/waivers.schema.yaml``.
"""

from __future__ import annotations

import datetime

from tlslint.errors import ConfigError
from tlslint.findings import Finding
from tlslint.model.located import Location
from tlslint.records import Record


class Waiver(Record):
    """A waiver: which findings it covers (by fingerprint, rule or path), why, who approved it, until when."""

    __slots__ = ("id", "location", "fingerprint", "rule", "path", "justification", "approver", "expires")

    id: str
    location: Location
    fingerprint: str | None
    rule: str | None
    path: str | None
    justification: str
    approver: str
    expires: datetime.date

    def __init__(
        self,
        id: str,
        location: Location,
        fingerprint: str | None,
        rule: str | None,
        path: str | None,
        justification: str,
        approver: str,
        expires: datetime.date,
    ) -> None:
        self.id = id
        self.location = location
        self.fingerprint = fingerprint
        self.rule = rule
        self.path = path
        self.justification = justification
        self.approver = approver
        self.expires = expires

    @property
    def target(self) -> str:
        if self.fingerprint:
            return f"fingerprint {self.fingerprint}"
        return f"{self.rule}" + (f" in {self.path}" if self.path else "")

    def expired(self, at: datetime.date) -> bool:
        return at > self.expires

    def covers(self, relative_path: str) -> bool:
        """True when this waiver's ``path`` glob covers a repository-relative path (False without one)."""
        from tlslint.globs import compile_glob

        return self.path is not None and compile_glob(self.path).match(relative_path)

    def matches(self, finding: Finding) -> bool:
        from tlslint.globs import compile_glob
        from tlslint.repo import repo_relative

        if self.fingerprint is not None and finding.fingerprint != self.fingerprint:
            return False
        if self.rule is not None and finding.rule_id != self.rule:
            return False
        return self.path is None or compile_glob(self.path).match(repo_relative(finding.location.path))


def load_waivers(path: str) -> list[Waiver]:
    from tlslint.schemas import load_and_validate

    document = load_and_validate(path, "waivers.schema.yaml", "waiver file")
    waivers = []
    for index, entry in enumerate(document.data["waivers"]):
        location = document.loc(("waivers", index))
        try:
            expires = datetime.date.fromisoformat(entry["expires"])
        except ValueError:
            raise ConfigError(document.loc(("waivers", index, "expires")), "expires is not a valid date") from None
        waivers.append(
            Waiver(
                id=entry.get("id") or f"W{index + 1}",
                location=Location(location.path, location.line, location.column),
                fingerprint=entry.get("fingerprint"),
                rule=entry.get("rule"),
                path=entry.get("path").removeprefix("./") if entry.get("path") else None,
                justification=entry["justification"].strip(),
                approver=entry["approver"],
                expires=expires,
            )
        )
    return waivers
