"""An unexpected failure in the app becomes a screen: what happened, what was kept, go on or quit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Static

from wizard.config import load_config
from wizard.store import open_store
from wizard.tui.app import WizardApp
from wizard.tui.screens.failure import FailureScreen
from wizard.tui.screens.walk import WalkScreen
from wizard.workspace import Workspace


def make_app(data_dir: Path) -> WizardApp:
    config = load_config(data_dir=data_dir, environ={})
    return WizardApp(
        Workspace(config), device={}, clock=lambda: datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    )


def shown(app: WizardApp) -> str:
    return " ".join(str(s.render()) for s in app.screen.query(Static))


async def test_a_failing_key_shows_what_happened_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An action (run by the app itself) that raises: the screen, the log, then go on."""

    async def broken(self: WalkScreen) -> None:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(WalkScreen, "action_go_back", broken)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_guide("disappearing-likes")
        await pilot.pause()
        await pilot.press("1")  # a real answer: the walk is saved
        await pilot.pause()
        before = app.screen
        assert isinstance(before, WalkScreen)
        at = before.session.current
        await pilot.press("b")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FailureScreen)
        words = shown(app)
        log = tmp_path / "errors.log"
        assert "RuntimeError: injected failure" in words
        assert "Your walk is saved" in words and str(log) in words
        assert "Traceback" in log.read_text() and "injected failure" in log.read_text()
        assert "Traceback" not in words
        monkeypatch.undo()
        await pilot.press("escape")  # go on
        await pilot.pause()
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, WalkScreen) and walk is not before
        assert walk.session.current == at
        await pilot.press("b")  # and it works again
        await pilot.pause()
        assert walk.session.current == walk.session.guide.start
        assert app.is_running
        assert isinstance(app._exception, RuntimeError)
        app._exception = None  # the failure was injected: do not fail the test run on it
    with open_store(tmp_path) as store:
        row = store.latest()
        assert row is not None and row.status == "active"


async def test_a_failing_handler_of_a_screen_offers_to_quit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message handler of a screen that raises (its own loop ends): the screen, then quit."""

    async def broken(self: WalkScreen, event: object) -> None:
        raise ValueError("injected in a handler")

    monkeypatch.setattr(WalkScreen, "apply", broken)  # called by the choice handler
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_guide("disappearing-likes")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FailureScreen)
        assert "ValueError: injected in a handler" in shown(app)
        assert "No walk was open" not in shown(app)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app._exception, ValueError)
        app._exception = None
    assert app.return_code == 0
    assert "injected in a handler" in (tmp_path / "errors.log").read_text()


async def test_a_check_result_the_app_cannot_read_is_said_and_logged(tmp_path: Path) -> None:
    """A row this version cannot read: home still opens, says so, and the log has why."""
    import sqlite3

    with open_store(tmp_path):
        pass
    with sqlite3.connect(tmp_path / "wizard.db") as db:
        db.execute(
            "INSERT INTO check_results (session_id, check_id, at, outcome, body)"
            " VALUES (NULL, 'speed', '2026-11-22T18:30:00+00:00', 'good', '{\"not\": 1}')"
        )
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any(m.startswith("The recent checks could not be read") for m in said), said
        assert not isinstance(app.screen, FailureScreen)
    assert "Traceback" in (tmp_path / "errors.log").read_text(encoding="utf-8")
