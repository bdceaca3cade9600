"""Effective collection access (group grants folded in), the Single Organization rule, policy dependencies,
and invite tokens (signed, expiring, single use)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from mspvault.organization.domain.access import FULL, AccessGraph, AccessMember, Grant, effective_access, fold
from mspvault.organization.domain.errors import InvalidInviteToken, PolicyDependency, SingleOrgPolicyViolation
from mspvault.organization.domain.invite_token import MEMBER, ORGANIZATION, InviteTokens, check_invite, invite_tokens
from mspvault.organization.domain.policies import (
    OtherMembership,
    PolicyType,
    blocked_by_single_org,
    check_policy_change,
    check_single_org,
    violates_on_enable,
)
from mspvault.organization.domain.roles import MemberStatus, MemberType
from mspvault.shared.signed_tokens import SignedTokens

C1, C2 = uuid.uuid4(), uuid.uuid4()
GROUP = uuid.uuid4()


def member(member_type: MemberType = MemberType.USER, status: MemberStatus = MemberStatus.CONFIRMED) -> AccessMember:
    return AccessMember(uuid.uuid4(), uuid.uuid4(), member_type, status)


def test_fold_is_the_most_permissive_combination() -> None:
    assert fold([]) is None
    folded = fold([Grant(read_only=True, hide_passwords=True), Grant(read_only=True, manage=True)])
    assert folded == Grant(read_only=True, hide_passwords=False, manage=True)


def test_effective_access_folds_direct_and_group_grants_for_confirmed_members_only() -> None:
    carol, dave, pending, revoked = (
        member(),
        member(),
        member(status=MemberStatus.ACCEPTED),
        member(status=MemberStatus.REVOKED),
    )
    graph = AccessGraph(
        members={m.member_id: m for m in (carol, dave, pending, revoked)},
        direct={(C1, carol.member_id): Grant(read_only=True), (C1, pending.member_id): Grant()},
        by_group={(C1, GROUP): Grant(hide_passwords=True, manage=True)},
        group_members={GROUP: frozenset({carol.member_id, dave.member_id, revoked.member_id})},
    )
    result = effective_access(graph, [C1, C2])
    assert result[C2] == {}
    assert result[C1] == {
        carol.user_id: Grant(read_only=False, hide_passwords=False, manage=True),
        dave.user_id: Grant(hide_passwords=True, manage=True),
    }


def test_owners_and_admins_reach_every_collection_with_full_rights() -> None:
    owner, admin, user = member(MemberType.OWNER), member(MemberType.ADMIN), member()
    graph = AccessGraph({m.member_id: m for m in (owner, admin, user)}, {}, {}, {})
    assert effective_access(graph, [C1])[C1] == {owner.user_id: FULL, admin.user_id: FULL}


def other(
    single_org: bool, member_type: MemberType = MemberType.USER, status: MemberStatus = MemberStatus.CONFIRMED
) -> OtherMembership:
    return OtherMembership(uuid.uuid4(), member_type, status, single_org)


def test_single_org_member_cannot_join_another_org() -> None:
    with pytest.raises(SingleOrgPolicyViolation):
        check_single_org(MemberType.USER, False, [other(single_org=True)])
    assert blocked_by_single_org([other(single_org=True)])


def test_single_org_binds_neither_owners_nor_admins_nor_inactive_memberships() -> None:
    check_single_org(MemberType.USER, False, [other(True, MemberType.OWNER), other(True, MemberType.ADMIN)])
    check_single_org(MemberType.USER, False, [other(True, status=MemberStatus.INVITED)])
    check_single_org(MemberType.USER, False, [other(True, status=MemberStatus.REVOKED)])
    check_single_org(MemberType.ADMIN, True, [other(False)])
    assert not blocked_by_single_org([other(True, MemberType.ADMIN)])


def test_joining_a_single_org_org_needs_no_other_active_membership() -> None:
    with pytest.raises(SingleOrgPolicyViolation):
        check_single_org(MemberType.USER, True, [other(False)])
    check_single_org(MemberType.USER, True, [])


def test_enabling_single_org_revokes_only_non_exempt_active_members_with_other_orgs() -> None:
    assert violates_on_enable(MemberType.USER, MemberStatus.CONFIRMED, has_other_active=True)
    assert not violates_on_enable(MemberType.USER, MemberStatus.CONFIRMED, has_other_active=False)
    assert not violates_on_enable(MemberType.ADMIN, MemberStatus.CONFIRMED, has_other_active=True)
    assert not violates_on_enable(MemberType.USER, MemberStatus.INVITED, has_other_active=True)


def test_policies_that_need_single_org() -> None:
    with pytest.raises(PolicyDependency):
        check_policy_change(PolicyType.RESET_PASSWORD, True, set())
    check_policy_change(PolicyType.RESET_PASSWORD, True, {PolicyType.SINGLE_ORG})
    with pytest.raises(PolicyDependency):
        check_policy_change(PolicyType.SINGLE_ORG, False, {PolicyType.SINGLE_ORG, PolicyType.REQUIRE_SSO})
    check_policy_change(PolicyType.SINGLE_ORG, False, {PolicyType.SINGLE_ORG})
    check_policy_change(PolicyType.TWO_FACTOR_AUTHENTICATION, True, set())


NOW = datetime(2026, 11, 1, tzinfo=UTC)
ORG, MEMBER_ID = uuid.uuid4(), uuid.uuid4()


def issue(tokens: InviteTokens, nonce: str) -> str:
    return tokens.issue({ORGANIZATION: ORG, MEMBER: MEMBER_ID}, email="carol@x.test", nonce=nonce, now=NOW)


def test_invite_token_round_trip_and_live_nonce() -> None:
    tokens = invite_tokens("a-secret-of-sixteen+")
    invite = tokens.verify(issue(tokens, "nonce-1"), NOW + timedelta(days=4, hours=23))
    assert (invite.id(ORGANIZATION), invite.id(MEMBER), invite.email) == (ORG, MEMBER_ID, "carol@x.test")
    check_invite(invite, ORG, MEMBER_ID, "nonce-1")
    with pytest.raises(InvalidInviteToken):
        check_invite(invite, ORG, MEMBER_ID, None)  # already used
    with pytest.raises(InvalidInviteToken):
        check_invite(invite, ORG, MEMBER_ID, "nonce-2")  # replaced by a reinvite
    with pytest.raises(InvalidInviteToken):
        check_invite(invite, ORG, uuid.uuid4(), "nonce-1")  # another invite


def test_tokens_already_sent_keep_verifying() -> None:
    """The claim names and purpose are those of tokens minted before the shared helper existed."""
    legacy = SignedTokens("a-secret-of-sixteen+", "OrganizationUserInvite", lifetime=timedelta(days=5)).issue(
        {"o": str(ORG), "m": str(MEMBER_ID), "em": "carol@x.test", "n": "nonce"}, NOW
    )
    invite = invite_tokens("a-secret-of-sixteen+").verify(legacy, NOW)
    assert (invite.id(ORGANIZATION), invite.id(MEMBER), invite.nonce) == (ORG, MEMBER_ID, "nonce")


def test_invite_token_expires_after_five_days_and_resists_forgery() -> None:
    tokens = invite_tokens("a-secret-of-sixteen+")
    token = issue(tokens, "n")
    with pytest.raises(InvalidInviteToken, match="expired"):
        tokens.verify(token, NOW + timedelta(days=5, seconds=1))
    with pytest.raises(InvalidInviteToken):
        invite_tokens("another-secret-entirely").verify(token, NOW)
    payload, _, mac = token.partition(".")
    with pytest.raises(InvalidInviteToken):
        tokens.verify(payload[:-2] + "xx." + mac, NOW)
    with pytest.raises(InvalidInviteToken):
        tokens.verify("garbage", NOW)
