"""The wheel ships the content: built, installed in a fresh venv, it lists the guides."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_and_finds_its_content(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    wheel = next(dist.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = [n for n in names if n.startswith("wizard/_content/guides/") and n.endswith(".yaml")]
    assert shipped, "the wheel carries no guides"
    assert "checks/app-versions.json" in names, "the version list ships beside its check"
    assert not any(n.endswith("app-versions.json") and not n.startswith("checks/") for n in names)
    assert "wizard/report/report.schema.json" in names
    # Nothing of ours but the two packages goes into site-packages (README, "checks").
    top = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith(".dist-info")}
    assert top == {"wizard", "checks"}, top

    env_dir = tmp_path / "venv"
    # System site-packages provide the dependencies (no network needed); the wheel itself
    # goes into the venv, whose site-packages come first on sys.path. --ignore-installed:
    # when the base interpreter has the package too (the README's first command run outside
    # a venv), pip would call it "already satisfied" and leave the venv without it.
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--ignore-installed",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    where = subprocess.run(
        [str(python), "-c", "import wizard; print(wizard.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert str(env_dir) in where.stdout, where.stdout + where.stderr
    listing = subprocess.run(
        [str(env_dir / "bin" / "wizard"), "guides", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert listing.returncode == 0, listing.stderr
    guides = json.loads(listing.stdout)
    assert len(guides) == len(shipped)
    assert all("/_content/" in g["file"] for g in guides)
    check = [str(env_dir / "bin" / "wizard"), "check", "app_version", "--json"]
    version = subprocess.run(
        [*check, "--param", "platform=android", "--param", "version=1.0.0"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    found = json.loads(version.stdout)
    assert found["outcome"] == "outdated", found
    assert found["details"]["source"] == "snapshot", "the installed check reads its own list"
