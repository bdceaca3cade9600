"""A folder: a user's own label for items, named with an EncString under the user key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from mspvault.shared.contracts.envelope import EventData
from mspvault.shared.contracts.vault import FolderCreatedV1, FolderDeletedV1, FolderUpdatedV1
from mspvault.vault.domain.encstring import require_encstring
from mspvault.vault.domain.limits import MAX_NAME_LENGTH, check_length


@dataclass(slots=True)
class Folder:
    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    updated_at: datetime
    events: list[EventData] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def create(cls, user_id: uuid.UUID, name: str, now: datetime) -> Folder:
        check_length(name, "name", MAX_NAME_LENGTH)
        require_encstring(name, "name")
        folder = cls(uuid.uuid4(), user_id, name, now)
        folder.events.append(FolderCreatedV1(user_id=user_id, folder_id=folder.id))
        return folder

    def rename(self, name: str, now: datetime) -> None:
        check_length(name, "name", MAX_NAME_LENGTH)
        require_encstring(name, "name")
        self.name, self.updated_at = name, now
        self.events.append(FolderUpdatedV1(user_id=self.user_id, folder_id=self.id))

    def delete(self) -> None:
        """Its items stay, without a folder."""
        self.events.append(FolderDeletedV1(user_id=self.user_id, folder_id=self.id))
