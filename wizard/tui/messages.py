"""Messages the TUI's widgets and workers send each other (all here, as dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from checks.api import CheckResult, Progress


@dataclass
class CheckProgressed(Message):
    """A running check reported progress."""

    progress: Progress


@dataclass
class CheckFinished(Message):
    """A check finished (its result, whatever the outcome)."""

    result: CheckResult


@dataclass
class ChoiceMade(Message):
    """One of a set of numbered choices was picked."""

    value: str


@dataclass
class StepChosen(Message):
    """An earlier step in the path was picked: go back to it."""

    index: int
