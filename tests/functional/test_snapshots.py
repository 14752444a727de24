"""What the screens look like, at 80x24 and 120x40 (pytest-textual-snapshot).

Everything that could change between runs is fixed: the clock, the device facts, the
export folder, a check whose result never changes, an empty (or seeded) data folder, and
no blinking cursors. Update the pictures with ``pytest --snapshot-update`` after a
deliberate change, and look at them before committing.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from checks.api import Check, CheckContext, CheckResult, Metric, Progress, Status, Table
from checks.api import CheckResult as Result
from wizard.config import load_config
from wizard.engine import Answer, Continue
from wizard.saved import SavedSession
from wizard.store import open_store
from wizard.tui.app import WizardApp
from wizard.workspace import Workspace

SNAP = Path(__file__).resolve().parent.parent / "fixtures" / "snapshot"
MORE = SNAP.with_name("snapshot-more")
"""The kinds of step the first guide lacks: info, done, a check that runs until cancelled."""
SIZES = [(80, 24), (120, 40)]
DEVICE = {
    "os": "TestOS 1.0",
    "machine": "x86_64",
    "interfaces": [],
    "time_zone": "CET",
    "utc_offset": "+01:00",
}


class FixedCheck(Check):
    """Always the same result, instantly."""

    id = "fixed"
    title = "Fixed check"
    outcomes = ("ok",)

    async def run(self, context: CheckContext) -> CheckResult:
        return self.result(
            "ok",
            Status.OK,
            "Everything answered normally.",
            advice="Nothing to do here; carry on with the next step.",
            details={
                "layers": [
                    {"name": "Network", "status": "ok", "summary": "connected: wlan0 (wifi)"},
                    {"name": "TikTok", "status": "ok", "summary": "2 of 2 endpoints answered"},
                ]
            },
            metrics=(
                Metric("download", 48.2, "Mbit/s", "download"),
                Metric("latency", 23.0, "ms", "latency"),
            ),
            tables=(
                Table(
                    "Endpoints",
                    ("url", "result"),
                    (("https://one.example/", "ok"), ("https://two.example/", "ok")),
                ),
            ),
        )


class HeldCheck(Check):
    """Says how far it got, then runs until it is cancelled."""

    id = "held"
    title = "Held check"
    outcomes = ("ok",)
    timeout_s = 3600.0

    async def run(self, context: CheckContext) -> CheckResult:
        context.progress(
            Progress("download", 0.4, value=148.2, unit="Mbit/s", elapsed_s=2, expected_s=5)
        )
        await asyncio.Event().wait()
        raise AssertionError("never reached")


HELD = "check: A check that takes its time"
"""The worker of the held check's step (see ends.yaml)."""


def make_app(data_dir: Path, guide: str | None = None, content: Path = SNAP) -> WizardApp:
    config = load_config(data_dir=data_dir, environ={})
    workspace = Workspace(config, content_paths=[content])
    workspace.registry.add(FixedCheck)
    workspace.registry.add(HeldCheck)
    return WizardApp(
        workspace,
        guide,
        device=DEVICE,
        clock=lambda: datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
        export_dir=Path("/home/someone/Downloads"),
    )


async def steady(pilot: Pilot[int]) -> None:
    """No blinking cursors, workers done, messages drained."""
    await pilot.pause()
    # The export worker waits on its own dialog, the held check for a cancel: waiting
    # for either would never end.
    busy = [
        w for w in pilot.app.workers if w.group != "export" and w.name != HELD and not w.is_finished
    ]
    if busy:  # an empty list would mean "all of them"
        await pilot.app.workers.wait_for_complete(busy)
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()


def press_then_steady(*keys: str):
    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await steady(pilot)
        await steady(pilot)

    return run_before


STATES = {
    "home": (None, ()),
    "ask": ("snap", ()),
    "input-choice": ("snap", ("1",)),
    "input-error": ("snap", ("1", "2", "x", "y", "enter")),
    "check-result": ("snap", ("1", "2", "4", "1", ".", "2", ".", "0", "enter")),
    "fix-tabs": ("snap", ("1", "2", "4", "1", ".", "2", ".", "0", "enter", "enter")),
    "solved": ("snap", ("1", "2", "4", "1", ".", "2", ".", "0", "enter", "enter", "y")),
    "report-node": ("snap", ("2",)),
    "report-screen": ("snap", ("2", "enter")),
    "export-dialog": ("snap", ("2", "enter", "ctrl+e")),
    "help": (None, ("question_mark",)),
    "history": (None, ("h",)),
}
MORE_STATES = {
    "info": ("1",),
    "done": ("1", "enter"),
    "check-running": ("2",),
    "check-cancelled": ("2", "escape"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("state", list(STATES))
def test_screen(snap_compare, tmp_path: Path, state: str, size: tuple[int, int]) -> None:
    guide, keys = STATES[state]
    assert snap_compare(
        make_app(tmp_path, guide), run_before=press_then_steady(*keys), terminal_size=size
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_with_resume_and_history(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(tmp_path)
    guides = app.workspace.library.guides
    with open_store(tmp_path) as store:
        saved = SavedSession.start(guides["unfollow"], store, "2026-11-23T09:00:00+00:00")
        saved.apply(Answer("platform", "android", at="2026-11-23T09:00:03+00:00"))
        saved.apply(Answer("goal", "dropping", at="2026-11-23T09:00:05+00:00"))
        saved.apply(Continue("why-drop", at="2026-11-23T09:00:09+00:00"))
        store.add_check_result(
            None,
            Result(
                "speed",
                "good",
                Status.OK,
                "Good.",
                metrics=(
                    Metric("download", 87.5, "Mbit/s", "download"),
                    Metric("upload", 21.0, "Mbit/s", "upload"),
                ),
            ),
            at="2026-11-22T18:30:00+00:00",
        )
    assert snap_compare(app, run_before=press_then_steady(), terminal_size=size)


@pytest.mark.parametrize("state", list(STATES))
def test_screen_light_80x24(snap_compare, tmp_path: Path, state: str) -> None:
    """The same screens in the light theme, at the smallest size."""
    guide, keys = STATES[state]
    assert snap_compare(
        make_app(tmp_path, guide),
        run_before=press_then_steady("ctrl+t", *keys),
        terminal_size=(80, 24),
    )


@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("state", list(MORE_STATES))
def test_more_steps_at_80x24(snap_compare, tmp_path: Path, state: str, theme: str) -> None:
    """Info, done, and a check while it runs and once cancelled, in both themes."""
    keys = ("ctrl+t",) * (theme == "light") + MORE_STATES[state]
    assert snap_compare(
        make_app(tmp_path, "ends", MORE),
        run_before=press_then_steady(*keys),
        terminal_size=(80, 24),
    )


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_failure_screen_at_80x24(snap_compare, tmp_path: Path, theme: str) -> None:
    """What an unexpected failure looks like (the log's path fixed for the picture)."""
    from wizard.tui.screens.failure import FailureScreen

    async def run_before(pilot: Pilot[int]) -> None:
        await steady(pilot)
        if theme == "light":
            await pilot.press("ctrl+t")
        await pilot.app.push_screen(
            FailureScreen(
                "RuntimeError: injected failure",
                "Your walk is saved up to your last answer.",
                Path("/home/someone/.local/share/wizard/errors.log"),
            )
        )
        await steady(pilot)

    assert snap_compare(make_app(tmp_path, "snap"), run_before=run_before, terminal_size=(80, 24))
