"""The support report: the redacted draft exactly as it will be exported, and the export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    Markdown,
    Static,
    TextArea,
)

from wizard.engine import Note
from wizard.report import KINDS, Report, prepare
from wizard.report.export import ExportError, write_atomic
from wizard.report.render import render, to_markdown
from wizard.saved import SavedSession
from wizard.tui.screens.dialogs import ExportDialog
from wizard.tui.served import deliver, served
from wizard.tui.shown import ShownTitles, markdown
from wizard.tui.widgets.bars import KeyBar, TitleBar

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp

KIND_LABELS = {
    "ip": "IP addresses",
    "mac": "MAC addresses",
    "hostname": "Computer name",
    "username": "User names",
    "email": "E-mail addresses",
    "home": "Home folder paths",
    "device_id": "Device identifiers",
    "extra": "Words I list below",
}


class ReportScreen(ShownTitles, Screen[None]):
    """Preview, redaction switches, your own words, export and copy."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: they must work while typing in the text box, which has its own
        # ctrl+e (line end) and ctrl+y (redo).
        Binding("ctrl+e", "export", "Export", id="export", priority=True),
        Binding("ctrl+y", "copy", "Copy", id="copy", priority=True),
        Binding("escape", "close", "Back", id="close"),
    ]

    def __init__(self, saved: SavedSession) -> None:
        super().__init__()
        self.saved = saved
        self.report: Report | None = None
        self.device: dict[str, object] = {}

    @property
    def wizard(self) -> WizardApp:
        """The app, typed."""
        from wizard.tui.app import WizardApp

        assert isinstance(self.app, WizardApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="report"):
            with VerticalScroll(id="preview-box"):
                yield Static("This is exactly what will be exported:", classes="hint")
                yield Markdown("Preparing…", id="preview")
            with VerticalScroll(id="report-side"):
                yield Label("[b]The problem in your own words[/b]")
                yield TextArea(self.saved.session.note, id="words", soft_wrap=True)
                yield Label("[b]Hide[/b]")
                for kind in KINDS:
                    yield Checkbox(
                        KIND_LABELS[kind], value=kind in self.default_on(), id=f"hide-{kind}"
                    )
                yield Input(
                    ", ".join(self.wizard.extra_words),
                    placeholder="other words to hide, comma separated",
                    id="extra",
                )
                with Vertical(classes="buttons-col"):
                    yield Button("Export…  (Ctrl+E)", id="export", variant="primary")
                    yield Button("Copy to clipboard  (Ctrl+Y)", id="copy")
                    yield Button("Back  (Esc)", id="close")
                yield Static("", id="export-result")
        yield KeyBar()

    def default_on(self) -> set[str]:
        """Kinds hidden unless the user turns them off (from the configuration)."""
        return set(self.wizard.workspace.config.get("report.redact")) | {"extra"}

    def on_mount(self) -> None:
        self.title = "Support report"
        self.sub_title = self.saved.session.guide.title
        # The one thing only the user can add: start there (Esc still goes back).
        self.query_one("#words", TextArea).focus()
        self.load_device()

    @work(exclusive=True, group="device", exit_on_error=False)
    async def load_device(self) -> None:
        self.device = await self.wizard.device_facts()
        self.refresh_preview()

    def hidden_kinds(self) -> set[str]:
        """The kinds whose switch is on."""
        return {kind for kind in KINDS if self.query_one(f"#hide-{kind}", Checkbox).value}

    def refresh_preview(self) -> None:
        """Rebuild the redacted report and show it."""
        words = [w.strip() for w in self.query_one("#extra", Input).value.split(",") if w.strip()]
        self.report = prepare(
            self.saved.session,
            device=self.device,
            session_id=self.saved.id,
            disabled=set(KINDS) - self.hidden_kinds(),
            extra_words=words,
            now=self.wizard.now(),
        )
        self.query_one("#preview", Markdown).update(markdown(to_markdown(self.report)))

    @on(Checkbox.Changed)
    @on(Input.Changed, "#extra")
    def redaction_changed(self) -> None:
        self.refresh_preview()

    @on(TextArea.Changed, "#words")
    def words_changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        if text.strip() != self.saved.session.note:
            self.saved.apply(Note(text, at=self.wizard.stamp()))
            self.refresh_preview()

    @on(Button.Pressed, "#export")
    def export_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#copy")
    def copy_pressed(self) -> None:
        self.action_copy()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.app.pop_screen()

    def action_copy(self) -> None:
        if self.report is None:
            return
        if served(self.app):  # a browser ignores a terminal's clipboard request
            name = f"tiktok-support-{self.saved.session.guide.id}.md"
            said = deliver(self.app, to_markdown(self.report).encode("utf-8"), name, "md")
            self.notify(f"{said}: copy it from there.", title="Copy", markup=False)
            return
        self.app.copy_to_clipboard(to_markdown(self.report))
        self.notify(
            "Copied as Markdown. Some terminals ignore clipboard requests: if nothing was copied, "
            "use Export instead.",
            title="Copied",
        )

    @work(exclusive=True, group="export", exit_on_error=False)
    async def action_export(self) -> None:
        if self.report is None:
            return
        stem = f"tiktok-support-{self.saved.session.guide.id}"
        # Served, only a file name is asked for: the server's folders are not the visitor's.
        folder = Path() if served(self.app) else self.wizard.export_folder()
        choice = await self.app.push_screen_wait(ExportDialog(folder, stem))
        if choice is None:
            return
        fmt, path, overwrite = choice
        result = self.query_one("#export-result", Static)
        if served(self.app):  # the file goes to the browser; the server's disk is not theirs
            said = deliver(self.app, render(self.report, fmt), Path(path).name, fmt)
            result.update(Text(said, style="green"))
            self.notify(said, title="Exported", markup=False)
            return
        try:
            written = write_atomic(Path(path), render(self.report, fmt), overwrite=overwrite)
        except ExportError as exc:
            why = f"{exc} (tick “Replace the file” to replace it)" if exc.exists else str(exc)
            result.update(Text(f"Not saved: {why}", style="red"))
            self.notify(why, title="Not saved", severity="error", markup=False)
            return
        result.update(Text(f"Saved to {written}", style="green"))
        self.notify(f"Saved to {written}", title="Exported")
