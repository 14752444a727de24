"""Checks for the wizard's tests: each one misbehaves (or behaves) in one known way."""

from __future__ import annotations

import asyncio

from checks.api import (
    Check,
    CheckContext,
    CheckError,
    CheckResult,
    Param,
    Progress,
    Setting,
    Status,
)

NOT_A_CHECK = "an entry point that names something other than a Check"


class EchoCheck(Check):
    """Ends in the outcome given as a parameter: lets a test steer a walk."""

    id = "echo"
    title = "Echo"
    outcomes = ("ok", "android", "ios", "web", "bad")
    params = (Param("outcome", "the outcome to end in", default="ok"),)
    settings = (Setting("repeats", 1, "How often the echo repeats.", minimum=1, maximum=5),)

    async def run(self, context: CheckContext) -> CheckResult:
        outcome = context.param("outcome", "ok") or "ok"
        if outcome == "raise-check-error":
            raise CheckError("the echo was asked to fail politely")
        context.progress(Progress("echo", 1.0, f"echoing {outcome}"))
        status = Status.OK if outcome != "bad" else Status.FAILED
        return self.result(
            outcome,
            status,
            f"Echoed {outcome}.",
            details={"facts": dict(context.facts), "repeats": context.setting("repeats")},
        )


class SlowCheck(Check):
    """Sleeps for ``seconds`` (default far longer than its deadline)."""

    id = "slow"
    title = "Slow"
    outcomes = ("ok",)
    params = (Param("seconds", "how long to sleep", default="60"),)
    timeout_s = 0.5

    async def run(self, context: CheckContext) -> CheckResult:
        await asyncio.sleep(float(context.param("seconds", "60") or 60))
        return self.result("ok", Status.OK, "Woke up.")


class StubbornCheck(Check):
    """Swallows its first cancellation and carries on: the runner must still return."""

    id = "stubborn"
    title = "Stubborn"
    outcomes = ("ok",)
    timeout_s = 0.3

    async def run(self, context: CheckContext) -> CheckResult:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            await asyncio.sleep(1.5)
        return self.result("ok", Status.OK, "Finally.")


class BoomCheck(Check):
    """Raises an unexpected exception."""

    id = "boom"
    title = "Boom"
    outcomes = ("ok",)

    async def run(self, context: CheckContext) -> CheckResult:
        raise RuntimeError("the flux capacitor is missing")


class LiarCheck(Check):
    """Returns an outcome it never declared."""

    id = "liar"
    title = "Liar"
    outcomes = ("ok",)

    async def run(self, context: CheckContext) -> CheckResult:
        return self.result("surprise", Status.OK, "Surprise!")
