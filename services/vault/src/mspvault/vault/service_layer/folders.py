"""Folder commands: a user's own labels for items."""

from __future__ import annotations

import uuid
from datetime import datetime

from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor
from mspvault.vault.domain.errors import FolderNotFound
from mspvault.vault.domain.folder import Folder
from mspvault.vault.service_layer.commands import CreateFolder, DeleteFolder, RenameFolder
from mspvault.vault.service_layer.common import publish_all
from mspvault.vault.service_layer.ports import VaultWork


async def _own_folder(work: VaultWork, user_id: uuid.UUID, folder_id: uuid.UUID) -> Folder:
    folder = await work.store.folder(user_id, folder_id)
    if folder is None:  # someone else's is not found either
        raise FolderNotFound()
    return folder


async def _finish(work: VaultWork, folder: Folder, now: datetime) -> None:
    await work.store.bump_revisions([folder.user_id], now)
    publish_all(work, folder.events, Actor(user_id=folder.user_id))
    await work.uow.commit()


async def create_folder(work: VaultWork, caller: Principal, command: CreateFolder) -> Folder:
    now = work.clock()
    folder = Folder.create(caller.user_id, command.name, now)
    await work.store.add_folder(folder)
    await _finish(work, folder, now)
    return folder


async def rename_folder(work: VaultWork, caller: Principal, command: RenameFolder) -> Folder:
    folder = await _own_folder(work, caller.user_id, command.folder_id)
    now = work.clock()
    folder.rename(command.name, now)
    await work.store.save_folder(folder)
    await _finish(work, folder, now)
    return folder


async def delete_folder(work: VaultWork, caller: Principal, command: DeleteFolder) -> None:
    folder = await _own_folder(work, caller.user_id, command.folder_id)
    folder.delete()
    await work.store.delete_folder(folder)
    await _finish(work, folder, work.clock())
