"""Provider user invite tokens (shared mechanics in `mspvault.shared.invite_tokens`): they name the provider user."""

from __future__ import annotations

from mspvault.provider.domain.errors import InvalidInviteToken
from mspvault.shared.invite_tokens import Invite, InviteTokens, is_live_nonce, new_nonce

__all__ = ["PROVIDER_USER", "Invite", "InviteTokens", "invite_tokens", "is_live_nonce", "new_nonce"]

PROVIDER_USER = "pu"  # the claim naming the provider user (in tokens already sent: never rename)


def invite_tokens(secret: str) -> InviteTokens:
    return InviteTokens(
        secret,
        purpose="ProviderUserInvite",
        ids=(PROVIDER_USER,),
        invalid=InvalidInviteToken,
        expired=lambda: InvalidInviteToken("Invite token has expired."),
    )
