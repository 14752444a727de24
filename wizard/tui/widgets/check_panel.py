"""A check from start to result: it runs the check itself, shows its progress, then its verdict.

The panel owns the worker that runs the check, so the run lives exactly as long as the
panel: removing the panel (going back, restarting, leaving the screen) cancels the run, and
a result that arrives after that touches nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable, ProgressBar, Static
from textual.worker import Worker, WorkerState

from checks.api import CheckResult, Progress, Status, Table
from wizard.tui.messages import CheckFinished, CheckProgressed
from wizard.tui.shown import cell, markup, plain
from wizard.tui.widgets.button_row import ButtonRow

MARKS = {
    Status.OK: ("✓", "ok"),
    Status.WARNING: ("!", "warning"),
    Status.FAILED: ("✗", "failed"),
    Status.ERROR: ("✗", "failed"),
    Status.SKIPPED: ("–", "skipped"),
}
GAUGE_WIDTH = 30

Report = Callable[[Progress], None]
Runner = Callable[[Report], Awaitable[CheckResult]]
"""Runs the check, reporting progress through the callable it is given."""


def gauge(value: float, full_scale: float, width: int = GAUGE_WIDTH) -> str:
    """A bar ``width`` cells wide for a live reading, on a scale that grows to fit it."""
    filled = min(width, round(width * value / full_scale)) if full_scale else 0
    return "█" * filled + "░" * (width - filled)


class CheckPanel(Vertical):
    """Runs one check and shows it from start to result.

    Buttons: Continue (``continue``), Run again (``retry``, handled here) and, when
    ``skippable``, Skip this check (``skip``) after a cancel; Continue and Skip bubble up to
    the screen. :class:`CheckFinished` is posted (and bubbles) when a result is shown.
    """

    DEFAULT_CSS = """
    CheckPanel { height: auto; padding: 1 0; }
    CheckPanel #phase { color: $text-muted; }
    CheckPanel #gauge { height: auto; margin: 1 0 0 0; }
    CheckPanel ProgressBar { margin: 1 0 0 0; }
    CheckPanel #verdict { text-style: bold; margin: 1 0 0 0; }
    CheckPanel #verdict.ok { color: $text-success; }
    CheckPanel #verdict.warning { color: $text-warning; }
    CheckPanel #verdict.failed { color: $text-error; }
    CheckPanel #advice { margin: 1 0 0 0; }
    CheckPanel #numbers { color: $text-muted; margin: 1 0 0 0; }
    CheckPanel .table-title { margin: 1 0 0 0; }
    CheckPanel DataTable { height: auto; max-height: 12; }
    CheckPanel .buttons { height: auto; margin: 1 0 0 0; }
    CheckPanel .buttons Button { margin-right: 2; }
    """

    def __init__(
        self,
        title: str,
        runner: Runner,
        *,
        skippable: bool = False,
        words: Callable[[CheckResult], CheckResult] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.title = title
        self.runner = runner
        self.skippable = skippable
        self.words = words
        """How the result is put into words on screen (a guide's own words per outcome);
        :attr:`result` stays the check's own."""
        self.full_scale = 10.0
        self.state: Literal["running", "done", "cancelled"] = "running"
        self.result: CheckResult | None = None
        """The result shown (None while running or after a cancel)."""
        self.worker: Worker[CheckResult] | None = None
        self.shown_progress: Progress | None = None
        """The progress last shown while the check runs."""

    @property
    def running(self) -> bool:
        """True while the check runs."""
        return self.worker is not None and not self.worker.is_finished

    def compose(self) -> ComposeResult:
        if self.state == "running":
            yield Static(plain(f"Running: {self.title}… (Esc cancels)"), id="phase")
            yield ProgressBar(total=None, show_eta=False, id="bar")
            yield Static("", id="gauge")
        elif self.state == "cancelled":
            yield Static("The check was cancelled.", id="verdict", classes="warning")
            buttons = [Button("Run it again", id="retry", variant="primary")]
            if self.skippable:
                buttons.append(Button("Skip this check", id="skip"))
            yield ButtonRow(*buttons, classes="buttons")
        elif self.result is not None:
            yield from result_widgets(self.words(self.result) if self.words else self.result)

    def on_mount(self) -> None:
        self.start()

    def start(self) -> None:
        """Run the check (again)."""
        self.result = None
        self.full_scale = 10.0
        self.shown_progress = None
        self.worker = self.run_worker(
            self._run(),
            name=f"check: {self.title}",
            group="check",
            exclusive=True,
            exit_on_error=False,
        )
        self._bindings_changed()

    def cancel(self) -> None:
        """Stop the check, if it is running."""
        if self.worker is not None and not self.worker.is_finished:
            self.worker.cancel()

    async def _run(self) -> CheckResult:
        def report(progress: Progress) -> None:
            self.post_message(CheckProgressed(progress))

        return await self.runner(report)

    def on_check_progressed(self, message: CheckProgressed) -> None:
        message.stop()
        if self.state == "running" and self.worker is not None and not self.worker.is_finished:
            self.show_progress(message.progress)

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        if event.worker is not self.worker:
            return
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, CheckResult):
            await self.show_result(event.worker.result)
        elif event.state == WorkerState.ERROR:
            await self.show_result(self._stopped(event.worker.error))
        elif event.state == WorkerState.CANCELLED:
            await self.show_cancelled()
        self._bindings_changed()

    @on(Button.Pressed, "#retry")
    async def again(self, event: Button.Pressed) -> None:
        event.stop()
        self.state = "running"
        await self.recompose()
        self.start()

    def on_resize(self) -> None:
        # The gauge is as wide as the room it has: drawn again when that changes.
        if self.state == "running" and self.shown_progress is not None:
            self.show_progress(self.shown_progress)

    def show_progress(self, progress: Progress) -> None:
        """Update the phase line, the bar and (for a live reading) the gauge."""
        self.shown_progress = progress
        bar = self.query_one("#bar", ProgressBar)
        if progress.fraction is not None:
            bar.update(total=100, progress=round(progress.fraction * 100))
        phase = progress.phase[:1].upper() + progress.phase[1:]
        detail = f": {progress.message}" if progress.message else ""
        timing = ""
        if progress.expected_s:
            timing = f"  ({progress.elapsed_s:.0f} of about {progress.expected_s:.0f} s)"
        self.query_one("#phase", Static).update(plain(f"{phase}{detail}{timing}  (Esc cancels)"))
        if progress.value is not None:
            while progress.value > self.full_scale:
                self.full_scale *= 2
            reading = f"  {progress.value:7.1f} {progress.unit}"
            # On one line whatever the room: the bar gives way to the reading.
            room = self.content_size.width - len(reading) if self.content_size.width else 0
            width = max(5, min(GAUGE_WIDTH, room)) if room else GAUGE_WIDTH
            self.query_one("#gauge", Static).update(
                plain(gauge(progress.value, self.full_scale, width) + reading)
            )

    async def show_result(self, result: CheckResult) -> None:
        """Replace the progress with the result, its numbers, advice and tables."""
        self.state, self.result = "done", result
        await self.recompose()
        self._focus("#continue")
        self.post_message(CheckFinished(result))

    async def show_cancelled(self) -> None:
        """The check was cancelled: offer to run it again (or to skip it)."""
        self.state, self.result = "cancelled", None
        await self.recompose()
        self._focus("#retry")

    def _stopped(self, error: BaseException | None) -> CheckResult:
        """The result of a run that raised: said in words; the error goes to the errors log."""
        from wizard.tui.app import WizardApp

        where = ""
        if error is not None and isinstance(self.app, WizardApp):
            where = self.app.logged(error)
        return CheckResult(
            "check", "error", Status.ERROR, f"The check stopped unexpectedly{where}."
        )

    def _bindings_changed(self) -> None:
        # Whether "Cancel check" is shown follows the run.
        if self.is_attached:
            self.screen.refresh_bindings()

    def _focus(self, selector: str) -> None:
        # Gone already when the step was left while the result came in.
        for button in self.query(selector).results(Button):
            button.focus()


def layers_table(result: CheckResult) -> Table | None:
    """The layers a check tested, with their technical notes, as a details table."""
    layers = [x for x in result.details.get("layers") or () if isinstance(x, dict)]
    if not layers:
        return None
    rows = []
    for layer in layers:
        status = Status(layer.get("status", "skipped"))
        rows.append(
            (
                str(layer.get("name", "")),
                f"{MARKS[status][0]} {status.value}",
                str(layer.get("summary", "")),
            )
        )
    return Table("What was tested", ("part", "result", "notes"), tuple(rows))


def details_tables(result: CheckResult) -> list[Table]:
    """The details under the buttons: what was tested (the layers), then the check's tables."""
    layers = layers_table(result)
    return [*([layers] if layers else []), *result.tables]


def result_widgets(result: CheckResult) -> list[Widget]:
    """The verdict in words, the numbers and advice, the buttons, then the details tables.

    Above the buttons only plain words: a check's technical notes (its layers' findings,
    addresses, error names) are in the details tables below them and in the report.
    """
    mark, css = MARKS[result.status]
    out: list[Widget] = [Static(plain(f"{mark} {result.summary}"), id="verdict", classes=css)]
    if result.metrics:
        numbers = "   ".join(f"{m.label or m.name}: {m.display()}" for m in result.metrics)
        out.append(Static(plain(numbers), id="numbers"))
    if result.advice:
        out.append(Static(plain(f"→ {result.advice}"), id="advice"))
    # The way on comes before the details, so that the verdict and the focused
    # button share the screen even at 80x24.
    out.append(
        ButtonRow(
            Button("Continue", id="continue", variant="primary"),
            Button("Run again", id="retry"),
            classes="buttons",
        )
    )
    for index, table in enumerate(details_tables(result)):
        widget: DataTable[Text] = DataTable(
            id=f"table-{index}", zebra_stripes=True, cursor_type="row"
        )
        widget.add_columns(*(cell(column) for column in table.columns))
        widget.add_rows([[cell(value) for value in row] for row in table.rows[:200]])
        out.append(Static(f"[b]{markup(table.title)}[/b]", classes="table-title"))
        out.append(widget)
    return out
