"""Ending promptly: work a deadline abandoned never holds up the loop or the process.

A check stuck in a system call cannot be stopped, only left behind. :func:`run_async`
is :func:`asyncio.run` without its unbounded waits (for tasks that ignore cancellation,
for the default executor's threads), and :func:`finish` ends the process at once, output
flushed, when a left-behind thread would otherwise keep the interpreter from exiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

from wizard.runner import GRACE_S, anything_left_behind, leave_behind

T = TypeVar("T")


def run_async(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to its end in a new event loop, then close the loop promptly."""
    runner = asyncio.Runner()
    try:
        return runner.run(main)
    finally:
        loop = runner.get_loop()
        try:
            _close(loop)
        finally:
            asyncio.set_event_loop(None)


def _close(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.wait(tasks, timeout=GRACE_S))
    for task in tasks:
        if task.done():
            if not task.cancelled():
                task.exception()
        else:
            leave_behind(task)
    with contextlib.suppress(Exception):
        loop.run_until_complete(asyncio.wait_for(loop.shutdown_asyncgens(), GRACE_S))
    # Closing shuts the default executor down without waiting for its threads.
    loop.close()


def finish(code: int) -> int:
    """``code``, once nothing is left running; or the process ends here with ``code``.

    Threads that would hold up the exit (not daemons) get :data:`GRACE_S` in all to end;
    if one is still running then, or a task was left behind, output is flushed and the
    process exits at once instead of waiting for them.
    """
    until = time.monotonic() + GRACE_S
    current = threading.current_thread()
    holding = [t for t in threading.enumerate() if t is not current and not t.daemon]
    for thread in holding:
        thread.join(max(0.0, until - time.monotonic()))
    if any(t.is_alive() for t in holding) or anything_left_behind():
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)
    return code
