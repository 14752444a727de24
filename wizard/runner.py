"""Running checks: deadlines, cancellation, and never a traceback for the caller.

A check that raises becomes outcome ``error``, one that overruns its deadline becomes
``timeout``, each with a reason in words. A check cancelled by the user raises
:class:`asyncio.CancelledError` out of :func:`run_check` as usual, so that the caller
decides what a cancelled step means (the TUI stays on the node and offers a retry).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from checks.api import (
    Check,
    CheckContext,
    CheckError,
    CheckResult,
    HttpClientFactory,
    ProgressCallback,
    Status,
    default_http_client,
    ignore_progress,
)
from wizard.config import Config

GRACE_S = 0.25
"""How long past its deadline a check gets to notice and return on its own."""

_LEFT_BEHIND: set[asyncio.Future[Any]] = set()
"""Tasks given up on that have not ended: held so they are not collected while pending."""


def leave_behind(task: asyncio.Future[Any]) -> None:
    """Give up on ``task``: its end, whenever it comes, is retrieved and dropped."""
    if task.done():
        _drain(task)
        return
    _LEFT_BEHIND.add(task)
    task.add_done_callback(_LEFT_BEHIND.discard)
    task.add_done_callback(_drain)


def anything_left_behind() -> bool:
    """True while a task given up on has not ended."""
    return any(not task.done() for task in _LEFT_BEHIND)


def _abandon(task: asyncio.Future[Any]) -> None:
    """Leave ``task`` behind, and the default executor with it.

    A check may have blocked in the loop's default executor (``run_in_executor(None, …)``);
    closing a loop waits for that executor's threads. The loop gets a fresh one instead;
    the old one's threads are left to end on their own.
    """
    leave_behind(task)
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor())


def deadline_for(check: type[Check], config: Config) -> float:
    """The check's deadline in seconds: its ``deadline_s`` setting (default its own)."""
    return float(config.for_check(check)["deadline_s"])


def build_context(
    check: type[Check],
    config: Config,
    params: Mapping[str, str] | None = None,
    facts: Mapping[str, str] | None = None,
    *,
    progress: ProgressCallback | None = None,
    http_client: HttpClientFactory | None = None,
    deadline_s: float | None = None,
) -> CheckContext:
    """The context a check runs with, from the configuration and what the walk knows."""
    seconds = deadline_s if deadline_s is not None else deadline_for(check, config)
    cache = config.data_dir / "cache"
    return CheckContext(
        params=dict(params or {}),
        facts=dict(facts or {}),
        config=config.for_check(check),
        http_client=http_client or default_http_client,
        progress=progress or ignore_progress,
        deadline=time.monotonic() + seconds,
        cache_dir=Path(cache),
    )


async def run_check(
    check: Check, context: CheckContext, *, log_folder: Path | None = None
) -> CheckResult:
    """Run ``check`` within ``context.deadline``; the result always has a known outcome.

    The check runs as its own task. When the deadline passes it is cancelled and given
    :data:`GRACE_S` to wind down; a check that ignores the cancellation is left behind
    rather than allowed to hold up the walk. A setting the context does not carry is the
    check's declared default. A check that raises is said in words; the exception is in
    the result's details and its traceback in the errors log in ``log_folder``, if given.
    """
    started = time.monotonic()
    budget = max(0.0, context.deadline - started)
    context = replace(context, config=check.setting_defaults() | dict(context.config))
    task = asyncio.ensure_future(check.run(context))
    try:
        done, _ = await asyncio.wait({task}, timeout=budget + GRACE_S)
    except asyncio.CancelledError:
        task.cancel()
        _abandon(task)
        raise
    if not done:
        task.cancel()
        await asyncio.wait({task}, timeout=GRACE_S)
        _abandon(task)
        return _made(
            check,
            "timeout",
            Status.ERROR,
            f"{check.title} did not finish within {budget:.1f} s and was stopped.",
            started,
            advice="Try again; if it keeps happening, the network may be very slow.",
        )
    try:
        result = task.result()
    except CheckError as exc:
        outcome = exc.outcome if exc.outcome in check.all_outcomes() else "error"
        return _made(check, outcome, Status.ERROR, str(exc), started)
    except asyncio.CancelledError:
        return _made(
            check, "error", Status.ERROR, f"{check.title} was cancelled from inside.", started
        )
    except Exception as exc:
        return _crashed(check, exc, started, log_folder)
    if result.outcome not in check.all_outcomes():
        return _made(
            check,
            "error",
            Status.ERROR,
            f"{check.title} gave an outcome it does not declare ({result.outcome!r}).",
            started,
        )
    return replace(result, duration_s=time.monotonic() - started)


def _drain(task: asyncio.Future[Any]) -> None:
    """Retrieve a left-behind task's exception so asyncio does not log it as unhandled."""
    if not task.cancelled():
        task.exception()


def _made(
    check: Check,
    outcome: str,
    status: Status,
    summary: str,
    started: float,
    *,
    advice: str = "",
    details: Mapping[str, Any] | None = None,
) -> CheckResult:
    return CheckResult(
        check_id=check.id,
        outcome=outcome,
        status=status,
        summary=summary,
        advice=advice,
        details=dict(details or {}),
        duration_s=time.monotonic() - started,
    )


def _crashed(check: Check, exc: Exception, started: float, log_folder: Path | None) -> CheckResult:
    """The result of a check that raised: words for the person, the exception for support."""
    from wizard.errorlog import write_log

    log = write_log(log_folder, exc) if log_folder is not None else None
    where = f"the details are in {log}" if log else "the details are kept for the support report"
    return _made(
        check,
        "error",
        Status.ERROR,
        f"{check.title} stopped unexpectedly; {where}.",
        started,
        advice="Try again; if it keeps happening, send the support report.",
        details={"exception": type(exc).__name__, "message": str(exc)[:500]},
    )
