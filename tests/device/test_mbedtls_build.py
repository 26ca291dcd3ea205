"""Mbed TLS build configurations as the real library reads them (issue 12 items 1-5, issue 10 item 9):
which headers are builds, #if evaluation, the suite list per release line, version semantics and the
macro a finding points at."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from device.support import AT, at, only, write

from tlslint.run import parse_inputs
from tlslint.sources.base import ParseContext


def parsed(path: Path, **versions: str):
    result = parse_inputs([str(path)], ParseContext(at=AT, engine_versions=dict(versions)))
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    return result


def suites(subject, field: str = "cipher_suites.tls12") -> list[str]:
    found = subject.get(field)
    assert found is not None, f"{field} not set"
    return list(found.value)


#: A small but complete 2.28/3.6 build: what check_config.h needs for TLS 1.2 with ECDHE-ECDSA.
BASE = """#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_AES_C
#define MBEDTLS_GCM_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_HAVE_TIME_DATE
"""


# --- #if evaluation (issue 10 item 9, issue 12 item 4) ---------------------------------------------


@pytest.mark.parametrize(
    "condition",
    ["1 ()", "!" * 200_000 + "1", "(" * 5000 + "1" + ")" * 5000, "defined(", "1 +", "F(2) > 1", "1 / 0"],
)
def test_hostile_if_is_a_located_warning_not_a_crash(tmp_path: Path, condition: str) -> None:
    text = BASE + "#define MBEDTLS_SSL_PROTO_TLS1_2\n#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED\n"
    text += f"#if {condition}\n#define MBEDTLS_SSL_ALPN\n#endif\n"
    result = parsed(write(tmp_path, "mbedtls_config.h", text), mbedtls="3.6")
    (subject,) = result.subjects
    (warning,) = [d for d in result.diagnostics if "#if" in d.message or "expression" in d.message]
    assert warning.severity == "warning" and warning.location.line == 12
    assert subject.get("alpn.enabled") is None  # the branch is unknown, so is the option


def test_a_macro_defined_elsewhere_is_unknown_not_false(tmp_path: Path) -> None:
    text = (
        "#ifndef ZEPHYR_STYLE_CONFIG_H\n#define ZEPHYR_STYLE_CONFIG_H\n"  # an include guard is taken
        + BASE
        + "#define MBEDTLS_SSL_PROTO_TLS1_2\n"
        "#if defined(CONFIG_MBEDTLS_KEY_EXCHANGE_RSA_ENABLED)\n#define MBEDTLS_KEY_EXCHANGE_RSA_ENABLED\n#endif\n"
        "#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED\n"
        "#if defined(CONFIG_MBEDTLS_ALPN) && 0\n#define MBEDTLS_SSL_ALPN\n#endif\n"
        "#if defined(CONFIG_MBEDTLS_SNI) || 1\n#define MBEDTLS_SSL_SERVER_NAME_INDICATION\n#endif\n"
        "#if CONFIG_MBEDTLS_TICKETS > 0\n#define MBEDTLS_SSL_SESSION_TICKETS\n#endif\n"
        "#endif\n"
    )
    subject = only(write(tmp_path, "config-tls-generic.h", text), mbedtls="3.6")
    assert at(subject, "protocols")[0] == ["TLSv1.2"]
    # Static RSA depends on Kconfig: the suite list is unknown, not "ECDHE-ECDSA only".
    assert subject.get("cipher_suites.tls12") is None
    assert "cipher_suites.tls12" in subject.value("source.unknown")
    assert at(subject, "alpn.enabled")[0] is False  # "&& 0" is false whatever Kconfig says
    assert at(subject, "sni.send")[0] is True  # "|| 1" is true whatever Kconfig says
    assert subject.get("session.tickets") is None


def test_include_only_configuration_follows_its_include(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # a repository: includes are looked up beside the header and above, inside it
    common = tmp_path / "extmod" / "mbedtls_config_common.h"
    common.parent.mkdir()
    common.write_text(BASE + "#define MBEDTLS_SSL_PROTO_TLS1_2\n#define MBEDTLS_KEY_EXCHANGE_RSA_ENABLED\n")
    port = tmp_path / "ports" / "rp2" / "mbedtls_config_port.h"
    port.parent.mkdir(parents=True)
    port.write_text('#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH\n#include "extmod/mbedtls_config_common.h"\n')
    result = parse_inputs([str(port)], ParseContext(at=AT, engine_versions={"mbedtls": "3.6"}))
    (subject,) = result.subjects
    assert suites(subject) == ["TLS_RSA_WITH_AES_128_GCM_SHA256"]  # from the included full configuration
    assert subject.get("cipher_suites.tls12").items[0].path.endswith("mbedtls_config_common.h")
    # Nothing outside the tree: an absolute or ../ include is not opened.
    port.write_text('#define MBEDTLS_SSL_ALPN\n#include "../../../../../../etc/passwd"\n#include "/etc/passwd"\n')
    result = parse_inputs([str(port)], ParseContext(at=AT))
    assert len(result.subjects) == 1 and "root:" not in str(result.diagnostics)


# --- which headers are builds (item 1) -------------------------------------------------------------


LIBRARY_HEADER = """#ifndef MBEDTLS_SSL_H
#define MBEDTLS_SSL_H
#include "mbedtls/build_info.h"
#define MBEDTLS_SSL_VERIFY_NONE 0
#if !defined(MBEDTLS_SSL_IN_CONTENT_LEN)
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
#endif
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
#define MBEDTLS_SSL_TLS1_3_DEFAULT_NEW_SESSION_TICKETS 1
#endif
typedef struct mbedtls_ssl_context mbedtls_ssl_context;
int mbedtls_ssl_setup(mbedtls_ssl_context *ssl, const mbedtls_ssl_config *conf);
#endif
"""
DERIVATION_HEADER = """#ifndef MBEDTLS_CONFIG_ADJUST_SSL_H
#define MBEDTLS_CONFIG_ADJUST_SSL_H
#if !defined(MBEDTLS_SSL_TLS_C)
#undef MBEDTLS_SSL_CLI_C
#undef MBEDTLS_SSL_PROTO_TLS1_2
#endif
#if !defined(MBEDTLS_SSL_PROTO_TLS1_2)
#undef MBEDTLS_KEY_EXCHANGE_RSA_ENABLED
#undef MBEDTLS_SSL_RENEGOTIATION
#endif
#endif
"""
NO_TLS_FULL = """#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_AES_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_PLATFORM_C
"""


def test_library_and_derivation_headers_are_no_builds(tmp_path: Path) -> None:
    for name, text in (("ssl.h", LIBRARY_HEADER), ("config_adjust_ssl.h", DERIVATION_HEADER)):
        result = parsed(write(tmp_path, name, text))
        assert result.subjects == [], name


def test_full_configuration_without_tls_is_no_build_and_says_so(tmp_path: Path) -> None:
    result = parsed(write(tmp_path, "config-symmetric-only.h", NO_TLS_FULL))
    assert result.subjects == []
    (note,) = result.diagnostics
    assert note.severity == "info" and "without MBEDTLS_SSL_TLS_C" in note.message
    # The same options in a user configuration (no crypto modules listed) still change the stock build.
    subject = only(write(tmp_path, "user.h", "#undef MBEDTLS_HAVE_TIME_DATE\n"))
    assert at(subject, "verify.validity_period") == ("skip", "explicit", 1)


# --- the suite list (item 2) -----------------------------------------------------------------------


def test_ciphersuites_over_several_lines_each_at_its_line_and_unknown_names_diagnosed(tmp_path: Path) -> None:
    text = (
        BASE + "#define MBEDTLS_SSL_PROTO_TLS1_2\n"  # 10
        "#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED\n"
        "#define MBEDTLS_KEY_EXCHANGE_RSA_ENABLED\n"
        "#define MBEDTLS_CCM_C\n"
        "#define MBEDTLS_KEY_EXCHANGE_ECJPAKE_ENABLED\n"
        "#define MBEDTLS_SSL_CIPHERSUITES \\\n"  # 15
        "    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, \\\n"
        "    MBEDTLS_TLS_RSA_WITH_AES_128_GCM_SHA256, \\\n"
        "    MBEDTLS_TLS_ECJPAKE_WITH_AES_128_CCM_8, \\\n"
        "    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA512\n"
    )
    result = parsed(write(tmp_path, "mbedtls_config.h", text), mbedtls="3.6.5")
    (subject,) = result.subjects
    located = subject.get("cipher_suites.tls12")
    assert located.value == ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"]
    assert [(loc.line, loc.column) for loc in located.items] == [(16, 5), (17, 5)]
    by_line = {d.location.line: d for d in result.diagnostics}
    assert "not a cipher suite Mbed TLS defines" in by_line[19].message and by_line[19].location.column == 5
    assert "no IANA code point" in by_line[18].message  # a real Mbed TLS suite tlslint cannot judge


def test_tls11_only_228_build_offers_3des_and_static_rsa(tmp_path: Path) -> None:
    text = (
        BASE + "#define MBEDTLS_SHA1_C\n#define MBEDTLS_DES_C\n#define MBEDTLS_CIPHER_MODE_CBC\n"
        "#define MBEDTLS_SSL_PROTO_TLS1_1\n"  # 13
        "#define MBEDTLS_KEY_EXCHANGE_RSA_ENABLED\n"  # 14
    )
    subject = only(write(tmp_path, "config.h", text), mbedtls="2.28")
    assert at(subject, "protocols") == (["TLSv1.1"], "explicit", 13)
    offered = suites(subject)
    assert "TLS_RSA_WITH_3DES_EDE_CBC_SHA" in offered and "TLS_RSA_WITH_AES_128_CBC_SHA" in offered
    assert not [name for name in offered if "GCM" in name or "SHA256" in name]  # TLS 1.2-only suites
    # The stock 2.28 configuration removes 3DES suites (MBEDTLS_REMOVE_3DES_CIPHERSUITES).
    user = write(tmp_path, "user.h", "#define MBEDTLS_DES_C\n#define MBEDTLS_SSL_PROTO_TLS1_1\n")
    subject = only(user, mbedtls="2.28")
    assert not [name for name in suites(subject) if "3DES" in name]


def test_hash_and_cipher_modules_gate_suites(tmp_path: Path) -> None:
    from tlslint.sources.mbedtls import library_suites

    text = BASE + "#define MBEDTLS_SSL_PROTO_TLS1_2\n#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED\n"
    path = write(tmp_path, "mbedtls_config.h", text)
    context = ParseContext(at=AT, engine_versions={"mbedtls": "3.6"})
    assert library_suites(str(path), text, context) == ["MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"]
    with_384 = text + "#define MBEDTLS_SHA384_C\n"
    assert "MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" in library_suites(str(path), with_384, context)
    # 2.28: SHA-384 comes with the SHA-512 module.
    context228 = ParseContext(at=AT, engine_versions={"mbedtls": "2.28"})
    assert "MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" not in library_suites(str(path), with_384, context228)
    with_512 = text + "#define MBEDTLS_SHA512_C\n"
    assert "MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" in library_suites(str(path), with_512, context228)
    # Mbed TLS implements no ECDHE-PSK GCM suite, whatever the modules.
    psk = text + "#define MBEDTLS_KEY_EXCHANGE_ECDHE_PSK_ENABLED\n#define MBEDTLS_CIPHER_MODE_CBC\n"
    listed = library_suites(str(path), psk, context)
    assert "MBEDTLS_TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256" in listed
    assert not [name for name in listed if name.startswith("MBEDTLS_TLS_ECDHE_PSK") and "GCM" in name]


def test_configuration_check_config_rejects_gets_a_diagnostic(tmp_path: Path) -> None:
    text = "#define MBEDTLS_SSL_TLS_C\n#define MBEDTLS_SSL_CLI_C\n#define MBEDTLS_SSL_PROTO_TLS1_2\n"
    text += "#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED\n"
    result = parsed(write(tmp_path, "mbedtls_config.h", text), mbedtls="3.6")
    messages = [d.message for d in result.diagnostics if d.severity == "warning"]
    assert any("check_config.h rejects" in m and "MBEDTLS_CIPHER_C" in m for m in messages)
    assert any("no cipher suite is compiled in" in m for m in messages)


# --- version semantics (item 3) --------------------------------------------------------------------


def test_old_protocol_macros_per_release_line(tmp_path: Path) -> None:
    text = BASE + "#define MBEDTLS_SSL_PROTO_TLS1\n#define MBEDTLS_SSL_PROTO_TLS1_1\n#define MBEDTLS_SSL_PROTO_TLS1_2\n"
    text += "#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED\n"
    path = write(tmp_path, "mbedtls_config.h", text)
    assert at(only(path, mbedtls="2.28.10"), "protocols")[0] == ["TLSv1.0", "TLSv1.1", "TLSv1.2"]
    result = parsed(path, mbedtls="3.6.5")
    assert result.subjects[0].value("protocols") == ["TLSv1.2"]  # 3.x silently ignores the old macros
    assert [d.location.line for d in result.diagnostics if "has no effect in Mbed TLS 3.6" in d.message] == [10, 11]
    # Without --engine-version the 2.x-only macros tell the line.
    assert at(only(path), "protocols")[0] == ["TLSv1.0", "TLSv1.1", "TLSv1.2"]
    assert "2.28 inferred" in only(path).get("protocols").note


def test_user_configuration_keeps_the_stock_defaults_of_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "user.h", "#define MBEDTLS_SSL_ALPN\n")
    assert at(only(path, mbedtls="2.28"), "protocols")[:2] == (["TLSv1.0", "TLSv1.1", "TLSv1.2"], "default")
    assert at(only(path, mbedtls="3.6"), "protocols")[:2] == (["TLSv1.2", "TLSv1.3"], "default")


def test_4x_crypto_options_are_unknown_when_not_written(tmp_path: Path) -> None:
    text = (
        "#define MBEDTLS_SSL_TLS_C\n#define MBEDTLS_SSL_CLI_C\n#define MBEDTLS_SSL_PROTO_TLS1_2\n"
        "#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED\n#define MBEDTLS_X509_CRT_PARSE_C\n"
    )
    for versions in ({"mbedtls": "4.1.0"}, {}):  # given, or inferred from TLS without crypto modules
        result = parsed(write(tmp_path, "mbedtls_config.h", text), **versions)
        (subject,) = result.subjects
        assert subject.get("verify.validity_period") is None  # MBEDTLS_HAVE_TIME_DATE is TF-PSA-Crypto's now
        assert subject.get("cipher_suites.tls12") is None  # so are the ciphers (PSA_WANT_*)
        assert not [d for d in result.diagnostics if "check_config" in d.message]


# --- where findings point, PSK and X.509 (item 5) --------------------------------------------------


def test_findings_point_at_the_macro_responsible(tmp_path: Path) -> None:
    text = (
        BASE
        + "#define MBEDTLS_SSL_PROTO_TLS1_2\n"
        + "#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED\n"  # 11
        + "#define MBEDTLS_SHA1_C\n"  # 12
        + "#define MBEDTLS_CIPHER_MODE_CBC\n"  # 13
        + "#define MBEDTLS_CCM_C\n"  # 14
    )
    subject = only(write(tmp_path, "mbedtls_config.h", text), mbedtls="3.6")
    located = subject.get("cipher_suites.tls12")
    line_of = {name: loc.line for name, loc in zip(located.value, located.items, strict=True)}
    assert line_of["TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"] == 13
    assert line_of["TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"] == 14
    assert line_of["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] == 11


def test_psk_suites_are_not_offered_and_no_x509_means_no_date_check_finding(tmp_path: Path) -> None:
    # PSK next to certificates: PSK suites are offered only once the application configures a key.
    text = BASE + "#define MBEDTLS_SSL_PROTO_TLS1_2\n#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED\n"
    text += "#define MBEDTLS_KEY_EXCHANGE_PSK_ENABLED\n"
    subject = only(write(tmp_path, "mbedtls_config.h", text), mbedtls="3.6")
    located = subject.get("cipher_suites.tls12")
    assert located.value == ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] and "PSK suite(s) left out" in located.note
    assert subject.get("alternative_auth.psk") is None and "alternative_auth.psk" in subject.value("source.unknown")
    # A PSK-only build without X.509 (config-ccm-psk-tls1_2.h): PSK is always used, no certificate dates.
    text = (
        "#define MBEDTLS_SSL_TLS_C\n#define MBEDTLS_SSL_CLI_C\n#define MBEDTLS_CIPHER_C\n#define MBEDTLS_MD_C\n"
        "#define MBEDTLS_AES_C\n#define MBEDTLS_CCM_C\n#define MBEDTLS_SHA256_C\n#define MBEDTLS_SSL_PROTO_TLS1_2\n"
        "#define MBEDTLS_KEY_EXCHANGE_PSK_ENABLED\n"
    )
    subject = only(write(tmp_path, "config-ccm-psk-tls1_2.h", text), mbedtls="3.6")
    assert "TLS_PSK_WITH_AES_128_CCM" in suites(subject)
    assert at(subject, "alternative_auth.psk") == (True, "explicit", 9)
    assert subject.get("verify.validity_period") is None  # no X.509, no certificate dates


# --- the real library ------------------------------------------------------------------------------

DEBIAN_CONFIG = Path("/usr/include/mbedtls/config.h")  # Debian's libmbedtls-dev (2.28)
LIST_PROGRAM = """#include <stdio.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
int main(void) {
    char version[32];
    mbedtls_version_get_string(version);
    printf("%s\\n", version);
    for (const int *id = mbedtls_ssl_list_ciphersuites(); *id; id++)
        printf("%s\\n", mbedtls_ssl_get_ciphersuite_name(*id));
    return 0;
}
"""


def test_predicted_suites_equal_the_installed_library(tmp_path: Path) -> None:
    """The configuration the system library was built with, read by tlslint, gives exactly the suites
    ``mbedtls_ssl_list_ciphersuites()`` of that library returns."""
    from tlslint.sources.mbedtls import library_suites

    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or not DEBIAN_CONFIG.is_file():
        pytest.skip("needs a C compiler and Debian's libmbedtls-dev (scripts/test installs them as root)")
    source = tmp_path / "list.c"
    source.write_text(LIST_PROGRAM)
    binary = tmp_path / "list"
    build = subprocess.run(
        [compiler, str(source), "-o", str(binary), "-lmbedtls", "-lmbedx509", "-lmbedcrypto"],
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        pytest.skip(f"cannot build against the system Mbed TLS: {build.stderr.strip()[:200]}")
    version, *names = subprocess.run([str(binary)], capture_output=True, text=True, check=True).stdout.split()
    real = {"MBEDTLS_" + name.replace("-", "_") for name in names}
    text = DEBIAN_CONFIG.read_text()
    predicted = library_suites(str(DEBIAN_CONFIG), text, ParseContext(at=AT, engine_versions={"mbedtls": version}))
    assert predicted is not None and set(predicted) == real, (version, set(predicted or ()) ^ real)


# --- run-time defaults per release line (item 3) ---------------------------------------------------

CLIENT = """#include <mbedtls/ssl.h>
int setup(mbedtls_ssl_config *conf, mbedtls_ssl_context *ssl)
{
    mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    mbedtls_ssl_set_hostname(ssl, "csms.example.com");
    return 0;
}
"""


def test_api_defaults_follow_the_release_line(tmp_path: Path) -> None:
    path = write(tmp_path, "client.c", CLIENT)
    legacy = only(path, mbedtls="2.28.10")
    assert at(legacy, "protocols")[:2] == (["TLSv1.0", "TLSv1.1", "TLSv1.2"], "default")
    groups = legacy.get("groups")
    assert str(groups.origin) == "default" and {"secp192r1", "secp224r1"} <= set(groups.value)
    current = only(path, mbedtls="3.6")
    assert at(current, "protocols")[:2] == (["TLSv1.2", "TLSv1.3"], "default")
    assert current.get("groups") is None  # 3.6 offers no group below 256 bits by default; not guessed
    explicit = CLIENT.replace(
        "    return 0;",
        "    mbedtls_ssl_conf_curves(conf, curves);\n    mbedtls_ssl_conf_dhm_min_bitlen(conf, 2048);\n    return 0;",
    ).replace(
        "int setup",
        "static const mbedtls_ecp_group_id curves[] = { MBEDTLS_ECP_DP_BP256R1, MBEDTLS_ECP_DP_NONE };\nint setup",
    )
    subject = only(write(tmp_path, "client2.c", explicit), mbedtls="2.28")
    assert subject.value("groups") == ["brainpoolP256r1"]
    assert subject.value("dh_params.bits") == 2048


def test_include_only_file_is_read_through_its_include_or_says_why_not(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "mbedtls_config_examples_common.h").write_text(
        BASE + "#define MBEDTLS_SSL_PROTO_TLS1_2\n#define MBEDTLS_KEY_EXCHANGE_RSA_ENABLED\n"
    )
    example = tmp_path / "http_client" / "mbedtls_config.h"
    example.parent.mkdir()
    example.write_text('#ifndef EXAMPLE_H\n#define EXAMPLE_H\n#include "mbedtls_config_examples_common.h"\n#endif\n')
    result = parse_inputs([str(example)], ParseContext(at=AT, engine_versions={"mbedtls": "3.6"}))
    (subject,) = result.subjects
    assert subject.id.endswith("http_client/mbedtls_config.h")
    assert suites(subject) == ["TLS_RSA_WITH_AES_128_GCM_SHA256"]
    example.write_text('#include "mbedtls_config_missing.h"\n')
    result = parse_inputs([str(example)], ParseContext(at=AT))
    assert result.subjects == []
    (warning,) = result.diagnostics
    assert warning.severity == "warning" and "not found" in warning.message and warning.location.line == 1


def _timed(tmp_path: Path, name: str, size: int) -> float:
    import time

    nested = "#if defined(CONFIG_A)\n" * size + "#define MBEDTLS_SSL_ALPN\n" + "#endif\n" * size
    suites_list = "#define MBEDTLS_SSL_CIPHERSUITES \\\n" + "    MBEDTLS_TLS_NO_SUCH_SUITE, \\\n" * size + "    X\n"
    path = write(tmp_path, name, BASE + "#define MBEDTLS_SSL_PROTO_TLS1_2\n" + nested + suites_list)
    start = time.perf_counter()
    result = parse_inputs([str(path)], ParseContext(at=AT, engine_versions={"mbedtls": "3.6"}))
    elapsed = time.perf_counter() - start
    assert len(result.subjects) == 1 and len(result.diagnostics) <= 25  # unknown names: 20 shown, the rest counted
    return elapsed


def test_deep_nesting_and_long_suite_lists_stay_linear(tmp_path: Path) -> None:
    small = min(_timed(tmp_path, "small.h", 500) for _ in range(2))
    large = _timed(tmp_path, "large.h", 10_000)
    assert large < small * 60, (small, large)  # 20x the input; quadratic work would be ~400x


def test_an_include_with_a_nul_byte_is_not_followed_and_does_not_crash(tmp_path: Path) -> None:
    from tlslint.sources import mbedtls

    text = '#define MBEDTLS_SSL_ALPN\n#include "mbedtls_config\x00.h"\n'
    result = mbedtls.parse(str(tmp_path / "user.h"), text, ParseContext(at=AT))
    assert len(result.subjects) == 1


def test_api_psk_suites_only_with_a_configured_key(tmp_path: Path) -> None:
    code = CLIENT.replace(
        "int setup",
        "static const int suites[] = { MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8, "
        "MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0 };\nint setup",
    ).replace("    return 0;", "    mbedtls_ssl_conf_ciphersuites(conf, suites);\n    return 0;")
    subject = only(write(tmp_path, "client.c", code))
    located = subject.get("cipher_suites.tls12")
    assert located.value == ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"] and "PSK suite(s) left out" in located.note
    with_key = code.replace(
        "    return 0;", '    mbedtls_ssl_conf_psk(conf, key, 16, (const unsigned char *) "id", 2);\n    return 0;'
    )
    subject = only(write(tmp_path, "client_psk.c", with_key))
    assert subject.value("cipher_suites.tls12") == [
        "TLS_PSK_WITH_AES_128_CCM_8",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    ]
