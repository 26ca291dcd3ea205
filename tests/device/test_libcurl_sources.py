"""libcurl curl_easy_setopt() calls in C: normalised values, origins and places (tree-sitter C)."""

from __future__ import annotations

from pathlib import Path

from device.support import at_with_column as at
from device.support import subjects
from device.support import write as write_file


def endpoints(path: Path) -> dict:
    return {s.id.rsplit(":", 2)[-2] + ":" + s.id.rsplit(":", 1)[-1]: s for s in subjects(path)}


def write(tmp_path: Path, text: str) -> Path:
    return write_file(tmp_path, "client.c", text)


GOOD = """#include <curl/curl.h>
#define CA_FILE "/etc/device/root.pem"

void fetch(CURL *h)
{
    curl_easy_setopt(h, CURLOPT_URL, "https://fw.example.com/fw.bin");
    curl_easy_setopt(h, CURLOPT_CAINFO, CA_FILE);
    curl_easy_setopt(h, CURLOPT_CRLFILE, "/etc/device/root.crl");
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYSTATUS, 1L);
    curl_easy_setopt(h, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_3);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 2L);
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
}
"""


def test_cainfo_crlfile_verifystatus(tmp_path: Path) -> None:
    subject = endpoints(write(tmp_path, GOOD))["fetch:h"]
    assert subject.id.startswith("libcurl:") and subject.value("source.confidence") == "medium"
    assert at(subject, "trust.store") == ("/etc/device/root.pem", "explicit", 7, 41)  # through the #define
    assert at(subject, "trust.system_roots")[:3] == (False, "explicit", 7)
    # CRLFILE sets "crl"; VERIFYSTATUS on the next line requires a stapled OCSP response (the later call wins).
    assert at(subject, "revocation.mode") == ("ocsp-stapling-required", "explicit", 9, 51)
    assert at(subject, "revocation.on_error")[:3] == ("fatal", "explicit", 9)


def test_crlfile_alone(tmp_path: Path) -> None:
    text = GOOD.replace("    curl_easy_setopt(h, CURLOPT_SSL_VERIFYSTATUS, 1L);\n", "")
    subject = endpoints(write(tmp_path, text))["fetch:h"]
    assert at(subject, "revocation.mode")[:3] == ("crl", "explicit", 8)


def test_sslversion_and_redirects(tmp_path: Path) -> None:
    subject = endpoints(write(tmp_path, GOOD))["fetch:h"]
    assert at(subject, "protocols")[:3] == (["TLSv1.2", "TLSv1.3"], "explicit", 10)
    assert at(subject, "http.redirects.follow")[:3] == (True, "explicit", 11)
    assert at(subject, "http.redirects.max")[:3] == (2, "explicit", 12)
    assert at(subject, "http.redirects.protocols")[:3] == (["https"], "explicit", 13)


def test_sslversion_tls1_0_and_max(tmp_path: Path) -> None:
    for constant, expected in (
        ("CURL_SSLVERSION_TLSv1_0", ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]),
        ("CURL_SSLVERSION_TLSv1", ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]),
        ("CURL_SSLVERSION_TLSv1_1 | CURL_SSLVERSION_MAX_TLSv1_2", ["TLSv1.1", "TLSv1.2"]),
        ("CURL_SSLVERSION_MAX_TLSv1_2", ["TLSv1.2"]),
    ):
        text = f"void f(CURL *c) {{ curl_easy_setopt(c, CURLOPT_SSLVERSION, {constant}); }}\n"
        subject = endpoints(write(tmp_path, text))["f:c"]
        assert at(subject, "protocols")[:3] == (expected, "explicit", 1), constant


def test_defaults_and_runtime_values(tmp_path: Path) -> None:
    text = (
        "void f(CURL *c, const char *url, long verify)\n{\n"
        "    curl_easy_setopt(c, CURLOPT_URL, url);\n"
        "    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, verify);\n}\n"
    )
    subject = endpoints(write(tmp_path, text))["f:c"]
    assert at(subject, "verify.hostname")[:2] == (True, "default")
    assert at(subject, "protocols")[:2] == (["TLSv1.2", "TLSv1.3"], "default")
    assert at(subject, "connection.timeouts.connect")[:2] == (300.0, "default")
    # A variable is not guessed either way.
    assert subject.get("verify.peer") is None and subject.get("url.scheme") is None
    assert {"verify.peer", "url", "url.scheme"} <= set(subject.value("source.unknown"))


def test_url_from_a_define_is_resolved(tmp_path: Path) -> None:
    text = '#define FW "http://updates.example.com/fw.bin"\nvoid f(CURL *c) { curl_easy_setopt(c, CURLOPT_URL, FW); }\n'
    subject = endpoints(write(tmp_path, text))["f:c"]
    assert at(subject, "url.scheme")[:3] == ("http", "explicit", 2)


def test_one_endpoint_per_handle_and_function(tmp_path: Path) -> None:
    text = (
        "void a(CURL *h, CURL *g) { curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);"
        " curl_easy_setopt(g, CURLOPT_SSL_VERIFYPEER, 1L); }\n"
        "void b(CURL *h) { curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L); }\n"
    )
    found = endpoints(write(tmp_path, text))
    assert set(found) == {"a:h", "a:g", "b:h"}
    assert found["a:h"].value("verify.peer") is False and found["a:g"].value("verify.peer") is True
