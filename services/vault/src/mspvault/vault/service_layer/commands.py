"""What a client asks the vault to do, independent of HTTP: the entrypoints build these, the handlers take them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mspvault.vault.domain.cipher import CipherContent, build_content


@dataclass(frozen=True)
class CipherDraft:
    """A cipher as a client sends it for create, update or share (bw-cli-api.md §3.8)."""

    type: int
    name: str
    notes: str | None = None
    key: str | None = None
    reprompt: int | None = None
    type_data: Mapping[str, Any] = field(default_factory=dict)  # wire name (`login`, …) → what was sent
    fields: list[Any] | None = None
    password_history: list[Any] | None = None
    folder_id: uuid.UUID | None = None
    favorite: bool | None = None
    organization_id: uuid.UUID | None = None
    last_known_revision_date: str | None = None
    archived_date: str | None = None
    encrypted_for: uuid.UUID | None = None

    def content(self) -> CipherContent:
        return build_content(
            type=self.type,
            name=self.name,
            notes=self.notes,
            key=self.key,
            reprompt=self.reprompt,
            type_data=self.type_data,
            fields=self.fields,
            password_history=self.password_history,
        )
