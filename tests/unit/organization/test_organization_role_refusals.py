"""Issue 11 #7: the refusals that name a member's role (`OnlyOwnersManageOwners`, `SelfAction`, `LastOwner`) answer
only to who may read the member list; anyone else gets the 404 of a member that is not there."""

from __future__ import annotations

import uuid

import pytest

from mspvault.organization.domain.errors import LastOwner, MemberNotFound, OnlyOwnersManageOwners, SelfAction
from mspvault.organization.domain.members import Member, check_keeps_an_owner, check_may_manage, check_not_self
from mspvault.organization.domain.roles import MemberStatus, MemberType, Permissions, Standing

OWNER = Member(uuid.uuid4(), uuid.uuid4(), "o@example.test", MemberType.OWNER, MemberStatus.CONFIRMED)
ADMIN = Standing(MemberType.ADMIN, Permissions(), uuid.uuid4())
PLAIN_USER = Standing(MemberType.USER, Permissions(), OWNER.id)
REPORTS_ONLY = Standing(MemberType.CUSTOM, Permissions(frozenset({"accessReports"})), uuid.uuid4())


@pytest.mark.parametrize("standing", [PLAIN_USER, REPORTS_ONLY])
def test_who_may_not_see_members_learns_nothing_of_their_roles(standing: Standing) -> None:
    with pytest.raises(MemberNotFound):
        check_may_manage(standing, MemberType.OWNER)
    with pytest.raises(MemberNotFound):
        check_keeps_an_owner(standing, OWNER, provider_linked=False, other_confirmed_owners=0)
    with pytest.raises(MemberNotFound):
        check_not_self(Standing(standing.role, standing.permissions, OWNER.id), OWNER, "revoke")


def test_who_sees_the_member_list_gets_the_named_refusal() -> None:
    with pytest.raises(OnlyOwnersManageOwners):
        check_may_manage(ADMIN, MemberType.OWNER)
    with pytest.raises(LastOwner):
        check_keeps_an_owner(ADMIN, OWNER, provider_linked=False, other_confirmed_owners=0)
    with pytest.raises(SelfAction):
        check_not_self(Standing(MemberType.ADMIN, Permissions(), OWNER.id), OWNER, "revoke")
