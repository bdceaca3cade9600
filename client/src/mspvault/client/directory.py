"""Looking up another user's public key, to hand them a shared (org or provider) key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from mspvault.client.wire import JsonObject, RequestFn, require, segment


async def fetch_user_public_key(request: RequestFn, user_id: str) -> str:
    body = await request("GET", f"/api/users/{segment(user_id)}/public-key")
    return str(require(body, "publicKey"))


async def public_key_to_wrap_for(
    request: RequestFn, member: Callable[[], Awaitable[JsonObject]], public_key: str | None
) -> str:
    """The public key to hand a shared key to: `public_key` when given (its fingerprint verified out of band, so a
    hostile server cannot substitute its own), else the server's copy of the member's (`member()` reads the
    membership), trusted as `bw confirm` does."""
    if public_key is not None:
        return public_key
    return await fetch_user_public_key(request, str(require(await member(), "userId")))
