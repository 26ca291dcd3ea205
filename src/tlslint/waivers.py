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
from tlslint.globs import compile_glob
from tlslint.model.located import Location
from tlslint.records import Record
from tlslint.repo import repo_relative


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

    def covers(self, relative_paths: set[str]) -> bool:
        """True when this waiver's ``path`` glob covers one of these repository-relative paths (False
        without a glob: a waiver by fingerprint or by rule alone covers no file of its own)."""
        if self.path is None:
            return False
        glob = compile_glob(self.path)
        return any(glob.match(path) for path in relative_paths)

    def matches(self, finding: Finding) -> bool:
        if self.fingerprint is not None and finding.fingerprint != self.fingerprint:
            return False
        if self.rule is not None and finding.rule_id != self.rule:
            return False
        return self.path is None or compile_glob(self.path).match(repo_relative(finding.location.path))


class WaiverIndex:
    """The waivers of a run, asked for each finding: the first waiver in file order that matches it, as a
    scan of the list finds it, but looking only at the waivers that could: those naming the finding's
    fingerprint, those naming its rule, and those naming neither. A scan of every waiver for every
    finding took 261 s for a file of 1,000 fingerprints on 174,000 findings."""

    def __init__(self, waivers: list[Waiver]) -> None:
        #: Each bucket in file order, with each waiver's place in the file.
        self._by_fingerprint: dict[str, list[tuple[int, Waiver]]] = {}
        self._by_rule: dict[str, list[tuple[int, Waiver]]] = {}
        self._others: list[tuple[int, Waiver]] = []
        for index, waiver in enumerate(waivers):
            if waiver.fingerprint is not None:
                self._by_fingerprint.setdefault(waiver.fingerprint, []).append((index, waiver))
            elif waiver.rule is not None:
                self._by_rule.setdefault(waiver.rule, []).append((index, waiver))
            else:
                self._others.append((index, waiver))

    def first_match(self, finding: Finding) -> Waiver | None:
        first: tuple[int, Waiver] | None = None
        for bucket in (
            self._by_fingerprint.get(finding.fingerprint, ()),
            self._by_rule.get(finding.rule_id, ()),
            self._others,
        ):
            for index, waiver in bucket:
                if first is not None and index > first[0]:
                    break  # a waiver earlier in the file already matches
                if waiver.matches(finding):
                    first = (index, waiver)
                    break
        return first[1] if first is not None else None


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
