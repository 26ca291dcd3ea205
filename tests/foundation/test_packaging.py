"""The wheel carries its data: rule packs, policies and schemas are found outside a source checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import EXAMPLE, REPO


def test_wheel_runs_from_another_directory(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("tlslint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "tlslint/_data/policies/secure-defaults.yaml" in names
    assert "tlslint/_data/schemas/tls-configuration.schema.yaml" in names
    assert any(name.startswith("tlslint/_data/rules/core/") for name in names)
    assert "tlslint/_data/frameworks/en18031-1-2024.yaml" in names
    assert "tlslint/_data/frameworks/crosswalks/en18031-1-2024.yaml" in names

    # Install only tlslint into its own directory and put it first on the path, ahead of the editable
    # install; the dependencies come from the test environment.
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run(
        [sys.executable, "-c", "import tlslint, sys; print(tlslint.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
    )
    assert probe.stdout.startswith(str(target)), probe.stdout + probe.stderr
    result = subprocess.run(
        [sys.executable, "-m", "tlslint", "check", str(EXAMPLE)], capture_output=True, text=True, env=env, cwd=workdir
    )
    assert result.returncode == 1, result.stderr
    assert "TLS-PROTO-001" in result.stdout


def test_release_artefacts_build_and_pass_twine_check(tmp_path: Path) -> None:
    """The package is ready to publish: ``python -m build`` makes an sdist and a wheel, and ``twine check``
    accepts their metadata (the README renders as the long description)."""
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    artefacts = sorted(p.name for p in dist.iterdir())
    assert any(name.endswith(".whl") for name in artefacts) and any(name.endswith(".tar.gz") for name in artefacts)
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    sdist = next(dist.glob("*.tar.gz"))
    import tarfile

    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    for needed in ("rules/core", "policies/secure-defaults.yaml", "frameworks", "schemas/rule.schema.yaml"):
        assert any(needed in name for name in names), needed
