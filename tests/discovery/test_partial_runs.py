"""Partial runs give the same answer as whole runs (issue 11 item 13).

A pre-commit hook passes only the changed files. A fragment that a main configuration includes is
linted through that main file, so naming it alone gives exactly the findings of the whole directory;
in directory mode it is never linted on its own with includes resolved against its own folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from layouts import debian_apache, debian_nginx, make_repo, write_tree

from conftest import run_cli


def findings(*paths: str, cwd: Path) -> set[tuple]:
    result = run_cli("check", *paths, "--format", "json", "--fail-on", "never", cwd=cwd)
    assert result.code in (0, 3), result.err
    data = result.json()
    return {
        (f["rule_id"], f["location"]["path"], f["location"].get("line"), f["location"].get("column"), f["fingerprint"])
        for f in data["findings"]
    }


NGINX_FRAGMENTS = [
    "etc/nginx/conf.d/ssl-params.conf",
    "etc/nginx/sites-enabled/shop.conf",
    "etc/nginx/sites-enabled/default",
    "etc/nginx/sites-available/default",
    "etc/nginx/snippets/legacy-clients.conf",
]
APACHE_FRAGMENTS = [
    "etc/apache2/sites-enabled/default-ssl.conf",
    "etc/apache2/sites-available/default-ssl.conf",
    "etc/apache2/mods-enabled/ssl.conf",
    "etc/apache2/conf-enabled/security.conf",
    "etc/apache2/ports.conf",
]


@pytest.mark.parametrize(
    ("layout", "fragment"),
    [(debian_nginx, f) for f in NGINX_FRAGMENTS] + [(debian_apache, f) for f in APACHE_FRAGMENTS],
)
def test_a_changed_fragment_alone_gives_the_whole_directory_findings(tmp_path: Path, layout, fragment: str) -> None:
    repo = make_repo(tmp_path / "repo")
    directory = layout(repo)
    whole = findings(str(directory.relative_to(repo)), cwd=repo)
    assert whole, "the layout has findings to compare"
    assert findings(fragment, cwd=repo) == whole


def test_pre_commit_style_invocation_each_changed_file_named(tmp_path: Path) -> None:
    """The hook passes the staged files one after another on one command line."""
    repo = make_repo(tmp_path / "repo")
    debian_nginx(repo)
    debian_apache(repo)
    whole = findings("etc", cwd=repo)
    changed = ["README.md", "etc/nginx/sites-enabled/shop.conf", "etc/apache2/sites-available/default-ssl.conf"]
    (repo / "README.md").write_text("docs\n", encoding="utf-8")
    assert findings(*changed, cwd=repo) == whole


def test_fragment_deeper_than_three_levels_finds_its_main_file_up_to_the_repository_root(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write_tree(
        repo,
        {
            "nginx.conf": "events {}\nhttp {\n    ssl_protocols TLSv1.2 TLSv1.3;\n    include a/b/c/d/*.conf;\n}\n",
            "a/b/c/d/site.conf": "server {\n    listen 443 ssl;\n    ssl_ciphers AES128-SHA;\n}\n",
        },
    )
    whole = findings(".", cwd=repo)
    assert findings("a/b/c/d/site.conf", cwd=repo) == whole
    # and the inherited TLS 1.2+ is what the site offers: no TLS 1.0 finding from a standalone read
    assert not [f for f in whole if f[0] in ("TLS-PROTO-001", "TLS-PROTO-002")]


@pytest.mark.parametrize("block", ["events", "types"])
def test_a_decoy_include_outside_an_endpoint_context_does_not_hide_fragments(tmp_path: Path, block: str) -> None:
    """A main file that includes the fragments inside events {} (or types {}) never serves them: they are
    linted on their own, and their weaknesses are reported."""
    repo = make_repo(tmp_path / "repo")
    write_tree(
        repo,
        {
            "nginx.conf": f"{block} {{\n    include conf.d/*.conf;\n}}\nhttp {{\n}}\n",
            "conf.d/legacy.conf": "server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.2;\n}\n",
        },
    )
    for run in (findings(".", cwd=repo), findings("conf.d/legacy.conf", cwd=repo)):
        assert ("conf.d/legacy.conf", 3) in {(f[1], f[2]) for f in run if f[0] == "TLS-PROTO-002"}


def test_apache_include_inside_a_directory_section_does_not_count(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write_tree(
        repo,
        {
            "httpd.conf": "Listen 443\n<Directory /srv>\n    Include conf.d/*.conf\n</Directory>\n",
            "conf.d/vhost.conf": (
                "<VirtualHost *:443>\n    SSLEngine on\n    SSLProtocol +TLSv1 +TLSv1.2\n</VirtualHost>\n"
            ),
        },
    )
    for run in (findings(".", cwd=repo), findings("conf.d/vhost.conf", cwd=repo)):
        assert "conf.d/vhost.conf" in {f[1] for f in run if f[0] == "TLS-PROTO-002"}


@pytest.mark.parametrize("layout", ["nginx", "apache"])
def test_suppression_inside_an_included_file_works_whether_or_not_it_was_named(tmp_path: Path, layout: str) -> None:
    repo = make_repo(tmp_path / "repo")
    if layout == "nginx":
        root = debian_nginx(repo)
        legacy = root / "snippets" / "legacy-clients.conf"
        legacy.write_text(
            "# tlslint: ignore[TLS-PROTO-002] payment terminals until 2027-06\nssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n"
        )
        main = "etc/nginx/nginx.conf"
    else:
        root = debian_apache(repo)
        site = root / "sites-available" / "default-ssl.conf"
        marker = "    # tlslint: ignore[TLS-PROTO-002] payment terminals until 2027-06\n"
        site.write_text(site.read_text().replace("    SSLProtocol", marker + "    SSLProtocol"))
        main = "etc/apache2/apache2.conf"
    for named in ([main], ["etc"]):
        data = run_cli("check", *named, "--format", "json", "--fail-on", "never", cwd=repo).json()
        (proto,) = [f for f in data["findings"] if f["rule_id"] == "TLS-PROTO-002"]
        assert proto["suppression"]["kind"] == "inline", named


def test_results_do_not_depend_on_how_a_path_is_spelled(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    debian_nginx(repo)
    debian_apache(repo)
    (repo / "docs").mkdir()
    reference = findings("etc", cwd=repo)
    assert findings("./etc/", cwd=repo) == reference
    assert findings(str(repo / "etc"), cwd=repo) == reference
    assert findings("etc/nginx", "etc//nginx/nginx.conf", "./etc/apache2", cwd=repo) == reference  # no duplicates
    assert findings("etc/../etc", cwd=repo) == reference
    # from a sibling directory, '../etc' names the same files: the same findings (reports give paths
    # relative to the repository root)
    assert findings("../etc", cwd=repo / "docs") == reference


def test_nginx_findings_carry_the_column_of_the_token(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "site.conf": textwrap.dedent("""\
                server {
                    listen 443 ssl;  ssl_protocols TLSv1 TLSv1.2;
                    ssl_ciphers "AES128-SHA";
                }
            """)
        },
    )
    data = run_cli("check", "site.conf", "--format", "json", "--fail-on", "never", cwd=tmp_path).json()
    located = {(f["rule_id"], f["location"]["line"], f["location"].get("column")) for f in data["findings"]}
    assert ("TLS-PROTO-002", 2, 22) in located  # ssl_protocols, after 'listen 443 ssl;' on the same line
    assert all(column is not None for _rule, _line, column in located)


def test_a_fragment_too_plain_to_recognise_is_still_linted_through_its_main_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write_tree(
        repo,
        {
            "nginx.conf": "events {}\nhttp {\n    server {\n        listen 443 ssl;\n"
            "        include snippets/headers.conf;\n    }\n}\n",
            "snippets/headers.conf": 'add_header X-Frame-Options "DENY";\n',
        },
    )
    whole = findings(".", cwd=repo)
    assert whole and findings("snippets/headers.conf", cwd=repo) == whole


def test_openssl_cnf_include_fragment_named_alone(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    write_tree(
        repo,
        {
            "etc/ssl/openssl.cnf": "openssl_conf = init\n.include conf.d\n\n[init]\nssl_conf = ssl_sect\n\n"
            "[ssl_sect]\nsystem_default = system_default_sect\n",
            "etc/ssl/conf.d/legacy.cnf": (
                "[system_default_sect]\nMinProtocol = TLSv1\nCipherString = DEFAULT@SECLEVEL=0\n"
            ),
        },
    )
    whole = findings(".", cwd=repo)
    assert "etc/ssl/conf.d/legacy.cnf" in {f[1] for f in whole}
    assert findings("etc/ssl/conf.d/legacy.cnf", cwd=repo) == whole
    # a suppression inside the included fragment applies when only the main file is named
    legacy = repo / "etc/ssl/conf.d/legacy.cnf"
    rule, _path, line, *_ = next(f for f in sorted(whole) if f[1] == "etc/ssl/conf.d/legacy.cnf")
    lines = legacy.read_text().splitlines()
    lines.insert(line - 1, f"# tlslint: ignore[{rule}] lab network only")
    legacy.write_text("\n".join(lines) + "\n")
    data = run_cli("check", "etc/ssl/openssl.cnf", "--format", "json", "--fail-on", "never", cwd=repo).json()
    assert any(f["rule_id"] == rule and f.get("suppression") for f in data["findings"])
