"""Graceful stop: the first SIGTERM makes the process not ready at once and stops serving only after the delay."""

from __future__ import annotations

import signal
import time

import uvicorn

from mspvault.shared.serving import Draining, _GracefulServer


async def _app(scope, receive, send) -> None:  # never called: the server is not started
    raise AssertionError


def _server(delay: float) -> tuple[_GracefulServer, Draining]:
    draining = Draining()
    return _GracefulServer(uvicorn.Config(_app), draining, delay), draining


def test_sigterm_turns_not_ready_at_once_and_stops_after_the_delay() -> None:
    server, draining = _server(0.2)
    server.handle_exit(signal.SIGTERM, None)
    assert draining.active
    assert not server.should_exit  # still serving while the news spreads
    deadline = time.monotonic() + 5
    while not server.should_exit and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.should_exit


def test_without_a_delay_or_on_a_second_signal_it_stops_at_once() -> None:
    server, draining = _server(0.0)
    server.handle_exit(signal.SIGTERM, None)
    assert draining.active
    assert server.should_exit
    server, draining = _server(60.0)
    server.handle_exit(signal.SIGTERM, None)
    server.handle_exit(signal.SIGTERM, None)
    assert server.should_exit
