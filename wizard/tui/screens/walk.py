"""The walk: one node at a time, with the path so far beside it."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Input,
    Markdown,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import Worker

from checks.api import CheckResult, Status
from wizard.checkparams import ParamError
from wizard.content.model import (
    PLATFORMS,
    AskNode,
    CheckNode,
    DoneNode,
    FixNode,
    InfoNode,
    InputNode,
    NodeKind,
    ReportNode,
)
from wizard.drive import accept_input, in_guide_words
from wizard.engine import (
    Answer,
    Back,
    BackTo,
    CheckDone,
    Continue,
    EngineError,
    Event,
    Session,
    Verdict,
)
from wizard.engine import (
    Input as InputEvent,
)
from wizard.saved import SavedSession
from wizard.tui.messages import CheckFinished, ChoiceMade, StepChosen
from wizard.tui.screens.base import WizardScreen
from wizard.tui.shown import markdown, markup, plain
from wizard.tui.widgets.bars import KeyBar, TitleBar, numbered
from wizard.tui.widgets.button_row import ButtonRow
from wizard.tui.widgets.check_panel import CheckPanel, Report, Runner
from wizard.tui.widgets.choices import PLATFORM_NAMES, Choices, input_choices
from wizard.tui.widgets.path_panel import PathPanel

NOT_RUN = "not_run"
"""The outcome of a check the user skipped: the guide's ``otherwise`` path."""


class AnswerField(Input):
    """The text field of an input step, saying in the key line how to go on or back.

    While it has focus, letters are typed into it, so the screen's own keys (b, r, q)
    are not shown; Enter and Esc are.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Continue", id="submit-answer", tooltip="take the answer typed"),
        Binding(
            "escape", "screen.go_back", "Back", id="back-from-answer", tooltip="go back a step"
        ),
    ]


class WalkScreen(WizardScreen):
    """Walks one saved session through its guide."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "b,backspace", "back", "Back", id="back", tooltip="go back a step (over checks too)"
        ),
        Binding("r", "restart", "Restart", id="restart", tooltip="start the guide again"),
        Binding(
            "escape", "cancel_check", "Cancel check", id="cancel", tooltip="cancel a running check"
        ),
        Binding("y", "verdict(True)", "Helped", id="yes", tooltip="a fix helped"),
        Binding("n", "verdict(False)", "Did not", id="no", tooltip="a fix did not help"),
        *numbered("choose", "Choose", "choose an answer by its number"),
    ]

    def __init__(self, saved: SavedSession) -> None:
        super().__init__()
        self.saved = saved
        self._drawing = asyncio.Lock()
        """Held while the session changes and the step is redrawn: one change at a time."""

    @property
    def session(self) -> Session:
        """The engine session being walked."""
        return self.saved.session

    @property
    def panel(self) -> CheckPanel | None:
        """The check panel of the step shown, if it is a check."""
        for panel in self.query("#check").results(CheckPanel):
            return panel
        return None

    @property
    def running(self) -> Worker[CheckResult] | None:
        """The worker running the step's check, while it runs."""
        panel = self.panel
        return panel.worker if panel is not None and panel.running else None

    @property
    def last_result(self) -> CheckResult | None:
        """The result the step's check ended in, once it is shown."""
        panel = self.panel
        return panel.result if panel is not None else None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="walk"):
            with Vertical(id="main"):
                yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="progress")
                yield VerticalScroll(id="node")
                # The way on (a fix's question and its Yes/No, Continue, the end's buttons)
                # stays in view below steps of any length: the step opens at its title.
                yield Vertical(id="actions")
            yield PathPanel(id="path")
        yield KeyBar()

    async def on_mount(self) -> None:
        self.title = self.session.guide.title
        async with self._drawing:
            await self.show_node()

    # -- drawing

    async def show_node(self) -> None:
        """Draw the current node, and update the path and the progress."""
        session = self.session
        node = session.node
        done = len(session.path)
        fewest, most = session.steps_left_range()
        progress = self.query_one("#progress", ProgressBar)
        # Against the longest way on: the bar moves back only when an answer opens a longer one.
        progress.update(total=done + most + 1, progress=done + (1 if session.ended else 0))
        if session.ended:
            self.sub_title = f"{done} step" if done == 1 else f"{done} steps"
        else:
            self.sub_title = f"step {done + 1}" + steps_more(fewest, most)
        solved_by_fix = session.status == "solved" and node.kind == "fix"
        current = "Solved" if solved_by_fix else node.heading
        self.query_one(PathPanel).show(session.guide, session.path, current)
        box = self.query_one("#node", VerticalScroll)
        await box.remove_children()
        await self.query_one("#actions", Vertical).remove_children()
        await box.mount(Static(plain(node.heading), classes="node-title"))
        if session.ended and solved_by_fix:
            await box.mount(Markdown("Glad that worked. Your session is saved in the history."))
            await self._mount_end_buttons(box)
        else:
            await NODE_VIEWS[node.kind](self, box, node)
        self.refresh_bindings()

    # One view per kind of node (NODE_VIEWS, below the class); each mounts into ``box``.

    async def _mount_ask(self, box: VerticalScroll, node: AskNode) -> None:
        await box.mount(Markdown(markdown(node.text_for(self.session.facts.get("platform")))))
        await box.mount(
            Choices(
                [(o.key, o.label) for o in node.options],
                chosen=self.session.last_answer(node.id),
                id="choices",
            )
        )

    async def _mount_check(self, box: VerticalScroll, node: CheckNode) -> None:
        if node.text:
            await box.mount(Markdown(markdown(node.text)))
        await box.mount(
            CheckPanel(
                node.heading,
                self._runner(node),
                skippable=node.otherwise is not None,
                words=partial(in_guide_words, node),
                id="check",
            )
        )

    async def _mount_info(self, box: VerticalScroll, node: InfoNode) -> None:
        await box.mount(Markdown(markdown(node.text_for(self.session.facts.get("platform")))))
        await self._actions().mount(Button("Continue", id="continue", variant="primary"))
        self.query_one("#continue", Button).focus()

    async def _mount_report(self, box: VerticalScroll, node: ReportNode) -> None:
        await box.mount(Markdown(markdown(node.text)))
        await self._actions().mount(
            ButtonRow(
                Button("Prepare the support report", id="open-report", variant="primary"),
                Button("Back to the guides", id="home"),
                classes="buttons",
            )
        )
        self.query_one("#open-report", Button).focus()

    async def _mount_done(self, box: VerticalScroll, node: DoneNode) -> None:
        await box.mount(Markdown(markdown(node.text or "All done.")))
        await self._mount_end_buttons(box)

    async def _mount_end_buttons(self, box: VerticalScroll) -> None:
        await self._actions().mount(
            ButtonRow(
                Button("Back to the guides", id="home", variant="primary"),
                Button("Start this guide again", id="again"),
                # What was tried, for support (or a friend), should the problem come back.
                Button("See the summary for support", id="summary"),
                classes="buttons",
            )
        )
        self.query_one("#home", Button).focus()

    async def _mount_input(self, box: VerticalScroll, node: InputNode) -> None:
        await box.mount(Markdown(markdown(node.text_for(self.session.facts.get("platform")))))
        if node.choices:
            await box.mount(
                Choices(input_choices(node), chosen=self.session.last_answer(node.id), id="choices")
            )
            return
        field = AnswerField(placeholder=markdown(node.placeholder or ""), id="answer")
        await box.mount(field)
        await box.mount(Static("", id="input-error"))
        await box.mount(Button("Continue", id="submit", variant="primary"))
        field.focus()

    async def _mount_fix(self, box: VerticalScroll, node: FixNode) -> None:
        if node.text:
            await box.mount(Markdown(markdown(node.text)))
        # A fix that ends by asking its own question ("Did your likes stay?") gets it
        # asked once, above the buttons, instead of after a generic one.
        steps, question = split_question(node.steps)
        variants = {}
        for platform, text in node.variants.items():
            variants[platform], asked = split_question(text)
            question = question or asked
        if variants:
            names = [p for p in PLATFORMS if p in variants]
            panes = [
                TabPane(PLATFORM_NAMES[p], Markdown(markdown(variants[p])), id=f"tab-{p}")
                for p in names
            ]
            others = [p for p in PLATFORMS if p not in names]
            if steps and others:
                label = " / ".join(PLATFORM_NAMES[p] for p in others)
                panes.append(TabPane(label, Markdown(markdown(steps)), id="tab-other"))
            preferred = self.session.facts.get("platform") or self.wizard.platform
            if preferred in names:
                initial = f"tab-{preferred}"
            elif steps and others and (preferred is None or preferred in others):
                # No platform known yet: the common steps fit the most people.
                initial = "tab-other"
            else:
                initial = panes[0].id or ""
            tabs = TabbedContent(id="variants")
            await box.mount(tabs)
            for pane in panes:
                await tabs.add_pane(pane)
            tabs.active = initial
        else:
            await box.mount(Markdown(markdown(steps)))
        actions = self._actions()
        await actions.mount(
            Static(f"[b]{markup(question or 'Did this help?')}[/b]", classes="question")
        )
        await actions.mount(
            ButtonRow(
                Button(f"{markup(node.yes_label)}  (y)", id="helped", variant="success"),
                Button(f"{markup(node.no_label)}  (n)", id="not-helped", variant="error"),
                classes="buttons",
            )
        )
        # The steps, not Yes: Enter goes on everywhere else, and a verdict must be meant
        # (y, n or a click). The arrow keys scroll the steps from here.
        box.focus(scroll_visible=False)

    def _actions(self) -> Vertical:
        """Below the step, always in view however long it is: the step's way on."""
        return self.query_one("#actions", Vertical)

    # -- applying events

    async def apply(self, event: Event) -> None:
        """Apply an event to the saved session (it is written at once), then redraw.

        Leaving a check step removes its panel, and with it the check's run.
        """
        async with self._drawing:
            if not self.is_attached:
                return
            try:
                self.saved.apply(event)
            except EngineError as exc:
                self.notify(str(exc), severity="warning")
                return
            await self.show_node()

    @on(ChoiceMade)
    async def choice_made(self, message: ChoiceMade) -> None:
        node = self.session.node
        if isinstance(node, AskNode):
            await self.apply(Answer(node.id, message.value, at=self.wizard.stamp()))
        elif isinstance(node, InputNode):
            if node.input_type == "platform":
                self.wizard.platform = message.value
            await self.apply(InputEvent(node.id, message.value, at=self.wizard.stamp()))

    @on(StepChosen)
    async def step_chosen(self, message: StepChosen) -> None:
        await self.apply(BackTo(message.index, at=self.wizard.stamp()))

    @on(Input.Submitted, "#answer")
    async def input_submitted(self) -> None:
        await self.submit_input()

    async def submit_input(self) -> None:
        """Validate the typed value inline; apply it when it is right."""
        node = self.session.node
        if not isinstance(node, InputNode):
            return
        raw = self.query_one("#answer", Input).value
        error = self.query_one("#input-error", Static)
        try:
            value = accept_input(node, raw)
        except EngineError as exc:
            message = str(exc)
            error.update(f"{markup(message[:1].upper() + message[1:])}.")
            return
        await self.apply(InputEvent(node.id, value, at=self.wizard.stamp()))

    @on(Button.Pressed)
    async def button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id
        node = self.session.node
        if button == "continue" and isinstance(node, InfoNode):
            await self.apply(Continue(node.id, at=self.wizard.stamp()))
        elif button == "continue" and isinstance(node, CheckNode) and self.last_result is not None:
            result = self.last_result
            await self.apply(
                CheckDone(node.id, result.outcome, result.to_dict(), at=self.wizard.stamp())
            )
        elif button == "skip" and isinstance(node, CheckNode) and node.otherwise is not None:
            skipped = CheckResult(
                node.check, NOT_RUN, Status.SKIPPED, "Not run: skipped after it was cancelled."
            )
            await self.apply(CheckDone(node.id, NOT_RUN, skipped.to_dict(), at=self.wizard.stamp()))
        elif button == "submit":
            await self.submit_input()
        elif button in ("helped", "not-helped"):
            await self.action_verdict(button == "helped")
        elif button in ("open-report", "summary"):
            self.wizard.open_report(self.saved)
        elif button == "home":
            self.app.pop_screen()
        elif button == "again":
            await self.action_restart()

    # -- checks

    def _runner(self, node: CheckNode) -> Runner:
        """Runs the node's check with the walk's facts; a check that cannot run says why."""
        facts = dict(self.session.facts)
        workspace = self.wizard.workspace

        async def run(report: Report) -> CheckResult:
            try:
                params = node.resolve_params(facts)
                return await workspace.run_check(node.check, params, facts, progress=report)
            except KeyError:
                return CheckResult(
                    node.check, "error", Status.ERROR, f"The check {node.check!r} is not installed."
                )
            except ParamError as exc:
                return CheckResult(node.check, "error", Status.ERROR, f"{exc}.")

        return run

    def on_check_finished(self, message: CheckFinished) -> None:
        self.refresh_bindings()

    def cancel_running(self) -> None:
        """Stop a running check, if any."""
        panel = self.panel
        if panel is not None:
            panel.cancel()

    # -- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        node = self.session.node
        if action == "cancel_check":
            return self.running is not None and not self.running.is_finished
        if action == "verdict":
            return isinstance(node, FixNode) and not self.session.ended
        if action == "choose":
            return bool(self.query("#choices"))
        if action == "back":
            return True
        return True

    async def action_back(self) -> None:
        if isinstance(self.focused, Input) and self.focused.value:
            return
        await self.action_go_back()

    async def action_go_back(self) -> None:
        """One step back (home from the first step), even from a field with text in it."""
        if self.session.path:
            await self.apply(Back(at=self.wizard.stamp()))
        else:
            self.app.pop_screen()

    async def action_restart(self) -> None:
        """Start the guide again as a new walk, asking first when answers would be lost."""
        from wizard.tui.screens.confirm import ConfirmScreen

        if self.session.path and not self.session.ended:

            async def confirmed(yes: bool | None) -> None:
                if yes:
                    await self.restart()

            await self.app.push_screen(
                ConfirmScreen(
                    "Start again from the first step? This walk ends here (it stays in "
                    "the history as not finished) and your answers are not carried over.",
                    "Start again",
                    "Keep going",
                ),
                confirmed,
            )
        else:
            await self.restart()

    async def restart(self) -> None:
        """A new walk of the same guide in place of this one, which stays in the history."""
        async with self._drawing:
            if not self.is_attached:
                return
            old = self.saved
            old.abandon(self.wizard.stamp())
            self.saved = self.wizard.new_walk(old.session.guide)
            await self.show_node()

    def action_cancel_check(self) -> None:
        self.cancel_running()

    async def action_verdict(self, helped: bool) -> None:
        node = self.session.node
        if isinstance(node, FixNode) and not self.session.ended:
            await self.apply(Verdict(node.id, helped, at=self.wizard.stamp()))

    def action_choose(self, number: int) -> None:
        if isinstance(self.focused, Input):
            return
        for choices in self.query("#choices").results(Choices):
            choices.pick(number)


NodeView = Callable[[WalkScreen, VerticalScroll, Any], Awaitable[None]]
NODE_VIEWS: dict[NodeKind, NodeView] = {
    "ask": WalkScreen._mount_ask,
    "input": WalkScreen._mount_input,
    "check": WalkScreen._mount_check,
    "info": WalkScreen._mount_info,
    "fix": WalkScreen._mount_fix,
    "report": WalkScreen._mount_report,
    "done": WalkScreen._mount_done,
}
"""How each kind of node is drawn."""


def steps_more(fewest: int, most: int) -> str:
    """ ", 2 to 5 more", ", 1 more", ", up to 3 more" (at a fix, which may end the walk) or
    nothing at the last step, for the title line."""
    if most <= 0:
        return ""
    if fewest == 0:
        return f", up to {most} more"
    return f", {fewest} more" if fewest == most else f", {fewest} to {most} more"


def split_question(steps: str) -> tuple[str, str | None]:
    """Steps without a closing question of their own, and that question (or None).

    The question is the last sentence of the last paragraph, when it ends in "?" and
    the paragraph is text (not a list item, a quote or a heading) with more before it.
    """
    body = steps.rstrip()
    head, _, last = body.rpartition("\n\n")
    if not last or last.lstrip()[0] in "-*0123456789>#|":
        return steps, None
    match = _CLOSING_QUESTION.search(last)
    if match is None:
        return steps, None
    question = " ".join(match.group(2).split())
    kept = (head + "\n\n" if head else "") + last[: match.start(2)].rstrip()
    if not kept.strip():
        return steps, None
    return kept.rstrip() + "\n", question


_CLOSING_QUESTION = re.compile(r"(^|[.!:]\s+)([^.!?:]*\?)\s*$")
"""The last sentence of a paragraph, when it is a question."""
