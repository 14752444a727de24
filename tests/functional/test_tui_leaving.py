"""Leaving a step while its check runs: every key and click, at every moment of the check.

The check here is held open by the test (an event it sets), so that "running" and
"finishing" are moments the test chooses, not a race it hopes to win.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest

from checks.api import Check, CheckContext, CheckResult, Progress, Status
from wizard.config import load_config
from wizard.store import open_store
from wizard.tui.app import WizardApp
from wizard.tui.screens.walk import WalkScreen
from wizard.tui.widgets.bars import KeyBar
from wizard.workspace import Workspace

GUIDE = """\
id: held
title: A check held open
summary: One question, then a check the test lets go of.
start: first
nodes:
  first:
    kind: ask
    title: Go on?
    text: Pick the only answer.
    options:
      - {key: go, label: Go on, next: wait}
      - {key: stop, label: Stop here, next: end}
  wait:
    kind: check
    title: Waiting
    check: held
    on:
      ok: end
    otherwise: end
  end:
    kind: done
    title: Done
    text: All done.
"""


class HeldCheck(Check):
    """Waits until the test sets :attr:`gate`; counts its starts and cancellations."""

    id = "held"
    title = "Held"
    outcomes = ("ok",)
    timeout_s = 600
    gate: ClassVar[asyncio.Event]
    started: ClassVar[int] = 0
    cancelled: ClassVar[int] = 0

    async def run(self, context: CheckContext) -> CheckResult:
        type(self).started += 1
        context.progress(Progress("waiting", None, "held open by the test"))
        try:
            await type(self).gate.wait()
        except asyncio.CancelledError:
            type(self).cancelled += 1
            raise
        return self.result("ok", Status.OK, "Let go.")


def make_app(folder: Path) -> WizardApp:
    guides = folder / "guides"
    guides.mkdir()
    (guides / "held.yaml").write_text(GUIDE, "utf-8")
    config = load_config(data_dir=folder / "data", environ={})
    workspace = Workspace(config, content_paths=[guides])
    workspace.registry.add(HeldCheck)
    return WizardApp(workspace, device={}, clock=lambda: datetime(2026, 11, 23, 10, 0, tzinfo=UTC))


def walk(app: WizardApp) -> WalkScreen:
    screen = app.screen
    assert isinstance(screen, WalkScreen), type(screen).__name__
    return screen


async def click_key(pilot: Any, app: WizardApp, label: str) -> None:
    """Click a key in the key line by its label ("b Back")."""
    keys = app.screen.query_one(KeyBar).render().plain
    assert label in keys, keys
    await pilot.click(KeyBar, offset=(keys.index(label) + 1, 0))


Leave = Callable[[Any, WizardApp], Awaitable[None]]


def by_key(key: str) -> Leave:
    async def leave(pilot: Any, app: WizardApp) -> None:
        await pilot.press(key)

    return leave


def by_click(label: str) -> Leave:
    async def leave(pilot: Any, app: WizardApp) -> None:
        await click_key(pilot, app, label)

    return leave


def confirmed(leave: Leave) -> Leave:
    """``leave``, then Yes in the dialog that asks first (Restart, with answers given)."""

    async def leave_and_confirm(pilot: Any, app: WizardApp) -> None:
        await leave(pilot, app)
        await pilot.pause()
        await pilot.press("y")

    return leave_and_confirm


LEAVING = {
    "b": (by_key("b"), "first"),
    "backspace": (by_key("backspace"), "first"),
    "r": (confirmed(by_key("r")), "first"),
    "click Back": (by_click("b Back"), "first"),
    "click Restart": (confirmed(by_click("r Restart")), "first"),
}
MOMENTS = ("before start", "running", "finishing", "done")


async def to_the_check(pilot: Any, app: WizardApp, moment: str) -> None:
    """Answer the question, then bring the check to ``moment``."""
    HeldCheck.gate = asyncio.Event()
    if moment == "done":
        HeldCheck.gate.set()
    await pilot.press("1")
    if moment == "before start":
        return  # the key comes with the step's first frame, before the check has started
    await pilot.pause()
    for _ in range(50):
        if moment == "done" and walk(app).last_result is not None:
            return
        if moment != "done" and HeldCheck.started > walk(app).started_before:  # type: ignore[attr-defined]
            break
        await pilot.pause(0.02)
    if moment == "finishing":
        HeldCheck.gate.set()
        await asyncio.sleep(0)  # the check returns; its result is on its way to the screen


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("how", list(LEAVING))
async def test_leaving_a_step_while_its_check_runs(tmp_path: Path, how: str, moment: str) -> None:
    leave, lands_on = LEAVING[how]
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_guide("held")
        await pilot.pause()
        walk(app).started_before = HeldCheck.started  # type: ignore[attr-defined]
        cancelled_before = HeldCheck.cancelled
        await to_the_check(pilot, app, moment)
        await leave(pilot, app)
        for _ in range(5):
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = walk(app)
        assert screen.session.current == lands_on
        assert not screen.query("CheckPanel")
        assert screen.running is None
        if moment == "running":
            assert HeldCheck.cancelled == cancelled_before + 1  # the run stopped with the step
        # The walk goes on from there: the check runs again and its result is taken.
        HeldCheck.gate.set()
        await pilot.press("1")
        for _ in range(50):
            await pilot.pause(0.02)
            if screen.last_result is not None:
                break
        assert screen.last_result is not None and screen.last_result.summary == "Let go."
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.current == "end"
    assert app.return_code in (None, 0)
    with open_store(tmp_path / "data") as store:
        row = store.latest()
        assert row is not None and row.status == "solved"


@pytest.mark.parametrize("moment", ("running", "finishing"))
async def test_escape_during_a_check_cancels_it_and_the_step_stays(
    tmp_path: Path, moment: str
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_guide("held")
        await pilot.pause()
        walk(app).started_before = HeldCheck.started  # type: ignore[attr-defined]
        await to_the_check(pilot, app, moment)
        await pilot.press("escape")
        for _ in range(5):
            await pilot.pause()
        screen = walk(app)
        assert screen.session.current == "wait"
        verdict = str(screen.query_one("#verdict").render())
        if moment == "running":
            assert "cancelled" in verdict
            # Cancelled: run it again, or skip it (the guide's way on when it is not run).
            assert screen.query("#retry") and screen.query("#skip")
            await pilot.click("#skip")
            await pilot.pause()
            await pilot.pause()
            assert screen.session.current == "end"
            assert screen.session.path[-1].choice == "not_run"
        else:  # the result won the race: it is shown, and taken
            assert "Let go." in verdict or "cancelled" in verdict
