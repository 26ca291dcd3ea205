"""GNU Wget command lines and wgetrc files: normalised values, origins and places."""

from __future__ import annotations

from pathlib import Path

from device.support import at, only, write


def test_no_check_certificate(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "a.sh", "#!/bin/sh\nwget --no-check-certificate https://x.example/fw\n"))
    assert subject.id.endswith(":main#1") and subject.engine == "wget"
    for field in ("verify.peer", "verify.hostname"):
        assert at(subject, field) == (False, "explicit", 2)
    assert at(subject, "verify.validity_period") == ("skip", "explicit", 2)


def test_secure_protocol_is_a_minimum(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "a.sh", "wget --secure-protocol=TLSv1_2 https://x.example/fw\n"))
    assert at(subject, "protocols") == (["TLSv1.2", "TLSv1.3"], "explicit", 1)
    subject = only(write(tmp_path, "b.sh", "wget --secure-protocol TLSv1_1 https://x.example/fw\n"))
    assert at(subject, "protocols")[0] == ["TLSv1.1", "TLSv1.2", "TLSv1.3"]
    subject = only(write(tmp_path, "c.sh", "wget --secure-protocol=PFS https://x.example/fw\n"))
    suites = at(subject, "cipher_suites.tls12")[0]
    assert suites and not [s for s in suites if s.startswith("TLS_RSA_WITH")]


def test_defaults_are_recorded_with_origin_default(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "a.sh", "wget https://x.example/fw\n"))
    assert at(subject, "verify.peer")[:2] == (True, "default")
    assert at(subject, "http.redirects.max")[:2] == (20, "default")
    assert at(subject, "connection.retry.max_retries")[:2] == (19, "default")
    assert at(subject, "connection.timeouts.idle")[:2] == (900.0, "default")
    # The protocol range is the TLS library's: not guessed.
    assert subject.get("protocols") is None and "protocols" in subject.value("source.unknown")


def test_good_options(tmp_path: Path) -> None:
    text = (
        "wget --ca-certificate=/etc/ca.pem --crl-file=/etc/ca.crl --max-redirect=2 --tries=3 \\\n"
        "     --connect-timeout=10 --limit-rate=100k https://x.example/fw\n"
    )
    subject = only(write(tmp_path, "a.sh", text))
    assert at(subject, "trust.store") == ("/etc/ca.pem", "explicit", 1)
    assert at(subject, "revocation.mode") == ("crl", "explicit", 1)
    assert at(subject, "http.redirects.max") == (2, "explicit", 1)
    assert at(subject, "connection.retry.max_retries") == (2, "explicit", 1)
    assert at(subject, "connection.timeouts.connect") == (10.0, "explicit", 2)
    assert at(subject, "connection.rate_limit") == (100 * 1024, "explicit", 2)


def test_short_k_is_convert_links_not_insecure(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "a.sh", "wget -k -q https://x.example/fw\n"))
    assert at(subject, "verify.peer")[:2] == (True, "default")


def test_wgetrc_names_are_normalised(tmp_path: Path) -> None:
    text = "# /etc/wgetrc\ncheck-certificate = off\nSecureProtocol = TLSv1_2\nmax_redirect = 0\ntries = inf\n"
    subject = only(write(tmp_path, ".wgetrc", text))
    assert subject.id.startswith("wgetrc:")
    assert at(subject, "verify.peer") == (False, "explicit", 2)
    assert at(subject, "protocols") == (["TLSv1.2", "TLSv1.3"], "explicit", 3)
    assert at(subject, "http.redirects.follow") == (False, "explicit", 4)
    assert at(subject, "connection.retry.max_retries") == (-1, "explicit", 5)


def test_unresolved_option_value_is_unknown(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "a.sh", 'wget --secure-protocol="$PROTO" https://x.example/fw\n'))
    assert subject.get("protocols") is None
    assert "protocols" in subject.value("source.unknown")
