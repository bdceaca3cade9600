"""Commands on provider users. All but `accept` are the Provider Admins' (others get 404, see Roster.admin)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from mspvault.provider.domain.roster import BulkResult, ProviderUser, Roster
from mspvault.provider.service_layer import commands as c
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


async def _admin_change(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, change: Callable[[Roster], T]
) -> T:
    """`change` made to the roster by one of its admins, then saved, published and committed."""
    roster, result = await _as_admin(work, caller, provider_id, change)
    await finish_roster(work, roster, caller.user_id)
    return result


async def invite_users(work: ProviderWork, caller: Principal, command: c.InviteProviderUsers) -> list[ProviderUser]:
    now = work.clock()
    roster, invited = await _as_admin(
        work, caller, command.provider_id, lambda r: r.invite(command.emails, command.type, now)
    )
    await send_invites(work, roster, invited)
    await finish_roster(work, roster, caller.user_id)
    return invited


async def reinvite_users(work: ProviderWork, caller: Principal, command: c.ReinviteProviderUsers) -> list[BulkResult]:
    now = work.clock()
    roster, (results, reissued) = await _as_admin(
        work, caller, command.provider_id, lambda r: r.reinvite_many(command.provider_user_ids, now)
    )
    await send_invites(work, roster, reissued)
    await finish_roster(work, roster, caller.user_id)
    return results


async def reinvite_user(work: ProviderWork, caller: Principal, command: c.ReinviteProviderUser) -> None:
    now = work.clock()
    roster, row = await _as_admin(
        work, caller, command.provider_id, lambda r: r.reinvite(command.provider_user_id, now)
    )
    await send_invites(work, roster, [row])
    await finish_roster(work, roster, caller.user_id)


async def accept_invite(work: ProviderWork, caller: Principal, command: c.AcceptProviderInvite) -> ProviderUser:
    """Any signed-in account holding the token, whose email is the invited one, may accept."""
    now = work.clock()
    claims = work.tokens.verify(command.token, now)
    roster = await work.store.load_roster(command.provider_id, lock=True)
    row = roster.accept(command.provider_user_id, claims, user_id=caller.user_id, email=caller.email, now=now)
    await finish_roster(work, roster, caller.user_id)
    return row


async def confirm_user(work: ProviderWork, caller: Principal, command: c.ConfirmProviderUser) -> ProviderUser:
    return await _admin_change(
        work, caller, command.provider_id, lambda r: r.confirm(command.provider_user_id, command.key, work.clock())
    )


async def confirm_users(work: ProviderWork, caller: Principal, command: c.ConfirmProviderUsers) -> list[BulkResult]:
    return await _admin_change(work, caller, command.provider_id, lambda r: r.confirm_many(command.keys, work.clock()))


async def change_user_type(work: ProviderWork, caller: Principal, command: c.ChangeProviderUserType) -> ProviderUser:
    return await _admin_change(
        work, caller, command.provider_id, lambda r: r.change_type(command.provider_user_id, command.type, work.clock())
    )


async def revoke_user(work: ProviderWork, caller: Principal, command: c.RevokeProviderUser) -> None:
    await _admin_change(
        work,
        caller,
        command.provider_id,
        lambda r: r.revoke(command.provider_user_id, acting_user_id=caller.user_id, now=work.clock()),
    )


async def restore_user(work: ProviderWork, caller: Principal, command: c.RestoreProviderUser) -> None:
    await _admin_change(work, caller, command.provider_id, lambda r: r.restore(command.provider_user_id, work.clock()))


async def remove_user(work: ProviderWork, caller: Principal, command: c.RemoveProviderUser) -> None:
    await _admin_change(
        work, caller, command.provider_id, lambda r: r.remove(command.provider_user_id, acting_user_id=caller.user_id)
    )


async def remove_users(work: ProviderWork, caller: Principal, command: c.RemoveProviderUsers) -> list[BulkResult]:
    return await _admin_change(
        work,
        caller,
        command.provider_id,
        lambda r: r.remove_many(command.provider_user_ids, acting_user_id=caller.user_id),
    )
