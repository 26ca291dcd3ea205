"""nginx's TLS directives by release (``tlslint.catalog.nginx_directives``) against the real ``nginx``: for
every TLS directive of the table, ``nginx -t`` says "unknown directive" exactly when tlslint says the
release does not know it (the version given: an error), apart from modules this binary was built
without; and misspellings of TLS directives, which nginx calls unknown, get tlslint's warning."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from engines import servers

from tlslint.catalog._nginx_directive_data import DIRECTIVES
from tlslint.catalog.nginx_directives import judged

NGINX = servers.find_binary("nginx", "/usr/sbin/nginx") or "/usr/sbin/nginx"
STREAM = Path("/usr/lib/nginx/modules/ngx_stream_module.so")

pytestmark = pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is not installed")

MISSPELT = ["ssl_protocol", "ssl_certficate", "proxy_ssl_verfy", "ssl_dh_param", "ssl_ecdh_curves"]
CASES = [*sorted(name for name in DIRECTIVES if judged(name)), *MISSPELT]


def _config(directory: Path, name: str) -> Path:
    config = directory / f"{name}.conf"
    load = f"load_module {STREAM};\n" if STREAM.exists() else ""
    config.write_text(f"{load}events {{}}\n{name} x;\n")
    return config


def _version() -> str:
    shown = subprocess.run([NGINX, "-v"], capture_output=True, text=True, check=True).stderr
    match = re.search(r"nginx/(\d+\.\d+\.\d+)", shown)
    assert match, shown
    return match[1]


def _built_in(name: str) -> bool:
    """Whether this nginx (or its stream module) holds the directive's name: else its module is not built."""
    binaries = [Path(NGINX).resolve(), STREAM]
    return any(f"\0{name}\0".encode() in path.read_bytes() for path in binaries if path.exists())


@pytest.fixture(scope="module")
def unknown(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bool]:
    """Per directive, whether ``nginx -t`` calls it unknown."""
    directory = tmp_path_factory.mktemp("directives")
    answers = {}
    for name in CASES:
        config = _config(directory, name)
        checked = subprocess.run(
            [NGINX, "-t", "-p", str(directory), "-c", str(config), "-e", str(directory / "error.log")],
            capture_output=True,
            text=True,
            check=False,
        )
        answers[name] = f'unknown directive "{name}"' in checked.stderr
    return answers


@pytest.mark.parametrize("name", CASES)
def test_tlslint_says_nginx_refuses_a_tls_directive_exactly_when_it_does(
    name: str, unknown: dict[str, bool], tmp_path: Path
) -> None:
    from tlslint.run import parse_inputs
    from tlslint.sources.base import ParseContext

    inputs = parse_inputs(
        [str(_config(tmp_path, name))], ParseContext(at=servers.AT, engine_versions={"nginx": _version()})
    )
    said = [
        d
        for d in inputs.diagnostics
        if f"does not know '{name}'" in d.message or f'unknown directive "{name}"' in d.message
    ]
    if unknown[name] and not said and name in DIRECTIVES:
        assert not _built_in(name), f"{name}: nginx does not know it, and tlslint says this release does"
        return  # a module this binary was built without (mail's starttls)
    assert bool(said) == unknown[name], f"nginx -t unknown={unknown[name]}; tlslint said {said}"
    if said:
        assert [d.severity for d in said] == ["warning" if name in MISSPELT else "error"]
