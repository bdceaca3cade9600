"""Stand-ins for the four services: small FastAPI apps that serve the internal contract and echo everything else.

Each stub records what reached it, so a test can check what the gateway forwarded (and what it kept back).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import jwt
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response


@dataclass
class StubService:
    name: str
    sync_body: dict[str, Any] | None = None  # None: /internal/sync is "not implemented yet" (404)
    sync_status: int = 200
    sync_seconds: float = 0.0  # how long /internal/sync works before it answers (a service's own time)
    revision_ms: int | None = None  # None: /internal/revision-date answers 404
    serves_profile: bool = True  # False: /internal/profile answers 404 (a service from before that read)
    healthy: bool = True
    health_calls: int = 0
    operators: set[str] = field(default_factory=set)  # identity: user ids `/internal/operator` says yes to
    operator_calls: int = 0
    seen: list[dict[str, Any]] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI(title=f"stub {self.name}")

        @app.get("/health")
        async def health() -> JSONResponse:
            self.health_calls += 1
            status = "ok" if self.healthy else "degraded"
            return JSONResponse(
                {"status": status, "service": self.name, "checks": {"database": self.healthy}},
                status_code=200 if self.healthy else 503,
            )

        @app.get("/internal/operator")
        async def operator(request: Request) -> Response:
            # The stub trusts the gateway's verification and only reads the subject.
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            subject = jwt.decode(token, options={"verify_signature": False})["sub"]
            self.operator_calls += 1
            return JSONResponse({"operator": subject in self.operators})

        @app.get("/internal/sync")
        async def internal_sync(request: Request) -> Response:
            self._record(request, b"")
            if self.sync_seconds:
                await asyncio.sleep(self.sync_seconds)
            if self.sync_body is None:
                return JSONResponse({"detail": "Not Found"}, status_code=404)
            return JSONResponse(self.sync_body, status_code=self.sync_status)

        @app.get("/internal/profile")  # the organization's memberships alone, for a profile
        async def internal_profile(request: Request) -> Response:
            self._record(request, b"")
            if self.sync_body is None or not self.serves_profile:
                return JSONResponse({"detail": "Not Found"}, status_code=404)
            return JSONResponse({**self.sync_body, "collections": [], "policies": []}, status_code=self.sync_status)

        @app.get("/internal/revision-date")
        async def revision_date(request: Request) -> Response:
            self._record(request, b"")
            if self.revision_ms is None:
                return JSONResponse({"detail": "Not Found"}, status_code=404)
            return JSONResponse({"revisionDate": self.revision_ms})

        async def echo(request: Request, path: str) -> Response:
            body = await request.body()
            self._record(request, body)
            if size := request.query_params.get("size"):
                return Response(bytes(range(256)) * (int(size) // 256), media_type="application/octet-stream")
            if size := request.query_params.get("jsonSize"):
                return Response(json_of_size(int(size)), media_type="application/json")
            if request.query_params.get("stubStatus") == "204":
                return Response(status_code=204)
            if request.query_params.get("stubStatus"):
                return JSONResponse({"message": "refused", "object": "error"}, status_code=400)
            response = JSONResponse(
                {
                    "service": self.name,
                    "method": request.method,
                    "path": request.url.path,
                    "query": request.url.query,
                    "bodyLength": len(body),
                    "bodyHash": hash(body),
                }
            )
            response.headers.append("set-cookie", "a=1")
            response.headers.append("set-cookie", "b=2")
            response.headers["x-stub"] = self.name
            return response

        for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):  # one route each: unique OpenAPI operation ids
            app.add_api_route("/{path:path}", echo, methods=[method], name=f"echo_{method.lower()}")
        return app

    def _record(self, request: Request, body: bytes) -> None:
        self.seen.append(
            {
                "method": request.method,
                "path": request.url.path,
                "query": request.url.query,
                "headers": dict(request.headers),
                "body": body,
            }
        )


def json_of_size(size: int) -> bytes:
    """A JSON list of about `size` bytes, as repetitive as a listing is."""
    item = b'{"id":"%06d","organizationName":"Client %06d","seats":10}'
    return b"[" + b",".join(item % (n, n) for n in range(size // 60)) + b"]"
