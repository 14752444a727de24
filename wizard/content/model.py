"""The typed, immutable form of a guide: what the loader builds and the engine walks."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

PLATFORMS: tuple[str, ...] = ("android", "ios", "web")
INPUT_TYPES: tuple[str, ...] = ("text", "choice", "path", "version", "number", "platform")
FACT_REF = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
"""How a check parameter refers to a fact: ``{platform}``."""

NodeKind = Literal["ask", "input", "check", "info", "fix", "report", "done"]
NODE_KINDS: tuple[str, ...] = ("ask", "input", "check", "info", "fix", "report", "done")
PROBLEM_FACT = "problem"
"""The fact a guide's "what is going wrong?" question sets: the report's problem line."""
TERMINAL_KINDS: frozenset[str] = frozenset({"report", "done"})
"""Kinds that end the walk when it reaches them."""
EXIT_KINDS: frozenset[str] = TERMINAL_KINDS | {"fix"}
"""Kinds a walk can end at: a fix ends it when the user says it helped."""
DEFAULT_YES = "Yes, it helped"
DEFAULT_NO = "No"


def _frozen(mapping: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


def _for_platform(variants: Mapping[str, str], platform: str | None, common: str) -> str:
    """A platform's own variant if there is one, else the common text."""
    if platform and platform in variants:
        return variants[platform]
    return common


@dataclass(frozen=True, slots=True)
class Option:
    """One answer of an ``ask`` node."""

    key: str
    """What an answer names (``--answer node=key``), also the value stored as a fact."""
    label: str
    next: str


@dataclass(frozen=True, slots=True)
class Node:
    """Fields every node has."""

    id: str
    title: str
    text: str
    line: int

    kind: NodeKind = field(init=False, default="info")

    @property
    def heading(self) -> str:
        """The title, or the first line of the text when there is none."""
        if self.title:
            return self.title
        first = self.text.strip().split("\n", 1)[0] if self.text else ""
        return first.lstrip("#* ").strip() or self.id

    def successors(self) -> Iterator[str]:
        """Ids of the nodes this one can lead to."""
        return iter(())

    def text_for(self, platform: str | None) -> str:
        """The text as a user of ``platform`` reads it (its variant, when the node has one)."""
        return self.text

    def facts_set(self) -> tuple[str, ...]:
        """Facts this node sets when it is left."""
        return ()

    def facts_used(self) -> tuple[str, ...]:
        """Facts this node needs to have been set on the way to it."""
        return ()


@dataclass(frozen=True, slots=True)
class AskNode(Node):
    """A question with labelled options."""

    options: tuple[Option, ...] = ()
    fact: str | None = None
    variants: Mapping[str, str] = field(default_factory=_frozen)
    """The text for a platform, where it differs from the common text."""
    kind: NodeKind = field(init=False, default="ask")

    def text_for(self, platform: str | None) -> str:
        return _for_platform(self.variants, platform, self.text)

    def successors(self) -> Iterator[str]:
        return (o.next for o in self.options)

    def option(self, key: str) -> Option | None:
        """The option whose key (or 1-based number) is ``key``."""
        for number, option in enumerate(self.options, 1):
            if key in (option.key, str(number)):
                return option
        return None

    def facts_set(self) -> tuple[str, ...]:
        return (self.fact,) if self.fact else ()


@dataclass(frozen=True, slots=True)
class InputNode(Node):
    """Asks for a value and stores it as a fact."""

    fact: str = ""
    input_type: str = "text"
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    placeholder: str = ""
    optional: bool = False
    next: str = ""
    variants: Mapping[str, str] = field(default_factory=_frozen)
    """The text for a platform, where it differs from the common text."""
    kind: NodeKind = field(init=False, default="input")

    def text_for(self, platform: str | None) -> str:
        return _for_platform(self.variants, platform, self.text)

    def successors(self) -> Iterator[str]:
        return iter((self.next,))

    def facts_set(self) -> tuple[str, ...]:
        return (self.fact,)


@dataclass(frozen=True, slots=True)
class CheckNode(Node):
    """Runs a check plugin and branches on its outcome."""

    check: str = ""
    params: Mapping[str, str] = field(default_factory=_frozen)
    on: Mapping[str, str] = field(default_factory=_frozen)
    otherwise: str | None = None
    says: Mapping[str, str] = field(default_factory=_frozen)
    """The guide's own words for an outcome, said in place of the check's summary."""
    kind: NodeKind = field(init=False, default="check")

    def words_for(self, outcome: str) -> str | None:
        """What this guide says for ``outcome``, or None when it leaves it to the check."""
        return self.says.get(outcome)

    def successors(self) -> Iterator[str]:
        yield from self.on.values()
        if self.otherwise:
            yield self.otherwise

    def next_for(self, outcome: str) -> str | None:
        """The node an outcome leads to, or None when the node does not cover it."""
        return self.on.get(outcome, self.otherwise)

    def facts_used(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m for v in self.params.values() for m in FACT_REF.findall(v)))

    def resolve_params(self, facts: Mapping[str, str]) -> dict[str, str]:
        """The parameters with every ``{fact}`` replaced by its value ('' when unset)."""
        return {
            k: FACT_REF.sub(lambda m: facts.get(m.group(1), ""), v) for k, v in self.params.items()
        }


@dataclass(frozen=True, slots=True)
class InfoNode(Node):
    """Explains something, then moves on."""

    next: str = ""
    variants: Mapping[str, str] = field(default_factory=_frozen)
    """The text for a platform, where it differs from the common text."""
    kind: NodeKind = field(init=False, default="info")

    def successors(self) -> Iterator[str]:
        return iter((self.next,))

    def text_for(self, platform: str | None) -> str:
        return _for_platform(self.variants, platform, self.text)


@dataclass(frozen=True, slots=True)
class FixNode(Node):
    """A fix to try. "Did this help?": yes ends solved, no goes to ``next``."""

    steps: str = ""
    variants: Mapping[str, str] = field(default_factory=_frozen)
    next: str = ""
    yes: str = ""
    """The words of the answer that ends the walk solved ("" for the usual ones)."""
    no: str = ""
    """The words of the answer that goes on to ``next``."""
    kind: NodeKind = field(init=False, default="fix")

    @property
    def yes_label(self) -> str:
        """How the answer "it helped" reads on this fix."""
        return self.yes or DEFAULT_YES

    @property
    def no_label(self) -> str:
        """How the answer "it did not help" reads on this fix."""
        return self.no or DEFAULT_NO

    def successors(self) -> Iterator[str]:
        return iter((self.next,))

    def steps_for(self, platform: str | None) -> str:
        """The steps for a platform: its variant if there is one, else the common steps."""
        return _for_platform(self.variants, platform, self.steps)


@dataclass(frozen=True, slots=True)
class ReportNode(Node):
    """Ends the walk by preparing a support report."""

    kind: NodeKind = field(init=False, default="report")


@dataclass(frozen=True, slots=True)
class DoneNode(Node):
    """Ends the walk, solved."""

    kind: NodeKind = field(init=False, default="done")


AnyNode = AskNode | InputNode | CheckNode | InfoNode | FixNode | ReportNode | DoneNode


@dataclass(frozen=True, slots=True)
class Guide:
    """A troubleshooting guide: a start node and a map of nodes."""

    id: str
    title: str
    summary: str
    start: str
    nodes: Mapping[str, AnyNode]
    file: str = ""
    keywords: tuple[str, ...] = ()

    def checks_used(self) -> tuple[str, ...]:
        """Ids of the checks the guide runs, in order of first use, without repeats."""
        return tuple(
            dict.fromkeys(n.check for n in self.nodes.values() if isinstance(n, CheckNode))
        )
