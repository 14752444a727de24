"""The keys as the app tells them: help built from the real bindings, the key line, numbers."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import Button, OptionList

from tests.functional.test_snapshots import make_app
from wizard.tui.screens.help import HelpScreen, help_text
from wizard.tui.widgets.bars import KeyBar


def keys_shown(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(KeyBar).render().plain


async def test_help_lists_every_key_of_every_screen_and_scrolls_at_80x24(tmp_path: Path) -> None:
    from wizard.tui.app import WizardApp
    from wizard.tui.screens.check import CheckScreen
    from wizard.tui.screens.home import HomeScreen
    from wizard.tui.screens.report import ReportScreen
    from wizard.tui.screens.walk import AnswerField, WalkScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = help_text(app)
        for screen in (WizardApp, HomeScreen, WalkScreen, AnswerField, CheckScreen, ReportScreen):
            for binding in screen.BINDINGS:
                what = binding.tooltip or binding.description  # type: ignore[union-attr]
                assert what in text, (screen.__name__, what)
        for keys in ("**^e**", "**^y**", "**c**", "**1–9**", "**y**", "**n**", "**^p**"):
            assert keys in text, keys
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.query_one("#help-text", VerticalScroll)
        close = app.screen.query_one("#close", Button)
        assert box.max_scroll_y > 0  # longer than the screen: it scrolls
        inside = app.screen.query_one("#help").content_region
        assert inside.contains_region(close.region)  # and the way out stays in view
        await pilot.press("end")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y


async def test_the_key_line_shows_the_keys_that_work_here(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listed = app.screen.query_one("#guides", OptionList).get_option_at_index(0).prompt
        assert str(listed).startswith("[b]1. ")  # home numbers its guides
        assert " 1–9 Open " in keys_shown(app)
        app.start_guide("snap")
        await pilot.pause()
        keys = keys_shown(app)
        assert " 1–9 Choose " in keys and " y Helped " not in keys  # an ask
        for key in ("1", "2", "4", "1", ".", "2", ".", "0", "enter"):
            await pilot.press(key)
        await pilot.pause()
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        assert "1–9" not in keys_shown(app)  # a check's result: no answers to number
        await pilot.press("enter")
        await pilot.pause()
        keys = keys_shown(app)
        assert " y Helped " in keys and " n Did not " in keys and "1–9" not in keys  # a fix
