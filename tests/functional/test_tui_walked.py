"""What a person walking the app met: keys that do what they say, the way on in view."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Button, Input, TextArea

from tests.functional.test_snapshots import MORE, SNAP, make_app, steady
from wizard.store import open_store
from wizard.tui.app import WizardApp
from wizard.tui.screens.dialogs import ExportDialog
from wizard.tui.screens.help import help_text
from wizard.tui.screens.report import ReportScreen
from wizard.tui.screens.walk import WalkScreen
from wizard.tui.widgets.bars import KeyBar

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


async def press(pilot: Pilot[int], *keys: str) -> None:
    await steady(pilot)
    for key in keys:
        await pilot.press(key)
        await steady(pilot)


async def walk_to(app: WizardApp, pilot: Pilot[int], *keys: str) -> WalkScreen:
    await press(pilot, *keys)
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


def keys_shown(app: WizardApp) -> str:
    return app.screen.query_one(KeyBar).render().plain


async def test_in_the_reports_text_boxes_letters_type_and_esc_leaves_the_box(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path, "snap")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2", "enter")
        report = app.screen
        assert isinstance(report, ReportScreen)
        assert app.focused is report.query_one("#words")
        keys = keys_shown(app)
        assert " esc Leave the box " in keys and " q Quit " not in keys, keys
        assert " ? Help " not in keys and "esc Back" not in keys, keys
        for key in ("q", "question_mark"):
            await pilot.press(key)
        await steady(pilot)
        assert report.query_one("#words", TextArea).text == "q?"
        await pilot.press("escape")  # out of the box, not off the screen
        await steady(pilot)
        assert app.screen is report and app.focused is report.query_one("#export")
        assert report.saved.session.note == "q?"
        keys = keys_shown(app)
        assert " q Quit " in keys and " esc Back " in keys, keys
        report.query_one("#extra", Input).focus()
        await steady(pilot)
        assert " esc Leave the box " in keys_shown(app)
        await pilot.press("escape")
        await steady(pilot)
        assert app.screen is report and app.focused is report.query_one("#export")
        await pilot.press("escape")  # outside a box Esc goes back
        await steady(pilot)
        assert isinstance(app.screen, WalkScreen)


async def test_help_says_letter_keys_work_outside_a_text_box(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await steady(pilot)
        text = help_text(app)
        everywhere = text.split("## Everywhere", 1)[1].split("##", 1)[0]
        for key in ("**q**", "**?**"):
            line = next(row for row in everywhere.splitlines() if row.startswith(f"- {key}"))
            assert "outside a text box" in line, line
        assert "**esc**: leave the text box" in text
        line = next(row for row in everywhere.splitlines() if row.startswith("- **^c**"))
        assert "quit" in line and "copy" in line, line


async def test_ctrl_c_quits_with_the_walk_saved_but_copies_text_selected_in_a_box(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path / "data", "snap")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "2", "enter")
        assert isinstance(app.screen, ReportScreen)
        words = app.screen.query_one("#words", TextArea)
        await pilot.press("h", "i")
        words.select_all()
        await pilot.press("ctrl+c")  # text selected in the words box: it copies, nothing closes
        await steady(pilot)
        assert app.return_code is None and isinstance(app.screen, ReportScreen)
        assert app.clipboard == "hi"
        await pilot.press("escape", "escape")  # out of the box, back to the walk
        await steady(pilot)
        assert isinstance(app.screen, WalkScreen)
        session_id = app.screen.saved.id
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.return_code == 0
    with open_store(tmp_path / "data") as store:
        assert session_id is not None
        assert any(e.get("text") == "hi" for e in store.events(session_id))


async def palette_offers(app: WizardApp, pilot: Pilot[int], query: str) -> list[str]:
    await pilot.press("ctrl+p")
    await steady(pilot)
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    palette.query_one(CommandInput).value = query
    for _ in range(50):  # the providers answer in a worker of the palette's own
        await pilot.pause(0.05)
        found = palette.query_one(CommandList)
        if found.option_count:
            break
    return [
        str(found.get_option_at_index(i).prompt).split("\n")[0] for i in range(found.option_count)
    ]


@pytest.mark.parametrize(
    ("keys", "query", "wanted"),
    [
        (("2", "enter", "escape"), "export", "Export: export the report to a file"),
        (("2", "enter", "escape"), "copy", "Copy: copy the report to the clipboard"),
        (("2", "enter", "escape"), "back", "Back: leave the report; what you changed here stays"),
        (("1",), "restart", "Restart: start the guide again"),
        (("1",), "back", "Back: go back a step (over checks too)"),
        (("1",), "history", "Show history"),
        (("1",), "theme", "Light or dark theme"),
    ],
)
async def test_the_palette_offers_the_screens_own_keys_by_name(
    tmp_path: Path, keys: tuple[str, ...], query: str, wanted: str
) -> None:
    app = make_app(tmp_path, "snap")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, *keys)
        offered = await palette_offers(app, pilot, query)
        assert any(wanted in text for text in offered), offered


async def test_export_from_the_palette_opens_the_export_and_no_verdict_is_offered_off_a_fix(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path, "snap")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "1")
        assert not any("helped" in t for t in await palette_offers(app, pilot, "helped"))
        await press(pilot, "escape", "b", "2", "enter", "escape")
        assert isinstance(app.screen, ReportScreen)
        await palette_offers(app, pilot, "export")
        await press(pilot, "enter")
        assert isinstance(app.screen, ExportDialog)


@pytest.mark.parametrize("theme", ["dark", "light"])
async def test_the_reports_buttons_are_in_view_at_80x24(tmp_path: Path, theme: str) -> None:
    app = make_app(tmp_path, "snap")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, *(("ctrl+t",) if theme == "light" else ()), "2", "enter")
        assert isinstance(app.screen, ReportScreen)
        for button_id in ("export", "copy", "close"):
            button = app.screen.query_one(f"#{button_id}", Button)
            assert in_view(app, f"#{button_id}"), button_id
            assert button.region.width >= len(str(button.label)) + 2, button_id
            assert not app.screen.query_one("#report-side").region.overlaps(button.region)


@pytest.mark.parametrize(
    ("guide", "keys"),
    [
        ("ends", ("1", "enter")),
        ("snap", ("1", "2", "4", "1", ".", "2", ".", "0", "enter", "enter", "y")),
    ],
    ids=["done", "solved"],
)
async def test_a_finished_walk_opens_its_own_report(
    tmp_path: Path, guide: str, keys: tuple[str, ...]
) -> None:
    app = make_app(tmp_path, guide, MORE if guide == "ends" else SNAP)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await walk_to(app, pilot, *keys)
        assert walk.session.ended
        assert in_view(app, "#summary")
        await pilot.click("#summary")
        await steady(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        assert report.saved is walk.saved and report.saved.id is not None
        await press(pilot, "escape", "escape")  # out of the words box, then back
        assert app.screen is walk


async def test_back_to_a_question_offers_the_answer_given_there_first(tmp_path: Path) -> None:
    """After Back, Enter on the question repeats what was chosen there (the walk goes the
    same way), never the first option by default: that would end a walk on "my likes stay"."""
    app = make_app(tmp_path / "data", "disappearing-likes")
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await walk_to(app, pilot, "2", "1")  # iPhone, then "the heart turns white"
        asked = walk.session.node.id
        await press(pilot, "3")  # the phone is on another network
        assert walk.session.node.id != asked
        await press(pilot, "b")
        assert walk.session.node.id == asked
        focused = app.focused
        assert isinstance(focused, Button) and focused.id == "choice-3", focused
