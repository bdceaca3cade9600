"""The one event every service publishes, on its own `<service>.events`: what some users see there changed.

Each service keeps `user_revisions` (when what a user sees in it last changed); the gateway answers
`GET /api/accounts/revision-date`, which every client polls, from memory: the maximum over the services of these
dates, moved by this event (`mspvault.gateway.revisions`). The unit of work writes one per transaction that bumped a
revision (`mspvault.shared.db.revisions`), so it commits with the change, or not at all.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from mspvault.shared.contracts.envelope import AGGREGATE_KEY, EventData

MAX_USERS_PER_EVENT = 2_000  # ~80 KB of ids: an organization-wide change stays far below the broker's 1 MB message


class RevisionsBumpedV1(EventData):
    """These users' revision date in the publishing service is now at least `revised_at` (a date never moves
    back: a consumer keeps the maximum it has seen, so a replay or a reordering changes nothing)."""

    event_type = "RevisionsBumped"
    version = 1

    # Keyed by the publisher: its bumps stay in order on one partition.
    service: Annotated[str, AGGREGATE_KEY] = Field(
        description="The service whose `user_revisions` moved.", examples=["vault"]
    )
    revised_at: datetime = Field(description="The new revision date of every user listed.")
    user_ids: list[uuid.UUID] = Field(
        min_length=1,
        max_length=MAX_USERS_PER_EVENT,
        description="Whose revision date moved (a transaction touching more users publishes several events).",
    )
