"""Local stand-ins for everything the checks reach, shared by the content and TUI tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.exportgen import later, make_account, write_export
from tests.servers import dead_port, http_server, raw_server, respond, self_signed_tls
from tests.speedserver import speed_server

LOOKUP = {
    "resultCount": 1,
    "results": [
        {
            "version": "41.2.0",
            "currentVersionReleaseDate": "2026-11-10T18:00:00Z",
            "minimumOsVersion": "15.0",
        }
    ],
}


@dataclass
class World:
    """Local stand-ins for everything the checks reach, and the settings that point at them."""

    sets: list[str] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)

    def args(self) -> list[str]:
        out: list[str] = []
        for item in self.sets:
            out += ["--set", item]
        return out


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("world")
    routes = {"/": respond(200, b"<html>ok</html>"), "/generate_204": respond(204)}
    with ExitStack() as stack:
        good = stack.enter_context(http_server(routes))
        speed = stack.enter_context(speed_server())
        lookup = stack.enter_context(
            http_server({"/lookup": respond(200, json.dumps(LOOKUP).encode())})
        )
        portal = stack.enter_context(
            http_server({"*": respond(302, headers={"Location": "http://login.invalid/"})})
        )
        broken = stack.enter_context(http_server({"*": respond(503, b"down")}))
        tls = stack.enter_context(http_server(routes, tls=self_signed_tls(tmp)))
        stall = stack.enter_context(raw_server("stall"))
        account = make_account(likes=300, followers=80, following=100, videos=20, seed=5)
        old = write_export(account, tmp / "old.zip", "json-new")
        new = write_export(later(account, unliked=12, video_drops=4), tmp / "new.zip", "json-new")
        # Some days on with nothing lost: new likes only.
        grown = write_export(later(account, liked=6), tmp / "grown.zip", "json-new")
        w = World(
            sets=[
                f"connectivity.service_urls={good.url('/')}",
                f"connectivity.baseline_urls={good.url('/generate_204')}",
                f"connectivity.portal_url={good.url('/generate_204')}",
                "connectivity.timeout_s=2",
                # Thresholds no measurement on a loaded machine can cross, so that a walk's
                # path never depends on how busy the machine is; a test that wants a slow
                # or unstable verdict sets its own.
                "connectivity.slow_ms=60000",
                "speed.max_jitter_ms=60000",
                "speed.max_loaded_latency_ms=60000",
                f"speed.download_url={speed.base}/__down",
                f"speed.upload_url={speed.base}/__up",
                "speed.backend=http",
                "speed.duration_s=0.5",
                "speed.streams=2",
                f"app_version.lookup_url={lookup.url('/lookup')}",
            ],
            urls={
                "portal": portal.url("/generate_204"),
                "broken": broken.url("/"),
                "tls": tls.url("/"),
                "stall": stall.url("/"),
                "dead": f"http://127.0.0.1:{dead_port()}/",
            },
            files={"old": old, "new": new, "grown": grown},
        )
        yield w
