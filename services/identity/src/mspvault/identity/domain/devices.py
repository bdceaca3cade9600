"""The devices a user logs in from, as the client names them at the password grant."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mspvault.shared.errors import DomainError

MAX_IDENTIFIER_CHARS = 128
MAX_NAME_CHARS = 256
# Bitwarden's DeviceType enum runs 0..25 today; leave room for new client kinds.
DEVICE_TYPES = range(0, 100)


class InvalidDevice(DomainError):
    pass


@dataclass(frozen=True)
class DeviceInfo:
    identifier: str
    type: int
    name: str

    @classmethod
    def parse(cls, identifier: str | None, device_type: str | None, name: str | None) -> DeviceInfo:
        identifier = (identifier or "").strip()
        if not identifier or len(identifier) > MAX_IDENTIFIER_CHARS:
            raise InvalidDevice("deviceIdentifier is required (at most 128 characters).", field="deviceIdentifier")
        name = (name or "").strip()
        if not name or len(name) > MAX_NAME_CHARS:
            raise InvalidDevice("deviceName is required (at most 256 characters).", field="deviceName")
        try:
            kind = int((device_type or "").strip())
        except ValueError:
            kind = -1
        if kind not in DEVICE_TYPES:
            raise InvalidDevice("deviceType must be a Bitwarden device type number.", field="deviceType")
        return cls(identifier, kind, name)


@dataclass(frozen=True)
class Device:
    id: uuid.UUID
    user_id: uuid.UUID
    info: DeviceInfo
