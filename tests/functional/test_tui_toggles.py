"""On and off are told apart by a glyph, not by colour alone."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import RadioSet

from wizard.tui.widgets.toggles import DotButton, TickBox


class Toggles(App[None]):
    def compose(self) -> ComposeResult:
        yield TickBox("Hide my name", id="tick")
        with RadioSet(id="set"):
            yield DotButton("Markdown", value=True, id="md")
            yield DotButton("JSON", id="json")


async def test_the_state_reads_as_a_glyph() -> None:
    app = Toggles()
    async with app.run_test(size=(40, 10)) as pilot:
        tick = app.query_one(TickBox)
        assert "✓" not in tick.render().plain
        tick.toggle()
        await pilot.pause()
        assert "✓" in tick.render().plain
        md, json = app.query_one("#md", DotButton), app.query_one("#json", DotButton)
        assert "●" in md.render().plain and "●" not in json.render().plain
        json.value = True
        await pilot.pause()
        assert "●" not in md.render().plain and "●" in json.render().plain
