"""Problems with inputs (as opposed to findings about TLS settings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tlslint.model.located import Location


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """An input that could not be read or understood (``error``: exit 3), or a caveat (``warning``)."""

    location: Location
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"severity": self.severity, "message": self.message, "location": self.location.to_json()}
