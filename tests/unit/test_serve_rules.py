"""The access rules of ``wizard serve``, as plain functions."""

from __future__ import annotations

import pytest

from wizard.serve.access import (
    host_allowed,
    is_loopback,
    new_token,
    origin_matches,
    same_secret,
)


def test_tokens_are_long_random_and_url_safe() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    for token in tokens:
        assert len(token) >= 43  # 256 bits in base64
        assert token.replace("-", "").replace("_", "").isalnum()


def test_only_the_same_secret_matches() -> None:
    token = new_token()
    assert same_secret(token, token)
    for given in (None, "", token[:-1], token + "x", token.upper(), "é" + token[1:]):
        assert not same_secret(given, token)


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("192.0.2.7:8000", True),
        ("[::1]:8000", True),
        ("127.0.0.1:8001", False),
        ("127.0.0.1", False),
        ("evil.example:8000", False),
        ("127.0.0.1.nip.io:8000", False),
        ("", False),
        (None, False),
        ("127.0.0.1:80x", False),
        ("[::1:8000", False),
    ],
)
def test_the_host_must_be_an_address_with_our_port(host: str | None, ok: bool) -> None:
    assert host_allowed(host, 8000) is ok


def test_the_host_without_a_port_means_port_80() -> None:
    assert host_allowed("127.0.0.1", 80)


@pytest.mark.parametrize(
    ("origin", "ok"),
    [
        ("http://127.0.0.1:8000", True),
        ("HTTP://127.0.0.1:8000", True),
        ("https://127.0.0.1:8000", False),
        ("http://127.0.0.1:8001", False),
        ("http://evil.example", False),
        ("null", False),
        ("", False),
        (None, False),
        ("http://127.0.0.1:8000.evil.example", False),
    ],
)
def test_a_websocket_origin_must_be_the_pages_own(origin: str | None, ok: bool) -> None:
    assert origin_matches(origin, "127.0.0.1:8000") is ok


def test_loopback_addresses() -> None:
    assert all(map(is_loopback, ("127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]")))
    assert not any(map(is_loopback, ("0.0.0.0", "::", "192.0.2.1", "example.org")))
