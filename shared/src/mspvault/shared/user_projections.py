"""The projections of identity's user events that organization, provider and vault share: each keeps identity's
users behind the same port (`mspvault.shared.db.users_read_model`), so they write it the same way. A service
subscribes them beside its own projections (`router.subscribe(user_projections)`); what a deleted user takes with
them differs, so `UserDeletedV1` stays each service's own.

Like every projection, these run in the inbox's transaction and do not commit."""

from __future__ import annotations

from typing import Protocol

from mspvault.shared.contracts.identity import UserKeysSetV1, UserProfileUpdatedV1, UserRegisteredV1
from mspvault.shared.db.users_read_model import UsersReadModel
from mspvault.shared.text import normalize_email


class KeepsUsers(Protocol):
    """A service's work bundle, as far as these projections need it."""

    @property
    def read_models(self) -> UsersReadModel: ...


async def user_registered(work: KeepsUsers, event: UserRegisteredV1) -> None:
    await work.read_models.register_user(
        event.user_id, email=normalize_email(event.email), name=event.name, public_key=event.public_key
    )


async def user_keys_set(work: KeepsUsers, event: UserKeysSetV1) -> None:
    await work.read_models.set_user_key(event.user_id, event.public_key)


async def user_profile_updated(work: KeepsUsers, event: UserProfileUpdatedV1) -> None:
    await work.read_models.save_user(event.user_id, email=normalize_email(event.email), name=event.name)
