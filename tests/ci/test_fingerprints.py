"""Fingerprints identify a finding across edits: not the line, but rule, repository path, anchor and value."""

from __future__ import annotations

from pathlib import Path

from ci_helpers import by_rule, document, make_repo

from conftest import run_cli


def _fingerprint(repo: Path, rule_id: str = "TLS-PROTO-001", cwd: Path | None = None, target: str = ".") -> str:
    result = run_cli("check", target, "--format", "json", cwd=cwd or repo)
    assert result.code == 1, result.err
    (finding,) = by_rule(result.json(), rule_id)
    return finding["fingerprint"]


def test_moving_a_finding_keeps_its_fingerprint(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    before = _fingerprint(repo)
    path = repo / "config" / "tls.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:3]) + "\n\n\n# a comment\n\n" + "".join(lines[3:]), encoding="utf-8")
    data = run_cli("check", ".", "--format", "json", cwd=repo).json()
    (moved,) = by_rule(data, "TLS-PROTO-001")
    assert moved["location"]["line"] == 5 + 5  # really moved
    assert moved["fingerprint"] == before


def test_changing_the_offending_value_changes_the_fingerprint(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    before = _fingerprint(repo)
    (repo / "config" / "tls.yaml").write_text(document("TLSv1.0"), encoding="utf-8")
    after = _fingerprint(repo)
    assert after != before


def test_same_repository_from_another_directory_gives_the_same_fingerprints(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    from_root = _fingerprint(repo)
    from_subdir = _fingerprint(repo, cwd=repo / "config", target="tls.yaml")
    from_outside = _fingerprint(repo, cwd=tmp_path, target="repo")
    assert from_root == from_subdir == from_outside


def test_the_same_file_in_another_place_is_a_different_finding(tmp_path: Path) -> None:
    text = document()
    repo = make_repo(tmp_path / "repo", {"a/tls.yaml": text, "b/tls.yaml": text})
    data = run_cli("check", ".", "--format", "json", cwd=repo).json()
    prints = [f["fingerprint"] for f in by_rule(data, "TLS-PROTO-001")]
    assert len(prints) == len(set(prints)) == 2


def test_the_fingerprint_text_is_that_of_the_json_encoder() -> None:
    """A fingerprint hashes ``json.dumps([rule, path, sorted anchors, field, values], sort_keys=True)``;
    the fast writer of the all-strings case must produce that very text for any string (quotes,
    escapes, non-ASCII, lone surrogates), and values of other types go through the encoder."""
    import hashlib
    import json
    import random

    from tlslint.findings import fingerprint
    from tlslint.model.located import Location
    from tlslint.repo import repo_relative

    def expected(rule_id, location, anchors, path, offending) -> str:
        values = [v if isinstance(v, str | int | float | bool) or v is None else str(v) for v in offending]
        payload = json.dumps([rule_id, repo_relative(location.path), sorted(anchors), path, values], sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8", "surrogateescape")).hexdigest()[:32]

    chosen = random.Random(16)
    letters = ["a", "Z", '"', "\\", "\n", "\t", "é", "\u2028", "\x00", "\udcff", "😀", " ", "/"]

    def text() -> str:
        return "".join(chosen.choice(letters) for _ in range(chosen.randint(0, 6)))

    def value() -> object:
        return chosen.choice([text(), 0, 1, True, False, None, 2.5, float("nan"), -0.0, 10**20, Path("p")])

    for _ in range(3000):
        offending = [text() for _ in range(3)] if chosen.random() < 0.5 else [value() for _ in range(2)]
        arguments = (
            text(),
            Location(chosen.choice(["a.conf", "/x/é.conf", 'sub/"q".conf'])),
            [text() for _ in range(chosen.randint(0, 3))],
            chosen.choice([None, text()]),
            offending,
        )
        assert fingerprint(*arguments) == expected(*arguments)


def test_a_whole_list_offends_by_its_items_and_keeps_its_fingerprint(tmp_path: Path) -> None:
    """A server without TLS 1.3 offends by its protocol list as a whole: the report names the list's items
    (not the text of a Python list), and the fingerprint hashes the list as the one value it always did,
    so that baselines and waivers written before still match."""
    import hashlib
    import json

    repo = make_repo(tmp_path / "repo", {"nginx/site.conf": "server { listen 443 ssl; ssl_protocols TLSv1.2; }\n"})
    data = run_cli("check", ".", "--format", "json", "--fail-on", "never", cwd=repo).json()
    (finding,) = by_rule(data, "TLS-PROTO-002")
    assert finding["offending"] == ["TLSv1.2"]
    payload = json.dumps(
        ["TLS-PROTO-002", "nginx/site.conf", finding["subject"]["ids"], "protocols", ["['TLSv1.2']"]], sort_keys=True
    )
    assert finding["fingerprint"] == hashlib.sha256(payload.encode()).hexdigest()[:32]
