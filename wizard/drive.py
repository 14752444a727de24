"""Driving a session with given answers, running its checks for real.

This is what ``wizard run`` does, kept apart from printing so that tests and other
front ends can use it. The session engine stays pure; the clock, the checks and the look
at the file system a path answer needs live here (:func:`accept_input`, which the app uses
too; replaying a saved session never looks, so a file deleted since breaks nothing).
"""

from __future__ import annotations

import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from wizard.checkparams import ParamError
from wizard.content.model import AskNode, CheckNode, FixNode, Guide, InfoNode, InputNode
from wizard.engine import (
    Answer,
    CheckDone,
    Continue,
    EngineError,
    Event,
    Input,
    Session,
    Verdict,
    normalize_input,
)
from wizard.workspace import Workspace

if TYPE_CHECKING:
    from checks.api import CheckResult, ProgressCallback

MAX_STEPS = 10_000
YES = {"yes", "y", "1", "true", "helped", "solved"}
NO = {"no", "n", "0", "false", "2", "not"}


def now_iso() -> str:
    """The current time in UTC, ISO-8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Answers:
    """Answers by node id, used in order; the last one is reused when a node comes again."""

    queues: dict[str, deque[str]] = field(default_factory=lambda: defaultdict(deque))
    last: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Answers:
        """From ``(node, value)`` pairs in the order given."""
        answers = cls()
        for node, value in pairs:
            answers.queues[node].append(value)
        return answers

    def take(self, node_id: str) -> str | None:
        """The next answer for ``node_id``, or None when none was given."""
        queue = self.queues.get(node_id)
        if queue:
            self.last[node_id] = queue.popleft()
            return self.last[node_id]
        return self.last.get(node_id)


def accept_input(node: InputNode, raw: str) -> str:
    """A new answer for ``node`` as it will be stored, or :class:`EngineError` saying why not.

    :func:`normalize_input`, and for a ``path`` step, something must be there: the value
    is stored with ``~`` expanded. Every front end (the TUI, ``wizard run --answer``, the
    headless driver) takes a typed answer through here.
    """
    value = normalize_input(node, raw)
    if node.input_type == "path" and value:
        path = os.path.expanduser(value)
        if not os.path.exists(path):
            raise EngineError(f"there is no file or folder at {value}")
        value = path
    return value


def answer_problem(guide: Guide, node_id: str, value: str) -> str | None:
    """What is wrong with answering ``node_id`` with ``value`` in ``guide``, or None.

    Everything that can be known before the walk: the step exists, takes an answer, and
    the value is one it accepts.
    """
    node = guide.nodes.get(node_id)
    if node is None:
        steps = ", ".join(
            n.id for n in guide.nodes.values() if isinstance(n, AskNode | InputNode | FixNode)
        )
        return f"guide {guide.id!r} has no step {node_id!r} (steps that take an answer: {steps})"
    if isinstance(node, AskNode):
        if node.option(value.strip()) is None:
            keys = ", ".join(f"{n} or {o.key}" for n, o in enumerate(node.options, 1))
            return f"{node_id!r} has no option {value!r}; options: {keys}"
        return None
    if isinstance(node, InputNode):
        try:
            accept_input(node, value)
        except EngineError as exc:
            return f"the answer {value!r} for {node_id!r} does not fit: {exc}"
        return None
    if isinstance(node, FixNode):
        if value.strip().lower() not in YES | NO:
            return f"{node_id!r} is a fix: answer yes or no, not {value!r}"
        return None
    article = "an" if node.kind[0] in "aeiou" else "a"
    return f"{node_id!r} is {article} {node.kind} step and takes no answer"


def in_guide_words(node: CheckNode, result: CheckResult) -> CheckResult:
    """``result`` as the guide shows it: the node's own words for the outcome, when it has
    them, replace the check's summary and advice (which may be written for another guide)."""
    words = node.words_for(result.outcome)
    return replace(result, summary=words, advice="") if words else result


@dataclass(frozen=True)
class Stop:
    """Why a headless walk stopped before the end."""

    node: str
    message: str


def event_for_answer(session: Session, value: str) -> Event:
    """The event that answers the current node with ``value`` (a CLI-style answer)."""
    node = session.node
    at = now_iso()
    if isinstance(node, AskNode):
        return Answer(node.id, value.strip(), at=at)
    if isinstance(node, InputNode):
        return Input(node.id, accept_input(node, value), at=at)
    if isinstance(node, FixNode):
        word = value.strip().lower()
        if word not in YES | NO:
            raise EngineError(f"a fix is answered yes or no, not {value!r}")
        return Verdict(node.id, word in YES, at=at)
    if isinstance(node, InfoNode):
        return Continue(node.id, at=at)
    raise EngineError(f"node {node.id!r} is a {node.kind} node and takes no answer")


async def drive(
    session: Session,
    answers: Answers,
    workspace: Workspace,
    *,
    apply: Callable[[Event], None] | None = None,
    on_step: Callable[[Session], None] | None = None,
    progress: ProgressCallback | None = None,
) -> Stop | None:
    """Walk until the session ends (None) or needs an answer it was not given (a Stop).

    ``apply`` applies each event (default: to the session alone; a saved session passes
    its own, which also writes the event to the store). ``on_step`` is told of each step
    as the walk reaches it, before it is answered or run; ``progress`` of a check's progress.
    """
    apply = apply or session.apply
    for _ in range(MAX_STEPS):
        if session.ended:
            return None
        node = session.node
        if on_step is not None:
            on_step(session)
        event: Event
        if isinstance(node, CheckNode):
            params = node.resolve_params(session.facts)
            try:
                result = await workspace.run_check(
                    node.check, params, session.facts, progress=progress
                )
            except KeyError:
                return Stop(node.id, f"check {node.check!r} is not installed")
            except ParamError as exc:
                return Stop(node.id, str(exc))
            event = CheckDone(node.id, result.outcome, result.to_dict(), at=now_iso())
        elif isinstance(node, InfoNode):
            event = Continue(node.id, at=now_iso())
        else:
            value = answers.take(node.id)
            if value is None:
                return Stop(node.id, _needs(session))
            try:
                event = event_for_answer(session, value)
            except EngineError as exc:
                return Stop(node.id, f"the answer {value!r} for {node.id!r} does not fit: {exc}")
        try:
            apply(event)
        except EngineError as exc:
            return Stop(node.id, f"the answer for {node.id!r} does not fit: {exc}")
    return Stop(session.current, f"stopped after {MAX_STEPS} steps: the answers go round in a loop")


def _needs(session: Session) -> str:
    node = session.node
    if isinstance(node, AskNode):
        options = ", ".join(f"{o.key} ({o.label})" for o in node.options)
        return f"no answer for {node.id!r}; options: {options}"
    if isinstance(node, InputNode):
        what = f"one of {', '.join(node.choices)}" if node.choices else f"a {node.input_type}"
        return f"no answer for {node.id!r}; give {what}."
    if isinstance(node, FixNode):
        name = f" ({node.title})" if node.title else ""
        if node.yes or node.no:
            return (
                f"no answer for fix {node.id!r}{name}: answer yes ({node.yes_label}) "
                f"or no ({node.no_label})."
            )
        return f"no answer for fix {node.id!r}{name}: did it help? Answer yes or no."
    return f"no answer for {node.id!r}"
