"""Commands on a provider itself: an operator opens it, its first admin sets it up, admins edit it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mspvault.provider.domain.enums import ProviderType
from mspvault.provider.domain.provider import Provider
from mspvault.provider.domain.roster import Roster
from mspvault.provider.service_layer.common import finish_roster, send_invites
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.auth.principal import Principal


@dataclass(frozen=True)
class ProviderProfile:
    name: str
    business_name: str | None
    billing_email: str | None


async def open_provider(
    work: ProviderWork,
    operator: Principal,
    *,
    name: str,
    type: ProviderType,
    owner_email: str,
    seat_minimum_teams: int = 0,
    seat_minimum_enterprise: int = 0,
) -> Roster:
    roster = Roster.open(
        name=name,
        type=type,
        owner_email=owner_email,
        now=work.clock(),
        seat_minimum_teams=seat_minimum_teams,
        seat_minimum_enterprise=seat_minimum_enterprise,
    )
    await work.store.add_roster(roster)
    await send_invites(work, roster, roster.users)
    await finish_roster(work, roster, operator.user_id)
    return roster


async def update_provider(
    work: ProviderWork, caller: Principal, provider_id: uuid.UUID, profile: ProviderProfile
) -> Provider:
    roster = await work.store.load_roster(provider_id, lock=True)
    roster.admin(caller.user_id)
    roster.update_profile(
        name=profile.name, business_name=profile.business_name, billing_email=profile.billing_email, now=work.clock()
    )
    await finish_roster(work, roster, caller.user_id)
    return roster.provider


async def setup_provider(
    work: ProviderWork,
    caller: Principal,
    provider_id: uuid.UUID,
    profile: ProviderProfile,
    *,
    key: str,
    token: str | None,
) -> Provider:
    """Finish a Pending provider. A caller who has not accepted yet may pass the invite token to do both at once."""
    roster = await work.store.load_roster(provider_id, lock=True)
    now = work.clock()
    if roster.account(caller.user_id) is None and token:
        claims = work.tokens.verify(token, now)
        roster.accept(claims.provider_user_id, claims, user_id=caller.user_id, email=caller.email, now=now)
    roster.complete_setup(
        user_id=caller.user_id,
        key=key,
        name=profile.name,
        business_name=profile.business_name,
        billing_email=profile.billing_email,
        now=now,
    )
    await finish_roster(work, roster, caller.user_id)
    return roster.provider
