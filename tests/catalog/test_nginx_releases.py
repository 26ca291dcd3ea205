"""nginx TLS directives by release (``tlslint.catalog.nginx_directives``): one the release does not know stops
nginx — an error with the version given (and no endpoints, as for every configuration nginx refuses), a
warning when it was assumed — while a module's own directive is left alone and a near-miss of a TLS
directive is a warning. ``tests/engines/test_nginx_directives.py`` holds the table against ``nginx -t``."""

from __future__ import annotations

from pathlib import Path

from tlslint.catalog.nginx_directives import directive_problem

from conftest import run_cli

SITE = """\
events {{}}
http {{
    server {{
        listen 443 ssl;
        ssl_certificate site.crt;
        ssl_certificate_key site.key;
        {line}
    }}
}}
"""


def _report(tmp_path: Path, line: str, *args: str) -> dict:
    config = tmp_path / "nginx.conf"
    config.write_text(SITE.format(line=line), encoding="utf-8")
    result = run_cli("check", str(config), "--format", "json", *args)
    assert result.code in (0, 1, 3), result.err
    return result.json()


def _said(report: dict) -> list[tuple[str, int, str]]:
    return [(d["severity"], d["location"]["line"], d["message"]) for d in report["diagnostics"]]


def test_ssl_on_is_gone_from_1_25_1() -> None:
    assert directive_problem("ssl", "1.22.1", True) is None
    assert directive_problem("ssl", "1.25.1", True) == (
        "error",
        "nginx 1.25.1 does not know 'ssl' (known up to 1.25.0)",
    )


def test_modules_own_directives_are_not_judged() -> None:
    for name in ("lua_ssl_protocols", "ssl_certificate_by_lua_block", "ssl_ct", "ssl_sign_certificate", "max_headers"):
        assert directive_problem(name, "1.22.1", True) is None, name


def test_a_directive_of_a_later_release_is_an_error_with_the_version_given_and_builds_no_endpoint(
    tmp_path: Path,
) -> None:
    line = "ssl_conf_command Options PrioritizeChaCha;"
    older = _report(tmp_path, line, "--engine-version", "nginx=1.18.0")
    assert _said(older) == [
        ("error", 7, "nginx refuses to start: nginx 1.18.0 does not know 'ssl_conf_command' (added in 1.19.4)")
    ]
    assert not [f for f in older["findings"] if f["subject"]["kind"] == "endpoint"]
    newer = _report(tmp_path, line, "--engine-version", "nginx=1.22.1")
    assert not [d for d in newer["diagnostics"] if "does not know" in d["message"]]
    assert [f for f in newer["findings"] if f["subject"]["kind"] == "endpoint"]


def test_with_the_version_assumed_it_is_a_warning_and_the_endpoint_is_judged(tmp_path: Path) -> None:
    report = _report(tmp_path, "ssl_certificate_cache max=100;")
    [(severity, line, message)] = _said(report)
    assert (severity, line) == ("warning", 7)
    assert "nginx 1.22.1, the version assumed, does not know 'ssl_certificate_cache' (added in 1.27.4)" in message
    assert [f for f in report["findings"] if f["subject"]["kind"] == "endpoint"]


def test_a_near_miss_of_a_tls_directive_is_a_warning(tmp_path: Path) -> None:
    assert _said(_report(tmp_path, "ssl_protocol TLSv1.2;")) == [
        (
            "warning",
            7,
            'unknown directive "ssl_protocol" (did you mean ssl_protocols?): nginx refuses to start unless a '
            "module declares it",
        )
    ]


def test_a_case_variant_of_any_releases_directive_is_an_error(tmp_path: Path) -> None:
    """``ssl_Conf_command``: nginx compares directive names exactly (crossplane's own table is older than
    ``ssl_conf_command``, so the check uses the release table)."""
    report = _report(tmp_path, "ssl_Conf_command Options PrioritizeChaCha;")
    assert [(s, m) for s, _, m in _said(report)] == [
        ("error", 'nginx refuses to start: unknown directive "ssl_Conf_command" (directive names are lower case)')
    ]
