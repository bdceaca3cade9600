"""The one base of our pure ASGI middlewares (correlation id, request origin): they act on HTTP requests only and
pass every other scope (lifespan, websocket) through untouched. Pure ASGI rather than Starlette's
`BaseHTTPMiddleware`, so a context variable set here is seen by the route that runs inside it."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """One HTTP request: call `self.app` with what it needs set around it."""
        raise NotImplementedError
