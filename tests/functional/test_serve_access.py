"""``wizard serve`` lets in only the holder of its token, from its own page, a few at a time.

Every refusal is made against the real command with plain HTTP and websocket clients, and
each one checks that no app process was started for it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import aiohttp
import psutil
import pytest

from tests.serving import Served, serve

WRONG = "A" * 43


def cookie(token: str) -> dict[str, str]:
    """The header a browser sends once it has the cookie."""
    return {"Cookie": f"wizard_token={token}"}


async def status(url: str, headers: dict[str, str] | None = None) -> int:
    """The status of a GET, redirects not followed."""
    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client,
        client.get(url, headers=headers or {}, allow_redirects=False) as response,
    ):
        await response.read()
        return response.status


async def ws_status(served: Served, headers: dict[str, str]) -> int:
    """The status a websocket upgrade gets (101 when it is accepted)."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:
        try:
            async with client.ws_connect(f"{served.base}/ws", headers=headers) as ws:
                await ws.close()
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


def data_folder(child: psutil.Process, served: Served) -> Path:
    """The data folder an app process was given, checked to be its own and not the host's."""
    # Just after the fork, before its exec, a child still shows the server's command line.
    deadline = time.monotonic() + 10
    while "--data-dir" not in (args := child.cmdline()):
        assert time.monotonic() < deadline, args
        time.sleep(0.05)
    folder = Path(args[args.index("--data-dir") + 1])
    assert child.environ()["WIZARD_DATA_DIR"] == str(folder)
    assert folder.is_dir()
    assert served.home not in (folder, *folder.parents)
    return folder


def own_page(served: Served) -> dict[str, str]:
    """Headers of a websocket opened by the server's own page."""
    return {**cookie(served.token), "Origin": f"http://{served.host}"}


async def test_without_the_token_everything_is_refused_and_nothing_starts(tmp_path: Path) -> None:
    with serve(tmp_path) as served:
        for path in ("/", "/ws", "/download/abc", "/static/js/textual.js", "/nothing"):
            assert await status(served.base + path) == 403, path
        assert await ws_status(served, {"Origin": f"http://{served.host}"}) == 403
        await asyncio.sleep(0.5)
        assert served.children() == []


async def test_a_wrong_token_is_refused_in_the_address_and_in_the_cookie(tmp_path: Path) -> None:
    with serve(tmp_path) as served:
        assert await status(f"{served.base}/?token={WRONG}") == 403
        assert await status(f"{served.base}/?token=") == 403
        assert await status(f"{served.base}/?token={served.token[:-1]}") == 403
        assert await status(f"{served.base}/", cookie(WRONG)) == 403
        assert await status(f"{served.base}/static/js/textual.js", cookie(WRONG)) == 403
        assert await ws_status(served, {**cookie(WRONG), "Origin": f"http://{served.host}"}) == 403
        await asyncio.sleep(0.5)
        assert served.children() == []


async def test_the_token_becomes_a_strict_http_only_cookie_and_leaves_the_address(
    tmp_path: Path,
) -> None:
    with serve(tmp_path) as served:
        async with (
            aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client,
            client.get(served.url, allow_redirects=False) as response,
        ):
            assert response.status == 303
            assert response.headers["Location"] == "/"
            set_cookie = response.headers["Set-Cookie"]
        assert f"wizard_token={served.token}" in set_cookie
        assert "HttpOnly" in set_cookie
        assert "SameSite=Strict" in set_cookie
        assert await status(f"{served.base}/", cookie(served.token)) == 200
        assert await status(f"{served.base}/static/js/textual.js", cookie(served.token)) == 200


async def test_a_websocket_from_another_site_or_without_origin_is_refused(tmp_path: Path) -> None:
    with serve(tmp_path) as served:
        port = served.host.rsplit(":", 1)[1]
        for origin in (
            "http://evil.example",
            f"http://evil.example:{port}",
            "null",
            f"https://{served.host}",
            f"http://127.0.0.2:{port}",
        ):
            assert await ws_status(served, {**cookie(served.token), "Origin": origin}) == 403
        assert await ws_status(served, cookie(served.token)) == 403
        await asyncio.sleep(0.5)
        assert served.children() == []


async def test_a_host_name_pointed_at_the_server_is_refused(tmp_path: Path) -> None:
    """DNS rebinding: another site's name, resolved to this computer, with a matching Origin."""
    with serve(tmp_path) as served:
        port = served.host.rsplit(":", 1)[1]
        rebound = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
        assert await status(served.url, {"Host": rebound["Host"]}) == 403
        assert await ws_status(served, {**cookie(served.token), **rebound}) == 403
        assert await status(served.url, {"Host": "127.0.0.1:1"}) == 403


async def test_static_and_download_routes_do_not_walk_out(tmp_path: Path) -> None:
    with serve(tmp_path) as served:
        own = cookie(served.token)
        for path in (
            "/static/../server.py",
            "/static/%2e%2e/server.py",
            "/static/..%2fserver.py",
            "/static/js/../../app_service.py",
            "/static/",
            "/download/..%2f..%2fetc%2fpasswd",
            "/download/nope?instance=x",
        ):
            assert await status(served.base + path, own) in (403, 404), path


async def test_the_visitor_past_the_limit_gets_a_busy_page_and_no_process(tmp_path: Path) -> None:
    with serve(tmp_path, "--max-sessions", "1") as served:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:
            async with client.ws_connect(f"{served.base}/ws", headers=own_page(served)) as first:
                await asyncio.to_thread(served.wait_children, 1)
                async with client.get(f"{served.base}/", headers=cookie(served.token)) as page:
                    assert page.status == 503
                    assert "The wizard is busy" in await page.text()
                assert await ws_status(served, own_page(served)) == 503
                flood = [ws_status(served, own_page(served)) for _ in range(20)]
                assert set(await asyncio.gather(*flood)) == {503}
                assert len(served.children()) == 1
                await first.close()
            # A closed tab ends its process, and frees the place.
            await asyncio.to_thread(served.wait_children, 0, 10)
            # The server frees the place once it has finished with the session (its folder
            # removed), a moment after the process itself is gone: within seconds.
            deadline = time.monotonic() + 10
            while (got := await status(f"{served.base}/", cookie(served.token))) != 200:
                assert time.monotonic() < deadline, got
                await asyncio.sleep(0.1)


async def _drain(ws: aiohttp.ClientWebSocketResponse) -> None:
    """Read a websocket until it closes (answering the server's heartbeat on the way)."""
    async for _ in ws:
        pass


async def test_each_session_has_its_own_folder_never_the_hosts_and_it_goes(tmp_path: Path) -> None:
    with serve(tmp_path) as served:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:
            one = await client.ws_connect(f"{served.base}/ws", headers=own_page(served))
            two = await client.ws_connect(f"{served.base}/ws", headers=own_page(served))
            # Read both, as a browser does: an unread socket answers no heartbeat, and the
            # server rightly ends it on a slow machine before the test has looked.
            readers = [asyncio.create_task(_drain(ws)) for ws in (one, two)]
            children = await asyncio.to_thread(served.wait_children, 2)
            folders = [data_folder(child, served) for child in children]
            assert folders[0] != folders[1]
            assert folders[0] not in folders[1].parents and folders[1] not in folders[0].parents
            await one.close()
            await two.close()
            await asyncio.gather(*readers)
            await asyncio.to_thread(served.wait_children, 0, 10)
            # Removed once the server has finished with each session, a moment after its
            # process is gone: within seconds.
            deadline = time.monotonic() + 10
            while any(map(os.path.exists, folders)):
                assert time.monotonic() < deadline, [f for f in folders if f.exists()]
                await asyncio.sleep(0.1)


async def test_an_idle_session_ends(tmp_path: Path) -> None:
    with serve(tmp_path, "--idle-minutes", "0.05") as served:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:
            async with client.ws_connect(f"{served.base}/ws", headers=own_page(served)) as ws:
                await asyncio.to_thread(served.wait_children, 1)
                said = b""
                async for message in ws:
                    if message.type == aiohttp.WSMsgType.BINARY:
                        said += message.data
                assert b"nothing was typed" in said
            await asyncio.to_thread(served.wait_children, 0, 10)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
async def test_ctrl_c_ends_every_child(tmp_path: Path, stop: signal.Signals) -> None:
    with serve(tmp_path, "--max-sessions", "2") as served:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:
            one = await client.ws_connect(f"{served.base}/ws", headers=own_page(served))
            two = await client.ws_connect(f"{served.base}/ws", headers=own_page(served))
            # Read both, as a browser does: an unread socket answers no heartbeat, and the
            # server rightly ends it on a slow machine before the test has looked.
            readers = [asyncio.create_task(_drain(ws)) for ws in (one, two)]
            children = await asyncio.to_thread(served.wait_children, 2)
            served.process.send_signal(stop)
            code = await asyncio.to_thread(served.process.wait, 20)
            assert code == 0
            _, alive = psutil.wait_procs(children, timeout=5)
            assert alive == []
            await one.close()
            await two.close()
            await asyncio.gather(*readers, return_exceptions=True)


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["--max-sessions", "0"], "--max-sessions"),
        (["--idle-minutes", "0"], "--idle-minutes"),
        (["--port", "70000"], "--port"),
    ],
)
def test_bad_flags_are_usage_errors(tmp_path: Path, flags: list[str], words: str) -> None:
    import subprocess

    run = subprocess.run(["wizard", "serve", *flags], capture_output=True, text=True, timeout=30)
    assert run.returncode == 2
    assert words in run.stderr
    assert "Traceback" not in run.stderr


def printed_until_ready(served: Served) -> str:
    """What ``serve`` printed after its first address, up to its last line of start-up."""
    assert served.process.stdout is not None
    lines = []
    for line in served.process.stdout:
        lines.append(line)
        if "Ctrl-C stops the server" in line:
            break
    return "".join(lines)


def test_a_lan_address_comes_with_a_qr_code_and_says_whose_network(tmp_path: Path) -> None:
    with serve(tmp_path, "--host", "0.0.0.0") as served:
        printed = printed_until_ready(served)
        assert "▀" in printed or "█" in printed
        assert "measure its network" in printed
        assert len(served.token) >= 43  # 256 bits, base64


def test_loopback_prints_the_address_only(tmp_path: Path) -> None:
    with serve(tmp_path) as served:
        printed = printed_until_ready(served)
        assert served.url.startswith("http://127.0.0.1:")
        assert "▀" not in printed and "█" not in printed


def test_a_broken_configuration_is_said_before_serving(tmp_path: Path) -> None:
    import subprocess

    config = tmp_path / "config.toml"
    config.write_text("[speed\n", encoding="utf-8")
    run = subprocess.run(
        ["wizard", "serve", "--port", "0", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 2, run.stderr
    assert str(config) in run.stderr
    assert "Traceback" not in run.stderr


async def test_a_child_that_cannot_start_closes_its_tab(tmp_path: Path) -> None:
    """The configuration breaks after the server started: the child fails, nothing hangs."""
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    with serve(tmp_path, "--config", str(config)) as served:
        config.write_text("[speed\n", encoding="utf-8")
        async with (
            aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client,
            client.ws_connect(f"{served.base}/ws", headers=own_page(served)) as ws,
        ):
            await asyncio.wait_for(_drain(ws), 20)
        await asyncio.to_thread(served.wait_children, 0, 10)


async def _drain(ws: aiohttp.ClientWebSocketResponse) -> None:
    async for _ in ws:
        pass


def test_a_port_in_use_is_said_in_words(tmp_path: Path) -> None:
    import socket
    import subprocess

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            ["wizard", "serve", "--port", str(port)], capture_output=True, text=True, timeout=30
        )
    assert run.returncode == 2
    assert f"cannot listen on 127.0.0.1 port {port}" in run.stderr
    assert "Traceback" not in run.stderr


async def test_a_flood_of_websockets_at_once_starts_no_more_than_the_limit(tmp_path: Path) -> None:
    with serve(tmp_path, "--max-sessions", "2") as served:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as client:

            async def one() -> aiohttp.ClientWebSocketResponse | int:
                try:
                    return await client.ws_connect(f"{served.base}/ws", headers=own_page(served))
                except aiohttp.WSServerHandshakeError as exc:
                    return exc.status

            results = await asyncio.gather(*(one() for _ in range(16)))
            accepted = [r for r in results if not isinstance(r, int)]
            assert len(accepted) == 2
            assert [r for r in results if isinstance(r, int)] == [503] * 14
            await asyncio.to_thread(served.wait_children, 2)
            for ws in accepted:
                await ws.close()
            await asyncio.to_thread(served.wait_children, 0, 10)
