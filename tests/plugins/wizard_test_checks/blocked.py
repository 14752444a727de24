"""A check stuck in a real system call: opening a FIFO that no one ever writes to.

``how`` says where the call blocks, as the checks and libraries of the field do it: in
:func:`run_blocking`, in a non-daemon thread a library starts, or in the event loop's
default executor (``loop.run_in_executor(None, …)``, what ``asyncio.to_thread`` uses).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from checks.api import Check, CheckContext, CheckResult, Param, Status, run_blocking

WAYS = ("run_blocking", "thread", "executor")


def _open(path: str) -> str:
    with open(path, encoding="utf-8") as fifo:  # blocks until a writer opens the FIFO
        return fifo.read()


async def _in_library_thread(path: str) -> str:
    """What a library does: a thread of its own, not a daemon, that reports back."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def work() -> None:
        text = _open(path)
        loop.call_soon_threadsafe(future.set_result, text)

    threading.Thread(target=work, name="library-worker", daemon=False).start()
    return await future


class BlockedCheck(Check):
    """Opens the FIFO given as ``fifo`` the way ``how`` says, and so never returns."""

    id = "blocked"
    title = "Blocked"
    outcomes = ("ok",)
    params = (
        Param("fifo", "a FIFO no one writes to", required=True),
        Param("how", "where the call blocks", default="run_blocking", choices=WAYS),
    )
    timeout_s = 1.0

    async def run(self, context: CheckContext) -> CheckResult:
        path = context.param("fifo") or ""
        how = context.param("how", "run_blocking")
        text: Any
        if how == "thread":
            text = await _in_library_thread(path)
        elif how == "executor":
            text = await asyncio.get_running_loop().run_in_executor(None, _open, path)
        else:
            text = await run_blocking(_open, path)
        return self.result("ok", Status.OK, f"Read {len(text)} characters.")
