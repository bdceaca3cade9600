"""The gateway's token check: every `/api/*` route except the public ones, before anything leaves the gateway.

The services verify the same token again (they never trust the gateway alone). Verification is local: RS256
against identity's JWKS, fetched once and cached by key id (`mspvault.shared.auth.verifier`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mspvault.gateway.forwarding import internal_headers
from mspvault.shared.http.deps import CurrentUser


async def caller_headers(request: Request, _: CurrentUser) -> dict[str, str]:
    """The headers that let a service answer `/internal/*` for the verified caller (FastAPI verifies the token
    once per request, however many routes and dependencies ask for the caller)."""
    return internal_headers(request)


CallerHeaders = Annotated[dict[str, str], Depends(caller_headers)]
