"""A finding as its one line of the JSON check report, written without building its dictionary first.

``json.dumps(finding.to_json())`` builds a dictionary of fifteen entries for every finding and then walks
it: about 16 us a finding, most of the time a report of 50,000 findings takes to write. Half of each line
is the same for every finding of one rule (its id, title, severity, confidence and controls) and much of
the rest for every finding at one place (the location). :class:`FindingLines` writes those parts once and
joins them with each finding's own strings, which json's own C string encoder escapes.

The text is exactly that of ``json.dumps(finding.to_json(), ensure_ascii=False, separators=(", ", ": "))``
(:data:`tlslint.report.json._ITEM_JSON`). A finding that holds anything this writer does not expect — a
suppression, a value of another type than ``str``, ``int``, ``bool`` or ``None`` — is written through
``to_json`` instead, and ``tests/report/test_finding_json.py`` compares both writers on generated findings.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import TYPE_CHECKING

from tlslint.findings import controls_json, scalar_json, values_json
from tlslint.report.safe_text import has_undecodable, json_safe

if TYPE_CHECKING:
    from json import JSONEncoder

    from tlslint.findings import Finding
    from tlslint.model.located import Location
    from tlslint.rules.model import Reference


#: A ``str``, ``int``, ``bool`` or ``None`` as json writes it (TypeError for anything else: to_json and
#: json decide how those are written).
_scalar = scalar_json(encode_basestring)
#: The items of a list of such values (``offending``), all strings in C.
_values = values_json(encode_basestring)


class FindingLines:
    """Writes the findings of one report (its memory of paths and rules lasts that report: a path's
    repository-relative form depends on the working directory at the time)."""

    def __init__(self, encoder: JSONEncoder) -> None:
        self._encoder = encoder  # for the rare finding written through to_json
        self._paths: dict[str, str] = {}
        self._heads: dict[tuple[str, str, str, str], str] = {}
        self._controls: dict[int, tuple[tuple[Reference, ...], str]] = {}
        #: Location texts by the location object's identity (the object is kept with its text, so its
        #: identity cannot be another's), for the places findings share: a subject's own place, the line
        #: a value is inherited through. Findings come sorted by place, so a small memory serves.
        self._places: dict[int, tuple[Location, str]] = {}

    def line(self, finding: Finding) -> str:
        """The finding's JSON text (``to_json`` encoded); a file name's undecodable bytes as ``\\xNN`` text
        (:func:`~tlslint.report.safe_text.json_safe`), as :func:`tlslint.report.json.dump_lines` writes any item."""
        text = self._direct(finding)
        if text is None:
            text = self._encoder.encode(finding.to_json())
        if has_undecodable(text):  # no UTF-8 writer takes them raw
            text = self._encoder.encode(json_safe(finding.to_json()))
        return text

    def _direct(self, finding: Finding) -> str | None:
        if finding.suppression is not None:
            return None
        try:  # json's string encoder, _scalar and _location refuse (TypeError) what this writer does not expect
            return "".join(
                (
                    self._head(finding),
                    encode_basestring(finding.message),
                    ', "location": ',
                    self._location(finding.location),
                    ', "related_locations": [',
                    ", ".join([self._location(place) for place in finding.related]),
                    '], "subject": {"kind": ',
                    encode_basestring(finding.subject_kind),
                    ', "ids": [',
                    ", ".join(map(encode_basestring, finding.subjects)),
                    ']}, "field": ',
                    _scalar(finding.field),
                    ', "offending": [',
                    _values(finding.offending),
                    '], "origin": ',
                    _scalar(finding.origin),
                    ', "controls": ',
                    self._controls_of(finding.references),
                    ', "fingerprint": ',
                    encode_basestring(finding.fingerprint),
                    ', "suppressed": false}',
                )
            )
        except TypeError:
            return None

    def _head(self, finding: Finding) -> str:
        """``{"rule_id": …, "title": …, "severity": …, "confidence": …, "message": `` of the finding's rule."""
        key = (finding.rule_id, finding.title, finding.severity, finding.confidence)
        head = self._heads.get(key)
        if head is None:
            rule_id, title, severity, confidence = map(encode_basestring, key)
            head = self._heads[key] = (
                f'{{"rule_id": {rule_id}, "title": {title}, "severity": {severity}, '
                f'"confidence": {confidence}, "message": '
            )
        return head

    def _controls_of(self, references: tuple[Reference, ...]) -> str:
        """The ``controls`` list of a rule's references (every finding of the rule shares the tuple)."""
        known = self._controls.get(id(references))
        if known is None or known[0] is not references:
            known = self._controls[id(references)] = (references, self._encoder.encode(controls_json(references)))
        return known[1]

    def _location(self, place: Location) -> str:
        """``Location.to_json`` encoded; TypeError for a location with values of unexpected types."""
        known = self._places.get(id(place))
        if known is not None and known[0] is place:
            return known[1]
        text = self._location_text(place)
        if len(self._places) >= _PLACES_KEPT:
            self._places.clear()
        self._places[id(place)] = (place, text)
        return text

    def _location_text(self, place: Location) -> str:
        path = self._paths.get(place.path)
        if path is None:
            if type(place.path) is not str:
                raise TypeError("path")
            from tlslint.repo import repo_relative

            relative = repo_relative(place.path)
            spelled = f', "spelled_path": {encode_basestring(place.path)}' if relative != place.path else ""
            path = self._paths[place.path] = f'{{"path": {encode_basestring(relative)}{spelled}'
        numbers = (place.line, place.column, place.end_line, place.end_column)
        if numbers == (None, None, None, None):
            return path + "}"
        parts = [path]
        for name, number in zip(_NUMBER_NAMES, numbers, strict=True):
            if number is not None:
                if type(number) is not int:
                    raise TypeError(name)
                parts.append(f", {name}{int.__repr__(number)}")
        parts.append("}")
        return "".join(parts)


_NUMBER_NAMES = ('"line": ', '"column": ', '"end_line": ', '"end_column": ')

#: Location texts a report keeps at once (see ``FindingLines._places``).
_PLACES_KEPT = 1024
