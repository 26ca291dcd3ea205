"""Each input is opened once per run (issue 16): recognition sniffs a file, its source parses it and the
suppression stage looks for ``tlslint: ignore`` comments in it — three reads of the same bytes before,
one now. Opens are counted, not timed."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from tlslint import safe_read
from tlslint.policy import DEFAULT_POLICY, load_policy
from tlslint.run import lint

NGINX = """\
http {
    server {
        listen 443 ssl;
        server_name a.example;
        ssl_protocols TLSv1 TLSv1.2;
    }
}
"""


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counted: Counter[str] = Counter()
    real_open = os.open

    def counting_open(path, flags, *args, **kwargs):
        counted[os.path.basename(os.fsdecode(path))] += 1
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(safe_read.os, "open", counting_open)
    return counted


def _lint(tree: Path):
    return lint([str(tree)], load_policy(DEFAULT_POLICY), jobs=1)


def test_each_input_is_opened_once(tmp_path: Path, opens: Counter[str]) -> None:
    from tests.pki import pkigen

    (tmp_path / "site.conf").write_text(NGINX)
    pkigen.write(tmp_path, "a.pem", pkigen.pem(pkigen.make("a.example")))
    result = _lint(tmp_path)
    assert {f.path.rsplit("/", 1)[-1] for f in result.inputs.files} == {"site.conf", "a.pem"}
    assert any(f.rule_id == "TLS-PROTO-003" for f in result.findings)  # the file was really parsed
    assert opens["site.conf"] == 1
    assert opens["a.pem"] == 1


def test_a_file_that_names_tlslint_is_scanned_for_suppressions(tmp_path: Path, opens: Counter[str]) -> None:
    """The shortcut only skips files that cannot hold a suppression comment."""
    comment = "# tlslint: ignore[TLS-PROTO-003] -- legacy clients, until 2027\n        "
    text = NGINX.replace("ssl_protocols", comment + "ssl_protocols")
    (tmp_path / "site.conf").write_text(text)
    result = _lint(tmp_path)
    suppressed = [f for f in result.findings if f.rule_id == "TLS-PROTO-003"]
    assert suppressed and all(f.suppression is not None and f.suppression.kind == "inline" for f in suppressed)
    assert opens["site.conf"] == 2  # parsed, then scanned for the comment


def test_a_file_changed_between_runs_is_read_again(tmp_path: Path) -> None:
    """What one run sniffed never stands in for a later run's read."""
    config = tmp_path / "site.conf"
    config.write_text(NGINX)
    first = _lint(tmp_path)
    config.write_text(NGINX.replace("TLSv1 TLSv1.2", "TLSv1.2"))
    second = _lint(tmp_path)
    assert any(f.rule_id == "TLS-PROTO-003" for f in first.findings)
    assert not any(f.rule_id == "TLS-PROTO-003" for f in second.findings)


SITE = """\
http {
    server {
        listen 443 ssl;
        server_name NAME.example;
        include snippets/tls.conf;
    }
}
"""


def test_a_snippet_many_sites_include_is_read_once(tmp_path: Path, opens: Counter[str]) -> None:
    """Every site still gets the snippet's settings, located in the snippet; the snippet is opened once (it
    was opened for every site that includes it)."""
    sites = ("a", "b", "c", "d")
    for name in sites:
        (tmp_path / f"{name}.conf").write_text(SITE.replace("NAME", name))
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "tls.conf").write_text("ssl_protocols TLSv1 TLSv1.2;\n")
    result = _lint(tmp_path)
    old = [f for f in result.findings if f.rule_id == "TLS-PROTO-003"]
    subjects = sorted(s for f in old for s in f.subjects)
    assert subjects == [f"nginx:server[0.0.0.0:443 {name}.example]" for name in sites]
    assert {f.location.path.rsplit("/", 1)[-1] for f in old} == {"tls.conf"}
    assert opens["tls.conf"] == 1


def test_an_include_changed_between_runs_is_read_again(tmp_path: Path) -> None:
    (tmp_path / "a.conf").write_text(SITE.replace("NAME", "a"))
    (tmp_path / "snippets").mkdir()
    snippet = tmp_path / "snippets" / "tls.conf"
    snippet.write_text("ssl_protocols TLSv1 TLSv1.2;\n")
    first = _lint(tmp_path)
    snippet.write_text("ssl_protocols TLSv1.2;\n")
    second = _lint(tmp_path)
    assert any(f.rule_id == "TLS-PROTO-003" for f in first.findings)
    assert not any(f.rule_id == "TLS-PROTO-003" for f in second.findings)


def test_included_files_past_the_memory_limit_are_read_again(
    tmp_path: Path, opens: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run keeps included files only up to a limit of text: past it, each includer reads its include
    again (the same findings), so a tree of many large includes is not all kept in memory."""
    from tlslint.sources.nginx import tree

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.conf").write_text(SITE.replace("NAME", name))
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "tls.conf").write_text("ssl_protocols TLSv1 TLSv1.2;\n")
    kept = _lint(tmp_path)
    assert opens["tls.conf"] == 1
    monkeypatch.setattr(tree, "MAX_REMEMBERED_INCLUDE_BYTES", 10)
    opens.clear()
    again = _lint(tmp_path)
    assert opens["tls.conf"] == 3
    assert again.findings == kept.findings
