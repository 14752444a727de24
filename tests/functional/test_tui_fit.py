"""At 80x24 the way on is on screen: every button whole, a fix's Yes and No in view."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Button

from tests.functional.test_snapshots import make_app, steady
from wizard.tui.app import WizardApp


def whole_and_in_view(app: WizardApp, button_id: str) -> None:
    button = app.screen.query_one(f"#{button_id}", Button)
    region = button.region
    label = str(button.label)
    assert region.width >= len(label) + 2, (button_id, region, label)
    main = app.screen.query_one("#main").region
    assert main.contains_region(region), (button_id, region, main)
    visible = Region(0, 0, *app.size)
    assert visible.contains_region(region), (button_id, region)


@pytest.mark.parametrize(
    ("guide", "keys", "buttons"),
    [
        ("snap", ("2",), ("open-report", "home")),
        (
            "snap",
            ("1", "2", "4", "1", ".", "2", ".", "0", "enter", "enter", "y"),
            ("home", "again", "summary"),
        ),
        # A fix with long steps and long answers of the guide's own.
        ("disappearing-likes", ("1", "1", "3"), ("helped", "not-helped")),
    ],
    ids=["report-step", "solved", "long-fix"],
)
async def test_every_button_of_the_step_is_whole_and_on_screen(
    tmp_path: Path, guide: str, keys: tuple[str, ...], buttons: tuple[str, ...]
) -> None:
    app = make_app(tmp_path, guide)
    async with app.run_test(size=(80, 24)) as pilot:
        await steady(pilot)
        for key in keys:
            await pilot.press(key)
            await steady(pilot)
        for button in buttons:
            whole_and_in_view(app, button)


@pytest.mark.parametrize("size", [(80, 24), (72, 24)], ids=["80x24", "72x24"])
async def test_a_live_reading_stays_on_one_line_beside_the_path(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    from tests.functional.test_snapshots import MORE

    app = make_app(tmp_path, "ends", MORE)
    async with app.run_test(size=size) as pilot:
        await steady(pilot)
        await pilot.press("2")  # the held check: it shows a reading and runs on
        await steady(pilot)
        gauge = app.screen.query_one("#gauge")
        shown = str(gauge.render())
        assert shown.endswith("148.2 Mbit/s") and "█" in shown, shown
        assert gauge.size.height == 1 and len(shown) <= gauge.size.width, (shown, gauge.size)
