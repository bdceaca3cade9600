"""Building the published events from domain objects, in one place."""

from __future__ import annotations

from typing import TypeVar

from mspvault.organization.domain.members import Member
from mspvault.shared.contracts.organization import (
    MemberAcceptedV1,
    MemberConfirmedV1,
    MemberInvitedV1,
    MemberRemovedV1,
    MemberRestoredV1,
    MemberRevokedV1,
    MemberUpdatedV1,
)

MemberEvent = TypeVar(
    "MemberEvent",
    MemberInvitedV1,
    MemberAcceptedV1,
    MemberConfirmedV1,
    MemberUpdatedV1,
    MemberRevokedV1,
    MemberRestoredV1,
    MemberRemovedV1,
)


def member_event(kind: type[MemberEvent], member: Member) -> MemberEvent:
    return kind(
        organization_id=member.organization_id,
        member_id=member.id,
        user_id=member.user_id,
        email=member.email,
        type=int(member.type),
        status=int(member.status),
        permissions=member.permissions,
    )
