"""Dependencies of identity's routes: an `IdentityWork` per request (made by bootstrap's `work_factory`), the
signing keys for the JWKS, and the caller's own account."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from mspvault.identity.adapters import queries
from mspvault.identity.adapters.signing_keys import KeyRing
from mspvault.identity.domain.account import Account
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.shared.http.deps import CurrentUser
from mspvault.shared.runtime import ReadSession, UoW, get_runtime


async def identity_work(request: Request, uow: UoW) -> IdentityWork:
    work: IdentityWork = request.app.state.identity_work(uow, get_runtime(request).session_factory)
    return work


def _key_ring(request: Request) -> KeyRing:
    ring: KeyRing = request.app.state.key_ring
    return ring


Work = Annotated[IdentityWork, Depends(identity_work)]
Keys = Annotated[KeyRing, Depends(_key_ring)]


async def _caller_account(user: CurrentUser, session: ReadSession) -> Account:
    """The caller's own account. A token for a deleted account, or minted before the security stamp changed,
    no longer authenticates (Bitwarden's rule), hence 401 and not 404."""
    account = await queries.account_of(session, user.user_id)
    if account is None or (user.security_stamp is not None and user.security_stamp != account.security_stamp):
        raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})
    return account


CallerAccount = Annotated[Account, Depends(_caller_account)]
