"""The title line at the top of every screen and the key line at the bottom.

Textual's Header and Footer do the same jobs with a widget for every part (the Footer
one per key, filled a refresh after its first frame and rebuilt each time focus moves).
Measured in the launch ratio they cost more than it allows them (README, "title and key
lines"), so these draw one line each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget


class TitleBar(Widget):
    """The screen's title and sub-title (the app's when the screen has none), centred."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
    }
    """

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._changed, init=False)
            self.watch(owner, "sub_title", self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> Content:
        screen = self.screen
        title = screen.title if screen.title is not None else self.app.title
        sub_title = screen.sub_title if screen.sub_title is not None else self.app.sub_title
        return self.app.format_title(title, sub_title)


def numbered(action: str, description: str, tooltip: str) -> list[Binding]:
    """Keys 1 to 9 for ``action(n)``, shown in the key line once, as "1–9"."""
    return [
        Binding(
            str(n),
            f"{action}({n})",
            description,
            show=n == 1,
            key_display="1–9",
            tooltip=tooltip,
        )
        for n in range(1, 10)
    ]


@dataclass(frozen=True, slots=True)
class _Shown:
    """A key as the key line shows it, and the cells it takes there."""

    key: str
    start: int
    end: int
    enabled: bool


class KeyBar(Widget, can_focus=False):
    """The keys that work on the current screen, each one clickable, and the palette's key.

    Follows the screen's bindings as focus moves, as Textual's Footer does; a key that
    is shown but does nothing right now is dimmed.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        width: 100%;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: list[_Shown] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        app = self.app
        active = self.screen.active_bindings
        line = Text(no_wrap=True, overflow="crop")
        shown: list[_Shown] = []
        actions: set[str] = set()

        def add(key: str, display: str, description: str, enabled: bool) -> None:
            start = line.cell_len
            dim = Style() if enabled else Style(dim=True)
            line.append(f" {display} ", key_style + dim)
            line.append(f"{description} ", description_style + dim)
            shown.append(_Shown(key, start, line.cell_len, enabled))

        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                add(binding.key, app.get_key_display(binding), binding.description, enabled)
        palette = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if palette is not None:
            _node, binding, enabled, _tooltip = palette
            display, description = app.get_key_display(binding), binding.description
            width = cell_len(f"▏ {display} {description} ")
            gap = self.size.width - line.cell_len - width
            if gap >= 0:
                line.append(" " * gap)
                line.append("▏", "dim")
                add(binding.key, display, description, enabled)
        self._shown = shown
        return line

    def _shown_at(self, x: int) -> _Shown | None:
        return next((s for s in self._shown if s.start <= x < s.end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        shown = self._shown_at(event.x)
        if shown is None:
            return
        if shown.enabled:
            self.app.simulate_key(shown.key)
        else:
            self.app.bell()
