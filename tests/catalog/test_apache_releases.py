"""mod_ssl directives by httpd release (``tlslint.catalog.apache_directives``): a directive the release does
not declare stops httpd ("Invalid command"), and tlslint says so and does not read it.
``tests/engines/test_apache_directives.py`` holds the table against the real ``apache2``."""

from __future__ import annotations

from pathlib import Path

from tlslint.catalog.apache_directives import ssl_directive_problem

from conftest import run_cli

SITE = """\
LoadModule ssl_module modules/mod_ssl.so
Listen 443
<VirtualHost *:443>
    ServerName www.example.com
    SSLEngine on
    SSLCertificateFile site.crt
    SSLCertificateKeyFile site.key
    {line}
</VirtualHost>
"""


def _report(tmp_path: Path, line: str, *args: str) -> dict:
    config = tmp_path / "httpd.conf"
    config.write_text(SITE.format(line=line), encoding="utf-8")
    result = run_cli("check", str(config), "--format", "json", *args)
    assert result.code in (0, 1, 3), result.err
    return result.json()


def test_misspelt_directives_are_errors_that_name_the_directive_meant() -> None:
    assert ssl_directive_problem("SSLHonourCipherOrder", "2.4.62", False) == (
        "error",
        "Invalid command 'SSLHonourCipherOrder' (did you mean SSLHonorCipherOrder?)",
    )
    assert ssl_directive_problem("sslprotocol", "2.4.62", False) is None  # httpd ignores the case
    assert ssl_directive_problem("ServerName", "2.4.62", True) is None  # not mod_ssl's: not judged here


def test_a_directive_of_another_release_depends_on_the_version() -> None:
    assert ssl_directive_problem("SSLOpenSSLConfCmd", "2.4.7", True) == (
        "error",
        "httpd 2.4.7 does not know 'SSLOpenSSLConfCmd' (added in 2.4.8)",
    )
    severity, said = ssl_directive_problem("SSLMutex", "2.4.62", False)  # type: ignore[misc]
    assert severity == "warning" and "known up to 2.2.34" in said and "the version assumed" in said
    assert ssl_directive_problem("SSLMutex", "2.2.34", True) is None


def test_httpd_refusing_a_directive_is_said_at_it_and_the_directive_is_not_read(tmp_path: Path) -> None:
    report = _report(tmp_path, "SSLProtcol -all +TLSv1.3")
    errors = [(d["location"]["line"], d["message"]) for d in report["diagnostics"] if d["severity"] == "error"]
    assert errors == [(8, "httpd refuses to start: Invalid command 'SSLProtcol' (did you mean SSLProtocol?)")]
    # not read: the protocols are httpd's defaults, as if the line were not there
    assert report["findings"] == _report(tmp_path, "")["findings"]


def test_a_later_directive_is_read_when_the_version_given_knows_it(tmp_path: Path) -> None:
    line = "SSLOpenSSLConfCmd MinProtocol TLSv1.3"
    older = _report(tmp_path, line, "--engine-version", "apache=2.4.7")
    assert [d["message"] for d in older["diagnostics"] if d["severity"] == "error"] == [
        "httpd refuses to start: httpd 2.4.7 does not know 'SSLOpenSSLConfCmd' (added in 2.4.8)"
    ]
    newer = _report(tmp_path, line, "--engine-version", "apache=2.4.62")
    assert not [d for d in newer["diagnostics"] if d["severity"] == "error"]
    assert not [f for f in newer["findings"] if f["field"] == "protocols"]  # TLS 1.3 only: nothing to say


def test_a_version_without_its_patch_level_means_any_release_of_its_line() -> None:
    assert ssl_directive_problem("SSLOpenSSLConfCmd", "2.4", True) is None  # 2.4.8 and later know it
    assert ssl_directive_problem("SSLMutex", "2.4", True) == (
        "error",
        "httpd 2.4 does not know 'SSLMutex' (known up to 2.2.34)",
    )
