"""A running check: its phase, a progress bar and a live gauge; then its result and details."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, ProgressBar, Static

from checks.api import CheckResult, Progress, Status
from wizard.tui.shown import cell, markup, plain

MARKS = {
    Status.OK: ("✓", "ok"),
    Status.WARNING: ("!", "warning"),
    Status.FAILED: ("✗", "failed"),
    Status.ERROR: ("✗", "failed"),
    Status.SKIPPED: ("–", "skipped"),
}
GAUGE_WIDTH = 30


def gauge(value: float, full_scale: float) -> str:
    """A bar for a live reading, on a scale that grows to fit it."""
    filled = min(GAUGE_WIDTH, round(GAUGE_WIDTH * value / full_scale)) if full_scale else 0
    return "█" * filled + "░" * (GAUGE_WIDTH - filled)


class CheckPanel(Vertical):
    """Shows one check from start to result. Buttons: Continue, Retry (ids ``continue``, ``retry``)."""

    DEFAULT_CSS = """
    CheckPanel { height: auto; padding: 1 0; }
    CheckPanel #phase { color: $text-muted; }
    CheckPanel #gauge { height: auto; margin: 1 0 0 0; }
    CheckPanel ProgressBar { margin: 1 0 0 0; }
    CheckPanel #verdict { text-style: bold; margin: 1 0 0 0; }
    CheckPanel #verdict.ok { color: $success; }
    CheckPanel #verdict.warning { color: $warning; }
    CheckPanel #verdict.failed { color: $error; }
    CheckPanel #advice { margin: 1 0 0 0; }
    CheckPanel #numbers { color: $text-muted; margin: 1 0 0 0; }
    CheckPanel .table-title { margin: 1 0 0 0; }
    CheckPanel DataTable { height: auto; max-height: 12; }
    CheckPanel .buttons { height: auto; margin: 1 0 0 0; }
    CheckPanel .buttons Button { margin-right: 2; }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.full_scale = 10.0

    def compose(self) -> ComposeResult:
        yield Static(plain(f"Running: {self.title}… (Esc cancels)"), id="phase")
        yield ProgressBar(total=None, show_eta=False, id="bar")
        yield Static("", id="gauge")

    def show_progress(self, progress: Progress) -> None:
        """Update the phase line, the bar and (for a live reading) the gauge."""
        bar = self.query_one("#bar", ProgressBar)
        if progress.fraction is not None:
            bar.update(total=100, progress=round(progress.fraction * 100))
        phase = progress.phase.capitalize()
        detail = f": {progress.message}" if progress.message else ""
        timing = ""
        if progress.expected_s:
            timing = f"  ({progress.elapsed_s:.0f} of about {progress.expected_s:.0f} s)"
        self.query_one("#phase", Static).update(plain(f"{phase}{detail}{timing}  (Esc cancels)"))
        if progress.value is not None:
            while progress.value > self.full_scale:
                self.full_scale *= 2
            self.query_one("#gauge", Static).update(
                plain(
                    f"{gauge(progress.value, self.full_scale)}  {progress.value:7.1f} {progress.unit}"
                )
            )

    async def show_result(self, result: CheckResult) -> None:
        """Replace the progress with the result, its numbers, advice and tables."""
        await self.remove_children()
        mark, css = MARKS[result.status]
        await self.mount(Static(plain(f"{mark} {result.summary}"), id="verdict", classes=css))
        layers = result.details.get("layers")
        if isinstance(layers, list) and layers:
            lines = [
                f"{MARKS[Status(layer.get('status', 'skipped'))][0]} "
                f"{layer.get('name')}: {layer.get('summary')}"
                for layer in layers
                if isinstance(layer, dict)
            ]
            await self.mount(Static(plain("\n".join(lines)), id="layers"))
        if result.metrics:
            numbers = "   ".join(f"{m.label or m.name}: {m.display()}" for m in result.metrics)
            await self.mount(Static(plain(numbers), id="numbers"))
        if result.advice:
            await self.mount(Static(plain(f"→ {result.advice}"), id="advice"))
        # The way on comes before the details, so that the verdict and the focused
        # button share the screen even at 80x24.
        buttons = Horizontal(classes="buttons")
        await self.mount(buttons)
        await buttons.mount(Button("Continue", id="continue", variant="primary"))
        await buttons.mount(Button("Run again", id="retry"))
        for index, table in enumerate(result.tables):
            widget: DataTable[Text] = DataTable(
                id=f"table-{index}", zebra_stripes=True, cursor_type="row"
            )
            await self.mount(Static(f"[b]{markup(table.title)}[/b]", classes="table-title"))
            await self.mount(widget)
            widget.add_columns(*(cell(column) for column in table.columns))
            widget.add_rows([[cell(value) for value in row] for row in table.rows[:200]])
        self.query_one("#continue", Button).focus()

    async def show_cancelled(self) -> None:
        """The check was cancelled: offer to run it again."""
        await self.remove_children()
        await self.mount(Static("The check was cancelled.", id="verdict", classes="warning"))
        buttons = Horizontal(classes="buttons")
        await self.mount(buttons)
        await buttons.mount(Button("Run it again", id="retry", variant="primary"))
        self.query_one("#retry", Button).focus()
