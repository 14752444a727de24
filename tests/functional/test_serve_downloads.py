"""A download goes only to the tab whose session made it, never to another visitor's."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from wizard.serve.access import new_token
from wizard.serve.server import DOWNLOADS, SESSIONS, Settings, build_app


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[tuple[web.Application, str, str]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.setblocking(False)
    port = sock.getsockname()[1]
    token = new_token()

    def command(folder: Path) -> list[str]:
        return [sys.executable, "-m", "wizard", "--data-dir", str(folder), "tui"]

    app = build_app(Settings(port, token, 2, 600.0, command))
    runner = web.AppRunner(app)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        yield app, f"127.0.0.1:{port}", token
    finally:
        await runner.cleanup()


async def instance_of(ws: aiohttp.ClientWebSocketResponse) -> str:
    """The secret the server gives the page for its own downloads (its first text message)."""
    while True:
        message = await asyncio.wait_for(ws.receive(), 20)
        if message.type == aiohttp.WSMsgType.TEXT:
            kind, value = json.loads(message.data)
            if kind == "instance_id":
                return str(value)


async def test_a_download_is_refused_to_every_other_session(
    server: tuple[web.Application, str, str],
) -> None:
    app, host, token = server
    headers = {"Cookie": f"wizard_token={token}", "Origin": f"http://{host}"}
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:
        mine = await client.ws_connect(f"http://{host}/ws", headers=headers)
        theirs = await client.ws_connect(f"http://{host}/ws", headers=headers)
        my_instance, their_instance = await instance_of(mine), await instance_of(theirs)
        assert my_instance != their_instance
        sessions = app[SESSIONS].live
        assert len(sessions) == 2
        owner = next(s for s in sessions if s.instance == my_instance)
        assert owner.data_dir != next(s for s in sessions if s is not owner).data_dir
        await app[DOWNLOADS].create_download(
            app_service=owner.service,
            delivery_key="k" * 32,
            file_name="../../report.md",
            open_method="download",
            mime_type="text/markdown",
        )
        url = f"http://{host}/download/{'k' * 32}"
        cookie = {"Cookie": headers["Cookie"]}
        for query in (f"?instance={their_instance}", "", "?instance=", f"?instance={token}"):
            async with client.get(url + query, headers=cookie) as response:
                assert response.status == 403, query
        async with client.get(url + f"?instance={my_instance}") as response:
            assert response.status == 403  # the right session, but no token
        async with client.get(url + f"?instance={my_instance}", headers=cookie) as response:
            assert response.status == 200
            assert response.headers["Content-Disposition"] == 'attachment; filename="report.md"'
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        await mine.close()
        await theirs.close()
