"""The whole suite again with the lowest version of every runtime dependency we allow.

Each runtime dependency in pyproject.toml has a range: the lower bound is what this test
installs (in a fresh venv, with a constraints file derived from pyproject.toml itself, so
the bounds have one home), the upper bound is the major release after the newest one the
usual run installs. Drift in either direction then shows up here first, not on a user's
machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NESTED = "WIZARD_LOWEST_VERSIONS_RUN"
_RANGE = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)>=(?P<low>[^,]+),<(?P<high>\S+)$")


def runtime_ranges() -> dict[str, tuple[str, str]]:
    """Each runtime dependency's ``(lowest, below)`` versions, as pyproject.toml states them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    ranges: dict[str, tuple[str, str]] = {}
    for requirement in project["dependencies"]:
        match = _RANGE.match(requirement.replace(" ", ""))
        assert match, f"{requirement!r}: give a range, NAME>=LOWEST,<NEXT_MAJOR"
        ranges[match["name"]] = (match["low"], match["high"])
    return ranges


def test_every_runtime_dependency_has_a_range_up_to_a_next_major() -> None:
    """The upper bound is a whole major release (the one after the newest we test)."""
    for name, (low, high) in runtime_ranges().items():
        assert re.fullmatch(r"[1-9][0-9]*", high), f"{name}: upper bound <{high} is not a major"
        assert int(high) > int(low.split(".")[0]), f"{name}: <{high} excludes >={low}"


@pytest.mark.slow
@pytest.mark.skipif(bool(os.environ.get(NESTED)), reason="this is the lowest-versions run")
def test_suite_passes_with_the_lowest_allowed_versions(tmp_path: Path) -> None:
    constraints = tmp_path / "lowest.txt"
    constraints.write_text(
        "".join(f"{name}=={low}\n" for name, (low, _) in runtime_ranges().items()),
        encoding="utf-8",
    )
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    python = bin_dir / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-c", str(constraints), f"{ROOT}[dev]"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    env = {**os.environ, NESTED: "1", "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("VIRTUAL_ENV", None)
    run = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", str(ROOT / "tests")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=2400,
    )
    installed = constraints.read_text(encoding="utf-8").replace("\n", " ")
    assert run.returncode == 0, f"with {installed}:\n{run.stdout[-6000:]}{run.stderr[-2000:]}"
    assert " passed" in run.stdout


def test_nested_runs_see_the_lowest_versions() -> None:
    if not os.environ.get(NESTED):
        pytest.skip("only in the lowest-versions run")
    from importlib.metadata import version

    for name, (low, _) in runtime_ranges().items():
        assert version(name) == low, name
