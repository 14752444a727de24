"""Home: the guides, an unfinished session to resume, and recent check results."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from wizard.tui.screens.base import WizardScreen
from wizard.tui.served import NETWORK_NOTE, served
from wizard.tui.shown import markup
from wizard.tui.widgets.bars import KeyBar, TitleBar, numbered

if TYPE_CHECKING:
    from rich.text import Text

    from wizard.content.model import Guide
    from wizard.store import SessionRow


def guide_option(guide: Guide, number: int) -> Option:
    """One guide in the list: its number (the key that opens it), title and summary."""
    key = f"{number}. " if number <= 9 else ""
    return Option(f"[b]{key}{markup(guide.title)}[/b]\n{markup(guide.summary)}", id=guide.id)


class HomeScreen(WizardScreen):
    """The first screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "resume", "Continue", id="resume", tooltip="continue the unfinished walk"),
        Binding("h", "history", "History", id="history", tooltip="sessions and checks over time"),
        *numbered("open_guide", "Open", "open a guide by its number"),
    ]

    def compose(self) -> ComposeResult:
        app = self.wizard
        yield TitleBar()
        if app.unsaved:
            # Outside the scrolling page, so that it is never scrolled out of view.
            yield Static(f"Walks will not be saved: {app.unsaved}.", id="unsaved", markup=False)
        with VerticalScroll(id="home-page"):
            yield Static(
                "What is going wrong with TikTok? Pick a guide: it asks a few questions, runs "
                "checks on this computer and network, and ends with a fix or a report for "
                "TikTok's support.",
                id="intro",
            )
            if served(app):
                yield Static(NETWORK_NOTE, id="served-note", markup=False)
            unfinished = self.offered = app.unfinished_session()
            if unfinished is not None and app.library is not None:
                guide = app.library.get(unfinished.guide)
                if guide is not None and unfinished.current_node in guide.nodes:
                    where = guide.nodes[unfinished.current_node].heading
                    with Vertical(id="resume-card"):
                        yield Static(
                            f"[b]Unfinished:[/b] {markup(guide.title)}, at “{markup(where)}”."
                        )
                        yield Button(
                            "Continue where I left off  (c)", id="resume", variant="primary"
                        )
            yield Static("Guides", classes="section")
            yield self._guide_list()
            recent = app.recent_checks()
            if recent:
                from textual.widgets import DataTable

                from wizard.history import when
                from wizard.tui.screens.tables import fill, with_numbers

                yield Static("Recent checks", classes="section")
                table: DataTable[Text] = DataTable(
                    id="recent", cursor_type="none", zebra_stripes=True
                )
                now = app.now()
                rows = []
                for at, result in recent:
                    numbers = ", ".join(
                        f"{m.label or m.name} {m.display()}" for m in result.metrics[:2]
                    )
                    # By title once the guides' load has imported the checks; nothing
                    # is imported for it here (the home screen is the first one drawn).
                    check = app.workspace.registry.loaded.get(result.check_id)
                    name = check.title if check is not None else result.check_id
                    cells = (when(at, now), name, with_numbers(result.summary, numbers))
                    rows.append((cells, None))
                # The page's padding and its scroll bar take six columns.
                fill(table, ("when (UTC)", "check", "what it found"), rows, app.size.width - 6)
                yield table
        yield KeyBar()

    def _guide_list(self) -> OptionList:
        """The guides, or a line saying they are loading (or why they could not be)."""
        app = self.wizard
        if app.library_failed is not None:
            return OptionList(
                Option(
                    f"The guides could not be loaded: {markup(app.library_failed)}", disabled=True
                ),
                id="guides",
            )
        if app.library is None:
            return OptionList(Option("Loading guides…", disabled=True), id="guides")
        # One widget for the whole list: a widget per guide costs start-up time.
        guides = app.sorted_guides()
        return OptionList(
            *[part for n, g in enumerate(guides, 1) for part in (guide_option(g, n), None)][:-1],
            id="guides",
        )

    async def fill(self) -> None:
        """Draw the screen again now that the guides are loaded, and focus what to pick."""
        await self.recompose()
        # After the new widgets are laid out, so that focusing the list scrolls it into view.
        self.call_after_refresh(self._focus_first)

    offered: SessionRow | None = None
    """The unfinished session the banner offers (Continue opens exactly this one)."""
    _shown = False

    def on_mount(self) -> None:
        self.title = "wizard"
        self.sub_title = "TikTok troubleshooter"
        self._focus_first()

    async def on_screen_resume(self) -> None:
        # Drawn from the store each time it is shown again: a walk may have ended or begun.
        if self._shown:
            await self.recompose()
            self._focus_first()
            self.refresh_bindings()
        self._shown = True

    def _focus_first(self) -> None:
        resume = self.query("#resume")
        if resume:
            resume.first().focus()
        else:
            self.query_one("#guides", OptionList).focus()

    @on(OptionList.OptionSelected, "#guides")
    def guide_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.wizard.start_guide(event.option.id)

    @on(Button.Pressed, "#resume")
    def resume_pressed(self) -> None:
        self.action_resume()

    def action_resume(self) -> None:
        if self.offered is not None:
            self.wizard.resume_session(self.offered.id)

    def action_history(self) -> None:
        self.wizard.open_history()

    def action_open_guide(self, number: int) -> None:
        guides = self.wizard.sorted_guides()
        if 1 <= number <= len(guides):
            self.wizard.start_guide(guides[number - 1].id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.offered is not None and bool(self.query("#resume"))
        return True
