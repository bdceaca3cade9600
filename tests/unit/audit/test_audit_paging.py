"""Bitwarden's date window for event logs, and the opaque continuation token."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from mspvault.shared.audit.paging import Cursor, InvalidContinuationToken, RangeTooLarge, window

NOW = datetime(2026, 3, 15, 17, 45, tzinfo=UTC)


def test_without_both_bounds_the_window_is_the_last_30_days_through_the_end_of_today() -> None:
    for start, end in ((None, None), (NOW, None), (None, NOW)):
        span = window(start, end, now=NOW)
        assert span.start == datetime(2026, 2, 13, tzinfo=UTC)
        assert span.end == datetime(2026, 3, 15, 23, 59, 59, 999000, tzinfo=UTC)


def test_bounds_given_in_the_wrong_order_are_swapped_and_naive_ones_are_utc() -> None:
    early, late = datetime(2026, 1, 1), datetime(2026, 2, 1, tzinfo=UTC)
    span = window(late, early, now=NOW)
    assert (span.start, span.end) == (early.replace(tzinfo=UTC), late)


def test_a_range_over_367_days_is_refused_naming_the_field() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    assert window(start, start + timedelta(days=367), now=NOW).start == start
    with pytest.raises(RangeTooLarge) as refused:
        window(start, start + timedelta(days=368), now=NOW)
    assert refused.value.field == "end"


def test_a_continuation_token_round_trips_exactly() -> None:
    cursor = Cursor(datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC), uuid.uuid4())
    token = cursor.token()
    assert Cursor.parse(token) == cursor
    assert "=" not in token
    assert Cursor.parse(None) is None
    assert Cursor.parse("") is None


@pytest.mark.parametrize("token", ["%%%", "bm90LWEtY3Vyc29y", Cursor(NOW, uuid.uuid4()).token()[:-4], "YQ"])
def test_a_malformed_token_is_a_400_naming_continuation_token(token) -> None:
    with pytest.raises(InvalidContinuationToken) as refused:
        Cursor.parse(token)
    assert refused.value.field == "continuationToken"
