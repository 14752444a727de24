"""The connectivity check against real sockets on 127.0.0.1, one fault at a time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from checks.api import CheckContext, CheckResult, Status
from checks.connectivity import ConnectivityCheck
from tests.servers import dead_port, http_server, raw_server, respond, self_signed_tls
from wizard.runner import run_check

OK_ROUTES = {"/": respond(200, b"<html>hello</html>"), "/generate_204": respond(204)}


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "no_proxy",
        "NO_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)


async def check(
    service: list[str],
    baseline: list[str],
    portal: str,
    *,
    timeout_s: float = 2.0,
    slow_ms: float = 1500.0,
) -> CheckResult:
    context = CheckContext(
        config={
            "service_urls": service,
            "baseline_urls": baseline,
            "portal_url": portal,
            "timeout_s": timeout_s,
            "slow_ms": slow_ms,
        },
        deadline=time.monotonic() + timeout_s + 1,
    )
    return await run_check(ConnectivityCheck(), context)


@pytest.fixture
def good():
    with http_server(OK_ROUTES) as server:
        yield server


async def test_healthy_endpoints_are_online(good) -> None:
    result = await check([good.url("/")], [good.url("/generate_204")], good.url("/generate_204"))
    assert (result.outcome, result.status) == ("online", Status.OK), result.summary
    assert result.duration_s < 2.0
    layers = {layer["name"]: layer["status"] for layer in result.details["layers"]}
    assert layers["Captive portal"] == "ok" and layers["TikTok"] == "ok"
    table = result.tables[0]
    assert table.columns[:3] == ("role", "url", "dns")
    assert [row[5] for row in table.rows] == ["200", "204", "204"]


@pytest.mark.parametrize(
    "portal_route",
    [
        respond(302, headers={"Location": "http://login.example.invalid/portal"}),
        respond(511, b"<html>Network authentication required</html>"),
        respond(200, b"<html>Welcome to Hotel Wi-Fi, please sign in</html>"),
    ],
    ids=["redirect", "511", "login-page"],
)
async def test_captive_portal(good, portal_route) -> None:
    with http_server({"/generate_204": portal_route}) as portal:
        result = await check(
            [good.url("/")], [good.url("/generate_204")], portal.url("/generate_204")
        )
    assert result.outcome == "captive_portal", result.summary
    assert "sign-in" in result.advice


async def test_service_down_on_server_errors(good) -> None:
    with http_server({"*": respond(503, b"overloaded")}) as broken:
        result = await check(
            [broken.url("/")], [good.url("/generate_204")], good.url("/generate_204")
        )
    assert result.outcome == "service_down", result.summary
    # The code is a technical note: in the TikTok layer (the details), not in the summary.
    tiktok = next(x for x in result.details["layers"] if x["name"] == "TikTok")
    assert "503" in tiktok["summary"] and "503" not in result.summary


@pytest.mark.parametrize("behaviour", ["stall", "reset", "dead"])
async def test_service_blocked_when_only_the_service_fails(good, behaviour: str) -> None:
    with ExitStack() as stack:
        if behaviour == "dead":
            url = f"http://127.0.0.1:{dead_port()}/"
        else:
            url = stack.enter_context(raw_server(behaviour)).url("/")
        started = time.monotonic()
        result = await check(
            [url], [good.url("/generate_204")], good.url("/generate_204"), timeout_s=1.0
        )
    assert result.outcome == "service_blocked", result.summary
    assert time.monotonic() - started < 1.0 * 1.1 + 0.3
    words = result.details["endpoints"][0]["result"]
    expected = {"stall": "never answered", "reset": "reset", "dead": "refused"}[behaviour]
    assert expected in words


async def test_tls_interception_is_recognised(good, tmp_path: Path) -> None:
    with http_server(OK_ROUTES, tls=self_signed_tls(tmp_path)) as tls:
        result = await check([tls.url("/")], [good.url("/generate_204")], good.url("/generate_204"))
    assert result.outcome == "tls_intercepted", result.summary
    assert "certificate" in result.details["endpoints"][0]["result"]


async def test_dns_failure_for_names_that_cannot_exist(good) -> None:
    result = await check(
        ["https://tiktok.invalid/"], [good.url("/generate_204")], good.url("/generate_204")
    )
    assert result.outcome == "dns_failure", result.summary
    assert result.details["endpoints"][0]["dns_error"] == "nxdomain"


async def test_the_dns_layer_counts_every_endpoint_it_probed(good) -> None:
    """The portal probe and endpoints given as an address are counted too."""
    result = await check(
        ["https://tiktok.invalid/"], [good.url("/generate_204")], "http://portal.invalid/"
    )
    assert result.outcome == "dns_failure", result.summary
    dns = next(x for x in result.details["layers"] if x["name"] == "Name resolution (DNS)")
    assert dns["summary"].startswith("2 of 2 names failed; 1 given as an address; "), dns
    assert len(result.tables[0].rows) == 3 == len(result.details["endpoints"])


async def test_proxy_pointing_at_a_dead_port(good, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = f"http://127.0.0.1:{dead_port()}"
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    result = await check([good.url("/")], [good.url("/generate_204")], good.url("/generate_204"))
    assert result.outcome == "proxy_error", result.summary
    assert result.details["proxies"]["http"] == proxy


async def test_slow_answers_are_degraded(good) -> None:
    with http_server({"*": respond(200, b"ok", delay=0.3)}) as slow:
        result = await check(
            [slow.url("/")], [good.url("/generate_204")], good.url("/generate_204"), slow_ms=150
        )
    assert (result.outcome, result.status) == ("degraded", Status.WARNING), result.summary


async def test_everything_stalled_ends_within_the_deadline() -> None:
    with raw_server("stall") as stall:
        started = time.monotonic()
        result = await check([stall.url("/a")], [stall.url("/b")], stall.url("/c"), timeout_s=1.5)
        elapsed = time.monotonic() - started
    assert result.outcome == "timeout", result.summary
    assert elapsed <= 1.5 * 1.1


def test_cli_verdict_and_table(wizard_cli, good) -> None:
    args = [
        "check",
        "connectivity",
        "--set",
        f"connectivity.service_urls={good.url('/')}",
        "--set",
        f"connectivity.baseline_urls={good.url('/generate_204')}",
        "--set",
        f"connectivity.portal_url={good.url('/generate_204')}",
    ]
    human = wizard_cli(*args, "-v")
    assert human.code == 0, human.out + human.err
    assert "✓ connectivity: You are online" in human.out
    assert "Endpoints (times in ms)" in human.out
    data = json.loads(wizard_cli(*args, "--json").out)
    assert data["outcome"] == "online"


def _in_empty_netns() -> list[str] | None:
    """A command prefix that runs inside a network namespace with only loopback."""
    if shutil.which("unshare"):
        probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
        if probe.returncode == 0:
            return ["unshare", "-rn"]
    return None


def test_no_network_in_a_namespace_with_only_loopback(wizard_cli, isolated_env) -> None:
    prefix = _in_empty_netns()
    if prefix is None:
        pytest.skip("cannot create a network namespace here (unshare -rn refused)")
    exe = shutil.which("wizard")
    assert exe
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    port = dead_port()
    proc = subprocess.run(
        [
            *prefix,
            sys.executable,
            exe,
            "check",
            "connectivity",
            "--json",
            "--set",
            f"connectivity.service_urls=http://127.0.0.1:{port}/",
            "--set",
            f"connectivity.baseline_urls=http://127.0.0.1:{port}/b",
            "--set",
            f"connectivity.portal_url=http://127.0.0.1:{port}/c",
            "--set",
            "connectivity.timeout_s=1",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    data = json.loads(proc.stdout)
    assert data["outcome"] == "no_network", data["summary"]
    assert data["details"]["network_type"] == "none"
