"""Organization member invite tokens (shared mechanics in `mspvault.shared.invite_tokens`): they name the
organization and the member. Single use comes from the member's live nonce (`check_invite`)."""

from __future__ import annotations

import uuid

from mspvault.organization.domain.errors import InvalidInviteToken
from mspvault.shared.invite_tokens import Invite, InviteTokens, is_live_nonce, new_nonce

__all__ = ["MEMBER", "ORGANIZATION", "Invite", "InviteTokens", "check_invite", "invite_tokens", "new_nonce"]

# The claims naming the organization and the member (in tokens already sent: never rename).
ORGANIZATION, MEMBER = "o", "m"


def invite_tokens(secret: str) -> InviteTokens:
    return InviteTokens(
        secret,
        purpose="OrganizationUserInvite",
        ids=(ORGANIZATION, MEMBER),
        invalid=InvalidInviteToken,
        expired=lambda: InvalidInviteToken("The invitation has expired."),
    )


def check_invite_names(invite: Invite, organization_id: uuid.UUID, member_id: uuid.UUID) -> None:
    """The token names this organization's member."""
    if invite.id(ORGANIZATION) != organization_id or invite.id(MEMBER) != member_id:
        raise InvalidInviteToken()


def check_invite(invite: Invite, organization_id: uuid.UUID, member_id: uuid.UUID, live_nonce: str | None) -> None:
    """The token names this invite, and the invite is still the live one."""
    check_invite_names(invite, organization_id, member_id)
    if not is_live_nonce(invite.nonce, live_nonce):
        raise InvalidInviteToken("This invitation was already used or replaced by a newer one.")
