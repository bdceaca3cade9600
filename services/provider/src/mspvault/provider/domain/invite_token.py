"""Provider user invite tokens: signed claims (provider user id, email, nonce), valid for 5 days.

Single use comes from the nonce: the provider user row keeps the nonce of its one live invite; accepting clears it
and a reinvite replaces it, so an old or used token no longer matches anything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from mspvault.provider.domain.errors import InvalidInviteToken
from mspvault.shared.signed_tokens import ExpiredSignedToken, InvalidSignedToken, SignedTokens, new_nonce

__all__ = ["INVITE_LIFETIME", "InviteClaims", "InviteTokens", "new_nonce"]

INVITE_LIFETIME = timedelta(days=5)
_PURPOSE = "ProviderUserInvite"


@dataclass(frozen=True)
class InviteClaims:
    provider_user_id: uuid.UUID
    email: str
    nonce: str
    issued_at: datetime


class InviteTokens:
    def __init__(self, secret: str) -> None:
        self._signer = SignedTokens(secret, _PURPOSE, lifetime=INVITE_LIFETIME)

    def issue(self, provider_user_id: uuid.UUID, email: str, nonce: str, now: datetime) -> str:
        return self._signer.issue({"pu": str(provider_user_id), "em": email, "n": nonce}, now)

    def verify(self, token: str, now: datetime) -> InviteClaims:
        """The token's claims if its signature holds and it has not expired; raises InvalidInviteToken otherwise."""
        try:
            signed = self._signer.verify(token, now)
            return InviteClaims(
                provider_user_id=uuid.UUID(signed.claims["pu"]),
                email=signed.claims["em"],
                nonce=signed.claims["n"],
                issued_at=signed.issued_at,
            )
        except ExpiredSignedToken as error:
            raise InvalidInviteToken("Invite token has expired.") from error
        except (InvalidSignedToken, KeyError, ValueError) as error:
            raise InvalidInviteToken() from error
