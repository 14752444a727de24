"""A real ``wizard serve`` for the tests: started as the command, read its URL, ended by signal."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psutil

_URL = re.compile(r"http://\S+/\?token=\S+")


@dataclass
class Served:
    """A running server: its process, its address and its token."""

    process: subprocess.Popen[str]
    url: str
    home: Path

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def host(self) -> str:
        """``127.0.0.1:PORT``, as a browser sends it in ``Host``."""
        return urlsplit(self.url).netloc

    @property
    def token(self) -> str:
        """The token the server printed."""
        return parse_qs(urlsplit(self.url).query)["token"][0]

    def children(self) -> list[psutil.Process]:
        """The app processes it has running now."""
        with contextlib.suppress(psutil.NoSuchProcess):
            return psutil.Process(self.process.pid).children()
        return []

    def wait_children(self, count: int, timeout: float = 20.0) -> list[psutil.Process]:
        """Wait until exactly ``count`` app processes run; fail with what ran instead."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.children() if c.is_running() and c.status() != "zombie"]
            if len(found) == count or time.monotonic() > deadline:
                assert len(found) == count, f"expected {count} app processes, found {found}"
                return found
            time.sleep(0.1)


@contextlib.contextmanager
def serve(tmp_path: Path, *flags: str) -> Iterator[Served]:
    """``wizard serve --port 0 FLAGS``, with the host's own data folder in ``tmp_path``."""
    home = tmp_path / "host-data"
    env = {
        **os.environ,
        "WIZARD_DATA_DIR": str(home),
        "TMPDIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        ["wizard", "serve", "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        url = ""
        deadline = time.monotonic() + 30
        while not url and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            found = _URL.search(line)
            url = found.group(0) if found else ""
        assert url, f"no URL printed: {process.stderr.read() if process.stderr else ''}"
        yield Served(process, url, home)
    finally:
        everything = []
        with contextlib.suppress(psutil.NoSuchProcess):
            everything = psutil.Process(process.pid).children(recursive=True)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for child in everything:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
