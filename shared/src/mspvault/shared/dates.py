"""The one way dates leave a service in Bitwarden's JSON: ISO-8601 in UTC, six fractional digits and `Z`
(`2026-11-29T03:52:26.109464Z`), as Bitwarden's and Vaultwarden's servers write them.

Response models annotate fields with `BitwardenDate`; hand-built JSON calls `bitwarden_date`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import PlainSerializer


def bitwarden_date(moment: datetime) -> str:
    # isoformat, not strftime: glibc's %Y drops the zero padding of years before 1000, and clients do send
    # .NET's DateTime.MinValue (0001-01-01) in password histories.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def optional_date(moment: datetime | None) -> str | None:
    return bitwarden_date(moment) if moment is not None else None


def epoch_ms(moment: datetime) -> int:
    """Milliseconds since the epoch (revision dates)."""
    return int(moment.timestamp() * 1000)


BitwardenDate = Annotated[datetime, PlainSerializer(bitwarden_date, return_type=str, when_used="json")]
