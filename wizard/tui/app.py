"""The Textual application: screens over the same engine, store and checks as the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from wizard.store import SessionRow, Store, StoreError
from wizard.tui.shown import ShownTitles, markup
from wizard.workspace import Workspace

if TYPE_CHECKING:
    from textual.app import SystemCommand
    from textual.command import Provider
    from textual.message import Message
    from textual.screen import Screen

    from checks.api import CheckResult
    from wizard.content.library import Library
    from wizard.content.model import Guide
    from wizard.saved import SavedSession


# The palette's providers load with the palette: textual.command is slow to import.
def _guide_commands() -> type[Provider]:
    from wizard.tui.commands import GuideCommands

    return GuideCommands


def _check_commands() -> type[Provider]:
    from wizard.tui.commands import CheckCommands

    return CheckCommands


def _history_commands() -> type[Provider]:
    from wizard.tui.commands import HistoryCommands

    return HistoryCommands


def _screen_commands() -> type[Provider]:
    from wizard.tui.commands import ScreenCommands

    return ScreenCommands


MAX_FAILURES = 5
"""Unexpected failures the app shows before it stops: one that keeps coming back ends it."""


class WizardApp(ShownTitles, App[int]):
    """The guided troubleshooting app.

    ``when_ready`` is called with the app once its first screen has been drawn.
    """

    # Every screen's stylesheet is read here, once. A screen with a CSS_PATH of its own
    # makes Textual parse every stylesheet again and restyle every widget when it is first
    # shown (about 50 ms for the walk screen), which costs more than reading these few
    # rules up front. Absolute, so that a subclass defined elsewhere (tests) finds them too.
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        Path(__file__).with_name("app.tcss"),
        *(
            Path(__file__).parent / "screens" / f"{name}.tcss"
            for name in ("walk", "report", "dialogs")
        ),
    ]
    TITLE = "wizard"
    SUB_TITLE = "TikTok troubleshooter"
    COMMANDS = App.COMMANDS | {
        _guide_commands,
        _check_commands,
        _screen_commands,
        _history_commands,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "q", "quit_saved", "Quit", id="quit", tooltip="quit; your walk is saved for next time"
        ),
        # Textual's own ctrl+c only says to press ctrl+q. A text box with text selected
        # copies it instead (Textual's Input and TextArea; with nothing selected they pass).
        Binding(
            "ctrl+c",
            "quit_saved",
            "Quit",
            id="quit-ctrl-c",
            show=False,
            tooltip="quit too, your walk saved (in a text box with text selected: copy it)",
        ),
        Binding("question_mark", "help", "Help", id="help", tooltip="this list of keys"),
        Binding(
            "ctrl+t", "toggle_dark", "Theme", id="theme", show=False, tooltip="light or dark theme"
        ),
    ]

    def __init__(
        self,
        workspace: Workspace,
        guide_id: str | None = None,
        *,
        device: dict[str, Any] | None = None,
        clock: Callable[[], datetime] | None = None,
        export_dir: Path | None = None,
        when_ready: Callable[[WizardApp], None] | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.when_ready = when_ready
        self.start_with = guide_id
        self.fixed_device = device
        self.clock = clock
        self.export_dir = export_dir
        self.store: Store | None = None
        self.unsaved: str | None = None
        """Why new walks are not saved, shown on the home screen (None when they are)."""
        self.platform: str | None = None
        self.library: Library | None = None
        """The guides, loaded and checked against the installed checks (None until then)."""
        self.library_failed: str | None = None
        """Why the guides could not be loaded at all, in words (None while they can)."""
        self.failures = 0
        """Unexpected failures shown so far; past a few the app stops instead."""

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette's own entries: only those a person here needs, in the app's words.

        Textual's (Screenshot, Maximize, a theme list whose themes are not checked for
        contrast) are left out.
        """
        from textual.app import SystemCommand

        yield SystemCommand("Light or dark theme", "Switch the colours", self.action_toggle_dark)
        yield SystemCommand("Keys", "Every key of every screen", self.action_help)
        yield SystemCommand("Quit", "Your walk is saved for next time", self.action_quit_saved)

    # -- life cycle

    def on_mount(self) -> None:
        from wizard.tui.screens.home import HomeScreen
        from wizard.tui.themes import THEMES, remembered

        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme = remembered(self.workspace.config.data_dir)

        if self.when_ready is not None:
            self.call_after_refresh(self.when_ready, self)
        if self.workspace.library_loaded or self.start_with:
            self.use_library(self.workspace.library)
        else:
            # Loading the guides and checking them against the installed checks (which
            # imports them all) waits for the first frame; the home screen says it is loading.
            self.call_after_refresh(
                self.run_worker, self._load_library, thread=True, exit_on_error=False
            )
        try:
            self.store = Store(self.workspace.config.data_dir)
        except StoreError as exc:
            self.unsaved = str(exc)
        else:
            self.unsaved = self.store.read_only
            if self.store.notice:
                self.notify(self.store.notice, severity="warning", timeout=15)
        self.push_screen(HomeScreen())
        if self.start_with:
            self.start_guide(self.start_with)

    def _load_library(self) -> None:
        try:
            library = self.workspace.library
        except Exception as exc:  # whatever it is, the home screen must not wait for ever
            from wizard.tui.failure import in_words

            self.call_from_thread(self.use_library, None, in_words(exc) + self.logged(exc))
            return
        self.call_from_thread(self.use_library, library)
        # While the home screen is being read, import what the first step needs (Textual's
        # Markdown and its parser among it): opening a guide then takes far less time.
        import wizard.tui.screens.walk  # noqa: F401

    def use_library(self, library: Library | None, failed: str | None = None) -> None:
        """Show the guides of a fully validated library, and what did not load.

        ``library`` is None, and ``failed`` says why, when the guides could not be loaded.
        """
        from wizard.tui.screens.home import HomeScreen

        self.library, self.library_failed = library, failed
        for error in library.errors[:3] if library is not None else []:
            self.notify(markup(error), title="A guide did not load", severity="warning", timeout=10)
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.call_later(screen.fill)

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    # -- the guard: an unexpected failure becomes a screen, never a traceback

    async def _dispatch_message(self, message: Message) -> None:
        # A handler of the app itself that raises would end the app's message loop.
        try:
            await super()._dispatch_message(message)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self._handle_exception(error)

    def _handle_exception(self, error: Exception) -> None:
        """Log ``error``, then show what happened and offer to go on or quit."""
        from wizard.tui.failure import what_happened, write_log

        log = write_log(self.workspace.config.data_dir, error, self.stamp())
        # Kept so that a test run still fails on it (Textual re-raises it after run_test).
        self._exception = self._exception or error
        self.failures += 1
        what = what_happened(error)
        if not self.is_running or self.failures > MAX_FAILURES:
            self._return_code = 1
            where = f"; the details are in {log}" if log else ""
            self.panic(f"The wizard stopped after an unexpected failure ({what}){where}.")
            return
        self.call_later(self._show_failure, what, log)

    def logged(self, error: BaseException) -> str:
        """Write ``error``'s traceback to the errors log; " (the details are in …)" or ""."""
        from wizard.tui.failure import write_log

        log = write_log(self.workspace.config.data_dir, error, self.stamp())
        return f" (the details are in {log})" if log else ""

    async def _show_failure(self, what: str, log: Path | None) -> None:
        from wizard.tui.screens.failure import FailureScreen
        from wizard.tui.screens.walk import WalkScreen

        walks = [s for s in self.screen_stack if isinstance(s, WalkScreen)]
        saved = walks[-1].saved if walks else None
        if saved is None:
            kept = "No walk was open."
        elif saved.id is not None and saved.store is not None:
            kept = "Your walk is saved up to your last answer."
        else:
            kept = f"This walk was not being saved ({saved.unsaved or 'no history'})."

        async def chosen(go_on: bool | None) -> None:
            if not go_on:
                self.exit(0)
                return
            await self._start_again(saved)

        await self.push_screen(FailureScreen(what, kept, log), chosen)

    async def _start_again(self, saved: SavedSession | None) -> None:
        """Fresh screens in place of those the failure may have left broken: home, the walk."""
        from wizard.tui.screens.home import HomeScreen
        from wizard.tui.screens.walk import WalkScreen

        while len(self.screen_stack) > 1:
            await self.pop_screen()
        await self.push_screen(HomeScreen())
        if saved is not None:
            await self.push_screen(WalkScreen(saved))

    # -- what the screens ask for

    def now(self) -> datetime:
        """The current time (fixed in snapshot tests)."""
        return self.clock() if self.clock else datetime.now(UTC)

    def stamp(self) -> str:
        """The current time for an event, ISO 8601 in UTC."""
        return self.now().astimezone(UTC).isoformat(timespec="seconds")

    def sorted_guides(self) -> list[Guide]:
        """The guides, the main one first, then by title (none while they are loading)."""
        guides = self.library.guides.values() if self.library is not None else ()
        return sorted(guides, key=lambda g: (g.id != "disappearing-likes", g.title.lower()))

    def unfinished_session(self) -> SessionRow | None:
        """The latest unfinished session of an installed guide, if any."""
        if self.store is None:
            return None
        try:
            row = self.store.latest(unfinished=True)
        except StoreError as exc:
            self.tell(str(exc))
            return None
        if row is None or self.library is None or row.guide not in self.library.guides:
            return None
        return row

    def recent_checks(self, limit: int = 5) -> list[tuple[str, CheckResult]]:
        """The latest check results from the history."""
        if self.store is None:
            return []
        try:
            return self.store.check_history(None, limit)
        except StoreError as exc:
            self.tell(str(exc))
            return []
        except Exception as exc:  # a row this version cannot read: the home screen still opens
            self.tell(f"The recent checks could not be read{self.logged(exc)}")
            return []

    def remember_check(self, result: CheckResult) -> None:
        """Keep a check run on its own in the history."""
        if self.store is None or not self.store.writable:
            return
        try:
            self.store.add_check_result(None, result)
        except StoreError as exc:
            self.tell(f"{exc}; the result was not added to the history")

    def tell(self, words: str) -> None:
        """Say something about the store once, as a notification (a walk's saving stopped)."""
        if self.store is not None and self.store.read_only:
            self.unsaved = self.store.read_only
        self.notify(words, severity="warning", timeout=15)

    def runnable_checks(self) -> list[tuple[str, str, str]]:
        """(id, title, description) of the checks that can run without parameters."""
        out = []
        for check_id, cls in self.workspace.registry.load_all().items():
            if not any(p.required for p in cls.params):
                out.append((check_id, cls.title, cls.description))
        return out

    @property
    def extra_words(self) -> list[str]:
        """Words always redacted, from the configuration."""
        return list(self.workspace.config.get("report.extra_words"))

    def export_folder(self) -> Path:
        """Where exports go by default: Downloads if there is one, else the home folder."""
        if self.export_dir is not None:
            return self.export_dir
        downloads = Path.home() / "Downloads"
        return downloads if downloads.is_dir() else Path.home()

    async def device_facts(self) -> dict[str, Any]:
        """The device check's facts for the report."""
        if self.fixed_device is not None:
            return dict(self.fixed_device)
        try:
            result = await self.workspace.run_check("device")
        except KeyError:
            return {}
        return dict(result.details) if result.outcome != "error" else {}

    # -- navigation

    def start_guide(self, guide_id: str) -> None:
        """Begin a new walk of ``guide_id``."""
        from wizard.tui.screens.walk import WalkScreen

        if self.library_failed is not None:
            self.notify(
                f"The guides could not be loaded: {markup(self.library_failed)}", severity="error"
            )
            return
        # Waits for the library if the worker that loads it has not finished yet.
        guide = self.workspace.library.get(guide_id)
        if guide is None:
            self.notify(
                f"“{markup(guide_id)}” has errors and cannot be opened; 'wizard lint' lists them."
                if guide_id in self.workspace.library.broken
                else f"There is no guide called {markup(repr(guide_id))}.",
                severity="error",
            )
            return
        self.push_screen(WalkScreen(self.new_walk(guide)))

    def new_walk(self, guide: Guide) -> SavedSession:
        """A new walk of ``guide``; it is saved from its first answer (opening one saves nothing)."""
        from wizard.saved import SavedSession

        return SavedSession.start(guide, self.store, self.stamp(), tell=self.tell, lazy=True)

    def resume_session(self, session_id: str) -> None:
        """Carry on with a saved walk."""
        from wizard.saved import SavedSession
        from wizard.tui.screens.walk import WalkScreen

        if self.store is None:
            return
        try:
            saved = SavedSession.resume(
                self.workspace.library.guides, self.store, session_id, tell=self.tell
            )
        except StoreError as exc:
            self.notify(markup(exc), severity="error")
            return
        self.push_screen(WalkScreen(saved))

    def open_report(self, saved: SavedSession) -> None:
        """Show the support report of a walk."""
        from wizard.tui.screens.report import ReportScreen

        self.push_screen(ReportScreen(saved))

    def open_check(self, check_id: str, title: str) -> None:
        """Run one check on its own."""
        from wizard.tui.screens.check import CheckScreen

        self.push_screen(CheckScreen(check_id, title))

    def open_history(self) -> None:
        """Show the history: speed over time, sessions and check results."""
        from wizard.tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen())

    # -- actions

    def action_help(self) -> None:
        from wizard.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_toggle_dark(self) -> None:
        from wizard.tui.themes import DARK, LIGHT, remember

        self.theme = LIGHT.name if self.theme != LIGHT.name else DARK.name
        remember(self.workspace.config.data_dir, self.theme)

    def action_quit_saved(self) -> None:
        if self.unfinished_session() is not None:
            self.notify("Your session is saved; you can continue it next time.", timeout=2)
        self.exit(0)
