"""What the screens say matches the store: home rebuilt when shown, sessions made at the first
answer, Continue opening the session offered, Restart starting a new walk."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button

from tests.functional.test_tui_leaving import HeldCheck, make_app, walk
from wizard.engine import Note
from wizard.store import open_store
from wizard.tui.screens.check import CheckScreen
from wizard.tui.screens.confirm import ConfirmScreen
from wizard.tui.screens.home import HomeScreen


def sessions(tmp_path: Path) -> list[tuple[str, str, str]]:
    with open_store(tmp_path / "data") as store:
        return [(r.id, r.status, r.current_node) for r in store.sessions()]


async def test_home_follows_the_store_and_continue_opens_the_session_offered(
    tmp_path: Path,
) -> None:
    import asyncio

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # A guide opened and left without an answer leaves nothing behind.
        assert app.sorted_guides()[1].id == "held"
        await pilot.press("2")
        await pilot.pause()
        assert walk(app).session.current == "first"
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and not app.screen.query("#resume-card")
        assert sessions(tmp_path) == []
        # One answer saves the walk; back on home, the banner offers exactly it.
        HeldCheck.gate = asyncio.Event()
        await pilot.press("2", "1")
        await pilot.pause()
        assert walk(app).session.current == "wait"
        await pilot.press("b", "b")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        [(session_id, status, _)] = sessions(tmp_path)
        assert status == "active"
        assert "Unfinished:" in str(app.screen.query_one("#resume-card Static").render())
        assert app.screen.offered is not None and app.screen.offered.id == session_id
        await pilot.press("c")
        await pilot.pause()
        assert walk(app).saved.id == session_id
        await pilot.press("2")  # Stop here: the walk is solved
        await pilot.pause()
        assert walk(app).session.status == "solved"
        await pilot.click("#home")  # Back to the guides
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert not home.query("#resume-card") and home.offered is None
        await pilot.press("c")  # nothing to continue: nothing opens
        await pilot.pause()
        assert app.screen is home
        assert sessions(tmp_path) == [(session_id, "solved", "end")]
        # A check run from the palette shows in Recent checks once home is back.
        assert not home.query("#recent")
        HeldCheck.gate.set()
        app.open_check("held", "Held")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.click("#continue")
        await pilot.pause()
        assert app.screen is home and home.query("#recent")


async def test_restart_asks_then_starts_a_new_walk_and_the_old_one_stays(tmp_path: Path) -> None:
    import asyncio

    HeldCheck.gate = asyncio.Event()
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.start_guide("held")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        screen = walk(app)
        screen.saved.apply(Note("my own words about my account", at="2026-11-23T10:00:00+00:00"))
        first = screen.saved.id
        assert first is not None
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep going: nothing changes
        await pilot.pause()
        assert app.screen is screen and screen.saved.id == first
        assert screen.session.current == "wait"
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#yes", Button).press()
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen and screen.session.current == "first"
        assert screen.saved.id is None  # saved from its first answer
        assert screen.session.note == "" and screen.session.path == []
        assert sessions(tmp_path) == [(first, "abandoned", "wait")]
        await pilot.press("2")  # Stop here
        await pilot.pause()
        second = screen.saved.id
        assert second not in (None, first)
        # Restart at the end of a walk loses nothing, so it does not ask.
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen and screen.session.current == "first"
    rows = sessions(tmp_path)
    assert (first, "abandoned", "wait") in rows and (second, "solved", "end") in rows
    assert len(rows) == 2
