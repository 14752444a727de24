"""The TUI driven with Pilot: every guide walked to a fix and to a report, keys, resume, export."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Button, Input, OptionList

from tests.world import World
from wizard.config import load_config
from wizard.content.library import Library
from wizard.engine import Answer, Continue
from wizard.saved import SavedSession
from wizard.store import open_store
from wizard.tui.app import WizardApp
from wizard.tui.messages import StepChosen
from wizard.tui.screens.check import CheckScreen
from wizard.tui.screens.dialogs import ExportDialog
from wizard.tui.screens.help import HelpScreen
from wizard.tui.screens.home import HomeScreen
from wizard.tui.screens.report import ReportScreen
from wizard.tui.screens.walk import WalkScreen
from wizard.tui.widgets.path_panel import PathPanel
from wizard.workspace import Workspace

DEVICE = {"os": "TestOS 1.0", "machine": "x86_64", "hostname": "test-box", "interfaces": []}
SIZE = (100, 36)


def make_app(world: World, data_dir: Path, *extra: str) -> WizardApp:
    config = load_config(sets=[*world.sets, *extra], data_dir=data_dir, environ={})
    return WizardApp(
        Workspace(config), device=DEVICE, clock=lambda: datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    )


async def settle(pilot, app: WizardApp) -> None:
    """Let workers finish and messages drain."""
    await pilot.pause()
    await app.screen.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def walk(app: WizardApp) -> WalkScreen:
    screen = app.screen
    assert isinstance(screen, WalkScreen), type(screen).__name__
    return screen


async def to_network_result(pilot, app: WizardApp) -> None:
    """Start the main guide on the "heart turns white" line and wait for the connectivity result."""
    app.start_guide("disappearing-likes")
    await pilot.pause()
    for key in ("1", "1", "2"):  # Android, the heart turns white, same network as this computer
        await pilot.press(key)
        await pilot.pause()
    await settle(pilot, app)


def guides_shown(app: WizardApp) -> list[str]:
    """The home screen's guide list as it reads now, a line per option."""
    from rich.text import Text

    options = app.screen.query_one("#guides", OptionList).options
    return [Text.from_markup(str(option.prompt)).plain for option in options]


def keys_shown(app: WizardApp) -> str:
    """The key line as it reads now."""
    from wizard.tui.widgets.bars import KeyBar

    return app.screen.query_one(KeyBar).render().plain


async def type_in(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char)
    await pilot.press("enter")


async def test_disappearing_likes_to_a_fix(world: World, tmp_path: Path) -> None:
    app = make_app(world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("1")  # the main guide comes first
        await pilot.pause()
        await pilot.press("2")  # iPhone
        await pilot.press("1")  # the heart turns white again
        await pilot.pause()
        assert walk(app).session.current == "heart-first"
        await pilot.press("2")  # not solved by the quick checks; on this computer's network
        await settle(pilot, app)
        assert walk(app).last_result is not None and walk(app).last_result.outcome == "online"
        await pilot.press("enter")  # past the connectivity result
        await settle(pilot, app)
        assert walk(app).session.current == "speed-check"
        assert walk(app).last_result is not None and walk(app).last_result.outcome == "good"
        await pilot.press("enter")
        await pilot.pause()
        assert walk(app).session.current == "app-version"
        await type_in(pilot, "41.2.0")
        await settle(pilot, app)
        assert walk(app).last_result is not None and walk(app).last_result.outcome == "up_to_date"
        await pilot.press("enter")
        await pilot.pause()
        assert walk(app).session.current == "fix-app"
        await pilot.press("y")
        await pilot.pause()
        session = walk(app).session
        assert session.status == "solved"
        assert [s.choice for s in session.path if s.kind == "check"] == [
            "online",
            "good",
            "up_to_date",
        ]
    with open_store(tmp_path) as store:
        row = store.latest()
        assert row is not None and row.status == "solved"


async def test_disappearing_likes_to_a_report_and_export(world: World, tmp_path: Path) -> None:
    app = make_app(world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_guide("disappearing-likes")
        await pilot.pause()
        await pilot.press("3")  # web
        await pilot.press("4")  # others cannot see my likes
        await pilot.pause()
        await pilot.press("1")  # Everyone
        await settle(pilot, app)
        assert walk(app).last_result is not None and walk(app).last_result.outcome == "public"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")  # viewer side: no
        await pilot.press("n")  # log out and in: no
        await pilot.pause()
        assert walk(app).session.current == "support" and walk(app).session.status == "report"
        await pilot.press("enter")  # Prepare the support report
        await settle(pilot, app)
        assert isinstance(app.screen, ReportScreen)
        report = app.screen.report
        assert (
            report is not None
            and report["outcome"] == "report"
            and report["computer"]["os"] == "TestOS 1.0"
        )
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        target = tmp_path / "ticket.md"
        app.screen.query_one("#path").value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot, app)
        assert target.read_text().startswith("# Support request:")
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#path").value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()  # the export waits on the open dialog: no settling
        # The name is taken: the dialog stays open with it, says so, and offers Replace.
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#path", Input).value == str(target)
        said = str(dialog.query_one("#dialog-error").render())
        assert "There is already a file called ticket.md there" in said
        assert dialog.query_one("#replace", Button).display
        await pilot.click("#replace")
        await settle(pilot, app)
        assert isinstance(app.screen, ReportScreen)
        assert "Saved to" in str(app.screen.query_one("#export-result").render())


async def test_undo_a_like_guide(world: World, tmp_path: Path) -> None:
    app = make_app(world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_guide("undo-accidental-like")
        await pilot.pause()
        # Android, scrolled away, found it, gone, read, Only me
        for key in ("1", "2", "1", "1", "enter", "2"):
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot, app)
        # The guide's own words for the outcome, not the check's (written for another guide).
        verdict = str(app.screen.query_one("#verdict").render())
        assert "never showed on your profile" in verdict and "empty" not in verdict
        await pilot.press("enter")
        await pilot.pause()
        session = walk(app).session
        assert session.current == "already-private" and session.status == "solved"


async def test_unfollow_guide_with_the_export(world: World, tmp_path: Path) -> None:
    app = make_app(world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_guide("unfollow")
        await pilot.pause()
        await pilot.press("1")  # Android
        await pilot.press("3")  # who does not follow back
        await pilot.press("2")  # compare my export
        await pilot.pause()
        await type_in(pilot, str(tmp_path / "missing.zip"))
        await pilot.pause()
        assert walk(app).session.current == "export-path"
        assert "no file or folder" in str(app.screen.query_one("#input-error").render())
        field = app.screen.query_one("#answer")
        field.value = str(world.files["new"])  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot, app)
        assert walk(app).last_result is not None and walk(app).last_result.outcome == "one_sided"
        await pilot.press("enter")
        await pilot.press("enter")  # judge (info)
        await pilot.press("y")
        await pilot.pause()
        assert walk(app).session.status == "solved"


async def test_back_steps_over_checks_and_the_side_panel_goes_back(
    world: World, tmp_path: Path
) -> None:
    app = make_app(world, tmp_path, "speed.min_download_mbps=1000000")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await to_network_result(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        assert walk(app).session.current == "fix-network"
        await pilot.press("b")
        await pilot.pause()
        assert walk(app).session.current == "heart-first"  # over both checks
        walk(app).query_one(PathPanel).post_message(StepChosen(0))  # the first step in the panel
        await pilot.pause()
        await pilot.pause()
        assert walk(app).session.current == "platform" and walk(app).session.path == []


async def test_escape_cancels_a_running_check_and_it_can_run_again(
    world: World, tmp_path: Path
) -> None:
    app = make_app(world, tmp_path, "speed.duration_s=20", "speed.deadline_s=60")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await to_network_result(pilot, app)
        await pilot.press("enter")  # on to the speed test, which now runs for a long time
        await pilot.pause(0.5)
        screen = walk(app)
        assert screen.running is not None and not screen.running.is_finished
        assert "esc Cancel check" in keys_shown(app)
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert "cancelled" in str(app.screen.query_one("#verdict").render())
        assert "Cancel check" not in keys_shown(app)
        assert screen.session.current == "speed-check"
        await pilot.press("escape")  # nothing running: hidden and harmless
        screen.cancel_running()


async def test_resume_from_home_and_quit_keeps_the_session(world: World, tmp_path: Path) -> None:
    app = make_app(world, tmp_path)
    guides = app.workspace.library.guides
    with open_store(tmp_path) as store:
        saved = SavedSession.start(guides["unfollow"], store, "2026-11-23T09:00:00+00:00")
        saved.apply(Answer("platform", "android", at="2026-11-23T09:00:03+00:00"))
        saved.apply(Answer("goal", "dropping", at="2026-11-23T09:00:05+00:00"))
        saved.apply(Continue("why-drop", at="2026-11-23T09:00:09+00:00"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query("#resume-card")
        await pilot.press("c")
        await pilot.pause()
        assert walk(app).session.current == "mass-unfollow"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    with open_store(tmp_path) as store:
        row = store.latest()
        assert row is not None and row.status == "active" and row.current_node == "mass-unfollow"


async def test_help_and_theme(world: World, tmp_path: Path) -> None:
    app = make_app(world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before


async def test_palette_runs_a_single_check(world: World, tmp_path: Path) -> None:
    app = make_app(world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "this device":
            await pilot.press(char)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckScreen)
        await settle(pilot, app)
        assert "✓" in str(app.screen.query_one("#verdict").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_small_and_large_terminals(
    world: World, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(world, tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.start_guide("disappearing-likes")
        await pilot.pause()
        buttons = app.screen.query("Choices Button")
        assert len(buttons) == 3 and all(b.region.width > 10 for b in buttons)


def test_launch_pauses_collection_until_the_first_screen(tmp_path: Path) -> None:
    """The ``wizard`` command's start: collection off while starting, on from the first frame."""
    import gc

    from wizard.tui.launch import run_app

    seen: list[tuple[str, bool]] = []
    workspace = Workspace(load_config(data_dir=tmp_path, environ={}))
    original = WizardApp.compose

    def compose(app: WizardApp):  # type: ignore[no-untyped-def]
        seen.append(("compose", gc.isenabled()))
        return original(app)

    def ready(app: WizardApp) -> None:
        seen.append((type(app.screen).__name__, gc.isenabled()))
        app.exit(return_code=7)

    WizardApp.compose = compose  # type: ignore[method-assign]
    try:
        code = run_app(workspace, headless=True, when_ready=ready)
    finally:
        WizardApp.compose = original  # type: ignore[method-assign]
    assert code == 7
    assert seen == [("compose", False), ("HomeScreen", True)]
    assert gc.isenabled()


def test_the_first_screen_imports_no_check_and_no_yaml_parser(isolated_env: Path) -> None:
    """The first frame says the guides are loading; loading and checking them come after."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from wizard.cli.common import workspace_from\n"
        "from wizard.cli.main import build_parser\n"
        "from wizard.tui.launch import run_app\n"
        "LATER = ('checks.api', 'yaml', 'httpx', 'psutil', 'wizard.content.model')\n"
        "seen = []\n"
        "def listed(app):\n"
        "    return [str(o.prompt) for o in app.screen.query_one('#guides').options]\n"
        "def filled(app):\n"
        "    if app.library is None:\n"
        "        app.set_timer(0.01, lambda: filled(app))\n"
        "        return\n"
        "    app.call_after_refresh(lambda: (seen.extend(listed(app)), app.exit()))\n"
        "def ready(app):\n"
        "    seen.extend(m for m in LATER if m in sys.modules)\n"
        "    seen.append(type(app.screen).__name__)\n"
        "    seen.extend(listed(app))\n"
        "    filled(app)\n"
        "run_app(workspace_from(build_parser().parse_args([])), headless=True, when_ready=ready)\n"
        "print('|'.join(seen))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    seen = proc.stdout.strip().split("|")
    assert seen[:2] == ["HomeScreen", "Loading guides…"], seen
    titles = [
        "My likes keep disappearing",
        "Undo a like I gave by accident",
        "Unfollow accounts and understand your follows",
    ]
    assert [next(t for t in titles if t in shown) for shown in seen[2:]] == titles, seen


class SlowWorkspace(Workspace):
    """A workspace whose guides take until :attr:`go` is set to load (or fail to)."""

    go = threading.Event()
    fail = False

    @property
    def library(self) -> Library:
        if not self.library_loaded:
            self.go.wait(10)
        if self.fail:
            raise OSError(13, "Permission denied")
        return super().library


@pytest.mark.parametrize("fail", [False, True], ids=["loads", "fails"])
async def test_home_says_the_guides_are_loading_then_lists_them(
    world: World, tmp_path: Path, fail: bool
) -> None:
    config = load_config(sets=world.sets, data_dir=tmp_path, environ={})
    workspace = SlowWorkspace(config)
    workspace.go.clear()
    workspace.fail = fail
    app = WizardApp(workspace, device=DEVICE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert guides_shown(app) == ["Loading guides…"]
        assert app.screen.query_one("#guides", OptionList).has_focus
        await pilot.press("1")  # nothing to open yet, and nothing breaks
        assert isinstance(app.screen, HomeScreen)
        workspace.go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        guides = app.screen.query_one("#guides", OptionList)
        shown = guides_shown(app)
        if fail:
            log = tmp_path / "errors.log"
            assert shown == [
                "The guides could not be loaded: reading a file failed: permission denied"
                f" (the details are in {log})"
            ]
            assert "Traceback" in log.read_text(encoding="utf-8")
            app.start_guide("disappearing-likes")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
        else:
            assert len(shown) == 3 and "My likes keep disappearing" in shown[0]
            assert guides.has_focus and guides.highlighted == 0
            await pilot.press("enter")
            await pilot.pause()
            assert walk(app).saved.session.guide is app.library.guides["disappearing-likes"]


def guide_with_an_unknown_check(folder: Path) -> Path:
    """A guide that reads well but runs a check nobody installed."""
    sample = Path(__file__).resolve().parent.parent / "fixtures" / "guides" / "sample.yaml"
    broken = folder / "broken.yaml"
    folder.mkdir()
    broken.write_text(
        sample.read_text("utf-8")
        .replace("id: sample", "id: broken", 1)
        .replace("title: A sample guide", "title: A broken guide", 1)
        .replace("check: echo", "check: no_such_check"),
        "utf-8",
    )
    return broken


async def test_a_listed_guide_that_fails_the_check_rules_says_so_and_leaves_the_list(
    world: World, tmp_path: Path
) -> None:
    """Home lists only guides checked against the installed checks, and says why not."""
    broken = guide_with_an_unknown_check(tmp_path / "guides")
    config = load_config(sets=world.sets, data_dir=tmp_path / "data", environ={})
    workspace = Workspace(config, content_paths=[broken.parent])
    app = WizardApp(workspace, device=DEVICE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The list leaves it out and says why.
        assert app.library is not None and "broken" not in app.library.guides
        listed = [o.id for o in app.screen.query_one("#guides", OptionList).options]
        assert "broken" not in listed and "disappearing-likes" in listed
        messages = [n.message for n in app._notifications]
        assert any("no_such_check" in m for m in messages), messages
        # Asked for by its id (say, `wizard broken`), it says so.
        app.start_guide("broken")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        messages = [n.message for n in app._notifications]
        assert any("“broken” has errors" in m for m in messages), messages


async def test_the_title_and_key_lines_follow_the_screen(world: World, tmp_path: Path) -> None:
    from wizard.tui.widgets.bars import KeyBar, TitleBar

    app = make_app(world, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(TitleBar).render().plain == "wizard — TikTok troubleshooter"
        keys = app.screen.query_one(KeyBar).render().plain
        assert keys.startswith(" h History  1–9 Open  q Quit  ? Help ") and keys.endswith(
            "▏ ^p palette "
        )
        assert len(keys) == 80
        # A click on a key presses it.
        await pilot.click(KeyBar, offset=(keys.index("? Help") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        app.start_guide("disappearing-likes")
        await pilot.pause()
        title = app.screen.query_one(TitleBar).render().plain
        assert title.startswith("My likes keep disappearing — step 1")
        assert " b Back  r Restart  1–9 Choose  q Quit  ? Help " in keys_shown(app)
        await pilot.press("1")
        await pilot.pause()
        assert "step 2" in app.screen.query_one(TitleBar).render().plain


async def test_an_answer_field_shows_how_to_go_on_and_back(world: World, tmp_path: Path) -> None:
    app = make_app(world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_guide("unfollow")
        await pilot.pause()
        await pilot.press("1", "3", "2")  # Android; who does not follow back; compare my export
        await pilot.pause()
        assert walk(app).session.current == "export-path"
        keys = keys_shown(app)
        assert " ⏎ Continue  esc Back " in keys and "q Quit" not in keys
        await pilot.press("b", "r")  # typed into the field, not taken as keys
        assert app.screen.query_one("#answer").value == "br"  # type: ignore[attr-defined]
        assert walk(app).session.current == "export-path"
        await pilot.press("escape")
        await pilot.pause()
        assert walk(app).session.current != "export-path"
        assert len(walk(app).session.path) == 2


EVIL = "\x1b]0;owned\x07\x1b[2J [@click=app.quit]x[/]"
SHOWN = "\\x1b]0;owned\\x07\\x1b[2J [@click=app.quit]x[/]"


def guide_with_escapes(folder: Path) -> Path:
    """The sample guide, its title and first option label holding escapes and markup."""
    sample = Path(__file__).resolve().parent.parent / "fixtures" / "guides" / "sample.yaml"
    folder.mkdir()
    quoted = '"Evil \\e]0;owned\\a\\e[2J [@click=app.quit]x[/]"'
    (folder / "evil.yaml").write_text(
        sample.read_text("utf-8")
        .replace("id: sample", "id: evil", 1)
        .replace("title: A sample guide", f"title: {quoted}", 1)
        .replace("label: My likes vanish,", f"label: {quoted.replace('Evil', 'Likes')},", 1),
        "utf-8",
    )
    return folder


async def test_guide_text_is_shown_escaped_never_obeyed(world: World, tmp_path: Path) -> None:
    """A title and an option label holding terminal escapes and markup show them as text."""
    from textual.content import Content
    from textual.widgets import Button, Label, OptionList

    from wizard.tui.widgets.bars import TitleBar

    folder = guide_with_escapes(tmp_path / "guides")
    config = load_config(sets=world.sets, data_dir=tmp_path / "data", environ={})
    app = WizardApp(Workspace(config, content_paths=[folder]), device=DEVICE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        guide = app.workspace.library.get("evil")
        assert guide is not None and guide.title == f"Evil {EVIL}"  # the raw escapes
        listed = app.screen.query_one("#guides", OptionList).get_option("evil").prompt
        assert isinstance(listed, str)
        assert f"Evil {SHOWN}" in Content.from_markup(listed).plain
        app.start_guide("evil")
        await pilot.pause()
        assert "\x1b" not in (app.title + (app.screen.title or "") + (app.screen.sub_title or ""))
        assert app.screen.title == f"Evil {SHOWN}"
        assert app.screen.query_one(TitleBar).render().plain.startswith(f"Evil {SHOWN} — ")
        await pilot.press("enter")  # past the welcome
        await pilot.pause()
        button = app.screen.query_one("#choice-1", Button)
        assert str(button.label) == f"1. Likes {SHOWN}"
        await pilot.click(button)  # on the text "[@click=app.quit]": chooses, does not quit
        await pilot.pause()
        assert app.is_running and walk(app).session.current == "platform"
        steps = [label.render() for label in app.screen.query_one(PathPanel).query(Label)]
        assert any(f"Likes {SHOWN}" in step.plain for step in steps if isinstance(step, Content))


async def to_report_screen(pilot, app: WizardApp) -> ReportScreen:
    """The likes guide's "something else" line, straight to its report screen."""
    app.start_guide("disappearing-likes")
    await pilot.pause()
    for key in ("1", "5", "enter"):  # Android, something else, past the explanation
        await pilot.press(key)
        await pilot.pause()
    assert walk(app).session.status == "report"
    await pilot.press("enter")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, ReportScreen)
    return screen


async def test_the_preview_is_what_export_and_copy_produce(world: World, tmp_path: Path) -> None:
    """Every format: the screen shows the rendering itself (the e-mail draft, all it carries)."""
    import email
    from email import policy

    from textual.widgets import RadioButton, TextArea

    from wizard.report.render import FORMATS, render

    app = make_app(world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_report_screen(pilot, app)
        for key in FORMATS:
            screen.query_one(f"#as-{key}", RadioButton).value = True
            await settle(pilot, app)
            shown = screen.query_one("#preview", TextArea).text
            assert screen.report is not None
            data = render(screen.report, key)
            if key == "eml":
                message = email.message_from_bytes(data, policy=policy.default)
                assert f"Subject: {message['Subject']}\n" in shown
                assert message.get_body(("plain",)).get_content() in shown
                attached = next(message.iter_attachments()).get_content().decode()
                assert shown.endswith(attached)
            else:
                assert shown == data.decode(), key
                assert screen.shown_text() == shown  # what Copy puts on the clipboard


async def test_esc_keeps_the_switches_and_words_to_hide(world: World, tmp_path: Path) -> None:
    from textual.widgets import Checkbox

    app = make_app(world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await to_report_screen(pilot, app)
        screen.query_one("#hide-ip", Checkbox).value = False
        screen.query_one("#extra", Input).focus()
        await pilot.press("M", "a", "p", "l", "e")
        await pilot.pause()
        await pilot.press("escape")  # from inside the text box: out of the box only
        await settle(pilot, app)
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("escape")  # then off the screen
        await settle(pilot, app)
        assert not isinstance(app.screen, ReportScreen)
        await pilot.press("enter")
        await settle(pilot, app)
        again = app.screen
        assert isinstance(again, ReportScreen)
        assert not again.query_one("#hide-ip", Checkbox).value
        assert again.query_one("#extra", Input).value == "Maple"
    # Saved with the session: a new app over the same store sees them too.
    with open_store(tmp_path) as store:
        row = store.latest()
        assert row is not None
        saved = SavedSession.resume(app.workspace.library.guides, store, row.id)
        options = saved.session.report_options
        assert options is not None and options.shown == ("ip",) and options.words == ("Maple",)


async def test_the_format_follows_a_typed_name(world: World, tmp_path: Path) -> None:
    from textual.widgets import RadioSet

    app = make_app(world, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_report_screen(pilot, app)
        await pilot.press("ctrl+e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#path", Input).value = str(tmp_path / "report1.json")
        await pilot.pause()
        pressed = dialog.query_one("#format", RadioSet).pressed_button
        assert pressed is not None and pressed.id == "fmt-json"
        assert dialog.query_one("#path", Input).value == str(tmp_path / "report1.json")
