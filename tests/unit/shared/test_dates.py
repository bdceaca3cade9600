"""The one Bitwarden date format: UTC, six fractional digits, `Z`, and four-digit years."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from mspvault.shared.dates import bitwarden_date, epoch_ms


def test_dates_are_utc_with_microseconds_and_z() -> None:
    moment = datetime(2026, 11, 29, 4, 52, 26, 109464, tzinfo=timezone(timedelta(hours=1)))
    assert bitwarden_date(moment) == "2026-11-29T03:52:26.109464Z"
    assert bitwarden_date(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00.000000Z"


def test_early_years_keep_four_digits() -> None:
    # .NET's DateTime.MinValue arrives in password histories.
    assert bitwarden_date(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01T00:00:00.000000Z"


def test_epoch_ms() -> None:
    assert epoch_ms(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)) == 1000
