"""The support report: the redacted draft exactly as it will be exported, and the export.

The preview is the chosen format's own rendering (for the e-mail draft, a readable view of
all it carries): what is shown is what is copied and written. Everything typed or switched
here is saved with the session as it changes, so leaving the screen loses nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    RadioSet,
    Static,
    TextArea,
)

from wizard.engine import Note, ReportOptions
from wizard.report import KINDS, Report, prepare
from wizard.report.formats import FORMAT_INFO
from wizard.report.render import DEFAULT_FORMAT, FORM_LIMIT, FORMATS, preview, render
from wizard.report.write import write_atomic
from wizard.saved import SavedSession
from wizard.terminaltext import escape_controls
from wizard.tui.screens.base import WizardScreen
from wizard.tui.screens.dialogs import ExportDialog
from wizard.tui.served import deliver, served
from wizard.tui.widgets.bars import KeyBar, TitleBar
from wizard.tui.widgets.button_row import ButtonRow
from wizard.tui.widgets.toggles import DotButton, TickBox

KIND_LABELS = {
    "ip": "IP addresses",
    "mac": "MAC addresses",
    "hostname": "Computer name",
    "username": "User names",
    "email": "E-mail addresses",
    "home": "Home folder paths",
    "device_id": "Device identifiers",
    "handle": "Other people's TikTok names",
    "extra": "Words I list below",
}


LEAVE_BOX = Binding(
    "escape",
    "screen.leave_box",
    "Leave the box",
    id="leave-box",
    tooltip="leave the text box (what you typed stays); outside it, Esc goes back",
)
"""Esc in a text box of the report: out of the box, not off the screen."""


class WordsBox(TextArea):
    """A text box of the report, saying in the key line how to leave it.

    While it has focus, letters are typed into it, so the keys that are letters
    (q, ?) are not shown; Esc is, and leaves the box for the Export button.
    """

    BINDINGS: ClassVar[list[BindingType]] = [LEAVE_BOX]


class WordsField(Input):
    """A one-line text box of the report; Esc leaves it, as in :class:`WordsBox`."""

    BINDINGS: ClassVar[list[BindingType]] = [LEAVE_BOX]


class ReportScreen(WizardScreen):
    """Preview, redaction switches, your own words, export and copy."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: they must work while typing in the text box, which has its own
        # ctrl+e (line end) and ctrl+y (redo).
        Binding(
            "ctrl+e",
            "export",
            "Export",
            id="export",
            priority=True,
            tooltip="export the report to a file",
        ),
        Binding(
            "ctrl+y",
            "copy",
            "Copy",
            id="copy",
            priority=True,
            tooltip="copy the report to the clipboard",
        ),
        Binding(
            "escape",
            "close",
            "Back",
            id="close",
            tooltip="leave the report; what you changed here stays",
        ),
    ]

    def __init__(self, saved: SavedSession) -> None:
        super().__init__()
        self.saved = saved
        self.report: Report | None = None
        self.device: dict[str, object] = {}
        self.format = DEFAULT_FORMAT

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="report"):
            with Vertical(id="preview-box"):
                yield Static("", id="preview-hint", classes="hint")
                yield TextArea(
                    "Preparing…",
                    id="preview",
                    read_only=True,
                    soft_wrap=True,
                    highlight_cursor_line=False,
                )
            with VerticalScroll(id="report-side"):
                yield Label("[b]The problem in your own words[/b]")
                yield WordsBox(
                    self.saved.session.note, id="words", soft_wrap=True, highlight_cursor_line=False
                )
                yield Label("[b]Format[/b]")
                with RadioSet(id="report-format"):
                    for key, fmt in FORMATS.items():
                        yield DotButton(fmt.name, value=key == self.format, id=f"as-{key}")
                yield Label("[b]Hide[/b]")
                hidden = self.initially_hidden()
                for kind in KINDS:
                    yield TickBox(KIND_LABELS[kind], value=kind in hidden, id=f"hide-{kind}")
                yield WordsField(
                    ", ".join(self.initial_words()),
                    placeholder="other words to hide, comma separated",
                    id="extra",
                )
        # Below both columns, in view at any size: the side column scrolls at 80x24.
        with Vertical(id="report-bar"):
            yield ButtonRow(
                Button("Export…  (Ctrl+E)", id="export", variant="primary"),
                Button("Copy to clipboard  (Ctrl+Y)", id="copy"),
                Button("Back  (Esc)", id="close"),
                classes="buttons",
            )
            yield Static("", id="export-result")
        yield KeyBar()

    def default_on(self) -> set[str]:
        """Kinds hidden unless the user turns them off (from the configuration)."""
        return set(self.wizard.workspace.config.get("report.redact")) | {"extra"}

    def initially_hidden(self) -> set[str]:
        """The switches as the user last left them for this session, else the defaults."""
        saved = self.saved.session.report_options
        return self.default_on() - set(saved.shown) if saved else self.default_on()

    def initial_words(self) -> list[str]:
        """The extra words as the user last typed them, else the configured ones."""
        saved = self.saved.session.report_options
        return list(saved.words) if saved else self.wizard.extra_words

    def words_to_hide(self) -> list[str]:
        """The words in the extra-words box."""
        return [w.strip() for w in self.query_one("#extra", Input).value.split(",") if w.strip()]

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
        """Rebuild the redacted report and show it in the chosen format."""
        self.report = prepare(
            self.saved.session,
            device=self.device,
            session_id=self.saved.id,
            disabled=set(KINDS) - self.hidden_kinds(),
            extra_words=self.words_to_hide(),
            now=self.wizard.now(),
        )
        text = self.shown_text()
        self.query_one("#preview", TextArea).load_text(escape_controls(text))
        hint = "This is exactly what will be exported and copied:"
        if self.format == "eml":
            hint = "The e-mail draft: its headers, its text, and the file attached to it:"
        elif self.format == "form" and len(text) > FORM_LIMIT:
            hint = (
                f"Longer than the form's {FORM_LIMIT:,} characters (your own words are never "
                "cut): send the e-mail draft instead."
            )
        self.query_one("#preview-hint", Static).update(hint)

    def shown_text(self) -> str:
        """The preview for the chosen format: what export and copy produce."""
        assert self.report is not None
        return preview(self.report, self.format)

    @on(RadioSet.Changed, "#report-format")
    def format_changed(self, event: RadioSet.Changed) -> None:
        self.format = (event.pressed.id or "").removeprefix("as-") or DEFAULT_FORMAT
        self.refresh_preview()

    @on(Checkbox.Changed)
    @on(Input.Changed, "#extra")
    def redaction_changed(self) -> None:
        self.save_options()
        self.refresh_preview()

    def save_options(self) -> None:
        """Save the switches and the words with the session, if they changed."""
        options = ReportOptions(
            tuple(sorted(self.default_on() - self.hidden_kinds())),
            tuple(self.words_to_hide()),
            at=self.wizard.stamp(),
        )
        saved = self.saved.session.report_options
        if saved is not None and (saved.shown, saved.words) == (options.shown, options.words):
            return
        if saved is None and not options.shown and list(options.words) == self.wizard.extra_words:
            return  # nothing changed from the defaults
        self.saved.apply(options)

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

    def action_leave_box(self) -> None:
        """Out of a text box (what was typed stays), onto the export."""
        self.query_one("#export", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.save_options()
        self.app.pop_screen()

    def action_copy(self) -> None:
        if self.report is None:
            return
        if self.format == "eml" and not served(self.app):
            self.notify(
                "An e-mail draft is a file: use Export, then open it in your mail program.",
                title="Not copied",
                severity="warning",
            )
            return
        if served(self.app):  # a browser ignores a terminal's clipboard request
            extension = FORMAT_INFO[self.format].extension
            name = f"tiktok-support-{self.saved.session.guide.id}.{extension}"
            data = render(self.report, self.format)
            said = deliver(self.app, data, name, extension)
            self.notify(f"{said}: copy it from there.", title="Copy", markup=False)
            return
        self.app.copy_to_clipboard(self.shown_text())
        self.notify(
            "Copied as shown. Some terminals ignore clipboard requests: if nothing was copied, "
            "use Export instead.",
            title="Copied",
        )

    @work(exclusive=True, group="export", exit_on_error=False)
    async def action_export(self) -> None:
        if self.report is None:
            return
        stem = f"tiktok-support-{self.saved.session.guide.id}"
        report = self.report
        in_browser = served(self.app)
        # Served, only a file name is asked for: the server's folders are not the visitor's.
        folder = Path() if in_browser else self.wizard.export_folder()

        def write(fmt: str, path: Path, overwrite: bool) -> Path:
            if in_browser:  # the file goes to the browser; the server's disk is not theirs
                deliver(self.app, render(report, fmt), path.name, FORMAT_INFO[fmt].extension)
                return Path(path.name)
            return write_atomic(path, render(report, fmt), overwrite=overwrite)

        dialog = ExportDialog(folder, stem, self.format, write)
        written = await self.app.push_screen_wait(dialog)
        if written is None:
            return
        result = self.query_one("#export-result", Static)
        result.display = True
        if in_browser:
            said = f"Sent to your browser as {written}"
            result.update(Text(said, style="green"))
            self.notify(said, title="Exported", markup=False)
            return
        result.update(Text(f"Saved to {written}", style="green"))
        self.notify(f"Saved to {written}", title="Exported")
