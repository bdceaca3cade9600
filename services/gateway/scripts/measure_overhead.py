"""Measure what the gateway adds to a request: the same upstream answers fetched directly and through the gateway.

    .venv/bin/python services/gateway/scripts/measure_overhead.py [--requests 2000] [--concurrency 1 16]

Starts one stub upstream (uvicorn; it plays all four services under path prefixes and serves the JWKS) and the
real gateway (`python -m mspvault.gateway`, HTTPS) as subprocesses on free ports, then drives both from this
process. The load generator shares the CPUs with both servers, so the figures are floors, not ceilings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from mspvault.shared.auth.signing import SigningKey

SERVICES = ("identity", "provider", "organization", "vault")

UPSTREAM = """
import json, os
from fastapi import FastAPI
from fastapi.responses import Response

app = FastAPI()
JWKS = json.loads(os.environ["STUB_JWKS"])
ITEM = {"id": "x", "type": 1, "name": "2." + "A" * 600, "object": "cipherDetails"}
PARTS = {
    "identity": {"profile": {"id": "u", "email": "e", "object": "profile"}, "userDecryption": None},
    "provider": {"providers": [], "providerOrganizations": []},
    "organization": {"organizations": [], "collections": [], "policies": []},
    "vault": {"folders": [], "ciphers": [ITEM] * int(os.environ["STUB_ITEMS"])},
}
BODIES = {name: json.dumps(part).encode() for name, part in PARTS.items()}
ONE = json.dumps(ITEM).encode()

@app.get("/identity/identity/.well-known/jwks")
async def jwks():
    return JWKS

@app.get("/{service}/internal/sync")
async def sync(service: str):
    return Response(BODIES[service], media_type="application/json")

@app.get("/{service}/internal/revision-date")
async def revision(service: str):
    return {"revisionDate": 1}

@app.get("/vault/api/ciphers/{cipher_id}")
async def cipher(cipher_id: str):
    return Response(ONE, media_type="application/json")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_ready(url: str, ca: Path | None = None, time_limit: float = 60.0) -> None:
    """Poll until `url` answers (and, for the gateway, until its CA file exists to trust)."""
    deadline = time.monotonic() + time_limit
    while time.monotonic() < deadline:
        if ca is None or await asyncio.to_thread(ca.exists):
            try:
                async with httpx.AsyncClient(verify=str(ca) if ca else True) as client:
                    await client.get(url)
                return
            except (httpx.TransportError, OSError):
                pass
        await asyncio.sleep(0.1)
    raise TimeoutError(f"{url} did not answer")


async def drive(client: httpx.AsyncClient, path: str, headers: dict[str, str], total: int, concurrency: int) -> str:
    latencies: list[float] = []
    remaining = iter(range(total))

    async def worker() -> None:
        for _ in remaining:
            started = time.perf_counter()
            response = await client.get(path, headers=headers)
            latencies.append(time.perf_counter() - started)
            response.raise_for_status()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    return f"{total / elapsed:7.0f} req/s  p50 {p50:7.2f} ms  p95 {p95:7.2f} ms"


async def measure(args: argparse.Namespace, upstream: str, gateway: str, ca: Path, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with (
        httpx.AsyncClient(base_url=upstream, limits=limits) as direct,
        httpx.AsyncClient(base_url=gateway, verify=str(ca), limits=limits) as through,
    ):
        await through.get("/api/ciphers/warm", headers=auth)  # JWKS fetched, pools opened
        rows = [
            ("direct   GET /vault/api/ciphers/x (HTTP)", direct, "/vault/api/ciphers/x", auth, 1),
            ("gateway  GET /api/config (local answer)", through, "/api/config", {}, 1),
            ("gateway  GET /api/ciphers/x (forwarded)", through, "/api/ciphers/x", auth, 1),
            ("gateway  GET /api/accounts/revision-date", through, "/api/accounts/revision-date", auth, 1),
            (f"direct   GET /vault/internal/sync ({args.sync_items} items)", direct, "/vault/internal/sync", auth, 20),
            (f"gateway  GET /api/sync ({args.sync_items} items)", through, "/api/sync?excludeDomains=true", auth, 20),
        ]
        for concurrency in args.concurrency:
            print(f"-- concurrency {concurrency}")
            for label, client, path, headers, divisor in rows:
                total = max(args.requests // divisor, 50)
                print(f"{label:48s}", await drive(client, path, headers, total, concurrency), flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--sync-items", type=int, default=2000)
    args = parser.parse_args()
    key = SigningKey.generate()
    token = key.mint(user_id=uuid.uuid4(), email="bench@example.test")
    upstream_port, gateway_port = free_port(), free_port()
    upstream_url = f"http://127.0.0.1:{upstream_port}"
    with tempfile.TemporaryDirectory() as data_dir:
        (Path(data_dir) / "stub_upstream.py").write_text(UPSTREAM)
        upstream_env = {**os.environ, "STUB_JWKS": json.dumps(key.jwks()), "STUB_ITEMS": str(args.sync_items)}
        gateway_env = {
            **os.environ,
            "MSPVAULT_GATEWAY_HTTPS_PORT": str(gateway_port),
            "MSPVAULT_GATEWAY_DATA_DIR": data_dir,
            "MSPVAULT_GATEWAY_LOG_LEVEL": "WARNING",
            **{f"MSPVAULT_GATEWAY_{name.upper()}_URL": f"{upstream_url}/{name}" for name in SERVICES},
        }
        upstream = [sys.executable, "-m", "uvicorn", "stub_upstream:app", "--port", str(upstream_port)]
        profiler = os.environ.get("GATEWAY_PYTHON_ARGS", "").split()  # e.g. "-m cProfile -o /tmp/gw.prof"
        servers = [
            await asyncio.create_subprocess_exec(
                *upstream, "--log-level", "warning", "--no-access-log", env=upstream_env, cwd=data_dir
            ),
            await asyncio.create_subprocess_exec(
                sys.executable, *profiler, "-m", "mspvault.gateway", env=gateway_env, stdout=subprocess.DEVNULL
            ),
        ]
        try:
            ca = Path(data_dir) / "tls" / "ca.pem"
            gateway_url = f"https://127.0.0.1:{gateway_port}"
            await wait_ready(f"{upstream_url}/vault/internal/revision-date")
            await wait_ready(f"{gateway_url}/alive", ca=ca)
            await measure(args, upstream_url, gateway_url, ca, token)
        finally:
            for server in servers:
                server.send_signal(signal.SIGINT)  # a clean stop, so a profiler wrapping the gateway can write out
                await server.wait()


if __name__ == "__main__":
    asyncio.run(main())
