"""Problems with inputs (as opposed to findings about TLS settings)."""

from __future__ import annotations

from typing import Any

from tlslint.model.located import Location
from tlslint.records import Frozen


class Diagnostic(Frozen):
    """An input that could not be read or understood (``error``: exit 3), or a caveat (``warning``)."""

    __slots__ = ("location", "message", "severity")

    location: Location
    message: str
    severity: str  # error | warning

    def __init__(self, location: Location, message: str, severity: str = "error") -> None:
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "severity", severity)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"severity": self.severity, "message": self.message, "location": self.location.to_json()}
