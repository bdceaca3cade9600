"""Commands on a provider itself: an operator opens it, its first admin sets it up, admins edit it."""

from __future__ import annotations

from mspvault.provider.domain.invite_token import PROVIDER_USER
from mspvault.provider.domain.provider import Provider
from mspvault.provider.domain.roster import Roster
from mspvault.provider.service_layer.commands import OpenProvider, SetUpProvider, UpdateProvider
from mspvault.provider.service_layer.common import finish_roster, send_invites
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.auth.principal import Principal


async def open_provider(work: ProviderWork, operator: Principal, command: OpenProvider) -> Roster:
    provider = Provider.new(
        name=command.name,
        type=command.type,
        now=work.clock(),
        seat_minimum_teams=command.seat_minimum_teams,
        seat_minimum_enterprise=command.seat_minimum_enterprise,
    )
    roster = Roster.open(provider, owner_email=command.owner_email)
    await work.store.add_roster(roster)
    await send_invites(work, roster, roster.users)
    await finish_roster(work, roster, operator.user_id)
    return roster


async def update_provider(work: ProviderWork, caller: Principal, command: UpdateProvider) -> Provider:
    roster = await work.store.load_roster(command.provider_id, lock=True)
    roster.admin(caller.user_id)
    roster.update_profile(
        name=command.name, business_name=command.business_name, billing_email=command.billing_email, now=work.clock()
    )
    await finish_roster(work, roster, caller.user_id)
    return roster.provider


async def setup_provider(work: ProviderWork, caller: Principal, command: SetUpProvider) -> Provider:
    """Finish a Pending provider. A caller who has not accepted yet may pass the invite token to do both at once.
    A token is checked before the provider is looked up, so a wrong one is refused alike for a real provider and a
    made-up one."""
    now = work.clock()
    claims = work.tokens.verify(command.token, now) if command.token else None
    roster = await work.store.load_roster(command.provider_id, lock=True)
    if roster.account(caller.user_id) is None and claims is not None:
        roster.accept(claims.id(PROVIDER_USER), claims, user_id=caller.user_id, email=caller.email, now=now)
    roster.complete_setup(
        user_id=caller.user_id,
        key=command.key,
        name=command.name,
        business_name=command.business_name,
        billing_email=command.billing_email,
        now=now,
    )
    await finish_roster(work, roster, caller.user_id)
    return roster.provider
