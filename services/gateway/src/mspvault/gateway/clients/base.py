"""What every service client shares: one pooled HTTP client, the error mapping, health and OpenAPI reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from mspvault.gateway.jsonbody import parse
from mspvault.gateway.parts import JsonObject
from mspvault.gateway.routing import Service
from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)

HEALTH_TIMEOUT_SECONDS = 3.0


class UpstreamError(Exception):
    """A service could not give the gateway what it needed; `status` is what the gateway answers."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class ServiceHealth:
    service: Service
    healthy: bool
    detail: JsonObject


@dataclass(frozen=True)
class ServiceClient:
    service: Service
    base_url: str
    http: httpx.AsyncClient

    async def get(self, path: str, headers: Mapping[str, str], *, time_limit: float | None = None) -> httpx.Response:
        return await self.send("GET", path, headers, time_limit=time_limit)

    async def send(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        *,
        content: bytes | None = None,
        time_limit: float | None = None,
    ) -> httpx.Response:
        """Any request as the caller (a JSON body in `content`); the answer whatever its status."""
        options: dict[str, Any] = {} if time_limit is None else {"timeout": time_limit}
        sent = dict(headers)
        if content is not None:
            sent["content-type"] = "application/json"
        try:
            return await self.http.request(method, self.base_url + path, headers=sent, content=content, **options)
        except httpx.TimeoutException as error:
            log.warning("upstream.timeout", upstream=self.service.value, path=path)
            raise UpstreamError(504, f"The {self.service} service did not answer in time") from error
        except httpx.TransportError as error:
            log.warning("upstream.unreachable", upstream=self.service.value, path=path, error=type(error).__name__)
            raise UpstreamError(502, f"The {self.service} service is unavailable") from error

    async def internal_json(self, path: str, headers: Mapping[str, str], *, missing_ok: bool) -> Any | None:
        """GET an `/internal/*` read as the caller. None when the service does not serve it yet (404) and
        `missing_ok`, so the system works while services are still being built."""
        body = await self.internal_body(path, headers, missing_ok=missing_ok)
        return None if body is None else self.json_of(body)

    async def internal_body(self, path: str, headers: Mapping[str, str], *, missing_ok: bool) -> bytes | None:
        """`internal_json`, unparsed: for the sync parts whose large members pass through as bytes."""
        response = await self.get(path, headers)
        if response.status_code == 200:
            return response.content
        self.raise_for(response, path, missing_ok=missing_ok)
        return None

    def json_of(self, body: bytes) -> Any:
        try:
            return parse(body)
        except ValueError as error:
            raise UpstreamError(502, f"The {self.service} service answered with invalid JSON") from error

    def raise_for(self, response: httpx.Response, path: str, *, missing_ok: bool) -> None:
        """Map a non-200 internal answer to what the gateway answers; returns only for a tolerated 404."""
        status = response.status_code
        if status == 401:
            raise UpstreamError(401, "Invalid or expired token")
        if status == 404 and missing_ok:
            log.warning("upstream.part_missing", upstream=self.service.value, path=path)
            return
        if status == 404:
            raise UpstreamError(404, "Not found")
        log.warning("upstream.failed", upstream=self.service.value, path=path, status=status)
        raise UpstreamError(502, f"The {self.service} service failed")

    async def revision_date(self, headers: Mapping[str, str]) -> int | None:
        body = await self.internal_json("/internal/revision-date", headers, missing_ok=True)
        if body is None:
            return None
        value = body.get("revisionDate") if isinstance(body, dict) else None
        if not isinstance(value, int) or isinstance(value, bool):
            raise UpstreamError(502, f"The {self.service} service sent no revision date")
        return value

    async def health(self) -> ServiceHealth:
        try:
            response = await self.get("/health", {}, time_limit=HEALTH_TIMEOUT_SECONDS)
        except UpstreamError as error:
            return ServiceHealth(self.service, False, {"status": "unreachable", "error": error.message})
        try:
            body = response.json()
        except ValueError:
            body = {}
        detail: JsonObject = {"status": "ok" if response.status_code == 200 else "degraded"}
        if isinstance(body, dict):
            detail.update({key: body[key] for key in ("status", "checks") if key in body})
        detail["httpStatus"] = response.status_code
        return ServiceHealth(self.service, response.status_code == 200, detail)

    async def openapi(self) -> JsonObject | None:
        """The service's OpenAPI document, or None while it cannot be read (the merge says which is missing)."""
        try:
            response = await self.get("/openapi.json", {}, time_limit=HEALTH_TIMEOUT_SECONDS)
        except UpstreamError:
            return None
        if response.status_code != 200:
            return None
        try:
            body = response.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def object_of(self, body: Any) -> JsonObject:
        if not isinstance(body, dict):
            raise UpstreamError(502, f"The {self.service} service sent a malformed answer")
        return body

    def list_of(self, body: JsonObject, name: str) -> list[JsonObject]:
        value = body.get(name, [])
        if not isinstance(value, list):
            raise UpstreamError(502, f"The {self.service} service sent a malformed {name!r}")
        return value
