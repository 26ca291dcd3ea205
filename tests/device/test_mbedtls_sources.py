"""Mbed TLS: build configuration headers (#define / #undef / //#define / simple #if) and
mbedtls_ssl_conf_* calls in C — normalised values, origins and places."""

from __future__ import annotations

from pathlib import Path

from device.support import AT, at, only, write


def parse(path: Path):
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    parsed = parse_inputs([str(path)], ParseContext(at=AT))
    assert not [d for d in parsed.diagnostics if d.severity == "error"], parsed.diagnostics
    return parsed


FULL = """/* full configuration */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
//#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_AES_C
#define MBEDTLS_GCM_C
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_SSL_RENEGOTIATION
#define MBEDTLS_SSL_SESSION_TICKETS
#define MBEDTLS_SSL_ALPN
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_IN_CONTENT_LEN 8192
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
"""


# --- build configuration --------------------------------------------------------------------------


def test_full_configuration_versions_and_key_exchanges(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "mbedtls_config.h", FULL))
    assert subject.id.startswith("mbedtls:") and subject.get("role") is None  # the build serves both roles
    assert at(subject, "protocols") == (["TLSv1.2"], "explicit", 4)  # //#define TLS1_3: off in a full config
    suites = subject.get("cipher_suites.tls12")
    assert suites is not None and suites.value
    assert all(name.startswith("TLS_ECDHE_ECDSA_WITH_AES_") and "GCM" in name for name in suites.value)
    assert {loc.line for loc in suites.items} == {6}  # each suite points at its key-exchange macro
    # Not mentioned in a full configuration means "not defined".
    assert at(subject, "extended_master_secret") == (False, "explicit", 1)
    assert at(subject, "extensions.max_fragment_length.supported")[0] is False


def test_renegotiation_tickets_alpn_sni(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "mbedtls_config.h", FULL))
    # Compiled in, but Mbed TLS keeps renegotiation off until mbedtls_ssl_conf_renegotiation() enables it.
    value, origin, line = at(subject, "session.renegotiation")
    assert (value, origin, line) == ("disabled", "explicit", 10)
    assert "mbedtls_ssl_conf_renegotiation" in subject.get("session.renegotiation").note
    assert at(subject, "session.tickets") == (True, "explicit", 11)
    assert at(subject, "alpn.enabled") == (True, "explicit", 12)
    assert at(subject, "sni.send") == (True, "explicit", 13)
    text = FULL.replace("#define MBEDTLS_SSL_ALPN", "#undef MBEDTLS_SSL_ALPN").replace(
        "#define MBEDTLS_SSL_SESSION_TICKETS", "//#define MBEDTLS_SSL_SESSION_TICKETS"
    )
    subject = only(write(tmp_path, "b.h", text))
    assert at(subject, "alpn.enabled") == (False, "explicit", 12)
    assert at(subject, "session.tickets") == (False, "explicit", 11)


def test_buffers_and_record_size_limit(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "mbedtls_config.h", FULL))
    assert at(subject, "buffers.input") == (8192, "explicit", 14)
    assert at(subject, "buffers.output") == (4096, "explicit", 15)
    assert subject.get("extensions.record_size_limit") is None
    text = FULL.replace("//#define MBEDTLS_SSL_PROTO_TLS1_3", "#define MBEDTLS_SSL_PROTO_TLS1_3") + (
        "#define MBEDTLS_SSL_RECORD_SIZE_LIMIT\n"
    )
    subject = only(write(tmp_path, "b.h", text))
    assert at(subject, "extensions.record_size_limit") == (8192, "explicit", 19)
    # MBEDTLS_SSL_MAX_CONTENT_LEN (2.x) sets both buffers.
    subject = only(write(tmp_path, "c.h", "#define MBEDTLS_SSL_MAX_CONTENT_LEN 2048\n#define MBEDTLS_SSL_ALPN\n"))
    assert at(subject, "buffers.input") == (2048, "explicit", 1)


def test_user_configuration_keeps_stock_defaults(tmp_path: Path) -> None:
    text = "#undef MBEDTLS_SSL_RENEGOTIATION\n#define MBEDTLS_SSL_IN_CONTENT_LEN 4096\n"
    subject = only(write(tmp_path, "user_config.h", text))
    assert at(subject, "protocols")[:2] == (["TLSv1.2", "TLSv1.3"], "default")
    assert at(subject, "extended_master_secret")[:2] == (True, "default")
    assert at(subject, "extensions.max_fragment_length.supported")[:2] == (True, "default")
    assert at(subject, "buffers.output")[:2] == (16384, "default")
    assert at(subject, "buffers.input") == (4096, "explicit", 2)
    assert at(subject, "session.renegotiation") == ("disabled", "explicit", 1)


def test_commented_define_in_a_user_configuration_changes_nothing(tmp_path: Path) -> None:
    parsed = parse(write(tmp_path, "user_config.h", "#define MBEDTLS_SSL_ALPN\n//#define MBEDTLS_SSL_PROTO_TLS1_3\n"))
    (subject,) = parsed.subjects
    assert "TLSv1.3" in subject.value("protocols")
    (warning,) = [d for d in parsed.diagnostics if "no effect" in d.message]
    assert warning.severity == "warning" and warning.location.line == 2


def test_simple_if_blocks_are_evaluated(tmp_path: Path) -> None:
    text = (
        "#define MBEDTLS_SSL_TLS_C\n"
        "#define MBEDTLS_SSL_PROTO_TLS1_2\n"
        "#if defined(MBEDTLS_SSL_TLS_C) && !defined(MBEDTLS_NO_TICKETS)\n"
        "#define MBEDTLS_SSL_SESSION_TICKETS\n"
        "#else\n"
        "#define MBEDTLS_SSL_ALPN\n"
        "#endif\n"
        "#ifndef MBEDTLS_SSL_TLS_C\n"
        "#define MBEDTLS_SSL_PROTO_TLS1\n"
        "#elif 1\n"
        "#define MBEDTLS_SSL_SERVER_NAME_INDICATION\n"
        "#endif\n"
        "#if 0\n"
        "#define MBEDTLS_SSL_PROTO_TLS1_1\n"
        "#endif\n"
    )
    subject = only(write(tmp_path, "mbedtls_config.h", text))
    assert at(subject, "protocols") == (["TLSv1.2"], "explicit", 2)
    assert at(subject, "session.tickets") == (True, "explicit", 4)
    assert at(subject, "alpn.enabled") == (False, "explicit", 1)
    assert at(subject, "sni.send") == (True, "explicit", 11)


def test_explicit_ciphersuite_macro(tmp_path: Path) -> None:
    text = (
        "#define MBEDTLS_SSL_PROTO_TLS1_2\n"
        "#define MBEDTLS_SSL_CIPHERSUITES MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, \\\n"
        "    MBEDTLS_TLS1_3_AES_128_GCM_SHA256\n"
    )
    subject = only(write(tmp_path, "user_config.h", text))
    assert at(subject, "cipher_suites.tls12") == (["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"], "explicit", 2)


def test_no_time_date_means_no_validity_check(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "user_config.h", "#undef MBEDTLS_HAVE_TIME_DATE\n"))
    assert at(subject, "verify.validity_period") == ("skip", "explicit", 1)


# --- run-time configuration in C -------------------------------------------------------------------

API = """#include <mbedtls/ssl.h>
static const char *alpn[] = { "ocpp2.0.1", NULL };

int setup(mbedtls_ssl_config *conf, mbedtls_ssl_context *ssl)
{
    mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
    mbedtls_ssl_conf_max_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_3);
    mbedtls_ssl_conf_renegotiation(conf, MBEDTLS_SSL_RENEGOTIATION_ENABLED);
    mbedtls_ssl_conf_session_tickets(conf, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
    mbedtls_ssl_conf_max_frag_len(conf, MBEDTLS_SSL_MAX_FRAG_LEN_2048);
    mbedtls_ssl_conf_alpn_protocols(conf, alpn);
    mbedtls_ssl_set_hostname(ssl, "csms.example.com");
    return 0;
}
"""


def test_api_calls(tmp_path: Path) -> None:
    subject = only(write(tmp_path, "tls.c", API))
    assert subject.id.endswith(":conf") and subject.value("source.confidence") == "medium"
    assert at(subject, "role") == ("client", "explicit", 6)
    assert at(subject, "verify.peer") == (True, "explicit", 7)
    assert at(subject, "protocols") == (["TLSv1.2", "TLSv1.3"], "explicit", 8)
    assert subject.get("protocols").items[1].line == 9
    assert at(subject, "session.renegotiation") == ("secure", "explicit", 10)
    assert at(subject, "session.tickets") == (False, "explicit", 11)
    assert at(subject, "extensions.max_fragment_length") == (2048, "explicit", 12)
    assert at(subject, "alpn.protocols") == (["ocpp2.0.1"], "explicit", 13)
    assert at(subject, "verify.hostname") == (True, "explicit", 14)


def test_api_verify_none_and_defaults(tmp_path: Path) -> None:
    text = API.replace("MBEDTLS_SSL_VERIFY_REQUIRED", "MBEDTLS_SSL_VERIFY_NONE")
    subject = only(write(tmp_path, "tls.c", text))
    assert at(subject, "verify.peer") == (False, "explicit", 7)
    # Without min/max calls: the 3.6 run-time default, recorded as such.
    text = "void f(mbedtls_ssl_config *c) { mbedtls_ssl_config_defaults(c, MBEDTLS_SSL_IS_SERVER, 0, 0); }\n"
    subject = only(write(tmp_path, "srv.c", text))
    assert at(subject, "role")[0] == "server"
    assert at(subject, "protocols")[:2] == (["TLSv1.2", "TLSv1.3"], "default")
    assert at(subject, "client_auth.mode")[:2] == ("none", "default")
    assert at(subject, "session.renegotiation")[:2] == ("disabled", "default")


def test_api_legacy_min_version(tmp_path: Path) -> None:
    text = (
        "void f(mbedtls_ssl_config *c) {\n"
        "    mbedtls_ssl_config_defaults(c, MBEDTLS_SSL_IS_CLIENT, 0, 0);\n"
        "    mbedtls_ssl_conf_min_version(c, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);\n}\n"
    )
    subject = only(write(tmp_path, "old.c", text))
    assert at(subject, "protocols") == (["TLSv1.2", "TLSv1.3"], "explicit", 3)


def test_a_call_without_arguments_does_not_crash_the_scan(tmp_path: Path) -> None:
    """Regression case from mutation fuzzing: broken code still yields an endpoint, not an internal error."""
    path = write(
        tmp_path,
        "setup.c",
        "#include <mbedtls/ssl.h>\nint setup(mbedtls_ssl_config *conf)\n{\n"
        "    mbedtls_ssl_conf_max_tls_version();\n"
        "    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);\n    return 0;\n}\n",
    )
    assert parse(path).internal_errors == 0
