"""Folder commands: a user's own labels for items, named with EncStrings under the user key."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.contracts.vault import FolderCreatedV1, FolderDeletedV1, FolderUpdatedV1
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.vault.adapters import repository
from mspvault.vault.adapters.repository import StoredFolder
from mspvault.vault.domain.encstring import require_encstring
from mspvault.vault.service_layer.views import folder_of


async def create_folder(uow: UnitOfWork, user_id: uuid.UUID, name: str) -> StoredFolder:
    require_encstring(name, "name")
    folder_id, at = uuid.uuid4(), datetime.now(UTC)
    await repository.insert_folder(uow.session, folder_id=folder_id, user_id=user_id, name=name, at=at)
    await repository.bump_revisions(uow.session, [user_id], at)
    uow.publish(FolderCreatedV1(user_id=user_id, folder_id=folder_id), actor=Actor(user_id=user_id))
    await uow.commit()
    return StoredFolder(folder_id, user_id, name, at)


async def rename_folder(uow: UnitOfWork, user_id: uuid.UUID, folder_id: uuid.UUID, name: str) -> StoredFolder:
    await folder_of(uow.session, user_id, folder_id)  # 404 unless it is the caller's
    require_encstring(name, "name")
    at = datetime.now(UTC)
    await repository.rename_folder(uow.session, folder_id, name, at)
    await repository.bump_revisions(uow.session, [user_id], at)
    uow.publish(FolderUpdatedV1(user_id=user_id, folder_id=folder_id), actor=Actor(user_id=user_id))
    await uow.commit()
    return StoredFolder(folder_id, user_id, name, at)


async def delete_folder(uow: UnitOfWork, user_id: uuid.UUID, folder_id: uuid.UUID) -> None:
    await folder_of(uow.session, user_id, folder_id)
    await repository.delete_folder(uow.session, folder_id)
    await repository.bump_revisions(uow.session, [user_id], datetime.now(UTC))
    uow.publish(FolderDeletedV1(user_id=user_id, folder_id=folder_id), actor=Actor(user_id=user_id))
    await uow.commit()
