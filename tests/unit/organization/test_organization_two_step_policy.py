"""The Require two-step login policy (issue 14) over fakes: turning it on revokes members without two-step login
(Owners and Admins exempt), confirmation and restore wait until they turn it on, and a user turning it off is revoked
where the policy holds; the facts come from identity's TwoFactor* events, and a replayed older one changes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from mspvault.organization.domain.errors import TwoStepLoginRequired
from mspvault.organization.domain.policies import PolicyType
from mspvault.organization.domain.roles import MemberStatus, MemberType
from mspvault.organization.service_layer import audit, members, policies, projections
from mspvault.organization.service_layer.commands import ConfirmMember, PutPolicy, RestoreMember
from mspvault.shared.contracts.envelope import Actor, Envelope
from mspvault.shared.contracts.identity import TwoFactorDisabledV1, TwoFactorEnabledV1, TwoFactorRecoveredV1
from mspvault.shared.contracts.organization import MemberRevokedV1
from tests.unit.organization.fakes import NOW, RSA, World, world

TWO_STEP = PolicyType.TWO_FACTOR_AUTHENTICATION


async def identity_says(
    w: World, user_id: uuid.UUID, providers: list[int], *, at_seconds: int = 0, recovered: bool = False
) -> None:
    if user_id not in w.read_models.users:
        w.read_models.users[user_id] = {"email": "x@example.test", "name": None, "public_key": None}
    event: TwoFactorEnabledV1 | TwoFactorDisabledV1 | TwoFactorRecoveredV1
    if recovered:
        event = TwoFactorRecoveredV1(user_id=user_id)
    elif providers:
        event = TwoFactorEnabledV1(user_id=user_id, provider=providers[0], providers=providers)
    else:
        event = TwoFactorDisabledV1(user_id=user_id, provider=0, providers=[])
    envelope = Envelope.wrap(event, producer="identity", correlation_id=None, actor=Actor(user_id=user_id))
    envelope = envelope.model_copy(update={"occurred_at": NOW + timedelta(seconds=at_seconds)})
    await projections.two_factor_changed(w.work(), event, envelope)


async def test_turning_the_policy_on_revokes_members_without_two_step_login_but_not_owners_or_admins() -> None:
    w = world()
    _carol, carol_member = w.join("carol")
    dave, dave_member = w.join("dave")
    _admin, admin_member = w.join("adam", MemberType.ADMIN)
    _invited, invited_member = w.join("ivy", status=MemberStatus.INVITED)
    await identity_says(w, dave.user_id, [0])

    await policies.put_policy(w.work(), w.owner, PutPolicy(w.org.id, TWO_STEP, True))

    assert w.store.members[carol_member.id].status == MemberStatus.REVOKED
    assert w.store.members[dave_member.id].status == MemberStatus.CONFIRMED
    assert w.store.members[admin_member.id].status == MemberStatus.CONFIRMED
    assert w.store.members[w.owner_member.id].status == MemberStatus.CONFIRMED
    assert w.store.members[invited_member.id].status == MemberStatus.INVITED
    assert [e.member_id for e in w.uow.events(MemberRevokedV1)] == [carol_member.id]
    w.uow.published.clear()
    await policies.put_policy(w.work(), w.owner, PutPolicy(w.org.id, TWO_STEP, True, {"x": 1}))
    assert w.uow.events(MemberRevokedV1) == []  # already on


async def test_restore_and_confirm_wait_until_the_user_turns_two_step_login_on() -> None:
    w = world()
    carol, carol_member = w.join("carol")
    bob, bob_member = w.join("bob", status=MemberStatus.ACCEPTED)
    await policies.put_policy(w.work(), w.owner, PutPolicy(w.org.id, TWO_STEP, True))
    assert w.store.members[bob_member.id].status == MemberStatus.REVOKED  # accepted counts as active

    with pytest.raises(TwoStepLoginRequired, match="until they enable two-step login"):
        await members.restore_member(w.work(), w.owner, RestoreMember(w.org.id, carol_member.id))
    await identity_says(w, carol.user_id, [0])
    await members.restore_member(w.work(), w.owner, RestoreMember(w.org.id, carol_member.id))
    assert w.store.members[carol_member.id].status == MemberStatus.CONFIRMED

    await identity_says(w, bob.user_id, [1])
    await members.restore_member(w.work(), w.owner, RestoreMember(w.org.id, bob_member.id))
    await identity_says(w, bob.user_id, [], at_seconds=1)  # turned off again: revoked again
    assert w.store.members[bob_member.id].status == MemberStatus.REVOKED
    await identity_says(w, bob.user_id, [1], at_seconds=2)
    await members.restore_member(w.work(), w.owner, RestoreMember(w.org.id, bob_member.id))
    assert w.store.members[bob_member.id].status == MemberStatus.ACCEPTED
    await identity_says(w, bob.user_id, [], at_seconds=3)
    await identity_says(w, bob.user_id, [1], at_seconds=4)
    await members.restore_member(w.work(), w.owner, RestoreMember(w.org.id, bob_member.id))

    fresh, fresh_member = w.join("fay", status=MemberStatus.ACCEPTED)
    with pytest.raises(TwoStepLoginRequired):
        await members.confirm_member(w.work(), w.owner, ConfirmMember(w.org.id, fresh_member.id, RSA))
    await identity_says(w, fresh.user_id, [0])
    await members.confirm_member(w.work(), w.owner, ConfirmMember(w.org.id, fresh_member.id, RSA))
    assert w.store.members[fresh_member.id].status == MemberStatus.CONFIRMED


async def test_turning_two_step_login_off_revokes_only_where_the_policy_holds_and_old_events_change_nothing() -> None:
    w = world()
    carol, carol_member = w.join("carol")
    admin, admin_member = w.join("adam", MemberType.ADMIN)
    await identity_says(w, carol.user_id, [0], at_seconds=10)
    await identity_says(w, admin.user_id, [0], at_seconds=10)
    await identity_says(w, carol.user_id, [], at_seconds=5)  # older than what is applied: ignored
    assert w.store.two_factor[carol.user_id][0] is True
    await identity_says(w, carol.user_id, [], at_seconds=20)  # no policy yet: nothing revoked
    assert w.store.members[carol_member.id].status == MemberStatus.CONFIRMED
    await identity_says(w, carol.user_id, [0], at_seconds=30)

    await policies.put_policy(w.work(), w.owner, PutPolicy(w.org.id, TWO_STEP, True))
    w.uow.published.clear()
    await identity_says(w, carol.user_id, [], at_seconds=40, recovered=True)
    await identity_says(w, admin.user_id, [], at_seconds=40)
    assert w.store.members[carol_member.id].status == MemberStatus.REVOKED
    assert w.store.members[admin_member.id].status == MemberStatus.CONFIRMED  # exempt
    [revoked] = w.uow.events(MemberRevokedV1)
    assert revoked.member_id == carol_member.id
    assert carol.user_id in w.store.bumped


async def test_two_step_login_changes_are_audited_in_each_organization_of_the_user() -> None:
    w = world()
    carol, carol_member = w.join("carol")
    _, invited = w.join("ivy", status=MemberStatus.INVITED)
    event = TwoFactorEnabledV1(user_id=carol.user_id, provider=0, providers=[0])
    envelope = Envelope.wrap(event, producer="identity", correlation_id=None, actor=Actor(user_id=carol.user_id))
    await audit.record_user_event(w.work(), event, envelope)
    assert w.audit is not None
    [entry] = w.audit.entries
    assert (entry.type, entry.organization_id, entry.organization_user_id, entry.user_id) == (
        1002,
        w.org.id,
        carol_member.id,
        carol.user_id,
    )
    assert entry.id != envelope.id  # one id per organization, derived from the event's
    recovered = TwoFactorRecoveredV1(user_id=carol.user_id)
    await audit.record_user_event(
        w.work(), recovered, Envelope.wrap(recovered, producer="identity", correlation_id=None)
    )
    assert [e.type for e in w.audit.entries] == [1002, 1004]
    assert invited.id not in {e.organization_user_id for e in w.audit.entries}
