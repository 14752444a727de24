"""Static checks run as part of the tests: ruff, mypy --strict and the import contracts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts() -> None:
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports is not installed (pip install -e '.[dev]')")
    result = _run(exe)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


FRONT_ENDS = {"wizard.tui", "wizard.cli", "wizard.__main__", "wizard.__init__"}


def test_the_textual_contract_covers_every_module_but_the_front_ends() -> None:
    """A new module under wizard/ is in the "never imports Textual" contract by default."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if "textual" in c["forbidden_modules"]
    )
    package = ROOT / "wizard"
    modules = {
        f"wizard.{p.stem}"
        for p in package.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").exists())
    }
    assert modules - FRONT_ENDS <= set(contract["source_modules"]), "add it to the contract"
