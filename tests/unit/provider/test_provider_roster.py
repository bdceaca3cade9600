"""The roster's rules: invites, single-use accept, confirm after accept, revoke/restore, at least one admin."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from mspvault.provider.domain.enums import ProviderStatus, ProviderType, ProviderUserStatus, ProviderUserType
from mspvault.provider.domain.errors import (
    AlreadyProviderUser,
    AlreadyRevoked,
    CannotActOnSelf,
    InvalidEncString,
    InvalidInviteToken,
    InviteEmailMismatch,
    InviteNotPending,
    LastProviderAdmin,
    NotRevoked,
    ProviderAlreadySetUp,
    ProviderNotFound,
    ProviderUserNotFound,
    UserNotAccepted,
    UserNotInvited,
)
from mspvault.provider.domain.provider import Provider
from mspvault.provider.domain.roster import Roster
from mspvault.shared.contracts.provider import (
    ProviderCreatedV1,
    ProviderUpdatedV1,
    ProviderUserAcceptedV1,
    ProviderUserConfirmedV1,
    ProviderUserInvitedV1,
    ProviderUserRemovedV1,
    ProviderUserRestoredV1,
    ProviderUserRevokedV1,
    ProviderUserUpdatedV1,
)
from mspvault.shared.errors import DomainError
from tests.unit.provider.provider_builders import NOW, RSA, SYM, accept, add_member, claims_for, set_up_roster

ADMIN, SERVICE = ProviderUserType.PROVIDER_ADMIN, ProviderUserType.SERVICE_USER


# ---- opening and setup ---------------------------------------------------------------------------------------------
def test_opening_a_provider_makes_it_pending_and_invites_its_first_admin():
    roster = Roster.open(Provider.new(name="Acme", type=ProviderType.MSP, now=NOW), owner_email="Alice@Acme.test")
    assert roster.provider.status is ProviderStatus.PENDING
    (owner,) = roster.users
    assert (owner.email, owner.type, owner.status) == ("alice@acme.test", ADMIN, ProviderUserStatus.INVITED)
    assert owner.invite_nonce
    assert [type(e) for e in roster.events] == [ProviderCreatedV1, ProviderUserInvitedV1]


def test_setup_confirms_the_accepted_admin_with_their_wrapped_key():
    roster = Roster.open(Provider.new(name="Acme", type=ProviderType.MSP, now=NOW), owner_email="alice@acme.test")
    alice = accept(roster, roster.users[0])
    roster.complete_setup(
        user_id=alice, key=RSA, name="Acme MSP", business_name="Acme", billing_email="b@a.test", now=NOW
    )
    owner = roster.users[0]
    assert (owner.status, owner.key) == (ProviderUserStatus.CONFIRMED, RSA)
    assert roster.provider.status is ProviderStatus.BILLABLE
    assert (roster.provider.name, roster.provider.billing_email) == ("Acme MSP", "b@a.test")
    assert {type(e) for e in roster.events} >= {ProviderUserConfirmedV1, ProviderUpdatedV1}
    assert alice in roster.affected_users


def test_setup_happens_once():
    roster, alice = set_up_roster()
    with pytest.raises(ProviderAlreadySetUp):
        roster.complete_setup(user_id=alice, key=RSA, name="x", business_name=None, billing_email=None, now=NOW)


def test_setup_needs_an_accepted_admin_of_this_provider():
    roster = Roster.open(Provider.new(name="Acme", type=ProviderType.MSP, now=NOW), owner_email="alice@acme.test")
    with pytest.raises(ProviderNotFound):  # not accepted yet: no account linked
        roster.complete_setup(user_id=uuid.uuid4(), key=RSA, name="x", business_name=None, billing_email=None, now=NOW)


def test_setup_refuses_a_key_that_is_not_rsa_wrapped():
    roster = Roster.open(Provider.new(name="Acme", type=ProviderType.MSP, now=NOW), owner_email="alice@acme.test")
    alice = accept(roster, roster.users[0])
    with pytest.raises(InvalidEncString):
        roster.complete_setup(user_id=alice, key=SYM, name="x", business_name=None, billing_email=None, now=NOW)


def test_resellers_are_created_not_billable_at_setup():
    roster, _ = set_up_roster(ProviderType.RESELLER)
    assert roster.provider.status is ProviderStatus.CREATED


# ---- who may act -------------------------------------------------------------------------------------------------
def test_only_active_members_and_admins_pass_the_gates():
    roster, alice = set_up_roster()
    bob = add_member(roster, "bob@acme.test", SERVICE)
    pending = add_member(roster, "pending@acme.test", SERVICE, confirm=False)
    assert roster.admin(alice).email == "alice@acme.test"
    assert roster.member(bob.user_id).id == bob.id  # type: ignore[arg-type]
    with pytest.raises(ProviderNotFound):
        roster.admin(bob.user_id)  # type: ignore[arg-type]  # a Service User doing admin work: 404
    with pytest.raises(ProviderNotFound):
        roster.member(pending.user_id)  # type: ignore[arg-type]  # accepted but unconfirmed
    with pytest.raises(ProviderNotFound):
        roster.member(uuid.uuid4())  # an outsider
    roster.revoke(bob.id, acting_user_id=alice, now=NOW)
    with pytest.raises(ProviderNotFound):
        roster.member(bob.user_id)  # type: ignore[arg-type]  # revoked users can do nothing


# ---- invitations -------------------------------------------------------------------------------------------------
def test_invites_skip_addresses_already_present_and_normalize_case():
    roster, _ = set_up_roster()
    invited = roster.invite(["Bob@Acme.test", "alice@acme.test", "bob@acme.test", "carol@acme.test"], SERVICE, NOW)
    assert [row.email for row in invited] == ["bob@acme.test", "carol@acme.test"]
    assert all(row.status is ProviderUserStatus.INVITED and row.invite_nonce for row in invited)
    assert [type(e) for e in roster.events] == [ProviderUserInvitedV1, ProviderUserInvitedV1]


def test_at_most_twenty_emails_per_invite():
    roster, _ = set_up_roster()
    with pytest.raises(DomainError, match="20"):
        roster.invite([f"u{i}@acme.test" for i in range(21)], SERVICE, NOW)


def test_reinvite_replaces_the_nonce_so_the_old_link_stops_working():
    roster, _ = set_up_roster()
    (row,) = roster.invite(["bob@acme.test"], SERVICE, NOW)
    old = claims_for(row)
    roster.reinvite(row.id, NOW)
    assert row.invite_nonce != old.nonce
    with pytest.raises(InvalidInviteToken):
        roster.accept(row.id, old, user_id=uuid.uuid4(), email="bob@acme.test", now=NOW)


def test_reinvite_only_for_pending_invites_and_bulk_reports_each():
    roster, _ = set_up_roster()
    bob = add_member(roster, "bob@acme.test", SERVICE)
    (carol,) = roster.invite(["carol@acme.test"], SERVICE, NOW)
    with pytest.raises(UserNotInvited):
        roster.reinvite(bob.id, NOW)
    results, reissued = roster.reinvite_many([bob.id, carol.id, uuid.uuid4()], NOW)
    assert [r.error for r in results] == ["User invalid.", None, "User invalid."]
    assert reissued == [carol]


# ---- accept ------------------------------------------------------------------------------------------------------
def test_accept_links_the_account_and_spends_the_token():
    roster, _ = set_up_roster()
    (row,) = roster.invite(["bob@acme.test"], SERVICE, NOW)
    claims = claims_for(row)
    bob = uuid.uuid4()
    roster.accept(row.id, claims, user_id=bob, email="BOB@acme.test", now=NOW)
    assert (row.status, row.user_id, row.invite_nonce) == (ProviderUserStatus.ACCEPTED, bob, None)
    assert isinstance(roster.events[-1], ProviderUserAcceptedV1)
    with pytest.raises(InviteNotPending):  # single use
        roster.accept(row.id, claims, user_id=bob, email="bob@acme.test", now=NOW)


def test_accept_requires_the_invited_email():
    roster, _ = set_up_roster()
    (row,) = roster.invite(["bob@acme.test"], SERVICE, NOW)
    with pytest.raises(InviteEmailMismatch):
        roster.accept(row.id, claims_for(row), user_id=uuid.uuid4(), email="mallory@evil.test", now=NOW)


def test_accept_refuses_a_token_made_for_another_invite():
    roster, _ = set_up_roster()
    bob_row, carol_row = roster.invite(["bob@acme.test", "carol@acme.test"], SERVICE, NOW)
    with pytest.raises(InvalidInviteToken):
        roster.accept(carol_row.id, claims_for(bob_row), user_id=uuid.uuid4(), email="carol@acme.test", now=NOW)
    forged = replace(claims_for(carol_row), nonce="guessed")
    with pytest.raises(InvalidInviteToken):
        roster.accept(carol_row.id, forged, user_id=uuid.uuid4(), email="carol@acme.test", now=NOW)


def test_one_account_holds_one_row_per_provider():
    roster, alice = set_up_roster()
    (row,) = roster.invite(["alice-alias@acme.test"], SERVICE, NOW)
    with pytest.raises(AlreadyProviderUser):
        roster.accept(row.id, claims_for(row), user_id=alice, email="alice-alias@acme.test", now=NOW)


# ---- confirm -----------------------------------------------------------------------------------------------------
def test_confirm_only_after_accept():
    roster, _ = set_up_roster()
    (row,) = roster.invite(["bob@acme.test"], SERVICE, NOW)
    with pytest.raises(UserNotAccepted):
        roster.confirm(row.id, RSA, NOW)
    accept(roster, row)
    roster.confirm(row.id, RSA, NOW)
    assert (row.status, row.key) == (ProviderUserStatus.CONFIRMED, RSA)
    assert isinstance(roster.events[-1], ProviderUserConfirmedV1)
    with pytest.raises(UserNotAccepted):  # not twice
        roster.confirm(row.id, RSA, NOW)


def test_confirm_needs_an_rsa_wrapped_key():
    roster, _ = set_up_roster()
    (row,) = roster.invite(["bob@acme.test"], SERVICE, NOW)
    accept(roster, row)
    with pytest.raises(InvalidEncString):
        roster.confirm(row.id, SYM, NOW)


def test_bulk_confirm_reports_each_id():
    roster, _ = set_up_roster()
    accepted = add_member(roster, "bob@acme.test", SERVICE, confirm=False)
    (invited,) = roster.invite(["carol@acme.test"], SERVICE, NOW)
    results = roster.confirm_many([(accepted.id, RSA), (invited.id, RSA), (uuid.uuid4(), RSA)], NOW)
    assert [r.error is None for r in results] == [True, False, False]
    assert accepted.status is ProviderUserStatus.CONFIRMED


# ---- type changes, revoke, restore, remove -----------------------------------------------------------------------
def test_the_last_admin_cannot_be_demoted():
    roster, alice = set_up_roster()
    alice_row = roster.member(alice)
    with pytest.raises(LastProviderAdmin):
        roster.change_type(alice_row.id, SERVICE, NOW)
    other = add_member(roster, "second@acme.test", ADMIN)
    roster.change_type(alice_row.id, SERVICE, NOW)
    assert isinstance(roster.events[-1], ProviderUserUpdatedV1)
    with pytest.raises(LastProviderAdmin):
        roster.change_type(other.id, SERVICE, NOW)


def test_an_unconfirmed_or_revoked_admin_does_not_count():
    roster, alice = set_up_roster()
    accepted_admin = add_member(roster, "second@acme.test", ADMIN, confirm=False)
    with pytest.raises(LastProviderAdmin):
        roster.change_type(roster.member(alice).id, SERVICE, NOW)
    roster.confirm(accepted_admin.id, RSA, NOW)
    roster.revoke(accepted_admin.id, acting_user_id=alice, now=NOW)
    with pytest.raises(LastProviderAdmin):
        roster.change_type(roster.member(alice).id, SERVICE, NOW)


def test_nobody_removes_or_revokes_themselves():
    roster, alice = set_up_roster()
    add_member(roster, "second@acme.test", ADMIN)
    alice_row = roster.member(alice)
    with pytest.raises(CannotActOnSelf):
        roster.remove(alice_row.id, acting_user_id=alice)
    with pytest.raises(CannotActOnSelf):
        roster.revoke(alice_row.id, acting_user_id=alice, now=NOW)


def test_the_last_admin_cannot_be_revoked_or_removed_by_anyone():
    roster, alice = set_up_roster()
    alice_row = roster.member(alice)
    someone = uuid.uuid4()
    with pytest.raises(LastProviderAdmin):
        roster.revoke(alice_row.id, acting_user_id=someone, now=NOW)
    with pytest.raises(LastProviderAdmin):
        roster.remove(alice_row.id, acting_user_id=someone)


def test_revoke_keeps_the_status_and_restore_brings_it_back():
    roster, alice = set_up_roster()
    bob = add_member(roster, "bob@acme.test", SERVICE)
    (carol,) = roster.invite(["carol@acme.test"], SERVICE, NOW)
    for row, before in ((bob, ProviderUserStatus.CONFIRMED), (carol, ProviderUserStatus.INVITED)):
        roster.revoke(row.id, acting_user_id=alice, now=NOW)
        assert (row.status, row.status_before_revoke) == (ProviderUserStatus.REVOKED, before)
        assert isinstance(roster.events[-1], ProviderUserRevokedV1)
        with pytest.raises(AlreadyRevoked):
            roster.revoke(row.id, acting_user_id=alice, now=NOW)
        roster.restore(row.id, NOW)
        assert (row.status, row.status_before_revoke) == (before, None)
        assert isinstance(roster.events[-1], ProviderUserRestoredV1)
        with pytest.raises(NotRevoked):
            roster.restore(row.id, NOW)
    assert bob.user_id in roster.affected_users


def test_remove_deletes_the_row_and_bulk_remove_reports_each_id():
    roster, alice = set_up_roster()
    bob = add_member(roster, "bob@acme.test", SERVICE)
    carol = add_member(roster, "carol@acme.test", SERVICE)
    alice_row = roster.member(alice)
    results = roster.remove_many([bob.id, alice_row.id, uuid.uuid4(), carol.id], acting_user_id=alice)
    assert [r.error for r in results] == [None, "You cannot remove yourself.", "User not found.", None]
    assert roster.removed == [bob.id, carol.id]
    assert [u.email for u in roster.users] == ["alice@acme.test"]
    assert [type(e) for e in roster.events] == [ProviderUserRemovedV1, ProviderUserRemovedV1]
    with pytest.raises(ProviderUserNotFound):
        roster.user(bob.id)
