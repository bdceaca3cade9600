"""Account-recovery handlers against fakes: a member enrols or withdraws only their own membership under the policy,
and `recovery_target` answers only a caller who may recover that member (issue 14's rules, through the handlers)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mspvault.organization.domain.account_recovery import (
    AccountRecoveryOff,
    MemberNotRecoverable,
    WithdrawalNotAllowed,
)
from mspvault.organization.domain.errors import MemberNotFound
from mspvault.organization.domain.policies import PolicyType
from mspvault.organization.domain.roles import MemberType
from mspvault.organization.service_layer import account_recovery
from mspvault.organization.service_layer.commands import EnrollInAccountRecovery
from mspvault.shared.contracts.organization import MemberEnrolledInAccountRecoveryV1
from tests.unit.organization.fakes import RSA, SYM, World, world


def with_policy(w: World, data: dict[str, object] | None = None) -> World:
    w.store.policies[(w.org.id, PolicyType.RESET_PASSWORD)] = (w.org.id, True, data)
    return w


def with_key_pair(w: World) -> World:
    w.store.orgs[w.org.id] = w.org = replace(w.org, public_key=RSA, encrypted_private_key=SYM)
    return w


async def test_a_member_enrols_their_own_membership_and_it_is_published_and_committed() -> None:
    w = with_policy(world())
    carol, carol_member = w.join("carol")

    await account_recovery.enroll(w.work(), carol, EnrollInAccountRecovery(w.org.id, carol.user_id, RSA))

    assert w.store.members[carol_member.id].reset_password_key == RSA
    [enrolled] = w.uow.events(MemberEnrolledInAccountRecoveryV1)
    assert enrolled.member_id == carol_member.id
    assert carol.user_id in w.store.bumped
    assert w.uow.commits == 1


async def test_nobody_enrols_someone_else() -> None:
    w = with_policy(world())
    carol, carol_member = w.join("carol")

    with pytest.raises(MemberNotFound):
        await account_recovery.enroll(w.work(), w.owner, EnrollInAccountRecovery(w.org.id, carol.user_id, RSA))

    assert w.store.members[carol_member.id].reset_password_key is None
    assert (w.uow.published, w.uow.commits) == ([], 0)


async def test_enrolling_needs_the_policy_and_withdrawing_is_refused_under_automatic_enrolment() -> None:
    w = world()
    carol, _ = w.join("carol")
    with pytest.raises(AccountRecoveryOff):
        await account_recovery.enroll(w.work(), carol, EnrollInAccountRecovery(w.org.id, carol.user_id, RSA))

    with_policy(w, {"autoEnrollEnabled": True})
    await account_recovery.enroll(w.work(), carol, EnrollInAccountRecovery(w.org.id, carol.user_id, RSA))
    with pytest.raises(WithdrawalNotAllowed):
        await account_recovery.enroll(w.work(), carol, EnrollInAccountRecovery(w.org.id, carol.user_id, None))
    assert w.uow.commits == 1


async def test_an_admin_gets_what_recovering_an_enrolled_member_needs_and_nothing_is_written() -> None:
    w = with_key_pair(with_policy(world()))
    alice, _ = w.join("alice", MemberType.ADMIN)
    _, carol_member = w.join("carol")
    carol_member.reset_password_key = RSA

    target = await account_recovery.recovery_target(w.work(), alice, w.org.id, carol_member.id)

    assert (target.member.id, target.reset_password_key, target.encrypted_private_key) == (carol_member.id, RSA, SYM)
    assert (w.uow.published, w.uow.commits) == ([], 0)


async def test_a_plain_user_may_not_recover_and_a_member_not_enrolled_cannot_be_recovered() -> None:
    w = with_key_pair(with_policy(world()))
    bert, _ = w.join("bert")
    _, carol_member = w.join("carol")

    with pytest.raises(MemberNotFound):  # 404: a User learns nothing of the target
        await account_recovery.recovery_target(w.work(), bert, w.org.id, carol_member.id)
    with pytest.raises(MemberNotRecoverable):
        await account_recovery.recovery_target(w.work(), w.owner, w.org.id, carol_member.id)
