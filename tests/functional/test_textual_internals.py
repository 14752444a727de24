"""The parts of Textual the title and key lines (wizard/tui/widgets/bars.py) rely on
beyond its public widgets: this fails first, with a clear name, on a Textual that
changes them. And the launch benchmark's comparison with Textual's own Header and
Footer, the reason the bars are kept, still puts those two on the home screen."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Static


class _Probe(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "noop", "Do nothing", id="noop")]

    def compose(self) -> ComposeResult:
        yield Static("probe")

    def action_noop(self) -> None:
        return None


async def test_active_bindings_signal_and_key_display_have_the_shapes_bars_use() -> None:
    app = _Probe()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        screen = app.screen
        active = screen.active_bindings
        assert "x" in active, list(active)
        node, binding, enabled, tooltip = active["x"]  # a 4-tuple, in this order
        assert isinstance(binding, Binding) and binding.action == "noop"
        assert isinstance(enabled, bool) and (tooltip is None or isinstance(tooltip, str))
        assert node is not None
        assert isinstance(app.get_key_display(binding), str)
        assert isinstance(app.COMMAND_PALETTE_BINDING, str)
        seen: list[object] = []
        probe = app.query_one(Static)
        screen.bindings_updated_signal.subscribe(probe, seen.append)
        app.refresh_bindings()
        await pilot.pause()
        assert seen, "bindings_updated_signal no longer fires on refresh_bindings()"
        screen.bindings_updated_signal.unsubscribe(probe)


async def test_the_launch_comparison_mounts_textuals_header_and_footer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark that decides whether the bars are kept swaps in Textual's Header and
    Footer: the home screen must really show them, keys and all, not time ours twice."""
    from benchmarks.tui_launch import keys_shown, use_textual_bars
    from tests.functional.test_snapshots import make_app
    from wizard.tui.screens import home
    from wizard.tui.widgets.bars import KeyBar, TitleBar

    for name in ("TitleBar", "KeyBar"):
        monkeypatch.setattr(home, name, getattr(home, name))  # put back after the test
    use_textual_bars()
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query(TitleBar) and not app.screen.query(KeyBar)
        assert app.screen.query_one(Header).screen_title == "wizard"
        await pilot.pause()
        assert keys_shown(app)
        await pilot.pause()
        bottom = list(app.screen._compositor.render_strips())[-1].text
        assert "h History  1–9 Open  q Quit  ? Help" in bottom, bottom
