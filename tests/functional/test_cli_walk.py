"""``wizard run`` as a person reads it, Ctrl-C, and the README's exit-code table."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import PLUGINS, ROOT

SHOWN = """\
id: shown
title: A guide to read
summary: Markdown in every step.
start: ask
nodes:
  ask:
    kind: ask
    title: What **exactly** happens?
    text: |
      Pick the one that fits **best**:

      - a *list* item with `code`
      - see [the help](https://example.org/help)
    options:
      - {key: likes, label: My likes vanish, next: platform}
      - {key: other, label: Something else, next: fix}
  platform:
    kind: input
    type: platform
    fact: platform
    text: Which platform?
    next: fix
  fix:
    kind: fix
    title: Log out and in again
    steps: Do the **common** thing.
    variants:
      ios: "1. Open **Profile**\\n2. Log out"
    next: done
  done:
    kind: report
    title: Ask support
    text: We write a report for **support**.
"""

SLOW = """\
id: slow
title: A slow walk
summary: A check that takes its time.
start: first
nodes:
  first: {kind: input, fact: first, text: First value?, next: wait}
  wait: {kind: check, check: slow, params: {seconds: "30"}, otherwise: end}
  end: {kind: report, title: Report}
"""


def test_run_shows_each_step_as_a_person_reads_it(wizard_cli, tmp_path: Path) -> None:
    (tmp_path / "shown.yaml").write_text(SHOWN, "utf-8")
    answers = ("--answer", "ask=1", "--answer", "platform=ios", "--answer", "fix=no")
    result = wizard_cli("run", "shown", "--content", str(tmp_path), *answers)
    assert result.code == 0, result.err
    out = result.out
    assert "**" not in out and "`" not in out
    expected = [
        "What exactly happens?",
        "  Pick the one that fits best:",
        "  • a list item with code",
        "  • see the help (https://example.org/help)",
        "  1. My likes vanish  (likes)",
        "  2. Something else  (other)",
        "  → My likes vanish",
        "Which platform?",
        "  → ios",
        "Log out and in again",
        "  1. Open Profile",
        "  2. Log out",
        "  Did it help? (yes or no)",
        "  → no, it did not help",
        "Ask support",
        "  We write a report for support.",
    ]
    lines = out.splitlines()
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions), out
    assert "common thing" not in out  # the iPhone steps, not the common ones


LONG_DEADLINE = ("--set", "slow.deadline_s=60")


def _start(args: list[str], tmp_path: Path) -> subprocess.Popen[str]:
    exe = shutil.which("wizard")
    assert exe
    env = dict(os.environ, PYTHONPATH=str(PLUGINS), PYTHONIOENCODING="utf-8")
    return subprocess.Popen(
        [exe, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def _interrupt_run(tmp_path: Path) -> tuple[int, str, str]:
    (tmp_path / "slow.yaml").write_text(SLOW, "utf-8")
    proc = _start(
        ["run", "slow", "--content", str(tmp_path), "--answer", "first=x", *LONG_DEADLINE], tmp_path
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if "Running the slow check" in line:
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    return proc.returncode, "".join(seen) + out, err


def test_ctrl_c_in_a_run_names_the_session_to_resume(wizard_cli, tmp_path: Path) -> None:
    code, _, err = _interrupt_run(tmp_path)
    assert code == 130, err
    history = json.loads(wizard_cli("history", "--json").out)
    [session] = history["sessions"]
    assert f"session {session['id']} is saved" in err
    assert f"wizard resume {session['id']}" in err
    assert "Traceback" not in err


def test_ctrl_c_in_a_check_claims_no_session(tmp_path: Path) -> None:
    proc = _start(["check", "slow", "--param", "seconds=30", *LONG_DEADLINE], tmp_path)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "session" not in err and "saved" not in err


def _readme_codes() -> dict[int, str]:
    text = (ROOT / "README.md").read_text("utf-8")
    table = text.split("### Exit codes", 1)[1].split("\n## ", 1)[0]
    return {int(m[1]): m[2] for m in re.finditer(r"^\| (\d+) \| (.*) \|$", table, re.M)}


FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = str(FIXTURES / "guides")
COMMANDS: dict[int, tuple[str, ...]] = {
    0: ("run", "sample", "--content", SAMPLE, "--answer", "which=other"),
    1: ("lint", str(FIXTURES / "invalid" / "many-errors.yaml")),
    2: ("tui", "--guide", "nosuch"),
    3: ("run", "sample", "--content", SAMPLE, "--answer", "which=likes"),
    4: ("check", "boom"),
    5: ("lint", "/nonexistent"),
}


def test_every_exit_code_of_the_readme_has_a_test() -> None:
    assert set(_readme_codes()) == {*COMMANDS, 130, 70}  # each has a test_exit_code_N below


@pytest.mark.parametrize("code", sorted(COMMANDS))
def test_exit_code(code: int, wizard_cli) -> None:
    result = wizard_cli(*COMMANDS[code])
    assert result.code == code, (result.out, result.err)
    assert "Traceback" not in result.err
    if code:
        assert result.err.startswith("wizard: ") or code in (1, 3, 4), result.err


def test_exit_code_130(tmp_path: Path) -> None:
    code, _, err = _interrupt_run(tmp_path)
    assert code == 130, err


def test_exit_code_70(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug no input can be blamed for (here a command that raises): exit 70, said in one
    line, the traceback in the errors log of the data folder."""
    from wizard.cli import main

    def broken(args: object) -> int:
        raise RuntimeError("a fault")

    monkeypatch.setattr(main, "_handler", lambda name: broken)
    code = main.main(["--data-dir", str(tmp_path), "guides"])
    err = capsys.readouterr().err
    assert code == 70
    assert err.strip() == (
        "wizard: something went wrong that should not have (RuntimeError); "
        f"the details are in {tmp_path / 'errors.log'}"
    )
    assert "RuntimeError: a fault" in (tmp_path / "errors.log").read_text(encoding="utf-8")


FOLLOW_BACK = ("--answer", "platform=android", "--answer", "goal=follow-back")


def test_a_path_answer_must_name_something_that_is_there(wizard_cli, tmp_path: Path) -> None:
    """The rule the TUI keeps for a path step holds for ``wizard run --answer`` too: refused
    before a session exists (exit 2), and a ``~`` path that is there is stored expanded."""
    missing = tmp_path / "no" / "such.zip"
    refused = wizard_cli(
        "run", "unfollow", *FOLLOW_BACK, "--answer", f"export-path={missing}", "--json"
    )
    assert refused.code == 2, refused.err
    assert refused.err.strip() == (
        f"wizard: --answer export-path={missing}: the answer {str(missing)!r} for "
        f"'export-path' does not fit: there is no file or folder at {missing}"
    )
    assert refused.out == ""
    history = wizard_cli("history", "--json")
    assert history.code == 0, history.err
    assert "unfollow" not in history.out, "a refused answer started a session"

    (tmp_path / "export.zip").write_bytes(b"")
    walked = wizard_cli(
        "run",
        "unfollow",
        *FOLLOW_BACK,
        "--answer",
        "follow-back=export",
        "--answer",
        "export-path=~/export.zip",
        "--no-save",
        "--json",
        env={"HOME": str(tmp_path)},
    )
    assert walked.code == 0, walked.err
    assert json.loads(walked.out)["facts"]["export"] == str(tmp_path / "export.zip")
