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


# --- issue 12 item 7: one handle is one endpoint; branches; the CURLOPT_SSLVERSION bit field ------------

HELPER = """#include <curl/curl.h>

static void apply_tls(CURL *c)
{
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
}

static CURL *new_handle(void)
{
    CURL *curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    return curl;
}

int upload(const char *file)
{
    CURL *h = new_handle();
    if (h) {
        apply_tls(h);
        curl_easy_setopt(h, CURLOPT_URL, "https://logs.example.com/upload");
        curl_easy_perform(h);
    }
    return 0;
}
"""


def test_a_handle_configured_in_helpers_is_one_endpoint(tmp_path: Path) -> None:
    found = endpoints(write(tmp_path, HELPER))
    assert set(found) == {"upload:h"}
    subject = found["upload:h"]
    # The timeout set in apply_tls() applies where the handle is used, at the place it was written.
    assert at(subject, "connection.timeouts.connect")[:3] == (10.0, "explicit", 5)
    assert at(subject, "connection.timeouts.total")[:3] == (120.0, "explicit", 6)
    assert at(subject, "verify.hostname")[:3] == (True, "explicit", 12)  # from the factory new_handle()
    assert at(subject, "url")[:3] == ("https://logs.example.com/upload", "explicit", 21)


def test_a_global_or_member_handle_is_one_endpoint_for_the_file(tmp_path: Path) -> None:
    text = (
        "static CURL *g_curl;\nstruct ctx { CURL *curl; };\n"
        "void init(struct ctx *x) { curl_easy_setopt(g_curl, CURLOPT_CONNECTTIMEOUT, 5L);"
        " curl_easy_setopt(x->curl, CURLOPT_SSL_VERIFYPEER, 0L); }\n"
        'void run(struct ctx *x) { curl_easy_setopt(g_curl, CURLOPT_URL, "https://a.example");'
        ' curl_easy_setopt(x->curl, CURLOPT_URL, "https://b.example"); }\n'
    )
    found = endpoints(write(tmp_path, text))
    assert set(found) == {"file:g_curl", "file:x->curl"}
    assert found["file:g_curl"].value("connection.timeouts.connect") == 5.0
    assert found["file:g_curl"].value("url") == "https://a.example"
    assert found["file:x->curl"].value("verify.peer") is False


BRANCHES = """void f(CURL *c, int insecure)
{
    if (insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    } else {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    }
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    if (insecure)
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
}
"""


def test_branches_that_disagree_make_the_value_unknown(tmp_path: Path) -> None:
    subject = endpoints(write(tmp_path, BRANCHES))["f:c"]
    assert subject.get("verify.peer") is None and "verify.peer" in subject.value("source.unknown")
    note = subject.get("source.unknown").note
    assert "line 4, 6" in note and "verification can be switched off" in note
    # Branches that agree keep the value; straight-line writes: the last one wins.
    assert at(subject, "connection.timeouts.connect")[:2] == (30.0, "explicit")
    assert at(subject, "verify.hostname")[:3] == (True, "explicit", 12)


def test_a_write_on_one_arm_only_competes_with_the_default(tmp_path: Path) -> None:
    text = (
        "void f(CURL *c, int dbg) {\n  if (dbg) curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);\n"
        "  curl_easy_perform(c);\n}\n"
    )
    subject = endpoints(write(tmp_path, text))["f:c"]
    assert subject.get("verify.peer") is None and "verify.peer" in subject.value("source.unknown")


def test_sslversion_is_a_bit_field(tmp_path: Path) -> None:
    value = "CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_TLSv1_3"
    text = f"void f(CURL *c) {{ curl_easy_setopt(c, CURLOPT_SSLVERSION, {value}); }}\n"
    subject = endpoints(write(tmp_path, text))["f:c"]
    assert at(subject, "protocols")[:2] == (["TLSv1.3"], "explicit")  # 6 | 7 == 7: TLS 1.3 minimum


def test_octal_literals_are_read(tmp_path: Path) -> None:
    """issue 10 item 8: ``0644L`` crashed the scan (int('0644', 0) is a ValueError)."""
    from tlslint.sources.ccode import integer

    assert integer("0644L", {}) == 0o644 and integer("0x1F", {}) == 31 and integer("0", {}) == 0
    assert integer("08", {}) is None and integer("(long)0755", {}) == 0o755
    text = (
        "void f(CURL *c) { curl_easy_setopt(c, CURLOPT_NEW_FILE_PERMS, 0644L);"
        " curl_easy_setopt(c, CURLOPT_TIMEOUT, 010L); }\n"
    )
    subject = endpoints(write(tmp_path, text))["f:c"]
    assert subject.value("connection.timeouts.total") == 8.0


def test_column_computation_and_cast_stripping_are_linear() -> None:
    """issue 10 item 9: count the work instead of timing it. Columns of a long non-ASCII line are computed
    once per line; casts are stripped by one regular-expression match."""
    from tlslint.sources import ccode

    calls = []
    original = ccode._char_columns

    def counting(line: bytes) -> list[int]:
        calls.append(len(line))
        return original(line)

    n = 400
    line = "".join(f'curl_easy_setopt(c, CURLOPT_USERAGENT, "é{i}");' for i in range(n))
    text = "void f(CURL *c) { " + line + " }\n"
    ccode._char_columns = counting
    try:
        cfile = ccode.read("big.c", text)
    finally:
        ccode._char_columns = original
    assert len(cfile.calls) == n
    assert calls == [len(("void f(CURL *c) { " + line + " }").encode())]  # one pass over the one line
    assert cfile.calls[-1].location.column == text.rindex("curl_easy_setopt") + 1
    casts = "(long)" * 20000 + "1L"
    assert ccode.strip_cast(casts) == "1L"
    assert ccode.string('"a" ' * 5000 + "x", {}) is None  # no backtracking blow-up
