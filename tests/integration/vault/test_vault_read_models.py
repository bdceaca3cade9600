"""The vault's read models against PostgreSQL where a statement's own semantics matter."""

from __future__ import annotations

import uuid

import pytest

from mspvault.vault.adapters.read_models import SqlReadModels
from tests.integration.vault.vault_harness import VaultService

pytestmark = pytest.mark.integration


async def test_saving_an_organization_answers_whether_it_was_enabled_before_in_one_statement(
    vault: VaultService,
) -> None:
    """The organization events' handlers bump everyone in it when `enabled` flips; the answer comes from the
    upsert's RETURNING, which reads the row as it was before the statement."""
    organization_id = uuid.uuid4()
    async with vault.runtime.session_factory() as session:
        models = SqlReadModels(session)
        assert await models.save_organization(organization_id, name="Contoso", enabled=True) is None
        assert await models.save_organization(organization_id, name="Contoso", enabled=False) is True
        assert await models.save_organization(organization_id, name="Contoso Ltd", enabled=False) is False
        assert await models.save_organization(organization_id, name="Contoso Ltd", enabled=True) is False
        await session.rollback()
