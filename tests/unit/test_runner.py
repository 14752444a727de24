"""The runner: a check that raises, overruns, ignores cancellation, lies, or is cancelled."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
import wizard_test_checks as tc

from checks.api import CheckContext, Status
from wizard.runner import GRACE_S, run_check


def ctx(budget: float, **params: str) -> CheckContext:
    return CheckContext(params=params, deadline=time.monotonic() + budget)


async def test_a_good_check_gets_its_duration_filled_in() -> None:
    seen = []
    context = ctx(5, outcome="ios")
    context.progress = seen.append
    result = await run_check(tc.EchoCheck(), context)
    assert (result.outcome, result.status) == ("ios", Status.OK)
    assert result.duration_s > 0
    assert seen and seen[0].phase == "echo"


async def test_a_check_that_raises_says_so_in_words_and_keeps_the_exception() -> None:
    result = await run_check(tc.BoomCheck(), ctx(5))
    assert result.outcome == "error" and result.status is Status.ERROR
    assert result.summary == (
        "Boom stopped unexpectedly; the details are kept for the support report."
    )
    assert "RuntimeError" not in result.summary + result.advice
    assert result.details == {
        "exception": "RuntimeError",
        "message": "the flux capacitor is missing",
    }


async def test_a_check_that_raises_has_its_traceback_in_the_errors_log(tmp_path: Path) -> None:
    result = await run_check(tc.BoomCheck(), ctx(5), log_folder=tmp_path)
    log = tmp_path / "errors.log"
    assert result.summary == f"Boom stopped unexpectedly; the details are in {log}."
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: the flux capacitor is missing" in text


async def test_an_errors_log_that_cannot_be_written_still_gives_words(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", "utf-8")  # a file where the folder should be: even root cannot
    result = await run_check(tc.BoomCheck(), ctx(5), log_folder=blocker / "data")
    assert result.summary.endswith("the details are kept for the support report.")


async def test_a_check_error_keeps_its_plain_words() -> None:
    result = await run_check(tc.EchoCheck(), ctx(5, outcome="raise-check-error"))
    assert result.outcome == "error"
    assert result.summary == "the echo was asked to fail politely"


async def test_an_overrunning_check_becomes_timeout_within_its_deadline() -> None:
    started = time.monotonic()
    result = await run_check(tc.SlowCheck(), ctx(0.3))
    elapsed = time.monotonic() - started
    assert result.outcome == "timeout"
    assert "did not finish within 0.3 s" in result.summary
    assert elapsed < 0.3 + 2 * GRACE_S + 0.2


async def test_a_check_that_swallows_cancellation_does_not_hold_the_caller() -> None:
    started = time.monotonic()
    result = await run_check(tc.StubbornCheck(), ctx(0.2))
    assert result.outcome == "timeout"
    assert time.monotonic() - started < 0.2 + 2 * GRACE_S + 0.2


async def test_an_undeclared_outcome_becomes_error() -> None:
    result = await run_check(tc.LiarCheck(), ctx(5))
    assert result.outcome == "error" and "does not declare ('surprise')" in result.summary


async def test_cancelling_the_run_cancels_the_check() -> None:
    check = tc.SlowCheck()
    task = asyncio.create_task(run_check(check, ctx(30, seconds="30")))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0)
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert all(t.done() or t.cancelling() for t in leftovers)
