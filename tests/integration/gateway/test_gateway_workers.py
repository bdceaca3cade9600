"""Gateway workers: several gateway processes on one public port (SO_REUSEPORT, `MSPVAULT_GATEWAY_WORKERS`).

Real gateway processes, started as the launcher starts them. Each worker is a whole process: when one dies, the
kernel takes its socket out of the port's group and every new connection reaches the workers left.
"""

from __future__ import annotations

import os
import signal
import ssl
import sys
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from mspvault.deploy.children import Child, spawn
from mspvault.gateway.tls import ensure_tls
from mspvault.shared.infra.net import free_port
from mspvault.shared.testing.wait import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


class Workers:
    def __init__(self, data_dir: Path, port: int) -> None:
        self.data_dir = data_dir
        self.url = f"https://127.0.0.1:{port}"
        self.ca = ensure_tls(data_dir, ["127.0.0.1"]).ca_cert  # made once, before the workers, as the launcher does
        self.env: Mapping[str, str] = {
            **os.environ,
            "MSPVAULT_GATEWAY_HTTP_HOST": "127.0.0.1",
            "MSPVAULT_GATEWAY_HTTPS_PORT": str(port),
            "MSPVAULT_GATEWAY_DATA_DIR": str(data_dir),
            "MSPVAULT_GATEWAY_PUBLIC_URL": self.url,
            "MSPVAULT_GATEWAY_SHUTDOWN_DELAY_SECONDS": "0",
        }
        self.children: list[Child] = []

    async def start(self, name: str, *, share_port: bool = True) -> Child:
        env = {**self.env, "MSPVAULT_GATEWAY_SHARE_PORT": str(share_port).lower()}
        argv = [sys.executable, "-m", "mspvault.gateway"]
        child = await spawn(name, argv, env=env, sink=lambda _n, _l: None, log_file=self.data_dir / f"{name}.log")
        self.children.append(child)
        return child

    async def answers(self) -> bool:
        """A fresh connection (no keep-alive) asks /alive: the kernel picks a worker per connection."""
        context = ssl.create_default_context(cafile=str(self.ca))
        async with httpx.AsyncClient(verify=context, trust_env=False, timeout=5.0) as client:
            try:
                return (await client.get(f"{self.url}/alive")).status_code == 200
            except httpx.TransportError:
                return False


@pytest_asyncio.fixture
async def workers(tmp_path: Path) -> AsyncIterator[Workers]:
    running = Workers(tmp_path, free_port())
    yield running
    for child in running.children:
        if child.returncode is None:
            await child.stop(grace=10.0)


async def _kill(child: Child) -> None:
    child.process.send_signal(signal.SIGKILL)
    await child.stop(grace=10.0)


async def test_two_workers_share_the_port_and_each_serves_alone_when_the_other_dies(workers: Workers) -> None:
    first = await workers.start("gateway")
    await wait_until(workers.answers, timeout=120, message="the first worker")
    second = await workers.start("gateway-2")
    # The second binds the same port: it would exit at once with 'address already in use' otherwise. Only it can
    # answer once the first is gone.
    await _kill(first)
    await wait_until(workers.answers, timeout=120, message="the second worker, alone")
    assert second.returncode is None
    assert [await workers.answers() for _ in range(10)] == [True] * 10

    again = await workers.start("gateway")
    await _kill(second)  # now only the restarted first worker is left on the port
    await wait_until(workers.answers, timeout=120, message="the restarted first worker, alone")
    assert again.returncode is None
    assert [await workers.answers() for _ in range(10)] == [True] * 10


async def test_without_share_port_a_second_gateway_cannot_take_the_port(workers: Workers) -> None:
    await workers.start("gateway", share_port=False)
    await wait_until(workers.answers, timeout=120, message="the first gateway")
    second = await workers.start("gateway-2", share_port=False)
    assert await second.process.wait() != 0  # refused the port: two gateways never serve one port by accident
