"""Commands on provider users. All but `accept` are the Provider Admins' (others get 404, see Roster.admin)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TypeVar

from mspvault.provider.domain.enums import ProviderUserType
from mspvault.provider.domain.roster import BulkResult, ProviderUser, Roster
from mspvault.provider.service_layer.common import finish_roster, send_invites
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.auth.principal import Principal

T = TypeVar("T")


async def _as_admin(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, change: Callable[[Roster], T]
) -> tuple[Roster, T]:
    roster = await work.store.load_roster(provider_id, lock=True)
    roster.admin(caller.user_id)
    result = change(roster)
    return roster, result


async def invite_users(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, emails: Sequence[str], type: ProviderUserType
) -> list[ProviderUser]:
    now = work.clock()
    roster, invited = await _as_admin(work, caller, provider_id, lambda r: r.invite(emails, type, now))
    await send_invites(work, roster, invited)
    await finish_roster(work, roster, caller.user_id)
    return invited


async def reinvite_users(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[BulkResult]:
    now = work.clock()
    roster, (results, reissued) = await _as_admin(work, caller, provider_id, lambda r: r.reinvite_many(ids, now))
    await send_invites(work, roster, reissued)
    await finish_roster(work, roster, caller.user_id)
    return results


async def reinvite_user(work: ProviderWork, caller: Principal, provider_id: uuid.UUID, pu_id: uuid.UUID) -> None:
    now = work.clock()
    roster, row = await _as_admin(work, caller, provider_id, lambda r: r.reinvite(pu_id, now))
    await send_invites(work, roster, [row])
    await finish_roster(work, roster, caller.user_id)


async def accept_invite(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, pu_id: uuid.UUID, token: str
) -> ProviderUser:
    """Any signed-in account holding the token, whose email is the invited one, may accept."""
    now = work.clock()
    claims = work.tokens.verify(token, now)
    roster = await work.store.load_roster(provider_id, lock=True)
    row = roster.accept(pu_id, claims, user_id=caller.user_id, email=caller.email, now=now)
    await finish_roster(work, roster, caller.user_id)
    return row


async def confirm_user(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, pu_id: uuid.UUID, key: str
) -> ProviderUser:
    roster, row = await _as_admin(work, caller, provider_id, lambda r: r.confirm(pu_id, key, work.clock()))
    await finish_roster(work, roster, caller.user_id)
    return row


async def confirm_users(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, keys: Sequence[tuple[uuid.UUID, str]]
) -> list[BulkResult]:
    roster, results = await _as_admin(work, caller, provider_id, lambda r: r.confirm_many(keys, work.clock()))
    await finish_roster(work, roster, caller.user_id)
    return results


async def change_user_type(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, pu_id: uuid.UUID, type: ProviderUserType
) -> ProviderUser:
    roster, row = await _as_admin(work, caller, provider_id, lambda r: r.change_type(pu_id, type, work.clock()))
    await finish_roster(work, roster, caller.user_id)
    return row


async def revoke_user(work: ProviderWork, caller: Principal, provider_id: uuid.UUID, pu_id: uuid.UUID) -> None:
    roster, _ = await _as_admin(
        work, caller, provider_id, lambda r: r.revoke(pu_id, acting_user_id=caller.user_id, now=work.clock())
    )
    await finish_roster(work, roster, caller.user_id)


async def restore_user(work: ProviderWork, caller: Principal, provider_id: uuid.UUID, pu_id: uuid.UUID) -> None:
    roster, _ = await _as_admin(work, caller, provider_id, lambda r: r.restore(pu_id, work.clock()))
    await finish_roster(work, roster, caller.user_id)


async def remove_user(work: ProviderWork, caller: Principal, provider_id: uuid.UUID, pu_id: uuid.UUID) -> None:
    roster, _ = await _as_admin(work, caller, provider_id, lambda r: r.remove(pu_id, acting_user_id=caller.user_id))
    await finish_roster(work, roster, caller.user_id)


async def remove_users(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[BulkResult]:
    roster, results = await _as_admin(
        work, caller, provider_id, lambda r: r.remove_many(ids, acting_user_id=caller.user_id)
    )
    await finish_roster(work, roster, caller.user_id)
    return results
