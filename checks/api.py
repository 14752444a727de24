"""The small API every check plugin implements.

A check knows nothing of guides, screens or reports: it gets a :class:`CheckContext`
and returns a :class:`CheckResult` whose outcome is one of the outcomes it declares.
A check declares its configuration as :class:`Setting` values (from
:mod:`checks.setting`, re-exported here: a check imports only this module). This module
imports only the standard library so that listing checks stays cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import stat
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

# Re-exported: a check imports what it declares settings with from this module.
from checks.setting import Setting as Setting
from checks.setting import SettingError as SettingError

if TYPE_CHECKING:
    import httpx

#: Outcomes every check may end in, whether it declares them or not: the runner turns an
#: unexpected exception into ``error`` and an overrun of the deadline into ``timeout``.
UNIVERSAL_OUTCOMES: tuple[str, ...] = ("error", "timeout")

JSONValue = Any
"""A value that :func:`json.dumps` accepts (kept loose: mypy has no recursive JSON type)."""

T = TypeVar("T")


def file_kind(mode: int) -> str:
    """What a file that is neither a regular file nor a folder is, in words (from its
    ``st_mode``), for refusals such as "… is a named pipe (FIFO), not a file"."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


async def run_blocking(func: Callable[..., T], /, *args: Any, name: str = "") -> T:
    """Run blocking ``func(*args)`` in a daemon thread of its own and await its result.

    Unlike :func:`asyncio.to_thread`, the thread is not one of the event loop's executor,
    so a call stuck in the kernel (a FIFO with no writer, a stalled socket) can be
    abandoned: when the awaiting task is cancelled or its deadline passes, the caller
    goes on at once, the loop closes without waiting for the thread, and the process can
    exit. The thread's eventual result or exception is dropped.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(outcome: tuple[bool, Any]) -> None:
        if future.done():
            return
        ok, value = outcome
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def work() -> None:
        outcome: tuple[bool, Any]
        try:
            outcome = (True, func(*args))
        except BaseException as exc:  # handed to the awaiting task, whatever it is
            outcome = (False, exc)
        # The loop may have closed while this thread blocked: then nobody is waiting.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, outcome)

    label = name or getattr(func, "__name__", "work")
    threading.Thread(target=work, name=f"check-{label}", daemon=True).start()
    return await future


class Status(enum.StrEnum):
    """How a result is shown: a mark and a colour, independent of the outcome."""

    OK = "ok"
    WARNING = "warning"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Metric:
    """One measured number with its unit, for example ``Metric("download", 48.2, "Mbit/s")``."""

    name: str
    value: float
    unit: str = ""
    label: str = ""

    def display(self) -> str:
        """The value with its unit in a compact human form."""
        number = f"{self.value:.0f}" if abs(self.value) >= 100 else f"{self.value:.3g}"
        return f"{number} {self.unit}".strip()

    def to_dict(self) -> dict[str, JSONValue]:
        """A JSON-ready form."""
        return {"name": self.name, "value": self.value, "unit": self.unit, "label": self.label}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Metric:
        """The inverse of :meth:`to_dict`."""
        return cls(
            str(data["name"]),
            float(data["value"]),
            str(data.get("unit", "")),
            str(data.get("label", "")),
        )


@dataclass(frozen=True, slots=True)
class Table:
    """A small table for the details of a result (per-endpoint timings, say)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def to_dict(self) -> dict[str, JSONValue]:
        """A JSON-ready form."""
        return {
            "title": self.title,
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Table:
        """The inverse of :meth:`to_dict`."""
        return cls(
            str(data["title"]),
            tuple(str(c) for c in data["columns"]),
            tuple(tuple(str(v) for v in row) for row in data["rows"]),
        )


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What a check found. The outcome is what a guide branches on; the rest is for people."""

    check_id: str
    outcome: str
    status: Status
    summary: str
    advice: str = ""
    details: Mapping[str, JSONValue] = field(default_factory=dict)
    metrics: tuple[Metric, ...] = ()
    tables: tuple[Table, ...] = ()
    duration_s: float = 0.0
    source: str = "measured"
    """``measured`` by the check, ``reported`` by the user, or ``not_run``."""

    def metric(self, name: str) -> Metric | None:
        """The metric called ``name``, if the check reported one."""
        return next((m for m in self.metrics if m.name == name), None)

    def to_dict(self) -> dict[str, JSONValue]:
        """A JSON-ready form (the store and the ``--json`` output use it)."""
        return {
            "check_id": self.check_id,
            "outcome": self.outcome,
            "status": self.status.value,
            "summary": self.summary,
            "advice": self.advice,
            "details": dict(self.details),
            "metrics": [m.to_dict() for m in self.metrics],
            "tables": [t.to_dict() for t in self.tables],
            "duration_s": round(self.duration_s, 4),
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckResult:
        """The inverse of :meth:`to_dict`."""
        return cls(
            check_id=str(data["check_id"]),
            outcome=str(data["outcome"]),
            status=Status(data["status"]),
            summary=str(data.get("summary", "")),
            advice=str(data.get("advice", "")),
            details=dict(data.get("details", {})),
            metrics=tuple(Metric.from_dict(m) for m in data.get("metrics", ())),
            tables=tuple(Table.from_dict(t) for t in data.get("tables", ())),
            duration_s=float(data.get("duration_s", 0.0)),
            source=str(data.get("source", "measured")),
        )


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter a check takes. Values arrive as strings; the check converts them.

    ``choices`` (matched without regard to case) and ``accepts`` (a test for values no
    closed list covers) say which values are allowed; the runner refuses any other before
    the check runs. An empty value means "not given" and is always allowed.
    """

    name: str
    description: str
    required: bool = False
    default: str | None = None
    choices: tuple[str, ...] = ()
    accepts: Callable[[str], bool] | None = None

    def checked(self, value: str) -> str:
        """``value`` as the check gets it (a choice spelled as declared); ValueError if refused."""
        if value == "" or (not self.choices and self.accepts is None):
            return value
        for choice in self.choices:
            if value.strip().lower() == choice.lower():
                return choice
        if self.accepts is not None and self.accepts(value):
            return value
        allowed = ", ".join(self.choices) if self.choices else self.description
        raise ValueError(f"parameter {self.name} cannot be {value!r}; use {allowed}")


@dataclass(frozen=True, slots=True)
class Progress:
    """A progress report from a running check, for a live display."""

    phase: str
    fraction: float | None = None
    """Done so far, 0 to 1, or None when unknown."""
    message: str = ""
    value: float | None = None
    """A live reading (for the speed test: the current rate)."""
    unit: str = ""
    elapsed_s: float = 0.0
    expected_s: float | None = None


ProgressCallback = Callable[[Progress], None]
HttpClientFactory = Callable[..., "httpx.AsyncClient"]


def ignore_progress(_: Progress) -> None:
    """A :data:`ProgressCallback` that drops every report (a context's default)."""
    return None


def default_http_client(**kwargs: Any) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` with our user agent; keyword arguments pass through."""
    import httpx

    headers = {"User-Agent": "wizard-troubleshooter (+https://example.invalid/wizard)"}
    headers.update(kwargs.pop("headers", {}) or {})
    return httpx.AsyncClient(headers=headers, **kwargs)


@dataclass(slots=True)
class CheckContext:
    """Everything a check may use. The runner builds it; tests can build one directly."""

    params: Mapping[str, str] = field(default_factory=dict)
    facts: Mapping[str, str] = field(default_factory=dict)
    config: Mapping[str, Any] = field(default_factory=dict)
    """The check's own configuration section (``connectivity.*`` for ``connectivity``),
    declared defaults included."""
    http_client: HttpClientFactory = default_http_client
    progress: ProgressCallback = ignore_progress
    deadline: float = field(default_factory=lambda: time.monotonic() + 30.0)
    """A :func:`time.monotonic` instant by which the check must have returned."""
    cache_dir: Path | None = None
    """A folder the check may keep small caches in, or None for no caching."""

    def remaining(self) -> float:
        """Seconds left before the deadline (never negative)."""
        return max(0.0, self.deadline - time.monotonic())

    def param(self, name: str, default: str | None = None) -> str | None:
        """A parameter's value, the default when it was not given."""
        value = self.params.get(name)
        return default if value in (None, "") else value

    def setting(self, key: str, default: Any = None) -> Any:
        """A setting of the check's section: as configured, else as the check declares it.

        The runner fills in every declared default, so a check names only the key;
        ``default`` is for keys the check does not declare.
        """
        return self.config.get(key, default)


class CheckError(Exception):
    """Raised by a check for a failure it understands; the runner keeps its message.

    The message is shown to the user, so it is written in plain words.
    """

    def __init__(self, message: str, *, outcome: str = "error") -> None:
        super().__init__(message)
        self.outcome = outcome


class Check(ABC):
    """Base class of a check plugin.

    Subclasses set the class attributes and implement :meth:`run`. They must never block
    the event loop (use :func:`run_blocking` for blocking work) and must return before
    ``context.deadline``; the runner cancels them otherwise.
    """

    id: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str] = ""
    outcomes: ClassVar[tuple[str, ...]]
    params: ClassVar[tuple[Param, ...]] = ()
    facts: ClassVar[tuple[str, ...]] = ()
    """Facts the check reads when present (for example ``platform``)."""
    settings: ClassVar[tuple[Setting, ...]] = ()
    """The keys of the check's configuration section (``[<id>]`` in the config file,
    ``--set <id>.<name>=…``, ``$WIZARD_<ID>_<NAME>``), with their defaults and ranges."""
    timeout_s: ClassVar[float] = 10.0
    """The check's deadline in seconds: the default of its ``deadline_s`` setting, which
    every check has (a declared setting of that name is replaced by it)."""

    @classmethod
    def all_outcomes(cls) -> tuple[str, ...]:
        """Declared outcomes plus the universal ones, in order, without repeats."""
        return tuple(dict.fromkeys((*cls.outcomes, *UNIVERSAL_OUTCOMES)))

    @classmethod
    def all_settings(cls) -> tuple[Setting, ...]:
        """Declared settings plus ``deadline_s``, whose default is :attr:`timeout_s`."""
        deadline = Setting.seconds(
            "deadline_s",
            cls.timeout_s,
            f"How long the check ({cls.title}) may run before it is stopped, in seconds.",
        )
        return (*(s for s in cls.settings if s.name != "deadline_s"), deadline)

    @classmethod
    def setting_defaults(cls) -> dict[str, Any]:
        """Each setting's name and default."""
        return {s.name: s.default for s in cls.all_settings()}

    @abstractmethod
    async def run(self, context: CheckContext) -> CheckResult:
        """Run the check and describe what was found."""

    def result(
        self,
        outcome: str,
        status: Status,
        summary: str,
        **kwargs: Any,
    ) -> CheckResult:
        """A result of this check; the runner fills in the duration."""
        return CheckResult(
            check_id=self.id, outcome=outcome, status=status, summary=summary, **kwargs
        )
