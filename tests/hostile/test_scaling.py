"""No quadratic work (issue 10, item 8): a large hostile input costs in proportion to its size.

CPU time of this process (not wall-clock time, which a loaded machine distorts) of a large input is
compared with that of a small one with a generous ratio, or the expensive operations are counted.
"""

from __future__ import annotations

import datetime
import time
import tracemalloc
from pathlib import Path

from hostile.harness import assert_survived, run_limited

from tlslint.sources.base import ParseContext


def _cpu_seconds(work) -> float:
    """The least CPU time of two runs of ``work()`` (the first may pay for imports and caches)."""
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return max(best, 1e-4)


def _nginx_servers(count: int) -> str:
    servers = "".join(
        f"  server {{ listen {1024 + i} ssl; server_name s{i}.example; ssl_certificate s.pem; }}\n"
        for i in range(count)
    )
    return f"http {{\n  ssl_protocols TLSv1.2;\n  ssl_session_tickets off;\n{servers}}}\n"


def test_nginx_servers_cost_linear_time(tmp_path: Path) -> None:
    """Every inherited lookup scanned the whole http block: 20,000 servers took minutes."""
    from tlslint.sources.nginx import build, tree

    def cost(count: int) -> float:
        path = str(tmp_path / f"nginx{count}.conf")
        best = float("inf")
        for _ in range(2):
            root, _diagnostics, _files = tree.build(path, _nginx_servers(count))  # linear; not measured
            start = time.process_time()
            builder = build.Builder(path, root, {})
            builder.run()
            best = min(best, time.process_time() - start)
            assert len(builder.subjects) == count
        return max(best, 1e-4)

    small, large = cost(200), cost(4000)
    assert large / small < 60, f"20x the servers cost {large / small:.0f}x the time"


def test_glob_matching_is_linear_in_the_path() -> None:
    from tlslint.globs import Glob

    glob = Glob("*a" * 12 + "b")
    small = _cpu_seconds(lambda: glob.match("a" * 300))
    large = _cpu_seconds(lambda: glob.match("a" * 3000))
    assert large / small < 30


def test_glob_semantics() -> None:
    from tlslint.globs import Glob

    cases = {
        ("**/*.conf", "a.conf"): True,
        ("**/*.conf", "x/y/a.conf"): True,
        ("*.conf", "x/a.conf"): False,
        ("x/**", "x/y/z"): True,
        ("x/**/z", "x/z"): True,
        ("x/**/z", "x/a/b/z"): True,
        ("x/?", "x/ab"): False,
        ("./x/*", "x/a"): True,
        ("a.b", "axb"): False,
    }
    for (pattern, path), expected in cases.items():
        assert Glob(pattern).match(path) is expected, (pattern, path)
    assert Glob("vendor").match_or_below("vendor/nginx.conf")
    assert not Glob("vendor").match_or_below("vendors/nginx.conf")


def test_backtracking_globs_in_exclude_and_waivers_finish(tmp_path: Path) -> None:
    """12 stars took 215 s per path as a regular expression."""
    (tmp_path / ".git").mkdir()
    stars = "*a" * 12 + "b"
    (tmp_path / ".tlslint.yaml").write_text(f"exclude: ['{stars}']\nwaivers: waivers.yaml\n")
    (tmp_path / "waivers.yaml").write_text(
        f"waivers:\n  - id: W-1\n    rule: TLS-PROTO-002\n    path: '{stars}'\n"
        "    justification: an accepted legacy risk\n    approver: a@example.org\n    expires: 2099-01-01\n"
    )
    name = "a" * 120 + ".conf"
    (tmp_path / name).write_text("server { listen 443 ssl; ssl_protocols TLSv1.2; }\n")
    outcome = run_limited("check", "--format", "json", ".", cwd=tmp_path, timeout=90)
    assert_survived(outcome)
    assert name in outcome.out and "TLS-PROTO-002" in outcome.out


def _hostile_bundle(count: int) -> list:
    """Half the certificates named as the issuer of the other half, none of them the real one."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    now = datetime.datetime(2026, 1, 1)
    stranger = ec.generate_private_key(ec.SECP256R1())
    certs = []
    for index in range(count):
        key = ec.generate_private_key(ec.SECP256R1())
        subject, issuer = ("CA", "Root") if index % 2 == 0 else ("leaf", "CA")
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer))
            .public_key(key.public_key())
            .serial_number(index + 1)
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=90))
        )
        certs.append(builder.sign(stranger, hashes.SHA256()))
    return certs


def test_signature_checks_in_a_large_bundle_are_linear(monkeypatch) -> None:
    """465 KB of same-named CAs took four minutes: one signature check per pair."""
    from tlslint.pki import chain

    calls = 0
    real = chain._issued_by

    def counting(child, parent):
        nonlocal calls
        calls += 1
        return real.__wrapped__(child, parent)

    monkeypatch.setattr(chain, "_issued_by", counting)
    certs = _hostile_bundle(300)
    chain.out_of_order(certs)
    for leaf in certs[1::2]:
        chain.build_path(leaf, certs)
    assert calls <= 40 * len(certs), f"{calls} signature checks for {len(certs)} certificates"


def test_kestrel_locations_cost_memory_linear_in_the_input() -> None:
    """A location table per nested value took 900 times the input."""
    from tlslint.sources import kestrel

    text = (
        '{"Kestrel": {"Endpoints": {"H": {"Url": "https://*:443"}}}, "x": '
        + "[" * 150
        + ",".join(["1"] * 20000)
        + "]" * 150
        + "}"
    )
    tracemalloc.start()
    try:
        result = kestrel.parse("appsettings.json", text, ParseContext(at=datetime.date(2026, 1, 1)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(result.subjects) == 1
    assert peak < 60 * len(text), f"{peak / len(text):.0f} bytes of memory per byte of input"


def _fleet(root: Path, sites: int) -> None:
    """``sites`` nginx servers, each presenting a certificate of its own, all sharing one CA certificate as
    their trust store (one certificate that every server uses, and many that one server uses each)."""
    from tests.pki import pkigen

    ca = pkigen.make("Fleet CA", ca=True)
    pkigen.write(root / "certs", "ca.pem", ca.pem)
    servers = []
    for index in range(sites):
        leaf = pkigen.make(f"site{index}.example", issuer=ca, serial=index + 2)
        pkigen.write(root / "certs", f"site{index}.pem", leaf.pem)
        servers.append(
            f"  server {{ listen 443 ssl; server_name site{index}.example; ssl_certificate certs/site{index}.pem;"
            " ssl_client_certificate certs/ca.pem; }\n"
        )
    (root / "nginx.conf").write_text("events {}\nhttp {\n" + "".join(servers) + "}\n")


def test_linking_a_fleet_costs_linear_time(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every server presenting a certificate of its own and trusting one shared CA: the CA's users were a
    list searched once per server, and each used certificate's copies a search of every certificate —
    8,000 sites took 20 s, 2,000 took 2.8 s."""
    from tlslint import link
    from tlslint.run import parse_inputs

    def cost(sites: int) -> float:
        root = tmp_path / f"fleet{sites}"
        _fleet(root, sites)
        monkeypatch.chdir(root)
        real_link = link.link
        seconds: list[float] = []

        def timed_link(context, parsed):  # type: ignore[no-untyped-def]
            start = time.process_time()
            real_link(context, parsed)
            seconds.append(time.process_time() - start)

        monkeypatch.setattr(link, "link", timed_link)
        best = float("inf")
        for _ in range(2):
            parsed = parse_inputs(["."], ParseContext(at=datetime.date(2026, 6, 1)), jobs=1)
            best = min(best, seconds[-1])
        monkeypatch.setattr(link, "link", real_link)
        ca = next(s for s in parsed.subjects if s.kind == "certificate" and s.value("cert.subject.cn") == "Fleet CA")
        assert len(ca.value("cert.used_by")) == sites
        return max(best, 1e-4)

    small, large = cost(300), cost(3000)
    assert large / small < 30, f"10x the sites cost {large / small:.0f}x the time to link"


class _Finding:
    """What a waiver looks at in a finding."""

    def __init__(self, fingerprint: str, rule_id: str, path: str) -> None:
        from tlslint.model.located import Location

        self.fingerprint = fingerprint
        self.rule_id = rule_id
        self.location = Location(path, 1)


def _waiver(index: int, fingerprint: str | None, rule: str | None, path: str | None):  # type: ignore[no-untyped-def]
    from tlslint.model.located import Location
    from tlslint.waivers import Waiver

    return Waiver(
        f"W{index}",
        Location("waivers.yaml", index + 1),
        fingerprint,
        rule,
        path,
        "why",
        "who",
        datetime.date(2027, 1, 1),
    )


def test_a_finding_gets_the_first_waiver_in_the_file_that_matches_it() -> None:
    """The index answers what a scan of the waiver file in order answers, for waivers by fingerprint, by
    rule, by rule and path, by path alone, overlapping in every way."""
    import random

    from tlslint.waivers import WaiverIndex

    chooser = random.Random(16)
    fingerprints = [f"{n:032x}" for n in range(12)]
    rules = ["RULE-A", "RULE-B", "RULE-C"]  # any ids: a waiver compares them as text
    paths = ["a/nginx.conf", "a/b/site.conf", "c/haproxy.cfg"]
    globs = ["a/**", "a/b/*.conf", "c/*", "*.conf", "**/site.conf"]
    for _ in range(200):
        waivers = [
            _waiver(
                index,
                chooser.choice([None, *fingerprints]),
                chooser.choice([None, *rules]),
                chooser.choice([None, *globs]),
            )
            for index in range(chooser.randint(0, 12))
        ]
        index = WaiverIndex(waivers)
        for fingerprint in fingerprints:
            for rule in rules:
                for path in paths:
                    finding = _Finding(fingerprint, rule, path)
                    scanned = next((w for w in waivers if w.matches(finding)), None)  # type: ignore[arg-type]
                    assert index.first_match(finding) is scanned  # type: ignore[arg-type]


def test_waivers_by_fingerprint_are_looked_up_not_scanned(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """1,000 waivers by fingerprint on 174,000 findings took 261 s: each finding was compared with each."""
    from tlslint.waivers import Waiver, WaiverIndex

    calls = 0
    real = Waiver.matches

    def counting(self, finding):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return real(self, finding)

    monkeypatch.setattr(Waiver, "matches", counting)
    index = WaiverIndex([_waiver(n, f"{n:032x}", None, None) for n in range(1000)])
    findings = [_Finding(f"{n:032x}", "RULE-A", "nginx.conf") for n in range(0, 4000, 2)]
    waived = [index.first_match(finding) for finding in findings]  # type: ignore[arg-type]
    assert sum(waiver is not None for waiver in waived) == 500
    assert calls <= len(findings), f"{calls} comparisons for {len(findings)} findings"


class _Placed:
    """What an inline suppression looks at in a finding: its place and its subject's scope."""

    def __init__(self, location, scope) -> None:  # type: ignore[no-untyped-def]
        self.location = location
        self.scope = scope


def _covered_by_scan(suppressions, finding, comment_lines):  # type: ignore[no-untyped-def]
    """Which comments cover a finding, by looking at every comment of the file (the rule, written out)."""
    start = finding.location.line
    if start is None:
        return []
    end = max(finding.location.end_line or start, start)
    above = start - 1
    while above in comment_lines:
        above -= 1
    scope = finding.scope
    in_scope = scope is not None and scope.path == finding.location.path and scope.line and scope.end_line
    return [
        s
        for s in suppressions
        if s.whole_file
        or start <= s.location.line <= end
        or (s.standalone and above < s.location.line < start)
        or (in_scope and scope.line <= s.location.line <= scope.end_line)
    ]


def test_a_finding_is_covered_by_the_comments_a_scan_of_its_file_finds() -> None:
    """Comments looked up by line cover what a scan of every comment covers: on the finding's lines, in the
    comment block above it, in its scope, or for the whole file; in file order."""
    import random

    from tlslint.model.located import Location
    from tlslint.suppress import InlineSuppression, _FileSuppressions

    chooser = random.Random(16)
    for _ in range(300):
        lines = sorted(chooser.sample(range(1, 60), chooser.randint(0, 15)))
        suppressions = [
            InlineSuppression(
                Location("f.conf", line, 3),
                ("RULE-A",),
                "a reason",
                "tlslint: ignore[RULE-A]",
                standalone=chooser.random() < 0.6,
                whole_file=chooser.random() < 0.1,
            )
            for line in lines
        ]
        comment_lines = {line for line in range(1, 60) if chooser.random() < 0.3}
        comment_lines.update(s.location.line for s in suppressions if s.standalone)
        index = _FileSuppressions(suppressions, comment_lines)
        for _ in range(30):
            start = chooser.choice([None, *range(1, 62)])
            end = None if start is None else chooser.choice([None, start, start + chooser.randint(0, 5)])
            scope = None
            if chooser.random() < 0.5:
                low = chooser.randint(1, 60)
                scope = Location(chooser.choice(["f.conf", "other.conf"]), low, 1, low + chooser.randint(0, 20), 2)
            finding = _Placed(Location("f.conf", start, 1, end, 9), scope)
            assert index.covering(finding) == _covered_by_scan(suppressions, finding, comment_lines)  # type: ignore[arg-type]


def _suppressed_servers(count: int) -> str:
    servers = "".join(
        f"  server {{\n    listen {1024 + i} ssl;\n"
        "    # tlslint: ignore[TLS-PROTO-002] legacy meters need TLS 1.0 until the 2027 refresh\n"
        "    ssl_protocols TLSv1 TLSv1.2;\n  }\n"
        for i in range(count)
    )
    return f"events {{}}\nhttp {{\n{servers}}}\n"


def test_suppression_comments_cost_linear_time(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A generated file with a comment in each server: every finding looked at every comment of the file
    (2,000 servers took 4.8 s in the suppression stage)."""
    from tlslint import suppress
    from tlslint.policy import load_policy
    from tlslint.run import lint

    monkeypatch.chdir(tmp_path)
    real_apply = suppress.apply
    seconds: list[float] = []

    def timed_apply(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.process_time()
        try:
            return real_apply(*args, **kwargs)
        finally:
            seconds.append(time.process_time() - start)

    monkeypatch.setattr(suppress, "apply", timed_apply)

    def cost(count: int) -> float:
        Path(f"servers{count}.conf").write_text(_suppressed_servers(count))
        best = float("inf")
        for _ in range(2):
            result = lint([f"servers{count}.conf"], load_policy(), jobs=1)
            best = min(best, seconds[-1])
        assert sum(f.rule_id == "TLS-PROTO-002" and f.suppression is not None for f in result.findings) == count
        return max(best, 1e-4)

    small, large = cost(150), cost(1500)
    assert large / small < 30, f"10x the servers cost {large / small:.0f}x the time to suppress"


def _parse_cost(parse, path: str, text: str) -> tuple[float, list]:  # type: ignore[no-untyped-def]
    """The best of two parses' CPU seconds of ``text`` by a source's ``parse``, and its diagnostics."""
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        result = parse(path, text, ParseContext(at=datetime.date(2026, 6, 1)))
        best = min(best, time.process_time() - start)
    return max(best, 1e-4), result.diagnostics


def test_many_diagnostics_in_one_file_cost_linear_time(tmp_path: Path) -> None:
    """Each server with a cipher string of its own that OpenSSL rejects: every new diagnostic was compared
    with every earlier one of the file, to say each once (4,000 servers took 12 s)."""
    from tlslint.sources import nginx

    def cost(count: int) -> float:
        body = "".join(f"  server {{ listen {1024 + i} ssl; ssl_ciphers 'BOGUS{i}'; }}\n" for i in range(count))
        seconds, said = _parse_cost(nginx.parse, str(tmp_path / "nginx.conf"), f"events {{}}\nhttp {{\n{body}}}\n")
        assert len([d for d in said if d.message.startswith("nginx refuses to start: no cipher")]) == count
        return seconds

    small, large = cost(200), cost(2000)
    assert large / small < 30, f"10x the servers cost {large / small:.0f}x the time"


def test_many_haproxy_refusals_in_one_file_cost_linear_time(tmp_path: Path) -> None:
    """Each bind with a cipher list and a curves list of its own that OpenSSL rejects: every new diagnostic
    was looked for among the earlier ones, to say each once (3,000 binds took 7 s)."""
    from tlslint.sources import haproxy

    def cost(count: int) -> float:
        binds = "".join(f"    bind :{1024 + i} ssl crt /x.pem ciphers BOGUS{i} curves X{i}\n" for i in range(count))
        text = f"global\n    maxconn 10\nfrontend fe\n{binds}    default_backend be\nbackend be\n    server s :9\n"
        seconds, said = _parse_cost(haproxy.parse, str(tmp_path / "haproxy.cfg"), text)
        assert len([d for d in said if "BOGUS" in d.message]) == count
        return seconds

    small, large = cost(200), cost(2000)
    assert large / small < 30, f"10x the binds cost {large / small:.0f}x the time"


def _made_up(count: int) -> list[str]:
    """``count`` distinct names no engine knows, none near a real one (x-prefixed, numbered)."""
    return [f"xq{number:07d}zz" for number in range(count)]


def test_unknown_names_are_compared_with_known_ones_within_a_budget(tmp_path: Path) -> None:
    """Each unknown keyword, directive, option or command is compared with every name its engine knows
    (a few hundred microseconds) for a "did you mean": 30,000 of them in one file took 4-22 s. Past the
    file's budget the file is refused as an expansion bomb, at the first name over it; every source."""
    from tlslint.run import parse_inputs

    count = 1_500
    shapes = {
        "nginx.conf": "events {}\nhttp { server { listen 443 ssl;\n"
        + "".join(f"ssl_{name} on;\n" for name in _made_up(count))
        + "} }\n",
        "haproxy.cfg": "frontend f\n" + "".join(f" bind :{1000 + i} ssl {n}\n" for i, n in enumerate(_made_up(count))),
        "httpd.conf": "LoadModule ssl_module modules/mod_ssl.so\n"
        + "".join(f"SSL{name} on\n" for name in _made_up(count)),
        ".wgetrc": "".join(f"{name} = on\n" for name in _made_up(count)),
        "fetch.sh": "#!/bin/sh\n" + "".join(f"curl --{name} https://x.example/\n" for name in _made_up(count)),
    }
    for name, text in shapes.items():
        path = tmp_path / name
        path.write_text(text)
        start = time.process_time()
        inputs = parse_inputs([str(path)], ParseContext(at=datetime.date(2026, 12, 1)))
        spent = time.process_time() - start
        refused = [d for d in inputs.diagnostics if "unknown names compared" in d.message]
        assert len(refused) == 1 and refused[0].severity == "error", (name, inputs.diagnostics[:3])
        assert refused[0].location.line is not None and refused[0].location.line > 1_000, refused[0]
        assert spent < 5, (name, spent)  # ~0.3 s here; 1,500 comparisons without the budget ~0.5 s
