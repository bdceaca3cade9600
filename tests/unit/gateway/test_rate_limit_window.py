"""The sliding-window arithmetic on its own: what it lets through, and when it says to come back."""

from __future__ import annotations

import pytest

from mspvault.gateway.rate_limits.window import Limit, Position, allows, retry_after

LOGIN = Limit("login-ip", hits=10, seconds=60)


def test_position_splits_time_into_windows() -> None:
    assert Position.at(125.0, 60) == Position(2, 5.0)


def test_the_tenth_hit_fits_and_the_eleventh_does_not() -> None:
    start = Position(10, 0.0)
    assert allows(LOGIN, start, previous=0, current=9, cost=1)
    assert not allows(LOGIN, start, previous=0, current=10, cost=1)


def test_the_previous_window_counts_by_its_overlap() -> None:
    # 10 hits in the last window; a quarter into this one, 3/4 of them still count: 7.5 + 1 + 1 fits, 7.5 + 2 + 1 not.
    quarter = Position(11, 15.0)
    assert allows(LOGIN, quarter, previous=10, current=1, cost=1)
    assert not allows(LOGIN, quarter, previous=10, current=2, cost=1)


def test_retry_after_within_this_window_waits_for_the_previous_to_slide_out() -> None:
    # previous 10, current 0, at elapsed 0: one hit fits once 10 * (1 - e/60) <= 9, i.e. e >= 6.
    assert retry_after(LOGIN, Position(11, 0.0), previous=10, current=0, cost=1) == 6
    assert allows(LOGIN, Position(11, 6.0), previous=10, current=0, cost=1)


def test_retry_after_into_the_next_window() -> None:
    # 10 hits this window, 30 s in: the next window starts in 30 s, then 10 * (1 - e/60) <= 9 needs e >= 6.
    wait = retry_after(LOGIN, Position(11, 30.0), previous=0, current=10, cost=1)
    assert wait == 36
    assert allows(LOGIN, Position(12, 6.0), previous=10, current=0, cost=1)
    assert not allows(LOGIN, Position(12, 5.0), previous=10, current=0, cost=1)


@pytest.mark.parametrize("cost", [11, 50])
def test_a_cost_over_the_whole_limit_waits_a_window(cost: int) -> None:
    assert not allows(LOGIN, Position(1, 0.0), previous=0, current=0, cost=cost)
    assert retry_after(LOGIN, Position(1, 0.0), previous=0, current=0, cost=cost) == 60


def test_retry_after_is_at_least_a_second() -> None:
    assert retry_after(LOGIN, Position(11, 5.9999), previous=10, current=0, cost=1) == 1
