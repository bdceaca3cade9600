"""Invite links sent by mail: signed claims (the ids the invite is for, the invited email, a nonce), valid 5 days.

Single use comes from the nonce: the invited row keeps the nonce of its one live invite; accepting clears it and a
reinvite replaces it, so a used or superseded token matches nothing (`is_live_nonce`, a constant-time compare).

    tokens = InviteTokens(secret, purpose="ProviderUserInvite", ids=("pu",), invalid=InvalidInviteToken,
                          expired=lambda: InvalidInviteToken("Invite token has expired."))
    token = tokens.issue({"pu": provider_user_id}, email=email, nonce=row.invite_nonce, now=now)
    invite = tokens.verify(token, now)          # raises the service's own error
    invite.id("pu"), invite.email, is_live_nonce(invite.nonce, row.invite_nonce)

Claim names are part of tokens already in inboxes: keep them short and never rename them.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from mspvault.shared.signed_tokens import ExpiredSignedToken, InvalidSignedToken, SignedTokens, new_nonce

__all__ = ["INVITE_LIFETIME", "Invite", "InviteTokens", "is_live_nonce", "new_nonce"]

INVITE_LIFETIME = timedelta(days=5)
_EMAIL, _NONCE = "em", "n"


@dataclass(frozen=True)
class Invite:
    ids: Mapping[str, uuid.UUID]
    email: str
    nonce: str
    issued_at: datetime

    def id(self, name: str) -> uuid.UUID:
        return self.ids[name]


class InviteTokens:
    def __init__(
        self,
        secret: str,
        *,
        purpose: str,
        ids: tuple[str, ...],
        invalid: Callable[[], Exception],
        expired: Callable[[], Exception],
        lifetime: timedelta = INVITE_LIFETIME,
    ) -> None:
        if {_EMAIL, _NONCE} & set(ids):
            raise ValueError("id claim names must differ from the email and nonce claims")
        self._signer = SignedTokens(secret, purpose, lifetime=lifetime)
        self._ids = ids
        self._invalid = invalid
        self._expired = expired

    def issue(self, ids: Mapping[str, uuid.UUID], *, email: str, nonce: str, now: datetime) -> str:
        if set(ids) != set(self._ids):
            raise ValueError(f"an invite names exactly {self._ids}")
        claims = {name: str(ids[name]) for name in self._ids}
        return self._signer.issue({**claims, _EMAIL: email, _NONCE: nonce}, now)

    def verify(self, token: str, now: datetime) -> Invite:
        """The invite if the signature holds and it has not expired; raises the service's errors otherwise."""
        try:
            signed = self._signer.verify(token, now)
            return Invite(
                ids={name: uuid.UUID(signed.claims[name]) for name in self._ids},
                email=signed.claims[_EMAIL],
                nonce=signed.claims[_NONCE],
                issued_at=signed.issued_at,
            )
        except ExpiredSignedToken as error:
            raise self._expired() from error
        except (InvalidSignedToken, KeyError, ValueError) as error:
            raise self._invalid() from error


def is_live_nonce(presented: str, live: str | None) -> bool:
    """The token's nonce is the row's live one (none once accepted). Constant-time; bytes, as compare_digest
    refuses non-ASCII text and the token comes from outside."""
    return live is not None and hmac.compare_digest(presented.encode(), live.encode())
