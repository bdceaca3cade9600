"""Account recovery's rules (issue 14): enrolling under the policy, and who may recover whom."""

from __future__ import annotations

import uuid

import pytest

from mspvault.organization.domain.account_recovery import (
    AccountRecoveryKeyRequired,
    AccountRecoveryOff,
    MemberNotRecoverable,
    WithdrawalNotAllowed,
    check_enrolment,
    check_key_at_accept,
    check_may_recover,
)
from mspvault.organization.domain.errors import InvalidEncString, MemberNotFound
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.roles import MemberStatus, MemberType, Permissions, Standing
from mspvault.shared.testing.samples import rsa_enc_string

ORG = uuid.uuid4()
KEY = rsa_enc_string()
ORG_PRIVATE_KEY = "2.aaaa|bbbb|cccc"
ON: dict[str, object] = {}
AUTO = {"autoEnrollEnabled": True}


def member(
    kind: MemberType = MemberType.USER, *, enrolled: bool = True, status: MemberStatus = MemberStatus.CONFIRMED
) -> Member:
    return Member(
        uuid.uuid4(),
        ORG,
        "carol@client.test",
        kind,
        status,
        user_id=uuid.uuid4(),
        reset_password_key=KEY if enrolled else None,
    )


def standing(kind: MemberType, *permissions: str, provider: bool = False) -> Standing:
    return Standing(
        kind,
        Permissions(frozenset(permissions)),
        None if provider else uuid.uuid4(),
        uuid.uuid4() if provider else None,
    )


def test_enrolling_needs_the_policy_and_withdrawing_is_refused_under_auto_enrolment() -> None:
    carol = member(enrolled=False)
    with pytest.raises(AccountRecoveryOff):
        check_enrolment(carol, KEY, None)
    check_enrolment(carol, KEY, ON)
    check_enrolment(carol, None, ON)  # withdrawing
    with pytest.raises(WithdrawalNotAllowed):
        check_enrolment(carol, None, AUTO)


def test_auto_enrolment_requires_the_key_at_accept() -> None:
    check_key_at_accept(None, None)
    check_key_at_accept(None, ON)
    check_key_at_accept(KEY, AUTO)
    with pytest.raises(AccountRecoveryKeyRequired):
        check_key_at_accept(None, AUTO)


def test_the_key_must_be_wrapped_to_the_org_public_key() -> None:
    carol = member(enrolled=False, status=MemberStatus.ACCEPTED)
    with pytest.raises(InvalidEncString):
        carol.enroll_in_account_recovery("2.aaaa|bbbb|cccc")
    carol.enroll_in_account_recovery(KEY)
    assert carol.reset_password_key == KEY
    carol.withdraw_from_account_recovery()
    assert carol.reset_password_key is None


@pytest.mark.parametrize(
    ("caller", "target"),
    [
        (standing(MemberType.OWNER), MemberType.OWNER),
        (standing(MemberType.OWNER, provider=True), MemberType.OWNER),  # a provider user of a client org
        (standing(MemberType.ADMIN), MemberType.ADMIN),
        (standing(MemberType.ADMIN), MemberType.USER),
        (standing(MemberType.CUSTOM, "manageResetPassword"), MemberType.USER),
        (standing(MemberType.CUSTOM, "manageResetPassword"), MemberType.CUSTOM),
    ],
)
def test_who_may_recover_whom(caller: Standing, target: MemberType) -> None:
    carol = member(target)
    found = check_may_recover(caller, carol, policy_data=ON, encrypted_private_key=ORG_PRIVATE_KEY)
    assert (found.reset_password_key, found.encrypted_private_key) == (KEY, ORG_PRIVATE_KEY)


@pytest.mark.parametrize(
    ("caller", "target"),
    [
        (standing(MemberType.USER), MemberType.USER),
        (standing(MemberType.CUSTOM, "manageUsers"), MemberType.USER),
        (standing(MemberType.ADMIN), MemberType.OWNER),
        (standing(MemberType.CUSTOM, "manageResetPassword", "manageUsers"), MemberType.ADMIN),
    ],
)
def test_nobody_recovers_a_higher_role_or_without_the_permission(caller: Standing, target: MemberType) -> None:
    with pytest.raises(MemberNotFound):
        check_may_recover(caller, member(target), policy_data=ON, encrypted_private_key=ORG_PRIVATE_KEY)


def test_nobody_recovers_their_own_account() -> None:
    carol = member(MemberType.ADMIN)
    own = Standing(MemberType.ADMIN, Permissions(), carol.id)
    with pytest.raises(MemberNotFound):
        check_may_recover(own, carol, policy_data=ON, encrypted_private_key=ORG_PRIVATE_KEY)


def test_recovery_needs_the_policy_and_a_confirmed_enrolled_member() -> None:
    owner = standing(MemberType.OWNER)
    with pytest.raises(AccountRecoveryOff):
        check_may_recover(owner, member(), policy_data=None, encrypted_private_key=ORG_PRIVATE_KEY)
    with pytest.raises(MemberNotRecoverable):
        check_may_recover(owner, member(enrolled=False), policy_data=ON, encrypted_private_key=ORG_PRIVATE_KEY)
    accepted = member(status=MemberStatus.ACCEPTED)
    with pytest.raises(MemberNotRecoverable):
        check_may_recover(owner, accepted, policy_data=ON, encrypted_private_key=ORG_PRIVATE_KEY)
