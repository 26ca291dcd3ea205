"""The normalised model: subjects (endpoints, certificates, ...) whose values keep provenance."""

from tlslint.model.located import Located, Location, Origin
from tlslint.model.subject import SUBJECT_KINDS, Subject

__all__ = ["SUBJECT_KINDS", "Located", "Location", "Origin", "Subject"]
