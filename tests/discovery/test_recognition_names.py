"""A source's file-name patterns match exactly what fnmatch.fnmatchcase matches, pattern by pattern."""

from __future__ import annotations

import fnmatch
import random
import string

from tlslint.sources import registry


def test_compiled_name_patterns_agree_with_fnmatch() -> None:
    rng = random.Random(16)
    alphabet = string.ascii_letters + string.digits + ".*?[]!-_ "
    names = [
        "nginx.conf",
        "x.CONF",
        "httpd.conf",
        "haproxy.cfg",
        "appsettings.Production.json",
        ".curlrc",
        "[x].conf",
        "a*b.conf",
        "x.conf.in",
        "site.vhost",
        "mbedtls_config.h",
        "b.cs",
        "noext",
        "",
    ]
    names += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(5000)]
    names += [name + suffix for name in names[:300] for suffix in (".conf", ".cfg", ".json", ".h", ".c")]
    for entry in registry.SOURCES:
        for name in names:
            expected = any(fnmatch.fnmatchcase(name, pattern) for pattern in entry.patterns)
            assert entry.matches_name(name) == expected, (entry.name, name)
