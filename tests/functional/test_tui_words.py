"""What the app says in words: the palette's entries, recent checks, the path panel's room."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Label, Static

from checks.api import CheckResult, Progress, Status
from tests.functional.test_snapshots import make_app
from tests.world import World
from wizard.config import load_config
from wizard.engine import Answer
from wizard.saved import SavedSession
from wizard.store import open_store
from wizard.tui.app import WizardApp
from wizard.tui.widgets.check_panel import CheckPanel
from wizard.tui.widgets.path_panel import PathPanel
from wizard.workspace import Workspace


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
        assert "Internet connection" in row and "connectivity" not in row  # by its title


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


JARGON = (
    "NXDOMAIN",
    "aptive portal",
    "default route",
    "eth0",
    "Errno",
    "http://",
    "https://",
    "127.0.0.1",
    "Probing",
    "endpoint",
    "(451)",
    "(503)",
    "RPM",
    "jitter",
    "bufferbloat",
    "speedtest-cli",
)


def above_the_details(app: WizardApp) -> str:
    """Every line the check screen says in words: its title, progress, verdict and advice."""
    shown = app.screen.query("#node > Static, CheckPanel > Static")
    return "\n".join(str(widget.render()) for widget in shown)


def said_plainly(text: str) -> None:
    for word in JARGON:
        assert word not in text, f"{word!r} on screen:\n{text}"


def world_app(tmp_path: Path, sets: list[str]) -> WizardApp:
    config = load_config(sets=sets, data_dir=tmp_path, environ={})
    return WizardApp(Workspace(config), device={})


@pytest.mark.parametrize(
    ("case", "outcome", "technical"),
    [
        ("dns", "dns_failure", "NXDOMAIN"),
        ("refused", "service_blocked", "refused"),
        ("portal", "captive_portal", "login.invalid"),
        ("stalled", "timeout", "never answered"),
        ("down", "service_down", "503"),
        ("proxy", "proxy_error", "proxy"),
    ],
)
async def test_a_check_says_what_it_found_in_plain_words(
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    outcome: str,
    technical: str,
) -> None:
    """Progress, verdict and advice in words; the technical notes in the details table."""
    good = next(s.split("=", 1)[1] for s in world.sets if s.startswith("connectivity.service"))
    service = {
        "dns": "http://no-such-host.invalid/",
        "refused": world.urls["dead"],
        "stalled": world.urls["stall"],
        "down": world.urls["broken"],
    }.get(case, good)
    sets = [*world.sets, f"connectivity.service_urls={service}", "connectivity.timeout_s=1"]
    if case == "portal":
        sets.append(f"connectivity.portal_url={world.urls['portal']}")
    if case == "stalled":
        sets += [f"connectivity.{k}={world.urls['stall']}" for k in ("baseline_urls", "portal_url")]
    if case == "proxy":
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.setenv(name, world.urls["dead"])
    lines: list[str] = []
    shown_progress = CheckPanel.show_progress

    def keep_progress(panel: CheckPanel, progress: Progress) -> None:
        shown_progress(panel, progress)
        lines.append(str(panel.query_one("#phase", Static).render()))

    monkeypatch.setattr(CheckPanel, "show_progress", keep_progress)
    app = world_app(tmp_path, sets)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_check("connectivity", "Internet connection")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.screen.query_one(CheckPanel)
        assert panel.result is not None and panel.result.outcome == outcome
        said_plainly(above_the_details(app))
        said_plainly("\n".join(lines))
        assert lines and all("tried" in line for line in lines), lines
        details = app.screen.query_one("#table-0", DataTable)
        notes = " ".join(
            str(c) for row in range(details.row_count) for c in details.get_row_at(row)
        )
        assert technical in notes, notes


async def test_a_speed_result_is_said_in_plain_words(world: World, tmp_path: Path) -> None:
    app = world_app(tmp_path, world.sets)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_check("speed", "Connection speed")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.screen.query_one(CheckPanel)
        assert panel.result is not None and panel.result.outcome == "good"
        said_plainly(str(app.screen.query_one("#verdict", Static).render()))


async def test_a_check_that_raises_says_it_stopped_and_logs_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not the exception's own words on screen: those go to the errors log."""
    app = make_app(tmp_path)

    async def broken(*args: object, **kwargs: object) -> CheckResult:
        raise RuntimeError("socket.gaierror deep inside")

    monkeypatch.setattr(app.workspace, "run_check", broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_check("fixed", "Fixed check")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        verdict = str(app.screen.query_one("#verdict", Static).render())
        log = tmp_path / "errors.log"
        assert verdict == f"✗ The check stopped unexpectedly (the details are in {log}).", verdict
        assert "socket.gaierror deep inside" in log.read_text(encoding="utf-8")


async def test_the_history_says_guides_checks_and_results_in_words(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    with open_store(tmp_path) as store:
        saved = SavedSession.start(
            app.workspace.library.guides["snap"], store, "2026-11-23T09:00:00+00:00"
        )
        saved.apply(Answer("start", "other", at="2026-11-23T09:00:03+00:00"))  # to the report
        store.add_check_result(
            None,
            CheckResult("fixed", "ok", Status.OK, "Everything answered normally."),
            at="2026-11-22T18:30:00+00:00",
        )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        session = [str(c) for c in app.screen.query_one("#sessions", DataTable).get_row_at(0)]
        assert session[1:3] == ["A guide for screenshots", "Not solved: needs TikTok support"], (
            session
        )
        check = [str(c) for c in app.screen.query_one("#checks", DataTable).get_row_at(0)]
        assert check[1:3] == ["Fixed check", "Everything answered normally."], check


async def test_guides_that_cannot_be_read_are_said_in_words_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guides failing to load as a whole, with a system error naming a folder. A real
    refusal of one file or folder is that guide's own error (the next test), so the whole
    load is made to fail here: an edge no real file produces any more."""
    import errno

    from rich.text import Text
    from textual.widgets import OptionList

    folder = tmp_path / ("guides-" + "x" * 300)

    def refuse(paths: object) -> list[Path]:
        raise OSError(errno.ENAMETOOLONG, "File name too long", str(folder))

    monkeypatch.setattr("wizard.content.library.guide_files", refuse)
    config = load_config(data_dir=tmp_path / "data", environ={})
    app = WizardApp(Workspace(config, content_paths=[folder]), device={})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        options = app.screen.query_one("#guides", OptionList).options
        shown = [Text.from_markup(str(option.prompt)).plain for option in options]
        log = tmp_path / "data" / "errors.log"
        name = str(folder)
        short = f"{name[:49]}…{name[-49:]}"
        assert shown == [
            f"The guides could not be loaded: reading {short} failed: file name too long"
            f" (the details are in {log})"
        ]
        assert "Error" not in shown[0] and "Errno" not in shown[0]
        assert "File name too long" in log.read_text(encoding="utf-8")


async def test_a_guide_folder_the_system_refuses_is_that_guides_error(tmp_path: Path) -> None:
    """Even root cannot open a name that long: the app says that guide did not load,
    naming it, and the other guides are there."""
    folder = tmp_path / ("guides-" + "x" * 300)
    config = load_config(data_dir=tmp_path / "data", environ={})
    app = WizardApp(Workspace(config, content_paths=[folder]), device={})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.library is not None and app.library_failed is None
        errors = [str(e) for e in app.library.errors]
        assert errors and str(folder) in errors[0] and "too long" in errors[0].lower(), errors


async def test_a_check_that_crashes_in_the_app_is_said_in_words(tmp_path: Path) -> None:
    """The test plugin's check that raises, run from the app: words on screen, the
    exception in the errors log."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_check("boom", "Boom")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.screen.query_one(CheckPanel)
        assert panel.result is not None and panel.result.outcome == "error"
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        log = tmp_path / "errors.log"
        assert f"Boom stopped unexpectedly; the details are in {log}." in shown, shown
        assert "RuntimeError" not in shown and "flux capacitor" not in shown
        assert "RuntimeError: the flux capacitor is missing" in log.read_text(encoding="utf-8")
        assert panel.result.details["exception"] == "RuntimeError"
