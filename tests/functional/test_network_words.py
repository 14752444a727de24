"""Network failures of the speed check and of refresh-versions are said in words."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from checks.api import CheckContext
from checks.net.failure import describe_failure
from checks.speed.check import SpeedCheck
from tests.servers import dead_port
from wizard.runner import run_check

UNKNOWN = "no-such-host.invalid"


def _speed_context(base: str, backend: str, **extra: object) -> CheckContext:
    config: dict[str, object] = {
        "backend": backend,
        "download_url": f"{base}/__down",
        "upload_url": f"{base}/__up",
        "duration_s": 1.0,
    }
    config.update(extra)
    return CheckContext(config=config, deadline=time.monotonic() + 10)


def _no_jargon(text: str) -> None:
    for word in ("Errno", "ConnectError", "gaierror", "URLError", "Exception"):
        assert word not in text, text


def test_a_name_that_does_not_resolve_is_said_to_be_dns() -> None:
    with pytest.raises(socket.gaierror) as caught:
        socket.getaddrinfo(UNKNOWN, 80)
    words = describe_failure(caught.value, UNKNOWN)
    assert words.startswith(UNKNOWN) and "DNS" in words, words
    _no_jargon(words)


def test_a_refused_connection_is_said_so() -> None:
    with pytest.raises(ConnectionRefusedError) as caught:
        socket.create_connection(("127.0.0.1", dead_port()), timeout=2)
    assert describe_failure(caught.value, "127.0.0.1").startswith("the connection was refused")


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        (f"http://127.0.0.1:{dead_port()}", "the connection was refused"),
        (f"http://{UNKNOWN}", "DNS"),
    ],
)
async def test_http_speed_backend_words(base: str, expected: str) -> None:
    result = await run_check(SpeedCheck(), _speed_context(base, "http"))
    assert result.outcome == "unreachable", result.summary
    assert expected in result.summary, result.summary
    _no_jargon(result.summary)


async def test_ookla_configuration_words() -> None:
    config_url = f"http://127.0.0.1:{dead_port()}/speedtest-config.php"
    ctx = _speed_context(
        "http://127.0.0.1:1", "ookla", ookla_server="", ookla_config_url=config_url
    )
    result = await run_check(SpeedCheck(), ctx)
    assert result.outcome == "unreachable", result.summary
    assert "speedtest.net could not be reached: the connection was refused" in result.summary
    _no_jargon(result.summary)


def test_refresh_versions_words(wizard_cli, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{dead_port()}/lookup"
    result = wizard_cli(
        "refresh-versions",
        "--set",
        f"app_version.lookup_url={url}",
        "-o",
        str(tmp_path / "versions.json"),
    )
    assert result.code == 5, result.err
    assert "the connection was refused" in result.err, result.err
    _no_jargon(result.err)
