"""Who may turn a client's provider access to items on or off, and what the command publishes and bumps.

The handler runs against in-memory fakes of the store and the unit of work (no database, no broker).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from mspvault.provider.domain.client import ClientLink
from mspvault.provider.domain.enums import ProviderUserType
from mspvault.provider.domain.errors import ClientNotFound, ProviderNotFound
from mspvault.provider.domain.roster import Roster
from mspvault.provider.service_layer import clients as commands
from mspvault.provider.service_layer.commands import ChangeClient
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.provider import ClientSeatsChangedV1, ClientSettingsChangedV1
from mspvault.shared.testing.fakes import FakeUnitOfWork
from tests.unit.provider.fakes import FakeProviderStore, FakeProviderWorld
from tests.unit.provider.provider_builders import NOW, add_member, contoso_client, set_up_roster


@dataclass
class World:
    roster: Roster
    link: ClientLink
    admin: Principal
    bob: Principal  # confirmed Service User
    rex: Principal  # revoked Service User
    dave: Principal  # admin of another provider
    eve: Principal  # belongs to nothing
    fakes: FakeProviderWorld

    @property
    def store(self) -> FakeProviderStore:
        return self.fakes.store

    @property
    def uow(self) -> FakeUnitOfWork:
        return self.fakes.uow

    def work(self) -> ProviderWork:
        return self.fakes.work()

    async def set_access(self, caller: Principal, allowed: bool | None, provider_id: uuid.UUID | None = None) -> None:
        command = ChangeClient(
            provider_id or self.roster.provider.id, self.link.id, seats=10, name=None, provider_access_to_items=allowed
        )
        await commands.change_client(self.work(), caller, command)

    def settings_events(self) -> list[ClientSettingsChangedV1]:
        return [event for event, _ in self.uow.published if isinstance(event, ClientSettingsChangedV1)]


def principal(user_id: uuid.UUID | None) -> Principal:
    user_id = user_id or uuid.uuid4()
    return Principal(user_id=user_id, email=f"{user_id.hex[:8]}@acme.test")


def world() -> World:
    roster, admin_id = set_up_roster()
    bob = add_member(roster, "bob@acme.test", ProviderUserType.SERVICE_USER)
    rex = add_member(roster, "rex@acme.test", ProviderUserType.SERVICE_USER)
    roster.revoke(rex.id, acting_user_id=admin_id, now=NOW)
    roster.events.clear()
    other, dave_id = set_up_roster()
    link = contoso_client(roster)
    store = FakeProviderStore(rosters={roster.provider.id: roster, other.provider.id: other}, clients={link.id: link})
    return World(
        roster=roster,
        link=link,
        admin=principal(admin_id),
        bob=principal(bob.user_id),
        rex=principal(rex.user_id),
        dave=principal(dave_id),
        eve=principal(None),
        fakes=FakeProviderWorld(store=store),
    )


@pytest.mark.parametrize("who", ["admin", "bob"])
async def test_a_confirmed_provider_user_turns_access_off_and_on(who: str) -> None:
    w = world()
    caller: Principal = getattr(w, who)
    await w.set_access(caller, False)
    (off,) = w.settings_events()
    assert (off.organization_id, off.provider_access_to_items) == (w.link.organization_id, False)
    assert w.store.clients[w.link.id].settings.provider_access_to_items is False
    (_, actor) = w.uow.published[-1]
    assert (actor.user_id, actor.provider_id) == (caller.user_id, w.roster.provider.id)
    # Every provider user's sync shows the setting (allowAdminAccessToAllCollectionItems), so all are bumped.
    assert w.store.bumped == w.roster.users_with_accounts()

    await w.set_access(caller, True)
    assert [e.provider_access_to_items for e in w.settings_events()] == [False, True]
    assert w.uow.commits == 2


async def test_an_unchanged_or_absent_setting_publishes_no_settings_event() -> None:
    w = world()
    await w.set_access(w.bob, True)
    await w.set_access(w.bob, None)
    assert w.settings_events() == []
    assert [type(event) for event, _ in w.uow.published] == [ClientSeatsChangedV1, ClientSeatsChangedV1]


@pytest.mark.parametrize("who", ["rex", "dave", "eve"])
async def test_revoked_users_outsiders_and_other_providers_cannot_change_it(who: str) -> None:
    w = world()
    with pytest.raises(ProviderNotFound):
        await w.set_access(getattr(w, who), False)
    assert w.uow.published == []
    assert w.uow.commits == 0
    assert w.link.settings.provider_access_to_items


async def test_another_providers_admin_cannot_reach_the_client_through_their_own_provider() -> None:
    w = world()
    (other_id,) = [pid for pid in w.store.rosters if pid != w.roster.provider.id]
    with pytest.raises(ClientNotFound):
        await w.set_access(w.dave, False, provider_id=other_id)
    assert w.uow.published == []
    assert w.link.settings.provider_access_to_items
