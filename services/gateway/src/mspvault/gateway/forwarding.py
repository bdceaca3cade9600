"""Forward one public request to the service that owns it: method, path, query and body unchanged.

This is the hot path. One pooled HTTP client serves every request (keep-alive to each service). Small bodies
(the common case: JSON of a few KiB) are read whole in both directions, which lets the responses keep their
Content-Length; larger ones stream through without being held in memory, and large JSON is compressed on the way
when the caller accepts it, unless the service compressed it already (the provider's 10,000 clients: 6.8 MB of
JSON, ~0.5 MB in `br`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from mspvault.gateway.clients import UpstreamError
from mspvault.shared.http.compression import compressed_stream, negotiate
from mspvault.shared.observability.correlation import CORRELATION_HEADER, correlation_id
from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)

# Bodies up to this size are buffered; beyond it they stream.
BUFFER_LIMIT = 256 * 1024

# What the services may read from a caller's request. Everything else (cookies, proxies' headers, hop-by-hop
# headers) stays at the gateway.
FORWARDED_REQUEST_HEADERS = frozenset(
    {
        "authorization",
        "content-type",
        "content-length",
        "accept",
        "accept-language",
        "user-agent",
        "device-type",
        "auth-email",
        "if-match",
        "if-none-match",
    }
)
CLIENT_HEADER_PREFIX = "bitwarden-client-"
BODILESS_STATUSES = frozenset({204, 304})

# Never copied back from a service: connection-level headers, and those the gateway's server sets itself.
DROPPED_RESPONSE_HEADERS = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"date",
        b"server",
        CORRELATION_HEADER.lower().encode(),
    }
)


def caller_headers(headers: Headers, *, client_host: str | None = None, host: str | None = None) -> dict[str, str]:
    """The caller's headers a service may see, plus the correlation id and who is really calling."""
    forwarded = {
        name: value
        for name, value in headers.items()
        if name in FORWARDED_REQUEST_HEADERS or name.startswith(CLIENT_HEADER_PREFIX)
    }
    cid = correlation_id.get()
    if cid is not None:
        forwarded[CORRELATION_HEADER] = cid
    if client_host is not None:
        forwarded["x-forwarded-for"] = client_host
    if host is not None:
        forwarded["x-forwarded-host"] = host
    forwarded["x-forwarded-proto"] = "https"
    # The gateway's own reads of a service (sync parts) are never compressed: it would only decompress them; without
    # this the HTTP client would ask for gzip on the caller's behalf. `forward` passes the caller's own codings.
    forwarded.setdefault("accept-encoding", "identity")
    return forwarded


def internal_headers(request: Request) -> dict[str, str]:
    """Headers for the gateway's own `/internal/*` calls made as the caller: no body headers."""
    headers = caller_headers(request.headers, client_host=_client_host(request))
    headers.pop("content-type", None)
    headers.pop("content-length", None)
    return headers


async def forward(http: httpx.AsyncClient, base_url: str, request: Request, service: str) -> Response:
    url = httpx.URL(base_url + _raw_path(request))
    query = request.scope.get("query_string", b"")
    if query:
        url = url.copy_with(query=query)
    sent = caller_headers(request.headers, client_host=_client_host(request), host=request.headers.get("host"))
    # The caller's codings: a service that writes a large answer may compress it itself (the provider's client
    # list), sparing the hop its full size; a compressed answer passes through as it is (`_coding_for`).
    sent["accept-encoding"] = request.headers.get("accept-encoding", "identity")
    outgoing = http.build_request(request.method, url, headers=sent, content=await _body(request))
    try:
        upstream = await http.send(outgoing, stream=True)
    except httpx.TimeoutException as error:
        log.warning("upstream.timeout", upstream=service, method=request.method)
        raise UpstreamError(504, f"The {service} service did not answer in time") from error
    except httpx.TransportError as error:
        log.warning("upstream.unreachable", upstream=service, error=type(error).__name__)
        raise UpstreamError(502, f"The {service} service is unavailable") from error
    headers = [(name, value) for name, value in upstream.headers.raw if name.lower() not in DROPPED_RESPONSE_HEADERS]
    length = upstream.headers.get("content-length")
    small = length is not None and length.isdigit() and int(length) <= BUFFER_LIMIT
    if small or upstream.status_code in BODILESS_STATUSES or request.method == "HEAD":
        try:
            body = b"".join([chunk async for chunk in upstream.aiter_raw()])
        finally:
            await upstream.aclose()
        response = Response(body, status_code=upstream.status_code)
    elif (coding := _coding_for(request, upstream)) is not None:
        response = StreamingResponse(_relay(upstream, coding), status_code=upstream.status_code)
        headers = [(name, value) for name, value in headers if name.lower() != b"content-length"]
        headers += [(b"content-encoding", coding.encode()), (b"vary", b"Accept-Encoding")]
    else:
        response = StreamingResponse(_relay(upstream), status_code=upstream.status_code)
    response.raw_headers = headers
    return response


def _coding_for(request: Request, upstream: httpx.Response) -> str | None:
    """How to compress a large answer on its way: only JSON the service left as it was, only as the caller asks."""
    if "content-encoding" in upstream.headers:
        return None
    if not upstream.headers.get("content-type", "").startswith("application/json"):
        return None
    return negotiate(request.headers.get("accept-encoding"))


async def _relay(upstream: httpx.Response, coding: str | None = None) -> AsyncIterator[bytes]:
    # Raw bytes: the body leaves exactly as the service wrote it (matching its Content-Length and encoding), or
    # compressed in `coding` as it passes.
    try:
        chunks = upstream.aiter_raw()
        async for chunk in chunks if coding is None else compressed_stream(chunks, coding):
            yield chunk
    finally:
        await upstream.aclose()


async def _body(request: Request) -> bytes | AsyncIterator[bytes] | None:
    headers = request.headers
    length = headers.get("content-length")
    if length is None:
        # No length: a chunked upload streams on; a request without either has no body at all.
        return request.stream() if "transfer-encoding" in headers else None
    if not length.isdigit():
        raise UpstreamError(400, "Invalid Content-Length")
    if int(length) <= BUFFER_LIMIT:
        return await request.body()
    return request.stream()


def _raw_path(request: Request) -> str:
    # The path exactly as the caller encoded it; routing already checked its decoded form.
    raw: bytes | None = request.scope.get("raw_path")
    return raw.decode("latin-1") if raw else request.url.path


def _client_host(request: Request) -> str | None:
    return request.client.host if request.client else None
