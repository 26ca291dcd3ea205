"""Mbed TLS ``#if`` lines are the attacker's (issue 10 item 9): they were evaluated with ``eval()``, so
``#if 1 ()`` was a TypeError and 200,000 ``!`` a MemoryError (exit 4). Now each is a located warning,
the branch is unknown, and every other file is still linted."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile.harness import assert_survived, run_limited

GOOD = "http {\n  server {\n    listen 443 ssl;\n    ssl_protocols TLSv1.2;\n  }\n}\n"


@pytest.mark.parametrize(
    "condition",
    ["1 ()", "!" * 200_000 + "1", "(" * 200_000 + "1", "defined(MBEDTLS_X) ? : ", "999999999999999999999 << 999"],
    ids=["call", "bangs", "parens", "ternary", "shift"],
)
def test_hostile_if_in_an_mbedtls_config(tmp_path: Path, condition: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "nginx.conf").write_text(GOOD)
    config = "#define MBEDTLS_SSL_PROTO_TLS1_2\n" + f"#if {condition}\n#define MBEDTLS_SSL_ALPN\n#endif\n"
    (tmp_path / "mbedtls_user_config.h").write_text(config)
    outcome = run_limited("check", ".", cwd=tmp_path)
    assert_survived(outcome)
    assert "mbedtls_user_config.h:2" in outcome.err  # the warning names the file and the line
    assert "TLS-PROTO-002" in outcome.out.partition("good/nginx.conf")[2]  # the neighbour is still linted
