"""The parts of Textual the title and key lines (wizard/tui/widgets/bars.py) rely on
beyond its public widgets: this fails first, with a clear name, on a Textual that
changes them."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static


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
