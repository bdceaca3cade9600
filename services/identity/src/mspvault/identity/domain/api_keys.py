"""Personal API keys: `client_credentials` logins as `user.<id>` with a secret the user views and rotates (Bitwarden's
ApiKey on the user). They skip two-step login, as Bitwarden's do: the secret stands for both steps."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime

from mspvault.shared.api_keys import new_client_secret

USER_CLIENT_PREFIX = "user."
API_SCOPE = ("api",)


def user_client_id(user_id: uuid.UUID) -> str:
    return f"{USER_CLIENT_PREFIX}{user_id}"


def id_of_client_id(client_id: str, prefix: str) -> uuid.UUID | None:
    """The id a `<prefix><id>` client id names; None for anything else (it is answered as a wrong secret)."""
    if not client_id.startswith(prefix):
        return None
    try:
        return uuid.UUID(client_id.removeprefix(prefix))
    except ValueError:
        return None


def user_of_client_id(client_id: str) -> uuid.UUID | None:
    return id_of_client_id(client_id, USER_CLIENT_PREFIX)


@dataclass
class ApiKey:
    user_id: uuid.UUID
    client_secret: str
    revision_date: datetime

    @classmethod
    def issue(cls, user_id: uuid.UUID, now: datetime) -> ApiKey:
        return cls(user_id, new_client_secret(), now)

    def rotate(self, now: datetime) -> None:
        """The old secret stops working at once: tokens are minted only against the stored one."""
        self.client_secret = new_client_secret()
        self.revision_date = now

    def admits(self, secret: str) -> bool:
        return hmac.compare_digest(self.client_secret.encode(), secret.encode())
