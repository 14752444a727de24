"""Speed history as a chart: ``wizard history --check speed --chart``, its ``--json`` series,
and the TUI's history screen at 80x24, over a real store seeded with results."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable

from checks.api import CheckResult, Metric, Status
from wizard.config import load_config
from wizard.content.model import Guide
from wizard.engine import Answer
from wizard.history import chart, series
from wizard.saved import SavedSession
from wizard.store import open_store
from wizard.tui.app import WizardApp
from wizard.tui.screens.history import HistoryScreen
from wizard.tui.screens.home import HomeScreen
from wizard.tui.screens.report import ReportScreen
from wizard.tui.screens.walk import WalkScreen
from wizard.tui.widgets.bars import KeyBar
from wizard.workspace import Workspace

RATES = [48.0, 52.0, 50.0, 47.0, 51.0, 49.0, 53.0, 12.0]
"""A week of results; the last is far below this user's usual (about 50)."""


def speed_result(down: float) -> CheckResult:
    return CheckResult(
        "speed",
        "good",
        Status.OK,
        f"Good for short video: {down} Mbit/s down.",
        metrics=(
            Metric("download", down, "Mbit/s", "download"),
            Metric("upload", down / 5, "Mbit/s", "upload"),
            Metric("rpm_down", 900.0, "RPM", "responsiveness down"),
            Metric("rpm_up", 700.0, "RPM", "responsiveness up"),
        ),
    )


def seed(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        for day, down in enumerate(RATES, start=1):
            store.add_check_result(None, speed_result(down), at=f"2026-11-{day:02d}T10:00:00+00:00")
        store.add_check_result(
            None,
            CheckResult("device", "ok", Status.OK, "fine"),
            at="2026-11-09T10:00:00+00:00",
        )


def test_cli_chart_draws_each_line_with_its_threshold_and_calls_out_the_slow_one(
    wizard_cli, tmp_path: Path
) -> None:
    seed(tmp_path)
    result = wizard_cli("--data-dir", str(tmp_path), "history", "--check", "speed", "--chart")
    assert result.code == 0, result.err
    out = result.out
    for head in ("download (Mbit/s)", "upload (Mbit/s)", "responsiveness (RPM)"):
        assert head in out
    assert "◂ threshold" in out and "▓" in out  # the threshold row, crossed by the bars
    assert "threshold 5.0" in out  # speed.min_download_mbps
    assert "threshold 240" in out  # 60 000 / speed.max_loaded_latency_ms (250)
    assert "█" in out
    assert "2026-11-08 10:00: download slower than usual for you: 12.0 Mbit/s" in out
    assert "2026-11-01 10:00 … 2026-11-08 10:00" in out


def test_cli_json_gives_the_series(wizard_cli, tmp_path: Path) -> None:
    seed(tmp_path)
    result = wizard_cli("--data-dir", str(tmp_path), "history", "--check", "speed", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    by_name = {s["name"]: s for s in data["series"]}
    assert [p["value"] for p in by_name["download"]["points"]] == RATES  # oldest first
    assert by_name["download"]["threshold"] == 5.0 and by_name["download"]["usual"] == 49.5
    assert by_name["download"]["unusual"] == [{"at": "2026-11-08T10:00:00+00:00", "value": 12.0}]
    assert by_name["rpm"]["points"][0]["value"] == 700.0  # the worse direction
    assert by_name["rpm"]["threshold"] == 240.0


def test_chart_of_another_check_is_a_usage_error(wizard_cli, tmp_path: Path) -> None:
    result = wizard_cli("--data-dir", str(tmp_path), "history", "--check", "device", "--chart")
    assert result.code == 2, (result.out, result.err)
    assert "speed" in result.err and "Traceback" not in result.err


def test_chart_without_results_says_so(wizard_cli, tmp_path: Path) -> None:
    result = wizard_cli("--data-dir", str(tmp_path), "history", "--chart")
    assert result.code == 0, result.err
    assert "No results of this check yet" in result.out


def test_chart_rows_put_the_threshold_where_it_belongs() -> None:
    drawn = series(
        "speed",
        [(f"2026-11-0{i}T10:00:00+00:00", speed_result(v)) for i, v in enumerate([40.0, 10.0], 1)][
            ::-1
        ],
        {"speed.min_download_mbps": 20.0},
    )
    lines = chart(drawn[0], width=10, height=4)
    rows = lines[1:5]
    assert rows[0].startswith("40.0 ┤█")  # the top row is the highest value
    marked = [r for r in rows if r.endswith("◂ threshold")]
    assert len(marked) == 1 and marked[0].startswith("20.0 ┤")
    assert drawn[0].usual is None  # two results are not enough for a "usual"


async def test_tui_history_screen_at_80x24(tmp_path: Path) -> None:
    seed(tmp_path)
    config = load_config(data_dir=tmp_path, environ={})
    app = WizardApp(
        Workspace(config),
        device={"os": "TestOS 1.0", "machine": "x86_64", "interfaces": []},
        clock=lambda: datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        download = str(screen.query_one("#chart-download").render())
        assert "download (Mbit/s)" in download and "◂ threshold" in download
        assert all(len(line) <= 78 for line in download.splitlines()), download
        assert str(screen.query_one("#chart-rpm").render()).count("█") > 0
        callouts = [str(w.render()) for w in screen.query(".callout")]
        assert any("slower than usual for you" in c for c in callouts), callouts
        assert screen.query_one("#checks").row_count == len(RATES) + 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # The command palette opens it too.
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "show history":
            await pilot.press(char)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


def test_history_screen_snapshot_at_80x24(snap_compare, tmp_path: Path) -> None:
    """The picture at 80x24: charts with their thresholds, the call-out, then the tables."""
    from tests.functional.test_snapshots import make_app, press_then_steady

    seed(tmp_path)
    app = make_app(tmp_path)
    assert snap_compare(app, run_before=press_then_steady("h"), terminal_size=(80, 24))


def two_sessions(data_dir: Path, guides: dict[str, Guide]) -> tuple[str, str]:
    """(an ended session, an unfinished one at its "platform" step), oldest first."""
    with open_store(data_dir) as store:
        ended = SavedSession.start(guides["snap"], store, "2026-11-20T09:00:00+00:00")
        ended.apply(Answer("start", "other", at="2026-11-20T09:00:03+00:00"))  # to the report
        going = SavedSession.start(guides["snap"], store, "2026-11-21T09:00:00+00:00")
        going.apply(Answer("start", "likes", at="2026-11-21T09:00:03+00:00"))
    assert ended.id is not None and going.id is not None
    assert ended.session.ended and going.session.current == "platform"
    return ended.id, going.id


@pytest.mark.parametrize("how", ["enter", "click"])
async def test_a_session_row_opens_its_walk_or_its_report(tmp_path: Path, how: str) -> None:
    """Enter (or a click) on a row: an unfinished walk goes on at its step, an ended one
    shows its report; the key line says what Enter does there."""
    from tests.functional.test_snapshots import make_app

    app = make_app(tmp_path)
    ended, going = two_sessions(tmp_path, app.workspace.library.guides)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, HistoryScreen)
        table = history.query_one("#sessions", DataTable)
        table.focus()
        await pilot.pause()
        assert "⏎ Open session" in str(history.query_one(KeyBar).render())
        for row, session in enumerate((going, ended)):  # the latest first
            if how == "enter":
                table.move_cursor(row=row)
                await pilot.press("enter")
            else:
                table.scroll_visible(animate=False)
                await pilot.pause()
                region = table.region
                await pilot.click(offset=(region.x + 2, region.y + 1 + row))
            await pilot.pause()
            await pilot.pause()
            opened = app.screen
            if session == going:
                assert isinstance(opened, WalkScreen), opened
                assert opened.saved.id == going and opened.session.current == "platform"
            else:
                assert isinstance(opened, ReportScreen), opened
                assert opened.saved.id == ended and opened.saved.session.ended
            await app.pop_screen()  # as leaving it does (escape there goes back a step)
            await pilot.pause()
            await pilot.pause()
            assert app.screen is history
            table = history.query_one("#sessions", DataTable)


def widths(table: DataTable[object]) -> int:
    """The columns a table takes, its cells' padding and its own scroll bar included."""
    columns = sum(c.get_render_width(table) for c in table.ordered_columns)
    return columns + table.styles.scrollbar_size_vertical


@pytest.mark.parametrize("light", [False, True], ids=["dark", "light"])
async def test_history_and_home_fit_80x24_and_say_times_in_words(
    tmp_path: Path, light: bool
) -> None:
    """Every column on screen, whole sentences (wrapped, not cut), dates as words, and a
    guide that is gone said to be so."""
    from tests.functional.test_snapshots import make_app

    seed(tmp_path)
    long = (
        "Names cannot be looked up: the DNS server at 192.168.1.1 did not answer within 3 s, "
        "so TikTok's servers cannot be found."
    )
    app = make_app(tmp_path)
    two_sessions(tmp_path, app.workspace.library.guides)
    with open_store(tmp_path) as store:
        store.create_session("gone-guide", "start", "2025-12-30T08:00:00+00:00")
        store.add_check_result(
            None,
            CheckResult("connectivity", "dns_failure", Status.FAILED, long),
            at="2026-11-22T18:30:00+00:00",
        )
    async with app.run_test(size=(80, 24)) as pilot:
        if light:
            await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.pause()
        recent = app.screen.query_one("#recent", DataTable)
        assert widths(recent) <= 80 - 6
        first = [str(c) for c in recent.get_row_at(0)]
        assert first[0] == "22 Nov, 18:30" and first[2] == long, first
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        sessions = screen.query_one("#sessions", DataTable)
        checks = screen.query_one("#checks", DataTable)
        for table in (sessions, checks):
            assert widths(table) <= 80 - 2, [c.label for c in table.ordered_columns]
        rows = [[str(c) for c in sessions.get_row_at(n)] for n in range(sessions.row_count)]
        assert rows[0] == ["21 Nov, 09:00", "A guide for screenshots", "Not finished yet"]
        assert rows[1][2] == "Not solved: needs TikTok support"
        assert rows[2] == ["30 Dec 2025, 08:00", "“gone-guide” (not installed)", "Not finished yet"]
        said = [str(c) for c in checks.get_row_at(0)]
        assert said == ["22 Nov, 18:30", "Internet connection", long]
        speed = str(checks.get_row_at(2)[2])  # after the device check
        assert speed.splitlines()[1].startswith("download 12 Mbit/s, upload 2.4 Mbit/s")
        pictures = [str(w.render()) for w in screen.query(".chart, .callout")]
        assert any("1 Nov, 10:00 … 8 Nov, 10:00" in p for p in pictures), pictures
        assert not any("2026-" in p for p in pictures), pictures
