"""The session engine: a pure state machine over a guide.

Events come in (an answer, an input, a check result, a fix verdict, back, restart);
the current node, the facts and the path taken come out. There is no I/O, clock or
randomness in here: times and check results arrive inside events. Replaying a saved
event log therefore gives exactly the same state, which is how a session survives a
crash, and how the TUI and the CLI share one behaviour.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

from wizard.content.model import (
    EXIT_KINDS,
    TERMINAL_KINDS,
    AnyNode,
    AskNode,
    CheckNode,
    FixNode,
    Guide,
    InfoNode,
    InputNode,
)

VERSION = re.compile(r"^\d{1,4}\.\d{1,4}\.\d{1,4}(\.\d{1,6})?$")
PLATFORM_WORDS = {
    "android": "android",
    "ios": "ios",
    "iphone": "ios",
    "ipad": "ios",
    "web": "web",
    "browser": "web",
    "computer": "web",
}


class EngineError(Exception):
    """An event that does not fit the session's current state."""


# --- events ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened in a session. ``at`` is an ISO-8601 UTC time, if known."""

    type: ClassVar[str] = ""
    at: str | None = field(default=None, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, with ``type`` naming the event."""
        data: dict[str, Any] = {"type": self.type}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


@dataclass(frozen=True, slots=True)
class Answer(Event):
    """The user chose an option of an ``ask`` node (by key or 1-based number)."""

    type: ClassVar[str] = "answer"
    node: str
    option: str


@dataclass(frozen=True, slots=True)
class Input(Event):
    """The user gave a value to an ``input`` node."""

    type: ClassVar[str] = "input"
    node: str
    value: str


@dataclass(frozen=True, slots=True)
class CheckDone(Event):
    """A check node's check finished with ``outcome``; ``result`` is its full result."""

    type: ClassVar[str] = "check"
    node: str
    outcome: str
    result: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Verdict(Event):
    """The user said whether a fix helped."""

    type: ClassVar[str] = "verdict"
    node: str
    helped: bool


@dataclass(frozen=True, slots=True)
class Continue(Event):
    """The user read an ``info`` node and moved on."""

    type: ClassVar[str] = "continue"
    node: str


@dataclass(frozen=True, slots=True)
class Back(Event):
    """Go back one step (over a check node too: going back to it would only rerun it)."""

    type: ClassVar[str] = "back"


@dataclass(frozen=True, slots=True)
class BackTo(Event):
    """Go back to the step at ``index`` of the path, undoing it and everything after."""

    type: ClassVar[str] = "back_to"
    index: int


@dataclass(frozen=True, slots=True)
class Restart(Event):
    """Start the guide again from its first node, forgetting the facts."""

    type: ClassVar[str] = "restart"


@dataclass(frozen=True, slots=True)
class Note(Event):
    """The user's own words for the problem, for the report."""

    type: ClassVar[str] = "note"
    text: str


@dataclass(frozen=True, slots=True)
class ReportOptions(Event):
    """What the user chose to hide in the report: the kinds shown, and extra words."""

    type: ClassVar[str] = "report_options"
    shown: tuple[str, ...] = ()
    """Kinds of personal data the user chose to show (not redact)."""
    words: tuple[str, ...] = ()
    """Extra words to hide, as the user typed them."""


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        Answer,
        Input,
        CheckDone,
        Verdict,
        Continue,
        Back,
        BackTo,
        Restart,
        Note,
        ReportOptions,
    )
}


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """The inverse of :meth:`Event.to_dict`; raises :class:`EngineError` on a bad record."""
    kind = data.get("type")
    cls = EVENT_TYPES.get(str(kind))
    if cls is None:
        raise EngineError(f"unknown event type {kind!r}")
    fields = {k: v for k, v in data.items() if k != "type"}
    try:
        return cls(**fields)
    except TypeError as exc:
        raise EngineError(f"bad {kind} event: {exc}") from None


# --- state ----------------------------------------------------------------------------


class Step(NamedTuple):
    """A node the walk left, and how it was left (a tuple: cheap to make, immutable)."""

    node: str
    kind: str
    choice: str
    """The option key, the value given, the check outcome, or ``yes``/``no`` for a fix."""
    label: str
    """The same in words, for display: the option's label, the value, the outcome."""
    at: str | None = None
    result: Mapping[str, Any] | None = None
    undo: tuple[tuple[str, str | None], ...] = ()
    """Facts this step set, with their previous values, so that going back restores them."""


ACTIVE, SOLVED, REPORT = "active", "solved", "report"


class Session:
    """A walk through one guide, driven by events."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.events: list[Event] = []
        self.path: list[Step] = []
        self.facts: dict[str, str] = {}
        self.current: str = guide.start
        self.status: str = ACTIVE
        self.note: str = ""
        self.report_options: ReportOptions | None = None
        self.started_at: str | None = None
        self.updated_at: str | None = None
        self._enter(guide.start)

    @classmethod
    def replay(cls, guide: Guide, events: Iterable[Event]) -> Session:
        """A session with ``events`` applied in order."""
        session = cls(guide)
        for event in events:
            session.apply(event)
        return session

    # -- reading

    @property
    def node(self) -> AnyNode:
        """The node the walk is at."""
        return self.guide.nodes[self.current]

    @property
    def ended(self) -> bool:
        """True once the walk is solved or has reached a report."""
        return self.status != ACTIVE

    def steps_left(self) -> int:
        """The fewest steps from the current node to a step the walk can end at (0 once
        ended, and at a fix, which ends the walk when it helps)."""
        if self.ended:
            return 0
        nodes = self.guide.nodes
        seen = {self.current}
        queue = deque([(self.current, 0)])
        while queue:
            node_id, distance = queue.popleft()
            if nodes[node_id].kind in EXIT_KINDS:
                return distance
            for target in nodes[node_id].successors():
                if target not in seen:
                    seen.add(target)
                    queue.append((target, distance + 1))
        return 0

    def steps_left_range(self) -> tuple[int, int]:
        """The fewest and the most steps from the current node to an end (0, 0 once ended).

        The most follows each way on without going round a loop; a node that can reach no
        end counts as an end, so a guide with a dead end still gets a finite range.
        """
        if self.ended:
            return 0, 0
        nodes = self.guide.nodes
        longest: dict[str, int] = {}

        def most(node_id: str, on_path: frozenset[str]) -> int:
            if node_id in longest:
                return longest[node_id]
            if nodes[node_id].kind in TERMINAL_KINDS:
                return 0
            ahead = [t for t in nodes[node_id].successors() if t not in on_path and t in nodes]
            value = 1 + max((most(t, on_path | {t}) for t in ahead), default=-1)
            longest[node_id] = value
            return value

        return self.steps_left(), max(
            self.steps_left(), most(self.current, frozenset({self.current}))
        )

    def last_answer(self, node_id: str) -> str | None:
        """The option key or value last given at ``node_id``, gone back over or not (None
        if it was never answered): what going back to it should offer first."""
        node = self.guide.nodes.get(node_id)
        for event in reversed(self.events):
            if isinstance(event, Answer) and event.node == node_id:
                option = node.option(event.option) if isinstance(node, AskNode) else None
                return option.key if option is not None else event.option
            if isinstance(event, Input) and event.node == node_id:
                return event.value
        return None

    def check_outcomes(self) -> dict[str, str]:
        """Outcome of every check node on the path, by node id."""
        return {s.node: s.choice for s in self.path if s.kind == "check"}

    def fix_verdicts(self) -> dict[str, bool]:
        """Whether each fix on the path helped, by node id."""
        return {s.node: s.choice == "yes" for s in self.path if s.kind == "fix"}

    def to_dict(self) -> dict[str, Any]:
        """The guide id and the event log: enough to rebuild the session."""
        return {"guide": self.guide.id, "events": [e.to_dict() for e in self.events]}

    @classmethod
    def from_dict(cls, guide: Guide, data: Mapping[str, Any]) -> Session:
        """The inverse of :meth:`to_dict`, given the guide it names."""
        if data.get("guide") != guide.id:
            raise EngineError(f"this session is for guide {data.get('guide')!r}, not {guide.id!r}")
        return cls.replay(guide, (event_from_dict(e) for e in data.get("events", ())))

    # -- changing

    def apply(self, event: Event) -> None:
        """Apply one event; raise :class:`EngineError` (and change nothing) if it does not fit."""
        handler = getattr(self, f"_on_{event.type}")
        handler(event)
        self.events.append(event)
        if event.at:
            self.started_at = self.started_at or event.at
            self.updated_at = event.at

    def _expect(self, node_id: str, kind: type[AnyNode]) -> AnyNode:
        if self.ended:
            raise EngineError("the walk has ended; go back or restart to change it")
        if node_id != self.current:
            raise EngineError(f"the walk is at {self.current!r}, not {node_id!r}")
        node = self.node
        if not isinstance(node, kind):
            raise EngineError(f"node {node_id!r} is a {node.kind} node, not {kind.__name__}")
        return node

    def _on_answer(self, event: Answer) -> None:
        node = self._expect(event.node, AskNode)
        assert isinstance(node, AskNode)
        option = node.option(event.option)
        if option is None:
            keys = ", ".join(o.key for o in node.options)
            raise EngineError(f"{event.node!r} has no option {event.option!r}; options: {keys}")
        facts = {node.fact: option.key} if node.fact else {}
        self._advance(node, option.key, option.label, option.next, event.at, facts=facts)

    def _on_input(self, event: Input) -> None:
        node = self._expect(event.node, InputNode)
        assert isinstance(node, InputNode)
        value = normalize_input(node, event.value)
        self._advance(
            node, value, value or "(skipped)", node.next, event.at, facts={node.fact: value}
        )

    def _on_check(self, event: CheckDone) -> None:
        node = self._expect(event.node, CheckNode)
        assert isinstance(node, CheckNode)
        target = node.next_for(event.outcome)
        if target is None:
            raise EngineError(f"check node {event.node!r} does not cover outcome {event.outcome!r}")
        # The check's own one-line summary says the outcome in words; the id is a fallback.
        # The guide's own words for the outcome come first: a check shared by two guides
        # may say what fits only one of them.
        summary = event.result.get("summary") if event.result else None
        label = (
            node.words_for(event.outcome) or (str(summary).strip() if summary else "")
        ) or event.outcome
        self._advance(node, event.outcome, label, target, event.at, result=event.result)

    def _on_verdict(self, event: Verdict) -> None:
        node = self._expect(event.node, FixNode)
        assert isinstance(node, FixNode)
        if event.helped:
            self.path.append(Step(node.id, node.kind, "yes", node.yes or "It helped", event.at))
            self.status = SOLVED
        else:
            self._advance(node, "no", node.no or "It did not help", node.next, event.at)

    def _on_continue(self, event: Continue) -> None:
        node = self._expect(event.node, InfoNode)
        assert isinstance(node, InfoNode)
        self._advance(node, "continue", "Read", node.next, event.at)

    def _on_back(self, event: Back) -> None:
        if not self.path:
            raise EngineError("this is the first step; there is nothing to go back to")
        self._pop()
        while self.path and self.node.kind == "check":
            self._pop()

    def _on_back_to(self, event: BackTo) -> None:
        if not 0 <= event.index < len(self.path):
            raise EngineError(f"there is no step {event.index} to go back to")
        while len(self.path) > event.index:
            self._pop()

    def _on_restart(self, event: Restart) -> None:
        self.path.clear()
        self.facts.clear()
        self.status = ACTIVE
        self._enter(self.guide.start)

    def _on_note(self, event: Note) -> None:
        self.note = event.text.strip()

    def _on_report_options(self, event: ReportOptions) -> None:
        # A stored record holds lists: keep the event's own type.
        self.report_options = ReportOptions(tuple(event.shown), tuple(event.words), at=event.at)

    def _advance(
        self,
        node: AnyNode,
        choice: str,
        label: str,
        target: str,
        at: str | None,
        *,
        facts: Mapping[str, str] | None = None,
        result: Mapping[str, Any] | None = None,
    ) -> None:
        if target not in self.guide.nodes:
            raise EngineError(f"node {node.id!r} leads to {target!r}, which does not exist")
        undo: tuple[tuple[str, str | None], ...] = ()
        if facts:
            undo = tuple((name, self.facts.get(name)) for name in facts)
            self.facts.update(facts)
        self.path.append(Step(node.id, node.kind, choice, label, at, result, undo))
        self._enter(target)

    def _pop(self) -> None:
        step = self.path.pop()
        for name, previous in step.undo:
            if previous is None:
                self.facts.pop(name, None)
            else:
                self.facts[name] = previous
        self.status = ACTIVE
        self.current = step.node

    def _enter(self, node_id: str) -> None:
        self.current = node_id
        kind = self.guide.nodes[node_id].kind
        if kind == "done":
            self.status = SOLVED
        elif kind == "report":
            self.status = REPORT


def normalize_input(node: InputNode, raw: str) -> str:
    """The value as it will be stored, or :class:`EngineError` saying what is wrong with it."""
    value = raw.strip()
    if not value:
        if node.optional:
            return ""
        raise EngineError("this needs an answer")
    kind = node.input_type
    if kind == "platform":
        platform = PLATFORM_WORDS.get(value.lower())
        if platform is None or platform not in node.choices:
            raise EngineError(f"choose one of: {', '.join(node.choices)}")
        value = platform
    elif kind == "choice":
        match = next((c for c in node.choices if c.lower() == value.lower()), None)
        if match is None:
            raise EngineError(f"choose one of: {', '.join(node.choices)}")
        value = match
    elif kind == "version":
        value = value.lstrip("vV")
        if not VERSION.match(value):
            raise EngineError("a version looks like 37.5.4 (three numbers with dots)")
    elif kind == "number":
        try:
            float(value)
        except ValueError:
            raise EngineError("this needs a number") from None
    if node.pattern and not re.fullmatch(node.pattern, value):
        raise EngineError(
            "that does not look right: " + (node.placeholder or f"it must match {node.pattern}")
        )
    return value
