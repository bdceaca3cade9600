"""FastAPI dependencies for identity's own objects, all built in bootstrap and kept on app.state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from mspvault.identity.adapters.password_hasher import PasswordHashing
from mspvault.identity.adapters.signing_keys import KeyRing
from mspvault.identity.domain.account import Account
from mspvault.identity.service_layer import queries
from mspvault.identity.service_layer.tokens import TokenIssuer
from mspvault.shared.http.deps import CurrentUser
from mspvault.shared.runtime import ReadSession, get_runtime


def _hasher(request: Request) -> PasswordHashing:
    hasher: PasswordHashing = request.app.state.password_hashing
    return hasher


def _issuer(request: Request) -> TokenIssuer:
    issuer: TokenIssuer = request.app.state.token_issuer
    return issuer


def _key_ring(request: Request) -> KeyRing:
    ring: KeyRing = request.app.state.key_ring
    return ring


def _sessions(request: Request) -> async_sessionmaker[AsyncSession]:
    return get_runtime(request).session_factory


Hasher = Annotated[PasswordHashing, Depends(_hasher)]
Issuer = Annotated[TokenIssuer, Depends(_issuer)]
Keys = Annotated[KeyRing, Depends(_key_ring)]
Sessions = Annotated[async_sessionmaker[AsyncSession], Depends(_sessions)]


async def _caller_account(user: CurrentUser, session: ReadSession) -> Account:
    """The caller's own account. A token for a deleted account, or minted before the security stamp changed,
    no longer authenticates (Bitwarden's rule), hence 401 and not 404."""
    account = await queries.account_of(session, user.user_id)
    if account is None or (user.security_stamp is not None and user.security_stamp != account.security_stamp):
        raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})
    return account


CallerAccount = Annotated[Account, Depends(_caller_account)]
