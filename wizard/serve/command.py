"""``wizard serve``: check the flags, bind, print the address (and its QR code), serve."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import signal
import socket
import sys
from pathlib import Path

from aiohttp import web

from wizard.cli.common import CliError
from wizard.serve.access import is_loopback, new_token
from wizard.serve.server import Settings, build_app

NETWORK_NOTE = (
    "The checks run on this computer and measure its network, which a phone shares "
    "only when it is on the same Wi-Fi."
)


def child_command(args: argparse.Namespace) -> list[str]:
    """The wizard options every session's app process is started with (bar its folder)."""
    options: list[str] = []
    if getattr(args, "config", None):
        options += ["--config", str(Path(args.config).expanduser().resolve())]
    for item in getattr(args, "sets", None) or []:
        options += ["--set", item]
    for path in getattr(args, "content", None) or []:
        options += ["--content", str(Path(path).expanduser().resolve())]
    return options


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses another device on the same network could reach."""
    import psutil

    found: list[str] = []
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            ip = ipaddress.ip_address(address.address)
            if not (ip.is_loopback or ip.is_link_local) and address.address not in found:
                found.append(address.address)
    return found


def shown_hosts(host: str) -> list[str]:
    """The addresses to print for a server bound to ``host``."""
    if host in ("0.0.0.0", "::", ""):
        return lan_addresses() or ["127.0.0.1"]
    if host == "localhost":
        return ["127.0.0.1"]
    return [f"[{host}]" if ":" in host else host]


def qr_text(url: str) -> str:
    """``url`` as a QR code drawn with block characters, for a phone's camera."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="l").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def _check(args: argparse.Namespace) -> None:
    if not 1 <= args.max_sessions <= 64:
        raise CliError("--max-sessions must be between 1 and 64")
    if not 0 < args.idle_minutes <= 24 * 60:
        raise CliError("--idle-minutes must be more than 0 and at most 1440")
    if not 0 <= args.port <= 65535:
        raise CliError("--port must be between 0 and 65535")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise CliError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the guided app to browsers until Ctrl-C."""
    from wizard.ending import run_async

    _check(args)
    from wizard.cli.common import workspace_from

    workspace_from(args)  # a broken configuration is said here, not in every tab
    token = new_token()  # always: no way to serve without one, on loopback or off it
    sock = _bind(args.host, args.port)
    port = sock.getsockname()[1]
    options = child_command(args)

    def command(folder: Path) -> list[str]:
        return [sys.executable, "-m", "wizard", "--data-dir", str(folder), *options, "tui"]

    settings = Settings(
        port=port,
        token=token,
        max_sessions=args.max_sessions,
        idle_s=args.idle_minutes * 60,
        child_command=command,
    )
    urls = [f"http://{host}:{port}/?token={token}" for host in shown_hosts(args.host)]
    with contextlib.suppress(KeyboardInterrupt):
        run_async(_serve(sock, settings, urls, loopback=is_loopback(args.host)))
    print("wizard serve: stopped; every session has ended.", file=sys.stderr, flush=True)
    return 0


async def _serve(sock: socket.socket, settings: Settings, urls: list[str], loopback: bool) -> None:
    runner = web.AppRunner(build_app(settings), handle_signals=False, access_log=None)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await web.SockSite(runner, sock).start()
        lines = [
            "wizard serve: open this address in a browser (it holds the key, keep it private):"
        ]
        lines += [f"  {url}" for url in urls]
        if not loopback:
            lines.append(qr_text(urls[0]))
            lines.append(NETWORK_NOTE)
        lines.append(f"At most {settings.max_sessions} sessions at once; Ctrl-C stops the server.")
        print("\n".join(lines), flush=True)
        await stop.wait()
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
        await runner.cleanup()
