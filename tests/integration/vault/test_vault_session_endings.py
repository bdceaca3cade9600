"""Session endings do not wait behind bulk work: with the vault's inbox paused (as behind a backlog of thousands of
organization events), a `SecurityStampRotated` from identity still ends the user's sessions in the vault at once,
through the consumer that reads identity's topic for rotations alone (`mspvault.shared.messaging.session_endings`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from mspvault.shared.contracts import identity as idn
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.infra.kafka import KafkaBroker
from mspvault.shared.testing.wait import wait_until
from tests.integration.vault.vault_harness import VaultService, publish

pytestmark = pytest.mark.integration


async def test_a_rotation_ends_the_sessions_while_the_inbox_is_stalled(vault: VaultService, kafka: KafkaBroker) -> None:
    alice = await vault.user("alice")
    assert (await vault.http.get("/api/ciphers", headers=alice.headers)).status_code == 200
    stalled = vault.runtime.consumer
    stalled.pause()
    try:
        newcomer = uuid.uuid4()
        rotation = idn.SecurityStampRotatedV1(
            user_id=alice.id, security_stamp=uuid.uuid4().hex, rotated_at=datetime.now(UTC), reason="logout"
        )
        await publish(
            kafka,
            events_topic("identity"),
            idn.UserRegisteredV1(user_id=newcomer, email=f"n-{newcomer.hex[:8]}@vault.test", name="n"),
            rotation,
        )

        async def refused() -> bool:
            return (await vault.http.get("/api/ciphers", headers=alice.headers)).status_code == 401

        await wait_until(refused, timeout=30, message="alice's old token refused while the inbox is paused")
        # The inbox really was stalled: the registration published just before the rotation is not applied.
        async with vault.runtime.session_factory() as session:
            known = await session.scalar(text("SELECT count(*) FROM users WHERE id = :id"), {"id": newcomer})
        assert known == 0
    finally:
        stalled.resume()
