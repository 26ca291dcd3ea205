"""Budgets on work (issue 10, item 7): a few kilobytes that expand to gigabytes stop with a located
error (exit 3) in seconds, and the other files of the run are still linted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hostile.harness import assert_survived, run_limited

GOOD = "http {\n  server {\n    listen 443 ssl;\n    ssl_protocols TLSv1.2;\n  }\n}\n"


def _nginx_doubling_chain(root: Path) -> str:
    """Each file includes the next one twice: 2^24 copies of the last one (90 KB -> 9 M statements)."""
    (root / "nginx.conf").write_text("http {\n  include a1.conf;\n  server { listen 443 ssl; }\n}\n")
    for level in range(1, 25):
        (root / f"a{level}.conf").write_text(f"include a{level + 1}.conf;\ninclude a{level + 1}.conf;\n")
    (root / "a25.conf").write_text("ssl_session_timeout 5m;\nssl_session_tickets off;\n")
    return "nginx.conf"


def _nginx_fan_out(root: Path) -> str:
    """One file including another 3,000 times, which includes a third 3,000 times."""
    (root / "nginx.conf").write_text("http {\n  include wide.conf;\n}\n")
    (root / "wide.conf").write_text("include wider.conf;\n" * 3000)
    (root / "wider.conf").write_text("include leaf.conf;\n" * 3000)
    (root / "leaf.conf").write_text("ssl_session_tickets off;\n")
    return "nginx.conf"


def _apache_define_doubling(root: Path) -> str:
    """44 lines of ``Define A ${A}${A}``: 2^44 characters."""
    lines = ["Define A x", *["Define A ${A}${A}"] * 44]
    vhost = ["Listen 443", "<VirtualHost *:443>", "  SSLEngine on", "  ServerName ${A}", "</VirtualHost>"]
    (root / "httpd.conf").write_text("\n".join(lines + vhost) + "\n")
    return "httpd.conf"


def _apache_include_fan_out(root: Path) -> str:
    """A chain of files including the next one twice, ending in 5,000 directives: 5 M directives."""
    (root / "httpd.conf").write_text("Listen 443\nSSLEngine on\nInclude a1.conf\n")
    for level in range(1, 11):
        (root / f"a{level}.conf").write_text(f"Include a{level + 1}.conf\nInclude a{level + 1}.conf\n")
    (root / "a11.conf").write_text("SSLCompression off\n" * 5000)
    return "httpd.conf"


def _openssl_variable_multiplication(root: Path) -> str:
    """Each variable is 40 copies of the one before: 16 * 40^12 characters."""
    lines = ["openssl_conf = init", "[init]", "ssl_conf = ssl", "[ssl]", "system_default = sd", "[sd]"]
    lines.append("v0 = xxxxxxxxxxxxxxxx")
    lines += [f"v{i} = " + f"$v{i - 1}" * 40 for i in range(1, 13)]
    lines.append("CipherString = $v12")
    (root / "openssl.cnf").write_text("\n".join(lines) + "\n")
    return "openssl.cnf"


def _shell_variable_doubling(root: Path) -> str:
    lines = ["X=abcdefgh", *['X="$X$X"'] * 40, "curl -k https://example.org/$X"]
    (root / "fetch.sh").write_text("\n".join(lines) + "\n")
    return "fetch.sh"


def _shell_unclosed_substitutions(root: Path) -> str:
    """Each unclosed ``$(`` was matched by reading the rest of the file again."""
    (root / "fetch.sh").write_text("curl -k https://a.example/\n" + "echo $(" * 800 + "\n" + "x" * 60_000 + "\n")
    return "fetch.sh"


BOMBS = {
    "nginx include doubling": (_nginx_doubling_chain, "configuration statements"),
    "nginx include fan-out": (_nginx_fan_out, "configuration statements"),
    "Apache Define doubling": (_apache_define_doubling, "expands to more than"),
    "Apache include fan-out": (_apache_include_fan_out, "configuration statements"),
    "openssl.cnf $var multiplication": (_openssl_variable_multiplication, "expands to more than"),
    "shell variable doubling": (_shell_variable_doubling, "expands to more than"),
    "shell unclosed $(": (_shell_unclosed_substitutions, "re-read to match shell command substitutions"),
}


@pytest.mark.parametrize("case", BOMBS)
def test_expansion_bombs_stop_with_a_located_error(tmp_path: Path, case: str) -> None:
    make, message = BOMBS[case]
    (tmp_path / ".git").mkdir()
    (tmp_path / "bomb").mkdir()
    main = make(tmp_path / "bomb")
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "nginx.conf").write_text(GOOD)
    outcome = run_limited("check", ".", cwd=tmp_path, timeout=120)
    assert_survived(outcome)
    assert outcome.code == 3, outcome.err[-2000:]
    errors = [line for line in outcome.err.splitlines() if message in line]
    assert len(errors) == 1, outcome.err[-2000:]
    assert re.match(r"tlslint: (\S*/)?bomb/[^:]+:\d+(:\d+)?: ", errors[0]), errors[0]  # located in the tree
    del main
    section = outcome.out.partition("good/nginx.conf\n")[2]
    assert "TLS-PROTO-002" in section, outcome.out[-2000:]  # the other file is still linted


def test_an_include_diamond_is_read_once_per_path(tmp_path: Path) -> None:
    """openssl.cnf ``.include`` DAG: 2^15 paths to the same file; each file is read once."""
    (tmp_path / ".git").mkdir()
    head = ["openssl_conf = init", "[init]", "ssl_conf = ssl", "[ssl]", "system_default = sd", "[sd]"]
    (tmp_path / "openssl.cnf").write_text("\n".join([*head, ".include d1.cnf"]) + "\n")
    for level in range(1, 16):
        (tmp_path / f"d{level}.cnf").write_text(f".include d{level + 1}.cnf\n.include d{level + 1}.cnf\n")
    filler = "".join(f"name{n} = value{n}\n" for n in range(2000))  # read 2^15 times: 65 M lines
    (tmp_path / "d16.cnf").write_text(filler + "MaxProtocol = TLSv1.2\n")
    outcome = run_limited("check", "--format", "json", "openssl.cnf", cwd=tmp_path, timeout=60)
    assert_survived(outcome)
    assert outcome.code == 1 and "TLS-PROTO-002" in outcome.out  # what the deepest file sets


def test_a_stopped_file_gives_its_budget_back() -> None:
    from tlslint import budget

    spent = budget.Budget()
    with pytest.raises(budget.BudgetExceeded), spent.for_file():
        spent.spend("statements", budget.LIMITS["statements"][0] + 1, "bomb.conf")
    with spent.for_file():
        spent.spend("statements", budget.LIMITS["statements"][0], "next.conf")  # still allowed


def test_the_budget_is_per_file_so_a_large_repository_never_runs_out() -> None:
    """Many legitimate files together spend more than one file may; each file starts over."""
    from tlslint import budget

    limit = budget.LIMITS["statements"][0]
    spent = budget.Budget()
    for index in range(3):
        with spent.for_file():
            spent.spend("statements", limit * 6 // 10, f"site{index}.conf")
    with pytest.raises(budget.BudgetExceeded), spent.for_file():
        spent.spend("statements", limit * 6 // 10, "bomb.conf")
        spent.spend("statements", limit * 6 // 10, "bomb.conf")
