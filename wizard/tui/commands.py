"""Command palette providers: open a guide, run one check, the current screen's keys."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.actions import parse
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from wizard.terminaltext import escape_controls
from wizard.tui.shown import markup, plain

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp


def _wizard(provider: Provider) -> WizardApp:
    from wizard.tui.app import WizardApp

    assert isinstance(provider.app, WizardApp)
    return provider.app


class _ListedCommands(Provider):
    """A provider over a fixed list of (text, help, callable)."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        raise NotImplementedError

    def _shown(self) -> list[tuple[str, str, Callable[[], object]]]:
        # Titles and descriptions come from guides and plugins: shown as text, never markup.
        return [
            (escape_controls(text), escape_controls(help_text), command)
            for text, help_text, command in self._commands()
        ]

    async def discover(self) -> Hits:
        for text, help_text, command in self._shown():
            yield DiscoveryHit(plain(text), command, text=text, help=markup(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._shown():
            if (score := matcher.match(text)) > 0:
                yield Hit(
                    score, matcher.highlight(text), command, text=text, help=markup(help_text)
                )


class GuideCommands(_ListedCommands):
    """Jump straight into any guide."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = _wizard(self)
        return [
            (f"Open guide: {g.title}", g.summary, partial(app.start_guide, g.id))
            for g in app.sorted_guides()
        ]


class CheckCommands(_ListedCommands):
    """Run any installed check on its own."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = _wizard(self)
        return [
            (f"Run check: {title}", description, partial(app.open_check, check_id, title))
            for check_id, title, description in app.runnable_checks()
        ]


class HistoryCommands(_ListedCommands):
    """Open the history screen."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = _wizard(self)
        return [
            (
                "Show history",
                "Speed over time as charts, past sessions and check results",
                app.open_history,
            )
        ]


class ScreenCommands(_ListedCommands):
    """The keys of the screen the palette was opened on, by name (Export, Back, Restart…).

    Read from the screen's own bindings, as the key line and Help are: a key that does
    nothing there right now (a verdict away from a fix) is not offered.
    """

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        app = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = []
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or binding.key.isdigit():
                continue  # the numbers choose what is on the screen: nothing to name
            _namespace, name, parameters = parse(binding.action)
            if not screen.check_action(name, parameters):
                continue
            keys = " or ".join(
                app.get_key_display(Binding(key.strip(), binding.action))
                for key in binding.key.split(",")
            )
            text = f"{binding.description}: {binding.tooltip}" if binding.tooltip else ""
            commands.append(
                (
                    text or binding.description,
                    f"Key: {keys}",
                    partial(screen.run_action, binding.action),
                )
            )
        return commands
