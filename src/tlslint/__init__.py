"""tlslint: a policy-as-code compliance linter for TLS configurations."""

__version__ = "0.1.0"
