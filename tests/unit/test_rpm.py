"""Responsiveness maths (IETF draft): trimmed means, the foreign/self mix, RPM, confidence."""

from __future__ import annotations

import pytest

from checks.speed.rpm import CONFIDENT_PROBES, Probes, grade, rpm, summarise, trimmed_mean


def test_trimmed_mean_leaves_out_the_slowest_five_percent() -> None:
    samples = [10.0] * 19 + [1000.0]
    assert trimmed_mean(samples) == pytest.approx(10.0)
    assert trimmed_mean([]) is None
    assert trimmed_mean([7.0]) == 7.0


def test_loaded_latency_mixes_foreign_and_self_and_rpm_follows() -> None:
    probes = Probes(tcp=[20.0] * 20, tls=[30.0] * 20, http=[40.0] * 20, self_http=[60.0] * 20)
    r = summarise(probes, 3000.0)
    assert r.foreign_ms == pytest.approx(30.0)  # the mean of its three parts
    assert r.self_ms == pytest.approx(60.0)
    assert r.loaded_ms == pytest.approx(45.0)
    assert r.rpm == pytest.approx(60_000 / 45.0)
    assert r.confident


def test_plain_http_has_no_tls_part() -> None:
    r = summarise(Probes(tcp=[10.0] * 30, http=[30.0] * 30, self_http=[20.0] * 30), 3000.0)
    assert r.foreign_ms == pytest.approx(20.0)
    assert r.loaded_ms == pytest.approx(20.0)


def test_few_probes_are_not_confident_and_timeouts_count_only_when_some_got_through() -> None:
    few = summarise(Probes(tcp=[10.0], http=[10.0], self_http=[10.0]), 3000.0)
    assert not few.confident and CONFIDENT_PROBES > 1
    late = summarise(Probes(tcp=[10.0], http=[10.0], self_http=[10.0], timed_out=1), 3000.0)
    assert late.self_ms == pytest.approx(1505.0)
    blocked = summarise(Probes(timed_out=5), 3000.0)
    assert blocked.rpm is None and blocked.loaded_ms is None


def test_grades_follow_the_bands() -> None:
    assert (grade(2000), grade(500), grade(100), grade(None)) == (
        "high",
        "medium",
        "low",
        "unknown",
    )
    assert rpm(60.0) == pytest.approx(1000.0) and rpm(0.0) is None


def test_one_exchange_is_recovered_from_two_readings_of_the_smoothed_rtt() -> None:
    from checks.speed.probes import one_exchange_ms

    # srtt 20 ms, then one sample of 60 ms: srtt moves an eighth of the way, to 25 ms.
    assert one_exchange_ms(20_000, 25_000, 100.0) == pytest.approx(60.0)
    assert one_exchange_ms(20_000, 20_000, 33.0) == 33.0  # no new sample: the clock's figure
    assert one_exchange_ms(None, 25_000, 33.0) == 33.0
    assert one_exchange_ms(20_000, 25_000, 10.0) == 10.0  # longer than the clock: not believed


def test_the_kernel_times_a_real_handshake_on_loopback() -> None:
    import socket
    import sys

    from checks.speed.probes import handshake_ms, kernel_rtt_us

    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        try:
            rtt = kernel_rtt_us(client)
            if sys.platform.startswith("linux"):
                assert rtt is not None and 0 < rtt < 1_000_000
                assert handshake_ms(client, 5_000.0) == pytest.approx(rtt / 1000)
            assert handshake_ms(object(), 7.0) == 7.0  # no socket options: the clock's figure
        finally:
            client.close()
