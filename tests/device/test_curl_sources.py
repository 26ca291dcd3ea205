"""curl command lines (shell, Dockerfile, Makefile) and .curlrc: normalised values and their places.

The rule fixtures in tests/fixtures/rules/device/ show the options that weaken TLS; these tests pin the
options that configure something good (CA file, CRL, OCSP stapling, redirect limits, retries, timeouts,
rate limits), which no rule reports, and the unknown values an unresolved variable leaves behind.
Each test fails if the option is not read, read into the wrong field, or pointed at the wrong place.
"""

from __future__ import annotations

from pathlib import Path

from device.support import at_with_column as at
from device.support import only, subjects, write

from tlslint.model.located import Origin


def endpoints(path: Path, **versions: str) -> list:
    return subjects(path, **versions)


def column_of(text: str, line: int, needle: str) -> int:
    return text.splitlines()[line - 1].index(needle) + 1


# --- good options: value, origin and place ----------------------------------------------------------


def test_cacert_replaces_the_default_bundle(tmp_path: Path) -> None:
    text = "#!/bin/sh\ncurl --cacert /etc/device/root.pem https://fw.example.com/fw.bin\n"
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "trust.store") == ("/etc/device/root.pem", "explicit", 2, column_of(text, 2, "/etc"))
    assert at(subject, "trust.system_roots")[:3] == (False, "explicit", 2)


def test_crlfile_turns_on_crl_checks(tmp_path: Path) -> None:
    text = "#!/bin/sh\ncurl -fsS \\\n  --crlfile /etc/device/root.crl https://fw.example.com/fw.bin\n"
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "revocation.mode") == ("crl", "explicit", 3, column_of(text, 3, "--crlfile"))


def test_cert_status_requires_a_stapled_response(tmp_path: Path) -> None:
    text = "#!/bin/sh\ncurl --cert-status https://fw.example.com/fw.bin\n"
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "revocation.mode")[:3] == ("ocsp-stapling-required", "explicit", 2)
    assert at(subject, "revocation.on_error")[:3] == ("fatal", "explicit", 2)


def test_revocation_default_is_none_with_origin_default(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "a.sh", "curl https://fw.example.com/fw.bin\n"))
    assert at(subject, "revocation.mode")[:2] == ("none", "default")
    assert at(subject, "verify.peer")[:2] == (True, "default")
    assert at(subject, "protocols")[:2] == (["TLSv1.2", "TLSv1.3"], "default")
    assert at(subject, "http.redirects.follow")[:2] == (False, "default")


def test_curl_before_8_16_defaults_to_tls_1_0(tmp_path: Path) -> None:
    # ... on OpenSSL 1.1.1; OpenSSL 3 refuses TLS 1.0/1.1 at its default security level (issue 12 item 10).
    path = write(tmp_path, "a.sh", "curl https://fw.example.com/fw.bin\n")
    subject = only(path, curl="8.5.0", openssl="1.1.1w")
    assert at(subject, "protocols")[:2] == (["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"], "default")
    assert at(only(path, curl="8.5.0", openssl="3.0"), "protocols")[:2] == (["TLSv1.2", "TLSv1.3"], "default")
    assert at(only(path, curl="8.5.0"), "protocols")[0] == ["TLSv1.2", "TLSv1.3"]  # OpenSSL 3.0 assumed
    # ... and at security level 0 OpenSSL 3 negotiates them again.
    subject = only(path, curl="8.5.0", openssl="3.0", **{"openssl-seclevel": "0"})
    assert at(subject, "protocols")[0] == ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]


def test_openssl_client_defaults(tmp_path: Path) -> None:
    """Issue 12 item 10: Encrypt-then-MAC from OpenSSL 1.1.0; no PSK or SRP suites in the ClientHello."""
    path = write(tmp_path, "a.sh", "curl --ciphers 'ALL:!aNULL' https://fw.example.com/fw.bin\n")
    subject = only(path)
    assert at(subject, "extensions.encrypt_then_mac")[:2] == (True, "default")
    suites = subject.value("cipher_suites.tls12")
    assert suites and not [s for s in suites if "PSK" in s or "SRP" in s]
    assert "TLS_RSA_WITH_NULL_MD5" not in suites  # refused at security level 1
    srp = write(tmp_path, "b.sh", "curl --tlsuser me --ciphers 'ALL:!aNULL' https://fw.example.com/fw.bin\n")
    assert [s for s in only(srp).value("cipher_suites.tls12") if "SRP" in s]


def test_tls_min_and_max(tmp_path: Path) -> None:
    text = "curl --tlsv1.2 --tls-max 1.2 https://fw.example.com/fw.bin\n"
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "protocols")[:3] == (["TLSv1.2"], "explicit", 1)
    text = "curl --tlsv1.3 https://fw.example.com/fw.bin\n"
    assert at(only(write(tmp_path, "b.sh", text)), "protocols")[0] == ["TLSv1.3"]


def test_ciphers_and_tls13_ciphers_are_expanded(tmp_path: Path) -> None:
    text = "curl --ciphers ECDHE-ECDSA-AES128-GCM-SHA256 --tls13-ciphers TLS_AES_256_GCM_SHA384 https://x.example/\n"
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "cipher_suites.tls12") == (
        ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"],
        "explicit",
        1,
        column_of(text, 1, "ECDHE-"),
    )
    assert at(subject, "cipher_suites.tls13")[:3] == (["TLS_AES_256_GCM_SHA384"], "explicit", 1)


def test_pinnedpubkey_with_backup(tmp_path: Path) -> None:
    text = "curl --pinnedpubkey 'sha256//AAAA=;sha256//BBBB=' https://x.example/\n"
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "pinning.pins")[:3] == (["sha256//AAAA=", "sha256//BBBB="], "explicit", 1)
    assert at(subject, "pinning.backup")[0] is True


def test_location_with_max_redirs_and_proto_redir(tmp_path: Path) -> None:
    text = "curl -L --max-redirs 3 --proto-redir =https https://fw.example.com/fw.bin\n"
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "http.redirects.follow") == (True, "explicit", 1, column_of(text, 1, "-L"))
    assert at(subject, "http.redirects.max") == (3, "explicit", 1, column_of(text, 1, "3 "))
    assert at(subject, "http.redirects.protocols") == (["https"], "explicit", 1, column_of(text, 1, "=https"))


def test_location_alone_uses_curl_defaults_for_redirects(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "a.sh", "curl -fsSL https://fw.example.com/fw.bin\n"))
    assert at(subject, "http.redirects.follow")[:2] == (True, "explicit")
    assert at(subject, "http.redirects.max")[:2] == (50, "default")
    assert at(subject, "http.redirects.protocols")[:2] == (["http", "https", "ftp", "ftps"], "default")


def test_retry_options(tmp_path: Path) -> None:
    text = "curl --retry 3 --retry-all-errors --retry-connrefused --retry-max-time 120 https://fw.example.com/fw.bin\n"
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "connection.retry.max_retries") == (3, "explicit", 1, column_of(text, 1, "3 "))
    assert at(subject, "connection.retry.backoff")[:2] == (True, "explicit")  # curl doubles the wait
    # --retry-max-time takes an argument (not mistaken for the URL); the flags take none.
    assert at(subject, "url")[0] == "https://fw.example.com/fw.bin"
    text = "curl --retry 3 --retry-delay 5 https://fw.example.com/fw.bin\n"
    subject = only(write(tmp_path, "b.sh", text))
    assert at(subject, "connection.retry.backoff")[:2] == (False, "explicit")
    assert at(subject, "connection.retry.max_delay")[:3] == (5.0, "explicit", 1)
    assert at(only(write(tmp_path, "c.sh", "curl https://x.example/\n")), "connection.retry.max_retries")[:2] == (
        0,
        "default",
    )


def test_connect_timeout_bounds_connect_and_handshake(tmp_path: Path) -> None:
    text = "curl --connect-timeout 15 -m 600 https://fw.example.com/fw.bin\n"
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "connection.timeouts.connect") == (15.0, "explicit", 1, column_of(text, 1, "15"))
    assert at(subject, "connection.timeouts.handshake")[:2] == (15.0, "explicit")
    assert at(subject, "connection.timeouts.total")[:2] == (600.0, "explicit")
    default = only(write(tmp_path, "b.sh", "curl https://x.example/\n"))
    assert at(default, "connection.timeouts.connect")[:2] == (300.0, "default")


def test_limit_rate_in_bytes_per_second(tmp_path: Path) -> None:
    text = "curl --limit-rate 200K https://fw.example.com/fw.bin\n"
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "connection.rate_limit") == (200 * 1024, "explicit", 1, column_of(text, 1, "200K"))
    assert at(only(write(tmp_path, "b.sh", "curl --limit-rate 6M/m https://x/\n")), "connection.rate_limit")[0] == (
        6 * 1024 * 1024 // 60
    )


# --- where command lines are found ------------------------------------------------------------------


def test_shell_continuations_keep_the_real_line(tmp_path: Path) -> None:
    text = "#!/bin/sh\nfetch() {\n  curl --fail \\\n    --insecure \\\n    https://x.example/fw.bin\n}\n"
    subject = only(write(tmp_path, "a.sh", text))
    assert subject.id.endswith(":fetch#1")
    assert at(subject, "verify.peer") == (False, "explicit", 4, 5)


def test_literal_variables_are_followed(tmp_path: Path) -> None:
    text = 'OPTS="--tlsv1.1 --cacert /etc/ca.pem"\nURL=https://x.example/fw.bin\ncurl $OPTS "$URL"\n'
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "protocols")[0] == ["TLSv1.1", "TLSv1.2", "TLSv1.3"]
    assert at(subject, "url")[0] == "https://x.example/fw.bin"


def test_unresolvable_variables_are_unknown_not_guessed(tmp_path: Path) -> None:
    text = '#!/bin/sh\ncurl $CURL_OPTS --connect-timeout 10 "$1"\n'
    subject = only(write(tmp_path, "a.sh", text))
    unknown = subject.get("source.unknown")
    assert unknown is not None and unknown.origin is Origin.UNKNOWN
    for field in ("verify.peer", "verify.hostname", "protocols", "revocation.mode", "url", "url.scheme"):
        assert field in unknown.value
        assert subject.get(field) is None  # never a guessed default
    place = unknown.items[unknown.value.index("verify.peer")]
    assert (place.line, place.column) == (2, 6)  # the $CURL_OPTS word
    # What is written next to the variable is still read.
    assert at(subject, "connection.timeouts.connect")[:2] == (10.0, "explicit")


def test_dockerfile_run_with_continuation_and_exec_form(tmp_path: Path) -> None:
    text = (
        "FROM debian\n"
        "RUN apt-get update && \\\n"
        "    curl -k https://x.example/a\n"
        'RUN ["curl", "--tlsv1.1", "https://x.example/b"]\n'
        "CMD curl -k https://not-a-run-instruction/\n"
    )
    found = sorted(endpoints(write(tmp_path, "Dockerfile", text)), key=lambda s: s.location.line)
    assert len(found) == 2
    assert at(found[0], "verify.peer")[:3] == (False, "explicit", 3)
    assert at(found[1], "protocols")[:3] == (["TLSv1.1", "TLSv1.2", "TLSv1.3"], "explicit", 4)


def test_makefile_recipes_variables_and_continuations(tmp_path: Path) -> None:
    text = (
        "FLAGS = --cacert /etc/ca.pem\n"
        "all:\n"
        "\tcurl $(FLAGS) \\\n"
        "\t    --crlfile ca.crl https://x.example/a\n"
        "\tcurl $(UNKNOWN) https://x.example/b\n"
    )
    first, second = sorted(endpoints(write(tmp_path, "Makefile", text)), key=lambda s: s.location.line)
    assert at(first, "trust.store")[:3] == ("/etc/ca.pem", "explicit", 3)
    assert at(first, "revocation.mode")[:3] == ("crl", "explicit", 4)
    assert "verify.peer" in second.value("source.unknown")


def test_unrelated_shell_script_is_not_claimed(tmp_path: Path) -> None:
    assert endpoints(write(tmp_path, "a.sh", "#!/bin/sh\necho curling is a sport\nls -l\n")) == []


# --- .curlrc ----------------------------------------------------------------------------------------


def test_curlrc_options_and_separators(tmp_path: Path) -> None:
    text = (
        "# service account\n"
        "cacert = /etc/ca.pem\n"
        "--crlfile /etc/ca.crl\n"
        "max-redirs: 2\n"
        "location\n"
        'url = "http://fw.example.com/fw.bin"\n'
    )
    subject = only(write(tmp_path, ".curlrc", text))
    assert subject.id.startswith("curlrc:")
    assert at(subject, "trust.store")[:3] == ("/etc/ca.pem", "explicit", 2)
    assert at(subject, "revocation.mode")[:3] == ("crl", "explicit", 3)
    assert at(subject, "http.redirects.max")[:3] == (2, "explicit", 4)
    assert at(subject, "http.redirects.follow")[:3] == (True, "explicit", 5)
    assert at(subject, "url.scheme")[:3] == ("http", "explicit", 6)
    # A .curlrc records only what it writes: curl's built-in defaults belong to the command lines.
    assert subject.get("verify.peer") is None
