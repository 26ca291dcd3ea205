"""Helpers for the CI-output tests: a throw-away git repository with a TLS configuration document."""

from __future__ import annotations

import subprocess
from pathlib import Path

DOCUMENT = """\
apiVersion: tlslint/v1
kind: TLSConfiguration
tlsProfiles:
  - id: legacy
    versions: {{min: {min_version}, max: TLSv1.3}}
    cipherSuites: {{TLSv1.2: [TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA]}}
endpoints:
  - id: meter
    role: client
    purpose: other
    tls: {{profile: legacy}}
    connection: {{timeouts: {{connect: 10s, handshake: 10s}}}}
"""


def document(min_version: str = "TLSv1.1") -> str:
    return DOCUMENT.format(min_version=min_version)


def make_repo(root: Path, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for name, text in (files or {"config/tls.yaml": document()}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def by_rule(data: dict, rule_id: str) -> list[dict]:
    return [f for f in data["findings"] if f["rule_id"] == rule_id]
