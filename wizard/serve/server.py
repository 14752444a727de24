"""The web server: the token and Origin checks, one app process per websocket, downloads.

Built on aiohttp around two pieces of textual-serve (its app service, which speaks the
web driver's protocol to a child, and its download manager); its own server has no
access control, so it is not used.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.download_manager import DownloadManager

from wizard.serve import pages
from wizard.serve.access import COOKIE, host_allowed, origin_matches, same_secret
from wizard.serve.child import ChildService, remove_folder

STATIC_DIR = Path(textual_serve.__file__).resolve().parent / "static"
WS_MAX_MESSAGE = 64 * 1024
IDLE_POLL_S = 1.0
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_INLINE_TYPES = {"text/plain"}


@dataclass(frozen=True)
class Settings:
    """What ``wizard serve`` was asked for."""

    port: int
    token: str
    max_sessions: int
    idle_s: float
    child_command: Callable[[Path], Sequence[str]]
    """The command of one app process, given its session's data folder."""


@dataclass
class Session:
    """One browser tab's app process, its folder and the secret its downloads need."""

    service: ChildService
    websocket: web.WebSocketResponse
    data_dir: Path
    instance: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    last_input: float = field(default_factory=time.monotonic)


class Sessions:
    """The live sessions, never more than the limit; each one's data folder under one root."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.live: list[Session] = []
        self._root = Path(tempfile.mkdtemp(prefix="wizard-serve-"))  # mode 0700

    @property
    def full(self) -> bool:
        """Whether a new visitor must be turned away."""
        return len(self.live) >= self.limit

    def new_folder(self) -> Path:
        """A fresh, private data folder for one session."""
        return Path(tempfile.mkdtemp(prefix="session-", dir=self._root))

    def owner_of(self, service: object) -> Session | None:
        """The session a download belongs to."""
        return next((s for s in self.live if s.service is service), None)

    async def end_all(self) -> None:
        """End every child, then remove every session's folder."""
        for session in list(self.live):
            with contextlib.suppress(Exception):
                await session.websocket.close()
        await asyncio.gather(*(s.service.end() for s in list(self.live)), return_exceptions=True)
        remove_folder(self._root)


SESSIONS = web.AppKey("sessions", Sessions)
DOWNLOADS = web.AppKey("downloads", DownloadManager)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def build_app(settings: Settings) -> web.Application:
    """The aiohttp application, with every route behind the token."""
    sessions = Sessions(settings.max_sessions)
    downloads = DownloadManager()

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not host_allowed(request.headers.get("Host"), settings.port):
            response: web.StreamResponse = _html(pages.BAD_HOST, 403)
        elif request.path == "/" and "token" in request.query:
            response = await handler(request)
        elif not same_secret(request.cookies.get(COOKIE), settings.token):
            response = _html(pages.FORBIDDEN, 403)
        else:
            response = await handler(request)
        if not response.prepared:
            response.headers.update(pages.SECURITY_HEADERS)
        return response

    async def index(request: web.Request) -> web.StreamResponse:
        if "token" in request.query:
            if not same_secret(request.query.get("token"), settings.token):
                return _html(pages.FORBIDDEN, 403)
            # The token moves into a cookie and out of the address bar and history.
            moved = web.Response(status=303, headers={"Location": "/"})
            moved.set_cookie(COOKIE, settings.token, httponly=True, samesite="Strict", path="/")
            return moved
        if sessions.full:
            return _html(pages.busy(settings.max_sessions), 503)
        response = _html(pages.terminal("/static/", f"ws://{request.host}/ws"))
        response.headers["Content-Security-Policy"] = pages.page_policy(request.host)
        return response

    async def websocket(request: web.Request) -> web.StreamResponse:
        if not origin_matches(request.headers.get("Origin"), request.headers.get("Host")):
            return _html(pages.FORBIDDEN, 403)
        if sessions.full:
            return _html(pages.busy(settings.max_sessions), 503)
        ws = web.WebSocketResponse(heartbeat=10, max_msg_size=WS_MAX_MESSAGE)
        folder = sessions.new_folder()
        service = ChildService(
            settings.child_command(folder),
            folder,
            write_bytes=ws.send_bytes,
            write_str=ws.send_str,
            close=ws.close,
            download_manager=downloads,
        )
        session = Session(service, ws, folder)
        sessions.live.append(session)  # counted before the first await: the limit holds
        try:
            await ws.prepare(request)
            await ws.send_str(json.dumps(["instance_id", session.instance]))
            width = _int(request.query.get("width"), 80)
            height = _int(request.query.get("height"), 24)
            await service.start(width, height)
            idle = asyncio.create_task(_end_when_idle(session, settings.idle_s))
            try:
                await _relay(session)
            finally:
                idle.cancel()
        except (asyncio.CancelledError, ConnectionError):
            pass
        finally:
            await service.end()
            with contextlib.suppress(Exception):
                await ws.close()
            sessions.live.remove(session)
            remove_folder(folder)
        return ws

    async def download(request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        try:
            meta = await downloads.get_download_metadata(key)
        except KeyError:
            return _html(pages.FORBIDDEN, 403)
        owner = sessions.owner_of(meta.app_service)
        if owner is None or not same_secret(request.query.get("instance"), owner.instance):
            return _html(pages.FORBIDDEN, 403)
        mime = meta.mime_type if "/" in meta.mime_type else "application/octet-stream"
        inline = meta.open_method == "browser" and mime in _INLINE_TYPES
        name = _SAFE_NAME.sub("_", meta.file_name).strip("._") or "download"
        response = web.StreamResponse()
        response.headers["Content-Type"] = mime + (f"; charset={meta.encoding}" if inline else "")
        response.headers["Content-Disposition"] = (
            f'{"inline" if inline else "attachment"}; filename="{name}"'
        )
        response.headers.update(pages.SECURITY_HEADERS)
        await response.prepare(request)
        async for chunk in downloads.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def on_shutdown(app: web.Application) -> None:
        await sessions.end_all()

    app = web.Application(middlewares=[guard])
    app[SESSIONS] = sessions
    app[DOWNLOADS] = downloads
    app.add_routes(
        [
            web.get("/", index),
            web.get("/ws", websocket),
            web.get("/download/{key}", download),
            web.static("/static", STATIC_DIR, show_index=False, follow_symlinks=False),
        ]
    )
    # aiohttp's own type for these callbacks differs between 3.9 and later releases.
    app.on_shutdown.append(on_shutdown)  # type: ignore[arg-type, unused-ignore]
    return app


def _int(value: str | None, default: int) -> int:
    try:
        return max(10, min(500, int(value or default)))
    except ValueError:
        return default


async def _relay(session: Session) -> None:
    """Pass the browser's keys and sizes to the child until the tab closes."""
    service = session.service
    async for message in session.websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            kind, data = json.loads(message.data)
        except (ValueError, TypeError):
            continue
        if kind == "stdin" and isinstance(data, str):
            session.last_input = time.monotonic()
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            session.last_input = time.monotonic()
            await service.set_terminal_size(
                _int(data.get("width"), 80), _int(data.get("height"), 24)
            )
        elif kind == "ping":
            await session.websocket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


async def _end_when_idle(session: Session, idle_s: float) -> None:
    """Close the tab's connection once nothing has been typed for ``idle_s`` seconds."""
    while True:
        left = session.last_input + idle_s - time.monotonic()
        if left <= 0:
            with contextlib.suppress(Exception):
                await session.websocket.send_bytes(
                    b"\r\n\x1b[0mThis session ended: nothing was typed for a while.\r\n"
                )
                await session.websocket.close()
            return
        await asyncio.sleep(min(left, IDLE_POLL_S))
