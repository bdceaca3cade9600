"""Organization member invite tokens: signed claims (org, member, email, nonce), valid for 5 days.

Single use comes from the nonce: the member row keeps the nonce of its one live invite; accepting clears it and a
reinvite replaces it, so a used or superseded token matches nothing.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from mspvault.organization.domain.errors import InvalidInviteToken
from mspvault.shared.signed_tokens import ExpiredSignedToken, InvalidSignedToken, SignedTokens, new_nonce

__all__ = ["INVITE_LIFETIME", "InviteClaims", "InviteTokens", "new_nonce"]

INVITE_LIFETIME = timedelta(days=5)
_PURPOSE = "OrganizationUserInvite"


@dataclass(frozen=True)
class InviteClaims:
    organization_id: uuid.UUID
    member_id: uuid.UUID
    email: str
    nonce: str
    issued_at: datetime


class InviteTokens:
    def __init__(self, secret: str) -> None:
        self._signer = SignedTokens(secret, _PURPOSE, lifetime=INVITE_LIFETIME)

    def issue(self, organization_id: uuid.UUID, member_id: uuid.UUID, email: str, nonce: str, now: datetime) -> str:
        return self._signer.issue({"o": str(organization_id), "m": str(member_id), "em": email, "n": nonce}, now)

    def verify(self, token: str, now: datetime) -> InviteClaims:
        try:
            signed = self._signer.verify(token, now)
            return InviteClaims(
                organization_id=uuid.UUID(signed.claims["o"]),
                member_id=uuid.UUID(signed.claims["m"]),
                email=signed.claims["em"],
                nonce=signed.claims["n"],
                issued_at=signed.issued_at,
            )
        except ExpiredSignedToken as error:
            raise InvalidInviteToken("The invitation has expired.") from error
        except (InvalidSignedToken, KeyError, ValueError) as error:
            raise InvalidInviteToken() from error

    def check(self, claims: InviteClaims, organization_id: uuid.UUID, member_id: uuid.UUID, nonce: str | None) -> None:
        """The token names this invite, and the invite is still the live one."""
        if claims.organization_id != organization_id or claims.member_id != member_id:
            raise InvalidInviteToken()
        if nonce is None or not hmac.compare_digest(claims.nonce.encode(), nonce.encode()):
            raise InvalidInviteToken("This invitation was already used or replaced by a newer one.")
