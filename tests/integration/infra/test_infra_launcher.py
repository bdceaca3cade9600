"""`start_system` (what `make up` runs) against stand-in services: env wiring, order, health waits, clean stops."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import ssl
import sys
from pathlib import Path

import asyncpg
import httpx
import pytest

from mspvault.deploy.children import ChildFailed
from mspvault.deploy.system import SERVICES, Ports, System, invite_secret, start_system
from mspvault.shared.contracts.topics import all_topics
from mspvault.shared.infra.kafka import kafka_answers
from mspvault.shared.infra.postgres import asyncpg_url
from mspvault.shared.infra.topics import topic_partitions
from mspvault.shared.testing.wait import wait_until

pytestmark = pytest.mark.integration

FAKE = Path(__file__).with_name("fake_service.py")


@pytest.fixture
def fake_python(tmp_path) -> str:
    """An executable that answers `<it> -m mspvault.<service> [migrate]` with the stand-in service."""
    wrapper = tmp_path / "python"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE}" "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


class Lines:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []

    def __call__(self, name: str, line: str) -> None:
        self.lines.append((name, line))

    def pids(self) -> list[int]:
        return [int(m.group(1)) for _, line in self.lines if (m := re.search(r"^serve \w+ pid=(\d+)", line))]

    def of(self, name: str) -> list[str]:
        return [line for n, line in self.lines if n == name]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def _health(system: System, name: str) -> dict[str, str]:
    if name == "gateway":
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(system.ca_path))
        url = f"{system.gateway_url}/health"
    else:
        verify, url = True, f"{system.service_urls[name]}/health"
    async with httpx.AsyncClient(verify=verify, trust_env=False) as client:
        response = await client.get(url)
    assert response.status_code == 200
    env: dict[str, str] = response.json()["env"]
    return env


async def test_every_child_gets_its_contract_and_everything_stops(
    postgres, isolated_kafka, tmp_path, unique_id, fake_python
) -> None:
    sink = Lines()
    prefix = f"s{unique_id}_"
    try:
        async with start_system(
            tmp_path / "data",
            postgres=postgres,
            kafka=isolated_kafka,
            database_prefix=prefix,
            topic_partitions=2,
            python=fake_python,
            log_sink=sink,
            env={"MSPVAULT_VAULT_LOG_LEVEL": "DEBUG"},
            startup_timeout=30,
        ) as system:
            for service in SERVICES:
                env = await _health(system, service)
                assert env["DATABASE_URL"] == system.database_urls[service] == postgres.url_for(prefix + service)
                assert env["KAFKA_BOOTSTRAP"] == isolated_kafka.bootstrap
                assert env["KAFKA_IDEMPOTENT_PRODUCER"] == "false"
                assert env["HTTP_PORT"] == str(system.ports.of(service))
                assert env["IDENTITY_URL"] == system.service_urls["identity"]
                assert env["TOPIC_PARTITIONS"] == "2"
                conn = await asyncpg.connect(asyncpg_url(system.database_urls[service]))
                try:
                    assert await conn.fetchval("SELECT service FROM migrated") == service  # migrated before serving
                finally:
                    await conn.close()
            assert (await _health(system, "vault"))["LOG_LEVEL"] == "DEBUG"
            provider = await _health(system, "provider")
            assert provider["SMTP_PORT"] == str(system.ports.smtp)
            assert provider["PUBLIC_URL"] == system.gateway_url
            organization = await _health(system, "organization")
            assert provider["INVITE_SECRET"] == organization["INVITE_SECRET"] == invite_secret(system.data_dir)

            gateway = await _health(system, "gateway")
            assert gateway["DATA_DIR"] == str(system.data_dir)
            assert system.ca_path == system.data_dir / "tls" / "ca.pem"
            assert {gateway[f"{s.upper()}_URL"] for s in SERVICES} == set(system.service_urls.values())
            assert await topic_partitions(isolated_kafka.bootstrap, all_topics()) == dict.fromkeys(all_topics(), 2)

            assert await system.stop_service("vault") == 0
            await system.start_service("vault")
            await _health(system, "vault")
            pids = sink.pids()
            assert len(pids) == 6  # four services, the gateway, and vault once more

            os.kill(pids[-1], signal.SIGKILL)  # the new vault dies on its own: `make up` notices and stops
            assert await asyncio.wait_for(system.wait_for_exit(), 10) == ("vault", -signal.SIGKILL)
    finally:
        for service in SERVICES:
            await postgres.drop_database(prefix + service)

    assert not [pid for pid in pids if _alive(pid)]
    for name in (*SERVICES, "gateway"):
        assert f"{name} stopped cleanly" in sink.of(name)
        assert f"migrated {name}" in sink.of(name) or name == "gateway"
        assert (system.logs_dir / f"{name}.log").read_text().count("stopped cleanly") >= 1
    assert await kafka_answers(isolated_kafka.bootstrap)  # the caller's broker is the caller's to stop


async def test_a_service_that_dies_at_start_fails_the_start_and_nothing_is_left_running(
    postgres, isolated_kafka, tmp_path, unique_id, fake_python, monkeypatch
) -> None:
    monkeypatch.setenv("FAKE_FAIL", "provider:serve")
    sink = Lines()
    prefix = f"f{unique_id}_"
    try:
        with pytest.raises(ChildFailed, match=r"(?s)provider: exited with code 3.*failing on purpose"):
            async with start_system(
                tmp_path / "data",
                postgres=postgres,
                kafka=isolated_kafka,
                database_prefix=prefix,
                python=fake_python,
                log_sink=sink,
                startup_timeout=30,
            ):
                pytest.fail("the system must not come up")
    finally:
        for service in SERVICES:
            await postgres.drop_database(prefix + service)
    assert sink.pids()
    assert not [pid for pid in sink.pids() if _alive(pid)]
    assert not sink.of("gateway")  # never started


async def test_the_make_up_shape_owns_and_stops_its_own_persistent_infrastructure(tmp_path, fake_python) -> None:
    data = tmp_path / "d"
    async with start_system(data, persistent=True, infra_mode="embedded", python=fake_python) as system:
        assert system.postgres.kind == "embedded"
        assert system.postgres.data_dir == data.resolve() / "postgres"
        assert system.kafka.kind == "tansu"
        bootstrap = system.kafka.bootstrap
    assert (data / "postgres" / "PG_VERSION").exists()
    assert not (data / "postgres" / "postmaster.pid").exists()  # stopped, data kept
    assert not await kafka_answers(bootstrap, request_timeout=0.5)


async def test_make_up_runs_until_ctrl_c_and_then_stops_everything(tmp_path, fake_python) -> None:
    ports = Ports.free()
    env = {
        **os.environ,
        "MSPVAULT_DATA_DIR": str(tmp_path / "data"),
        "MSPVAULT_PYTHON": fake_python,
        "MSPVAULT_INFRA": "embedded",
        "MSPVAULT_KAFKA_PORT": str(ports.kafka),
        "MSPVAULT_SMTP_PORT": str(ports.smtp),
        "MSPVAULT_GATEWAY_HTTPS_PORT": str(ports.gateway),
        **{f"MSPVAULT_{s.upper()}_HTTP_PORT": str(ports.of(s)) for s in SERVICES},
    }
    up = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "mspvault.deploy.local", "up",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    stdout = up.stdout
    assert stdout is not None
    output: list[str] = []

    async def banner_printed() -> bool:
        line = (await stdout.readline()).decode()
        output.append(line)
        if not line and up.returncode is not None:
            raise AssertionError("make up exited early:\n" + "".join(output))
        return "MSPVault is up" in line

    try:
        await wait_until(banner_printed, timeout=60, message="the banner of `make up`")
        up.send_signal(signal.SIGINT)
        output.append((await asyncio.wait_for(stdout.read(), 30)).decode())
        assert await up.wait() == 0
    finally:
        if up.returncode is None:
            up.kill()
    text = "".join(output)
    pids = [int(pid) for pid in re.findall(r"serve \w+ pid=(\d+)", text)]
    assert len(pids) == 5
    assert not [pid for pid in pids if _alive(pid)]
    for name in (*SERVICES, "gateway"):
        assert f"{name} stopped cleanly" in text
    assert text.rstrip().endswith("stopped")
    assert (tmp_path / "data" / "postgres" / "PG_VERSION").exists()
