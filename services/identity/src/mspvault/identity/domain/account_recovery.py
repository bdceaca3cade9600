"""Account recovery as identity sees it: whom the organization service says the caller may recover, and with what.

The organization service decides (role, enrolment, the Account Recovery policy: its domain/account_recovery.py);
identity asks it as the caller and applies the new master password the admin's client made (`Account.recover`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mspvault.shared.errors import DomainError


class RecoveryRefused(DomainError):
    """The organization service refused it by a rule the caller may see (not enrolled, the policy off): 400."""


@dataclass(frozen=True)
class RecoveryTarget:
    organization_user_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    reset_password_key: str  # the member's user key under the org's public key
    encrypted_private_key: str  # the org's private key under the org key
