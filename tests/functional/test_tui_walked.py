"""What a person walking the app met: keys that do what they say, the way on in view."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Button

from tests.functional.test_snapshots import make_app, steady
from wizard.tui.app import WizardApp
from wizard.tui.screens.walk import WalkScreen

LONG = "\n\n".join(f"Paragraph {n}: read this before you go on, it matters." for n in range(30))
GUIDE = f"""\
id: long
title: Long steps
summary: An info step and a fix longer than the screen.
start: start
nodes:
  start:
    kind: ask
    title: Which one?
    text: Pick one.
    options:
      - {{key: info, label: A long info step, next: about}}
      - {{key: fix, label: A long fix, next: fix}}
  about:
    kind: info
    title: Read this first
    text: |
{"".join("      " + line + chr(10) for line in LONG.splitlines())}
    next: end
  fix:
    kind: fix
    title: Try this fix
    steps: |
{"".join("      " + line + chr(10) for line in LONG.splitlines())}
    next: end
  end:
    kind: done
    title: That is all
    text: Nothing more to do here.
"""


def long_guide(folder: Path) -> Path:
    content = folder / "content"
    content.mkdir()
    (content / "long.yaml").write_text(GUIDE, "utf-8")
    return content


def in_view(app: WizardApp, selector: str) -> bool:
    widget = app.screen.query_one(selector)
    return Region(0, 0, *app.size).contains_region(widget.region) and bool(widget.region)


async def walk_to(app: WizardApp, pilot: object, *keys: str) -> WalkScreen:
    await steady(pilot)  # type: ignore[arg-type]
    for key in keys:
        await pilot.press(key)  # type: ignore[attr-defined]
        await steady(pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, WalkScreen)
    return screen


@pytest.mark.parametrize(
    ("guide", "keys"),
    [("disappearing-likes", ("1", "1", "3")), ("long", ("2",))],
    ids=["guide-fix", "long-fix"],
)
async def test_enter_on_a_fix_gives_no_verdict_and_the_step_opens_at_its_title(
    tmp_path: Path, guide: str, keys: tuple[str, ...]
) -> None:
    app = make_app(tmp_path / "data", guide, long_guide(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await walk_to(app, pilot, *keys)
        assert walk.session.node.kind == "fix"
        assert not isinstance(app.focused, Button), app.focused
        assert in_view(app, ".node-title")
        assert in_view(app, "#helped") and in_view(app, "#not-helped")
        await pilot.press("enter")
        await steady(pilot)
        assert walk.session.node.kind == "fix" and not walk.session.ended
        box = app.screen.query_one("#node")
        await pilot.press("down")  # the steps have focus: the arrows scroll them
        await steady(pilot)
        assert box.scroll_y > 0
        await pilot.press("y")  # the verdict is a deliberate key
        await steady(pilot)
        assert walk.session.ended and walk.session.status == "solved"


async def test_a_long_info_step_opens_at_its_title_with_continue_in_view(tmp_path: Path) -> None:
    app = make_app(tmp_path / "data", "long", long_guide(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await walk_to(app, pilot, "1")
        assert walk.session.node.kind == "info"
        assert in_view(app, ".node-title")
        assert in_view(app, "#continue")
        await pilot.press("enter")  # Enter goes on
        await steady(pilot)
        assert walk.session.node.kind == "done"
        assert in_view(app, ".node-title")
