"""Looking up another user's public key, to hand them a shared (org or provider) key."""

from __future__ import annotations

from mspvault.client.wire import RequestFn, require, segment


async def fetch_user_public_key(request: RequestFn, user_id: str) -> str:
    body = await request("GET", f"/api/users/{segment(user_id)}/public-key")
    return str(require(body, "publicKey"))
