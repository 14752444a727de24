"""The side panel: the path so far, each step with its mark; pick one to go back to it."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ListItem, ListView, Static

from wizard.content.model import Guide, InputNode
from wizard.engine import Step
from wizard.tui.messages import StepChosen
from wizard.tui.shown import markup, plain
from wizard.tui.widgets.choices import choice_label

STATUS_MARK = {"ok": "✓", "warning": "!", "failed": "✗", "error": "✗", "skipped": "–"}


def step_words(guide: Guide, step: Step) -> str:
    """What the user answered, in the words they saw: a picked choice by its label."""
    node = guide.nodes[step.node]
    if isinstance(node, InputNode):
        return choice_label(node, step.choice) or step.label
    return step.label


def step_mark(step: Step) -> str:
    """✓ for an answer, the check's own mark, ✗ for a fix that did not help."""
    if step.kind == "check":
        return STATUS_MARK.get(str((step.result or {}).get("status", "ok")), "✓")
    if step.kind == "fix":
        return "✓" if step.choice == "yes" else "✗"
    return "✓"


def entry(mark: str, *lines: Label) -> Horizontal:
    """One step: its mark, then its lines, each wrapped under the first, not under the mark."""
    return Horizontal(Label(mark, classes="mark"), Vertical(*lines, classes="lines"))


class PathPanel(Vertical):
    """Lists the steps taken; selecting one posts :class:`StepChosen`."""

    DEFAULT_CSS = """
    PathPanel {
        width: 36%; min-width: 30; max-width: 64;
        border-left: tall $primary-background; padding: 0 1;
    }
    PathPanel Label { width: 1fr; }
    PathPanel ListItem Horizontal { height: auto; }
    PathPanel .mark { width: 2; }
    PathPanel .lines { height: auto; width: 1fr; }
    PathPanel > .panel-title { text-style: bold; color: $text-muted; margin-bottom: 1; }
    PathPanel ListView { height: 1fr; background: transparent; }
    PathPanel ListItem { padding: 0 0; }
    PathPanel .mark-ok { color: $text-success; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Your steps", classes="panel-title")
        yield ListView(id="steps")

    def show(self, guide: Guide, path: Sequence[Step], current_title: str) -> None:
        """Redraw the list for ``path``, ending with the current step."""
        steps = self.query_one("#steps", ListView)
        steps.clear()
        for step in path:
            title = guide.nodes[step.node].heading
            words = f"[dim]{markup(step_words(guide, step))}[/dim]"
            steps.append(ListItem(entry(step_mark(step), Label(markup(title)), Label(words))))
        steps.append(ListItem(entry("▶", Label(plain(current_title))), disabled=True))
        # The current step is the last: keep it in view however long the path grows.
        steps.call_after_refresh(steps.scroll_end, animate=False)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        index = event.list_view.index
        if index is not None and index < len(event.list_view.children) - 1:
            self.post_message(StepChosen(index))
