"""One visitor's app process: the wizard's TUI in textual-serve's web driver, in its own folder."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
from asyncio.subprocess import Process
from collections.abc import Sequence
from pathlib import Path

from textual_serve.app_service import AppService

STOP_GRACE_S = 3.0
"""How long a child has to quit when asked before it is killed."""


class ChildService(AppService):
    """textual-serve's app service, started without a shell, with its own data folder.

    The child gets ``--data-dir`` on its command line and ``WIZARD_DATA_DIR`` in its
    environment, both naming ``data_dir``: a flag wins over any configuration file, so the
    host's own sessions are never opened.
    """

    def __init__(self, argv: Sequence[str], data_dir: Path, **kwargs: object) -> None:
        super().__init__(" ".join(argv), **kwargs)  # type: ignore[arg-type]
        self.argv = list(argv)
        self.data_dir = data_dir

    @property
    def process(self) -> Process | None:
        """The running child, once started."""
        return self._process

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment["WIZARD_DATA_DIR"] = str(self.data_dir)
        environment["WIZARD_SERVED"] = "1"
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            cwd=self.data_dir,
            # Its own process group: Ctrl-C at the server's terminal reaches the server,
            # which then ends each child itself.
            start_new_session=True,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the child's output until it ends; then close the tab's connection, so a
        child that quit or failed to start never leaves a page waiting on nothing."""
        try:
            await super().run()
        finally:
            with contextlib.suppress(Exception):
                await self.remote_close()

    async def end(self) -> None:
        """Ask the child to quit, kill it if it does not, and wait until it has gone."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.stop(), STOP_GRACE_S)
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(process.wait(), STOP_GRACE_S)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
            self._task = None


def remove_folder(path: Path) -> None:
    """Remove a session's data folder and all in it (nothing is kept once it ends)."""
    shutil.rmtree(path, ignore_errors=True)
