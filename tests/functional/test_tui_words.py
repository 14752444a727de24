"""What the app says in words: the palette's entries, recent checks, the path panel's room."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Label

from checks.api import CheckResult, Status
from tests.functional.test_snapshots import make_app
from wizard.store import open_store
from wizard.tui.widgets.path_panel import PathPanel


async def test_the_palette_has_only_the_apps_own_entries(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles == ["Light or dark theme", "Keys", "Quit"]


async def test_recent_checks_say_what_was_found_not_an_outcome_id(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        store.add_check_result(
            None,
            CheckResult("connectivity", "dns_failure", Status.FAILED, "Names cannot be looked up."),
            at="2026-11-22T18:30:00+00:00",
        )
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#recent", DataTable)
        row = [str(cell) for cell in table.get_row_at(0)]
        assert "Names cannot be looked up." in row and "dns_failure" not in row


@pytest.mark.parametrize(("size", "least"), [((80, 24), 26), ((160, 50), 50)])
async def test_the_path_panel_grows_with_the_terminal(
    tmp_path: Path, size: tuple[int, int], least: int
) -> None:
    app = make_app(tmp_path, "snap")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one(PathPanel).size.width >= least


async def test_the_path_panel_names_a_picked_platform_as_it_was_offered(tmp_path: Path) -> None:
    app = make_app(tmp_path, "snap")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in ("1", "2"):  # Likes vanish, then the second platform offered
            await pilot.press(key)
            await pilot.pause()
        steps = [str(label.render()) for label in app.screen.query_one(PathPanel).query(Label)]
        assert any("iPhone / iPad" in step for step in steps), steps
        assert not any(step.split("\n")[-1].strip() == "ios" for step in steps), steps
