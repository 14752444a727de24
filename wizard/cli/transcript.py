"""What ``wizard run`` prints as it walks: each step as a person reads it, then the answer."""

from __future__ import annotations

import shutil
import sys

from checks.api import CheckResult, Progress
from wizard.cli.checkcmds import print_progress, print_result
from wizard.cli.plaintext import inline, render
from wizard.content.model import AskNode, CheckNode, FixNode, InputNode
from wizard.drive import in_guide_words
from wizard.engine import CheckDone, Event, Session, Verdict
from wizard.terminaltext import escape_controls

INDENT = "  "
INPUT_HINTS = {
    "version": "a version, such as 37.5.4",
    "number": "a number",
    "path": "a file or folder",
    "text": "some text",
}


def _say(text: str = "") -> None:
    # Flushed line by line, so that a pipe (tee, a log) sees each step as it happens.
    print(text, flush=True)


class Transcript:
    """Prints each step when the walk reaches it and each answer when it is applied."""

    def __init__(self) -> None:
        self.width = min(shutil.get_terminal_size((80, 24)).columns, 100)
        self._progress_shown = False

    def text(self, markdown: str, indent: str = INDENT) -> None:
        """Markdown from the guide, rendered and indented."""
        for line in render(markdown, self.width, indent):
            _say(line)

    def step(self, session: Session) -> None:
        """Show the step the walk has reached."""
        node = session.node
        _say()
        if isinstance(node, CheckNode):
            if node.title:
                _say(inline(escape_controls(node.title)))
            _say(f"{INDENT if node.title else ''}Running the {node.check} check…")
            return
        platform = session.facts.get("platform")
        if node.title:
            _say(inline(escape_controls(node.title)))
            self.text(node.text_for(platform))
        else:
            # A step with no title is its text: the question is what a person reads first.
            self.text(node.text_for(platform), "")
        if isinstance(node, FixNode):
            self.text(node.steps_for(platform))
            if node.yes or node.no:
                _say(f"{INDENT}yes. {inline(escape_controls(node.yes_label))}")
                _say(f"{INDENT}no.  {inline(escape_controls(node.no_label))}")
            else:
                _say(f"{INDENT}Did it help? (yes or no)")
        elif isinstance(node, AskNode):
            for number, option in enumerate(node.options, 1):
                _say(f"{INDENT}{number}. {inline(escape_controls(option.label))}  ({option.key})")
        elif isinstance(node, InputNode):
            what = (
                f"one of {', '.join(node.choices)}"
                if node.choices
                else INPUT_HINTS.get(node.input_type, f"a {node.input_type}")
            )
            optional = " (or nothing, to skip)" if node.optional else ""
            _say(f"{INDENT}Answer with {what}{optional}.")

    def end(self, session: Session) -> None:
        """Show the step the walk ended at, when it is an end of its own (not a fix)."""
        node = session.node
        if isinstance(node, FixNode):
            return
        _say()
        platform = session.facts.get("platform")
        if node.title:
            _say(inline(escape_controls(node.title)))
            self.text(node.text_for(platform))
        else:
            self.text(node.text_for(platform), "")

    def applied(self, session: Session, event: Event) -> None:
        """Show the answer (or the check's result) the walk has just taken."""
        if isinstance(event, CheckDone):
            self.clear_progress()
            node = session.guide.nodes.get(event.node)
            if event.result:
                result = CheckResult.from_dict(event.result)
                print_result(
                    in_guide_words(node, result) if isinstance(node, CheckNode) else result
                )
                sys.stdout.flush()
            else:
                words = node.words_for(event.outcome) if isinstance(node, CheckNode) else None
                _say(f"{INDENT}→ {words or event.outcome}")
        elif isinstance(event, Verdict):
            fix = session.guide.nodes.get(event.node)
            if isinstance(fix, FixNode) and (fix.yes or fix.no):
                label = fix.yes_label if event.helped else fix.no_label
                _say(f"{INDENT}→ {'yes' if event.helped else 'no'}: {escape_controls(label)}")
            else:
                _say(f"{INDENT}→ {'yes, it helped' if event.helped else 'no, it did not help'}")
        elif session.path and session.path[-1].node == getattr(event, "node", None):
            step = session.path[-1]
            if step.kind in ("ask", "input"):
                _say(f"{INDENT}→ {escape_controls(step.label)}")

    def on_progress(self, progress: Progress) -> None:
        """Show a running check's progress on standard error, over the line before."""
        print_progress(progress)
        self._progress_shown = True

    def clear_progress(self) -> None:
        """Remove the progress line, if one is shown."""
        if self._progress_shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self._progress_shown = False
