"""The device-side files of the example firmware trees (Mbed TLS config, download scripts, libcurl /
Mbed TLS C code, .NET / BouncyCastle backend client).

examples/firmware/ produces exactly the findings below (rule id, file, line); examples/firmware-hardened/
produces none of medium or higher. The libocpp / EVerest files of the same trees are checked by
test_ocpp_examples.py. Also here: linting unrelated scripts, C and C# files never imports tree-sitter.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, all_packs_policy

AT = datetime.date(2026, 11, 24)
DEVICE = ("mbedtls/", "scripts/", "src/", "backend/")

#: (rule id, file under examples/firmware, line) — what a reviewer of the device files should see.
#: Issue 12 item 14 removed pins that were wrong: TLS-CONN-001/002 on curl's and libcurl's bounded 300 s
#: default, TLS-VERIFY-004 on revocation defaults the files never write, and TLS-VERIFY-002/005 where the
#: same token already disables all verification (folded into TLS-VERIFY-001: one mistake, one finding),
#: wget's unwritten connect timeout (the OS bounds it), and — item 10 — TLS-AUTH-001/002 and
#: TLS-CIPHER-004 on curl/wget/libcurl: an OpenSSL client offers no PSK/SRP suites without a callback
#: or SRP user, and offers Encrypt-then-MAC since OpenSSL 1.1.0. TLS-PROTO-002 beside TLS-PROTO-001 on the
#: same protocol setting is folded into it (one setting, one finding), and so are TLS-HTTP-001 and
#: DEV-HTTP-001 into TLS-HTTP-002 on one redirect token (curl -L, wget's default). wget's cipher list is
#: its TLS library's (OpenSSL or GnuTLS): unknown, so no cipher findings on a list the script never wrote.
EXPECTED = {
    # backend/FirmwareServerClient.cs: HttpClientHandler (lines 15-18), BouncyCastle client (27-45)
    ("TLS-PROTO-001", "backend/FirmwareServerClient.cs", 15),  # SslProtocols.Tls11 | Tls12
    ("TLS-VERIFY-004", "backend/FirmwareServerClient.cs", 16),  # CheckCertificateRevocationList = false
    ("TLS-VERIFY-001", "backend/FirmwareServerClient.cs", 18),  # callback "=> true"
    ("TLS-PROTO-001", "backend/FirmwareServerClient.cs", 29),  # TLSv12.DownTo(TLSv10): at TLSv10 (item 8)
    ("TLS-CIPHER-001", "backend/FirmwareServerClient.cs", 34),  # TLS_RSA_WITH_3DES_EDE_CBC_SHA
    ("TLS-CIPHER-003", "backend/FirmwareServerClient.cs", 34),
    ("TLS-KX-001", "backend/FirmwareServerClient.cs", 34),
    ("TLS-VERIFY-001", "backend/FirmwareServerClient.cs", 45),  # empty NotifyServerCertificate
    # mbedtls/mbedtls_config.h: a user config on top of the stock 3.6 file
    ("TLS-CIPHER-005", "mbedtls/mbedtls_config.h", 1),  # stock TLS 1.3 suites include CCM_8 (//#define is no #undef)
    ("TLS-VERIFY-005", "mbedtls/mbedtls_config.h", 9),  # #undef MBEDTLS_HAVE_TIME_DATE
    ("TLS-CIPHER-003", "mbedtls/mbedtls_config.h", 1),  # SHA-1 CBC suites: the stock CIPHER_MODE_CBC (not #undef-ed)
    ("TLS-KX-001", "mbedtls/mbedtls_config.h", 16),
    ("DEV-BUF-001", "mbedtls/mbedtls_config.h", 31),  # 4096-byte buffers and #undef ..._MAX_FRAGMENT_LENGTH
    ("TLS-EXT-003", "mbedtls/mbedtls_config.h", 33),  # #undef MBEDTLS_SSL_EXTENDED_MASTER_SECRET
    # scripts/fw-update.sh: fetch_firmware (curl $CURL_OPTS = "-k --tlsv1.0", -L, --retry-delay)
    ("TLS-PROTO-001", "scripts/fw-update.sh", 9),
    ("TLS-VERIFY-001", "scripts/fw-update.sh", 9),
    ("TLS-HTTP-002", "scripts/fw-update.sh", 9),
    ("DEV-HTTP-001", "scripts/fw-update.sh", 9),  # --max-redirs 10
    ("TLS-CONN-003", "scripts/fw-update.sh", 10),  # --retry 5 --retry-delay 2: no back-off
    # fetch_signature: --ciphers 'DEFAULT:!aNULL' (OpenSSL 3.0 semantics)
    ("TLS-CIPHER-003", "scripts/fw-update.sh", 15),
    ("TLS-KX-001", "scripts/fw-update.sh", 15),
    ("TLS-KX-002", "scripts/fw-update.sh", 15),
    # scripts/upload-diagnostics.sh: wget --no-check-certificate --secure-protocol=TLSv1 --tries=0
    ("TLS-HTTP-002", "scripts/upload-diagnostics.sh", 6),
    ("TLS-VERIFY-001", "scripts/upload-diagnostics.sh", 6),
    ("TLS-PROTO-001", "scripts/upload-diagnostics.sh", 6),
    ("TLS-CONN-003", "scripts/upload-diagnostics.sh", 6),
    # ... and the curl fallback: one pin, --tls-max 1.2
    ("TLS-PIN-001", "scripts/upload-diagnostics.sh", 10),
    ("TLS-PROTO-002", "scripts/upload-diagnostics.sh", 11),
    # src/backend_client.c: libcurl download_firmware()
    ("DEV-TRANSPORT-001", "src/backend_client.c", 18),  # CURLOPT_URL FW_SERVER, a #define of an http:// URL
    ("TLS-HTTP-002", "src/backend_client.c", 18),
    ("TLS-VERIFY-001", "src/backend_client.c", 19),  # CURLOPT_SSL_VERIFYPEER 0L
    ("TLS-VERIFY-002", "src/backend_client.c", 20),  # CURLOPT_SSL_VERIFYHOST 0L
    ("TLS-HTTP-001", "src/backend_client.c", 21),
    ("TLS-PROTO-001", "src/backend_client.c", 22),  # CURL_SSLVERSION_TLSv1_0
    ("TLS-CIPHER-003", "src/backend_client.c", 23),
    ("TLS-CIPHER-005", "src/backend_client.c", 23),
    ("TLS-KX-001", "src/backend_client.c", 23),
    ("TLS-KX-002", "src/backend_client.c", 23),
    # ... and Mbed TLS csms_tls_setup()
    ("TLS-CIPHER-003", "src/backend_client.c", 8),  # MBEDTLS_TLS_RSA_WITH_AES_128_CBC_SHA in the suite array
    ("TLS-KX-001", "src/backend_client.c", 8),
    ("TLS-VERIFY-001", "src/backend_client.c", 33),  # MBEDTLS_SSL_VERIFY_NONE
    ("TLS-EXT-002", "src/backend_client.c", 36),  # MBEDTLS_SSL_LEGACY_ALLOW_RENEGOTIATION
}


def _lint(tree: str):
    from tlslint.run import lint

    root = REPO / "examples" / tree
    paths = [str(root / part) for part in DEVICE if (root / part).exists()]
    return root, lint(paths, all_packs_policy(), at=AT)


def _findings(tree: str) -> list[tuple[str, str, int | None, str]]:
    root, result = _lint(tree)
    assert not [d for d in result.inputs.diagnostics if d.severity == "error"], result.inputs.diagnostics
    out = []
    for finding in result.findings:
        relative = os.path.relpath(os.path.abspath(finding.location.path), root).replace(os.sep, "/")
        out.append((finding.rule_id, relative, finding.location.line, finding.severity))
    return out


def test_vulnerable_tree_findings() -> None:
    reported = {(rule, path, line) for rule, path, line, _ in _findings("firmware")}
    missing = EXPECTED - reported
    unexpected = reported - EXPECTED
    assert not missing and not unexpected, f"missing: {sorted(missing)}\nunexpected: {sorted(unexpected)}"


def test_commented_out_define_in_the_user_config_is_reported() -> None:
    _, result = _lint("firmware")
    warnings = [d for d in result.inputs.diagnostics if "MBEDTLS_SSL_PROTO_TLS1_3" in d.message]
    assert [(d.severity, d.location.line) for d in warnings] == [("warning", 13)]


@pytest.mark.parametrize("severity", ["critical", "high", "medium"])
def test_hardened_tree_has_nothing_of(severity: str) -> None:
    found = [f for f in _findings("firmware-hardened") if f[3] == severity]
    assert not found, found


def test_hardened_tree_is_actually_read() -> None:
    """The hardened files are claimed and produce endpoints (a clean result must not mean "not parsed")."""
    _, result = _lint("firmware-hardened")
    engines = {s.engine for s in result.inputs.subjects}
    assert {"mbedtls", "mbedtls-api", "libcurl", "curl", "dotnet"} <= engines


# --- sniff cost: unrelated files are never handed to the heavy parsers -------------------------------

_PROBE = textwrap.dedent(
    """
    import datetime, json, sys
    from pathlib import Path
    root = Path(sys.argv[1])
    from conftest import all_packs_policy
    from tlslint.run import lint
    result = lint([str(root)], all_packs_policy(), at=datetime.date(2026, 11, 24))
    print(json.dumps({"tree_sitter": "tree_sitter" in sys.modules, "subjects": len(result.inputs.subjects),
                      "files": len(result.inputs.files)}))
    """
)


def _probe(root: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "tests"), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(root)], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_unrelated_files_do_not_import_tree_sitter(tmp_path: Path) -> None:
    (tmp_path / "build.sh").write_text("#!/bin/sh\nmake -j4 && echo done\n", encoding="utf-8")
    (tmp_path / "main.c").write_text('#include <stdio.h>\nint main(void) { puts("curl"); return 0; }\n')
    (tmp_path / "util.h").write_text("#define BUFFER_SIZE 4096\n#define MBEDTLS_OK 0\n", encoding="utf-8")
    (tmp_path / "Program.cs").write_text("class P { static void Main() { System.Console.WriteLine(1); } }\n")
    (tmp_path / "Makefile").write_text("all:\n\tcc -o app main.c\n", encoding="utf-8")
    (tmp_path / "Dockerfile").write_text("FROM debian\nRUN apt-get install -y curl\n", encoding="utf-8")
    probe = _probe(tmp_path)
    assert probe == {"tree_sitter": False, "subjects": 0, "files": 0}, probe


def test_a_claimed_c_file_does_import_tree_sitter(tmp_path: Path) -> None:
    """The counterpart: the probe can see tree-sitter when a file really needs it."""
    (tmp_path / "fetch.c").write_text("void f(CURL *h) { curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L); }\n")
    probe = _probe(tmp_path)
    assert probe["tree_sitter"] is True and probe["subjects"] == 1, probe


# --- the option checklists in docs/engines point at fixtures and tests that exist --------------------

CHECKLISTS = ("curl-wget.md", "mbedtls.md", "dotnet.md")


def _checklist_rows(name: str) -> list[str]:
    text = (REPO / "docs" / "engines" / name).read_text(encoding="utf-8")
    section = text.split("## Option checklist", 1)[1]
    return [line for line in section.splitlines() if re.match(r"^\| \d+ \|", line)]


def test_option_checklists_are_complete_and_real() -> None:
    fixtures = REPO / "tests" / "fixtures" / "rules" / "device"
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "tests" / "device").glob("test_*.py"))
    rows = {name: _checklist_rows(name) for name in CHECKLISTS}
    assert [len(rows[name]) for name in CHECKLISTS] == [30, 16, 6]  # 52 items listed in issue 7
    for name, lines in rows.items():
        for row in lines:
            exercised = row.rsplit("|", 2)[-2]
            assert "fixture" in exercised or "test" in exercised, row
            current = None
            for match in re.finditer(r"`([\w.-]+)?:(\d+)(?:-(\d+))?`", exercised):
                current = match[1] or current
                path = fixtures / current
                assert path.is_file(), f"{name}: {row}"
                lines_of = path.read_text(encoding="utf-8").splitlines()
                for number in range(int(match[2]), int(match[3] or match[2]) + 1):
                    # An exec-form RUN cannot carry a comment: its annotation stands on the line above.
                    annotated = "expect:" in lines_of[number - 1] or lines_of[number - 2].startswith("# expect:")
                    assert annotated, f"{name}: {current}:{number} has no expect annotation"
            for test_name in re.findall(r"`(?:[\w.]+::)?(test_\w+)`", exercised):
                assert f"def {test_name}(" in tests, f"{name}: {test_name} does not exist"
