"""Fixtures shared by every test: paths, an isolated environment, the test plugins."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLUGINS = Path(__file__).resolve().parent / "plugins"

pytest_plugins = ["tests.world"]

if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the user's own config, data and cache folders."""
    home = tmp_path_factory.mktemp("home")
    config = home / "config.toml"
    config.write_text("", "utf-8")
    monkeypatch.setenv("WIZARD_CONFIG", str(config))
    monkeypatch.setenv("WIZARD_DATA_DIR", str(home / "data"))
    for name in list(os.environ):
        if name.startswith("WIZARD_") and name not in ("WIZARD_CONFIG", "WIZARD_DATA_DIR"):
            monkeypatch.delenv(name)
    return home


@dataclass
class CliResult:
    """What a run of the installed console script did."""

    code: int
    out: str
    err: str


@pytest.fixture
def wizard_cli(isolated_env: Path) -> Iterator[object]:
    """Run the installed ``wizard`` console script in a subprocess with the test plugins."""
    exe = shutil.which("wizard")
    assert exe, "the wizard console script is not installed (pip install -e .)"

    def run(
        *args: str,
        plugins: bool = True,
        timeout: float = 60,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> CliResult:
        environ = dict(os.environ)
        environ["PYTHONPATH"] = str(PLUGINS) if plugins else ""
        environ["PYTHONIOENCODING"] = "utf-8"
        environ.update(env or {})
        proc = subprocess.run(
            [exe, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=environ,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    yield run
