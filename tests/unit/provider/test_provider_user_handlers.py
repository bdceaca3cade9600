"""Provider-user handlers against fakes: the invite mail's token is what accepting takes (once, by the invited
address), only active Provider Admins manage users (others: the provider's 404, nothing written), and each change
is saved, published as the caller's and committed once."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from mspvault.provider.domain.enums import ProviderUserStatus, ProviderUserType
from mspvault.provider.domain.errors import CannotActOnSelf, InviteEmailMismatch, InviteNotPending, ProviderNotFound
from mspvault.provider.domain.roster import ProviderUser, Roster
from mspvault.provider.service_layer import commands as c
from mspvault.provider.service_layer import provider_users
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.provider import ProviderUserRemovedV1, ProviderUserRestoredV1, ProviderUserRevokedV1
from tests.unit.provider.fakes import FakeProviderWorld
from tests.unit.provider.provider_builders import RSA, add_member, set_up_roster


def provider_world() -> tuple[FakeProviderWorld, Roster, Principal]:
    roster, admin_id = set_up_roster()
    world = FakeProviderWorld()
    world.store.rosters[roster.provider.id] = roster
    return world, roster, Principal(user_id=admin_id, email="alice@acme.test")


def mailed_token(world: FakeProviderWorld, email: str) -> str:
    [body] = [mail["body"] for mail in world.store.mails if mail["to"] == email][-1:]
    link = re.search(r"https://\S+", body)
    assert link is not None
    return parse_qs(urlsplit(link.group()).fragment.partition("?")[2])["token"][0]


async def invite_bob(world: FakeProviderWorld, roster: Roster, admin: Principal) -> ProviderUser:
    command = c.InviteProviderUsers(roster.provider.id, ("bob@acme.test",), ProviderUserType.SERVICE_USER)
    [row] = await provider_users.invite_users(world.work(), admin, command)
    return row


def types(world: FakeProviderWorld) -> list[str]:
    return [event.event_type for event, _ in world.uow.published]


async def test_invite_accept_with_the_mailed_token_and_confirm() -> None:
    world, roster, admin = provider_world()
    row = await invite_bob(world, roster, admin)
    bob = Principal(user_id=uuid.uuid4(), email="Bob@Acme.test")

    accept = c.AcceptProviderInvite(roster.provider.id, row.id, mailed_token(world, "bob@acme.test"))
    accepted = await provider_users.accept_invite(world.work(), bob, accept)
    confirmed = await provider_users.confirm_user(
        world.work(), admin, c.ConfirmProviderUser(roster.provider.id, row.id, RSA)
    )

    assert (accepted.user_id, confirmed.status, confirmed.key) == (bob.user_id, ProviderUserStatus.CONFIRMED, RSA)
    assert types(world) == ["ProviderUserInvited", "ProviderUserAccepted", "ProviderUserConfirmed"]
    assert [actor.user_id for _, actor in world.uow.published] == [admin.user_id, bob.user_id, admin.user_id]
    assert bob.user_id in world.store.bumped
    assert world.uow.commits == 3
    with pytest.raises(InviteNotPending):  # the token is spent
        await provider_users.accept_invite(world.work(), bob, accept)


async def test_only_the_invited_address_may_accept() -> None:
    world, roster, admin = provider_world()
    row = await invite_bob(world, roster, admin)
    mallory = Principal(user_id=uuid.uuid4(), email="mallory@evil.test")

    with pytest.raises(InviteEmailMismatch):
        await provider_users.accept_invite(
            world.work(), mallory, c.AcceptProviderInvite(roster.provider.id, row.id, mailed_token(world, row.email))
        )
    assert roster.user(row.id).status is ProviderUserStatus.INVITED
    assert world.uow.commits == 1  # the invite's


async def test_a_service_user_manages_no_one_and_learns_nothing() -> None:
    world, roster, _ = provider_world()
    carol_row = add_member(roster, "carol@acme.test", ProviderUserType.SERVICE_USER)
    dave_row = add_member(roster, "dave@acme.test", ProviderUserType.SERVICE_USER, confirm=False)
    assert carol_row.user_id is not None
    carol = Principal(user_id=carol_row.user_id, email=carol_row.email)

    with pytest.raises(ProviderNotFound):
        await provider_users.confirm_user(
            world.work(), carol, c.ConfirmProviderUser(roster.provider.id, dave_row.id, RSA)
        )
    with pytest.raises(ProviderNotFound):
        await provider_users.remove_user(world.work(), carol, c.RemoveProviderUser(roster.provider.id, dave_row.id))

    assert roster.user(dave_row.id).status is ProviderUserStatus.ACCEPTED
    assert (world.uow.published, world.uow.commits) == ([], 0)


async def test_revoke_then_restore_brings_back_the_status_and_tells_the_other_services() -> None:
    world, roster, admin = provider_world()
    bob = add_member(roster, "bob@acme.test", ProviderUserType.SERVICE_USER)

    await provider_users.revoke_user(world.work(), admin, c.RevokeProviderUser(roster.provider.id, bob.id))
    assert roster.user(bob.id).status is ProviderUserStatus.REVOKED
    await provider_users.restore_user(world.work(), admin, c.RestoreProviderUser(roster.provider.id, bob.id))

    assert roster.user(bob.id).status is ProviderUserStatus.CONFIRMED
    [revoked] = world.uow.events(ProviderUserRevokedV1)
    [restored] = world.uow.events(ProviderUserRestoredV1)
    assert revoked.provider_user_id == restored.provider_user_id == bob.id
    assert bob.user_id in world.store.bumped


async def test_an_admin_removes_others_in_bulk_but_never_themself() -> None:
    world, roster, admin = provider_world()
    bob, carol = (add_member(roster, f"{n}@acme.test", ProviderUserType.SERVICE_USER) for n in ("bob", "carol"))
    own = next(row for row in roster.users if row.user_id == admin.user_id)

    with pytest.raises(CannotActOnSelf):
        await provider_users.remove_user(world.work(), admin, c.RemoveProviderUser(roster.provider.id, own.id))
    results = await provider_users.remove_users(
        world.work(), admin, c.RemoveProviderUsers(roster.provider.id, (bob.id, carol.id, own.id))
    )

    assert [result.error is None for result in results] == [True, True, False]
    assert {row.id for row in roster.users} == {own.id}
    assert {event.provider_user_id for event in world.uow.events(ProviderUserRemovedV1)} == {bob.id, carol.id}
    assert world.uow.commits == 1
