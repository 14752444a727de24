"""A check stuck in a system call is abandoned at its deadline, and the command ends then.

Each case runs the real ``wizard`` command on a check that opens a FIFO no one writes to,
in each of the places blocking work ends up: ``run_blocking``, a library's own non-daemon
thread, and the event loop's default executor. The check's deadline is its default of one second.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from wizard_test_checks.blocked import WAYS, BlockedCheck

from wizard.runner import GRACE_S


@pytest.fixture
def startup_s(wizard_cli) -> float:
    """What starting and ending the command costs on this machine now (twice a plain
    ``wizard checks``, measured in the same run, so a loaded machine moves the floor
    and the bound together); a command that waited for the blocked thread would never
    end at all."""
    started = time.monotonic()
    assert wizard_cli("checks").code == 0
    return 2 * (time.monotonic() - started) + 0.5


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "no-writer"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("how", WAYS)
def test_check_command_ends_at_the_deadline(
    wizard_cli, fifo: Path, how: str, startup_s: float
) -> None:
    started = time.monotonic()
    result = wizard_cli(
        "check", "blocked", "--param", f"fifo={fifo}", "--param", f"how={how}", timeout=15
    )
    elapsed = time.monotonic() - started
    assert result.code == 4, (result.out, result.err)
    assert "did not finish within 1.0 s" in result.out
    assert "Traceback" not in result.err and "Task was destroyed" not in result.err, result.err
    assert elapsed < BlockedCheck.timeout_s + 2 * GRACE_S + startup_s, (elapsed, startup_s)


@pytest.mark.parametrize("how", WAYS)
def test_run_command_goes_on_past_a_blocked_check(
    wizard_cli, fifo: Path, tmp_path: Path, how: str, startup_s: float
) -> None:
    guide = tmp_path / "blocked.yaml"
    guide.write_text(
        "id: blocked-walk\n"
        "title: A walk through a blocked check\n"
        "summary: The check never returns on its own.\n"
        "start: probe\n"
        "nodes:\n"
        "  probe:\n"
        "    kind: check\n"
        "    check: blocked\n"
        f"    params: {{fifo: {json.dumps(str(fifo))}, how: {how}}}\n"
        "    on:\n"
        "      ok: done\n"
        "    otherwise: support\n"
        "  done:\n"
        "    kind: done\n"
        "    title: Done\n"
        "  support:\n"
        "    kind: report\n"
        "    title: Contact support\n"
        "    text: We prepare a report for support.\n",
        "utf-8",
    )
    started = time.monotonic()
    result = wizard_cli("run", "blocked-walk", "--content", str(guide), "--json", timeout=15)
    elapsed = time.monotonic() - started
    assert result.code == 0, (result.out, result.err)
    data = json.loads(result.out)
    assert [c["outcome"] for c in data["checks"]] == ["timeout"]
    assert data["end"]["node"] == "support"
    assert "Traceback" not in result.err and "Task was destroyed" not in result.err, result.err
    assert elapsed < BlockedCheck.timeout_s + 2 * GRACE_S + startup_s, (elapsed, startup_s)
