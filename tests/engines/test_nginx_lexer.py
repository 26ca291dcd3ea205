"""tlslint's nginx tokenizer gives exactly crossplane's tree: a differential test, crossplane the oracle.

:mod:`tlslint.sources.nginx.lexer` replaces ``crossplane.parse_string`` for speed; every statement,
argument, line and error message tlslint reports depends on the two agreeing. They are compared on
every file under ``tests/fixtures`` and ``examples`` (nginx or not: any text is an nginx input to
both), every string literal in the test suite, the benchmark's generated files, hand-written
real-world shapes, and tens of thousands of seeded random texts and mutations.
"""

from __future__ import annotations

import ast
import importlib.util
import random
import time
from pathlib import Path

import crossplane
import pytest

from tlslint.sources.nginx import lexer

REPO = Path(__file__).resolve().parents[2]


def oracle(text: str, name: str | None = "site.conf") -> dict:
    """crossplane's own parse, with the options tlslint's lexer promises to reproduce."""
    return crossplane.parse_string(text, filename=name, **lexer.CROSSPLANE_OPTIONS)["config"][0]


def differences(texts: list[str], name: str | None = "site.conf") -> list[str]:
    """The texts (shown short) on which the two disagree, with both results. A text the lexer leaves
    to crossplane (None) must be one it may leave: Lua blocks, or nesting past its depth limit."""
    wrong = []
    for text in texts:
        expected, got = oracle(text, name), lexer.parse(text, name)
        if got is None and ("_by_lua_block" in text or text.count("{") >= lexer.DEPTH_LIMIT):
            continue  # each level of nesting takes a "{"
        if expected != got:
            wrong.append(f"{text[:300]!r}\n  crossplane: {str(expected)[:400]}\n  tlslint:    {str(got)[:400]}")
    return wrong


def assert_same(texts: list[str], name: str | None = "site.conf") -> None:
    wrong = differences(texts, name)
    assert not wrong, f"{len(wrong)} of {len(texts)} differ; first ones:\n" + "\n".join(wrong[:5])


# Lexical shapes seen in public configurations (h5bp, Mozilla's generator, certbot, ingress-nginx
# templates, OpenResty, envsubst and Jinja templates), written here for this test.
SHAPES = [
    # quoted arguments with spaces, ";" and "{" inside, empty strings, escapes
    'add_header X-XSS-Protection "1; mode=block" always;\n'
    "add_header Content-Security-Policy \"default-src 'self'; img-src *\" always;\n",
    'proxy_set_header Connection "";\nproxy_set_header Upgrade $http_upgrade;\n',
    'return 200 \'{"status": "ok", "nested": {"a": [1, 2]}}\';\n',
    'return 200 "a \\"quoted\\" word and a \\\\ backslash";\n',
    "sub_filter '</head>' '<script>var c = {a: 1};</script></head>';\n",
    "log_format main '$remote_addr - $remote_user [$time_local] \"$request\" '\n"
    "                '$status $body_bytes_sent \"$http_referer\" '\n                '\"$http_user_agent\"';\n",
    # if with parentheses in every spacing
    'if ($http_user_agent ~* "(bot|crawler){1,2}") {\n    return 403;\n}\n',
    "if (!-f $request_filename) { rewrite (.*) /index.html break; }\n",
    "if ( $request_method = POST ) { return 405; }\nif ($a) {}\nif ( $a ) {}\nif (  ) {}\nif ($a = b)c {}\n",
    "if ($scheme = http) {\n  return 301 https://$host$request_uri;\n}\n",
    # regular expressions: braces quoted, unquoted, in map keys, in locations
    'map $uri $legacy {\n    default 0;\n    "~^/a{2}$" 1;\n    ~^/b{3}$ 2;\n    ~*\\.(?:jpe?g|png)$ 3;\n}\n',
    "location ~ \\.php$ {\n    fastcgi_pass unix:/run/php/php-fpm.sock;\n"
    "    fastcgi_split_path_info ^(.+\\.php)(/.+)$;\n}\n",
    "location ~* \\.(?:css(\\.map)?|js(\\.map)?|svgz?)$ { expires 7d; access_log off; }\n",
    "rewrite ^/(\\d{4})/(.*)$ /$2 last;\n",
    'rewrite "^/(\\d{4})/(.*)$" /$2 last;\n',
    "location ~ ^/api/v[0-9]+/(?<rest>.*)$ { proxy_pass http://backend/$rest; }\n",
    "location = /50x.html { root /usr/share/nginx/html; }\nlocation ^~ /static/ { }\nlocation @fallback { }\n",
    # variables: $var, ${var}, envsubst templates, ${ without a closing brace
    "set $root /srv;\nroot ${root}/www;\nlisten ${NGINX_PORT};\nserver_name ${SERVER_NAME} www.${SERVER_NAME};\n",
    'set $a "${b}c";\nset $x ${y}z;\nset $p ${q} r;\nset $u $${v};\nset $w \\${x};\n',
    "return 200 ${a}\n",
    "return 200 ${a",
    # Jinja and Go templates read as nginx
    "server {\n  server_name {{ domain }};\n  {% if tls %}listen 443 ssl;{% endif %}\n}\n",
    "{{ $cfg := .Cfg }}\nhttp {\n  {{ range $server := .Servers }}server { listen {{ $server.Port }}; }{{ end }}\n}\n",
    # OpenResty blocks (crossplane's Lua lexer extension; tlslint leaves those texts to crossplane)
    'content_by_lua_block {\n    ngx.say("}")  -- a comment with {\n    local t = {a = 1}\n}\n',
    "set_by_lua_block $res { return 32 + math.cos(32) }\nlisten 443 ssl;\n",
    "access_by_lua_block { if ngx.var.x then ngx.exit(403) end }\nhttp { }\n",
    "perl_set $x 'sub { return \"a\"; }';\n",
    # comments everywhere
    "# leading\nserver { # after brace\n    listen 443 ssl; # after statement\n"
    "    ssl_protocols TLSv1.2 # inside\n      TLSv1.3;\n}\n# trailing",
    "ssl_ciphers 'ECDHE+AESGCM' # a comment \\\n ;\n",
    'a "x"#not an argument\n;\nb c#d;\n',
    # line ends and whitespace: CRLF, lone CR, tabs, form feed, Unicode spaces, BOM-less Unicode
    "http {\r\n\tserver {\r\n\t\tlisten 443 ssl;\r\n\t}\r\n}\r\n",
    "http {\r server {\r listen 443 ssl;\r }\r}\r",
    "server_name caf\u00e9.example \u4f8b\u3048.jp;\nlisten\u00a0443;\nlisten\u2003443\u3000ssl;\x0c\n",
    "ssl_protocols TLSv1.2\\\nTLSv1.3;\n\\\nlisten 443;\n",
    # errors crossplane reports, and where
    "http {\n  server {\n    listen 443 ssl;\n",
    "http {\n}\n}\nlisten 80;\n",
    'server {\n  add_header X "unterminated;\n}\n',
    "server {\n  ssl_protocols TLSv1.2\n  ssl_ciphers HIGH;\n}\n",
    "server {\n  ssl_stapling maybe;\n  ssl_stapling;\n  ssl_protocols TLSv1.2 {\n    x;\n  }\n  listen 443 ssl\n}\n",
    "server {\n  ssl_certificate a.pem }\n  listen 443;\n}\n",
    "http { server { listen 443 ssl } }\n",
    'ssl_stapling "%d";\nlisten 443;\n',
    'ssl_stapling "%s";\nlisten 443;\n',
    "events {} ; http {} ;; } listen 80;",
    '{ a; } b c; "never reached',
    "a b\\",
    "a b\\\\",
]


def test_real_world_shapes() -> None:
    assert_same(SHAPES)


def test_every_fixture_and_example_file() -> None:
    texts = []
    for root in (REPO / "tests" / "fixtures", REPO / "examples"):
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.stat().st_size <= 256 * 1024:
                texts.append(path.read_bytes().decode("utf-8-sig", errors="replace"))
    assert len(texts) > 100
    assert_same(texts)


def test_every_string_in_the_test_suite() -> None:
    """Inline nginx texts of the other tests (and any other string: all are valid inputs)."""
    texts = set()
    for path in sorted((REPO / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
                texts.add(node.value)
    assert len(texts) > 1000
    assert_same(sorted(texts))


def test_benchmark_generated_files() -> None:
    spec = importlib.util.spec_from_file_location("nginx_scale", REPO / "benchmarks" / "nginx_scale.py")
    assert spec is not None and spec.loader is not None
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    texts = []
    for n in range(16):
        texts.append(
            scale.CONF.format(
                n=n,
                a=n // 250,
                b=n % 250 + 1,
                m=n % 4,
                tokens="off" if n % 3 else "on",
                protocols=scale.PROTOCOLS[n % len(scale.PROTOCOLS)],
                ciphers=scale.CIPHERS[n % len(scale.CIPHERS)],
                cert="rsa" if n % 2 else "ec",
                verify="on" if n % 5 == 0 else "off",
            )
        )
    assert_same(texts)


# Pieces random texts are made of: every character class crossplane's lexer treats specially.
PIECES = [
    " ", "  ", "\t", "\n", "\r\n", "\r", "\x0b", "\x0c", "\u00a0", "\u2028", "\u3000",
    ";", "{", "}", "#", "# c\n", '"', "'", "\\", "\\\\", '\\"', "\\'", "\\\n", "\\ ", "\\{", "\\}", "\\;",
    "$", "${", "}", "$a", "${a}", "${a b}", "$${", "(", ")", "( ", " )",
    "server", "http", "location", "if", "listen", "ssl_protocols", "ssl_stapling", "ssl_ciphers",
    "events", "stream", "upstream", "map", "include", "on", "off", "maybe", "%s", "%d",
    "TLSv1.2", "a", "b", "é", "\u4f8b", "\x00", "\ufeff",
]  # fmt: skip


def random_texts(seed: int, count: int) -> list[str]:
    chooser = random.Random(seed)
    return ["".join(chooser.choices(PIECES, k=chooser.randint(0, 40))) for _ in range(count)]


def mutations(seed: int, count: int) -> list[str]:
    """Real shapes with characters and pieces inserted, deleted or swapped at random places."""
    chooser = random.Random(seed)
    out = []
    for _ in range(count):
        text = chooser.choice(SHAPES)
        for _ in range(chooser.randint(1, 4)):
            at = chooser.randint(0, len(text))
            action = chooser.random()
            if action < 0.4:
                text = text[:at] + chooser.choice(PIECES) + text[at:]
            elif action < 0.7:
                text = text[:at] + text[at + chooser.randint(1, 3) :]
            else:
                text = text[:at] + chooser.choice(PIECES) + text[at + 1 :]
        out.append(text)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_random_texts(seed: int) -> None:
    assert_same(random_texts(seed, 5000))


@pytest.mark.parametrize("seed", range(4))
def test_random_mutations_of_real_shapes(seed: int) -> None:
    assert_same(mutations(seed, 2500))


def test_file_name_absent_or_odd() -> None:
    texts = ["a {", "a }", 'a "b', "ssl_stapling x;", "x ${y"]
    assert_same(texts, None)
    assert_same(texts, "dir with space/ü.conf")


def test_lua_blocks_are_left_to_crossplane() -> None:
    lua = [text for text in SHAPES if "_by_lua_block" in text]
    assert lua and all(lexer.parse(text, "site.conf") is None for text in lua)
    assert all(lexer.parse(text, "site.conf") is not None for text in SHAPES if text not in lua)


@pytest.mark.parametrize("depth", [1, 40, lexer.DEPTH_LIMIT - 1, lexer.DEPTH_LIMIT, lexer.DEPTH_LIMIT + 1, 2000])
def test_deep_nesting(depth: int) -> None:
    """Nesting past DEPTH_LIMIT is crossplane's to parse; up to it the lexer agrees. (At 2,000 levels
    crossplane runs out of Python stack: its generators then end the file early, with an "unexpected
    end of file" error at whatever line they had reached, so the caller's stack depth matters.)"""
    nested = "a {\n" * depth + "listen 443;\n" + "}\n" * depth
    unclosed = "server {\n" * depth + "listen 443;\n"  # a block that never closes, at every level
    swallowed = "a { b }\n" * depth  # each "}" ends b's arguments: crossplane nests one level deeper
    for text in (nested, unclosed, swallowed):
        got = lexer.parse(text, "site.conf")
        if depth <= lexer.DEPTH_LIMIT:
            assert got == oracle(text)
        else:
            assert got is None


def test_the_comparison_can_fail() -> None:
    """The oracle sees a difference as small as one line number or one argument."""
    text = "http {\n  listen 443 ssl;\n}\n"
    tree = lexer.parse(text, "site.conf")
    assert tree == oracle(text)
    tree["parsed"][0]["block"][0]["line"] += 1
    assert tree != oracle(text)
    assert differences(["a b;"]) == [] and oracle("a b;") != oracle("a  c;")


def _cpu_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        lexer.parse(text, "site.conf")
        best = min(best, time.process_time() - start)
    return max(best, 1e-4)


@pytest.mark.parametrize(
    "shape",
    [
        lambda k: "a;" + " " * k,  # trailing whitespace: one match, not a search from each character
        lambda k: 'a "' + "x\\y" * k,  # a quote never closed, full of escapes
        lambda k: "'" * k,
        lambda k: "a " + "x\\y" * k + ";",
        lambda k: "#" + "\\" * k,
        lambda k: "${" * k,
        lambda k: "a ${b}" * k,
        lambda k: "a {\n" * min(k, 90) + "b;\n" * k,
    ],
    ids=["trailing-space", "unclosed-quote", "quotes", "escapes", "comment", "dollar-brace", "variables", "nested"],
)
def test_cost_is_linear_in_the_text(shape) -> None:
    small, large = _cpu_seconds(shape(4000)), _cpu_seconds(shape(40000))
    assert large / small < 40, f"10x the text cost {large / small:.0f}x the time"
