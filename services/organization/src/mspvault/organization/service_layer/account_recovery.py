"""Account recovery: a member enrols (or withdraws), and an admin's client fetches what it needs to recover them.

Applying a recovery is identity's (the password, the key, the sessions): identity asks `recovery_target` as the
recovering caller, over `/internal`, and acts only on this service's answer (domain/account_recovery.py).
"""

from __future__ import annotations

import uuid

from mspvault.organization.domain.account_recovery import RecoveryTarget, check_enrolment, check_may_recover
from mspvault.organization.domain.errors import MemberNotFound
from mspvault.organization.domain.policies import PolicyType
from mspvault.organization.service_layer.commands import EnrollInAccountRecovery
from mspvault.organization.service_layer.common import actor_of, publish_all, standing_in
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.auth.principal import Principal


async def enroll(work: OrganizationWork, caller: Principal, command: EnrollInAccountRecovery) -> None:
    """`PUT …/users/{userId}/reset-password-enrollment`: only for the caller's own membership (404 otherwise)."""
    if command.user_id != caller.user_id:
        raise MemberNotFound()
    org = await work.store.load_org(command.org_id, lock=True)
    facts = await work.store.membership_facts(command.org_id, caller.user_id) if org else None
    member = await work.store.load_member(command.org_id, facts.member_id) if facts else None
    if member is None:
        raise MemberNotFound()
    check_enrolment(
        member,
        command.reset_password_key,
        await work.store.policy_data(member.organization_id, PolicyType.RESET_PASSWORD),
    )
    if command.reset_password_key is None:
        member.withdraw_from_account_recovery()
    else:
        member.enroll_in_account_recovery(command.reset_password_key)
    await work.store.save_member(member)
    publish_all(work, member.events, actor_of(caller.user_id))
    await work.store.bump_revisions([caller.user_id])
    await work.uow.commit()


async def recovery_target(
    work: OrganizationWork, caller: Principal, org_id: uuid.UUID, member_id: uuid.UUID
) -> RecoveryTarget:
    """What recovering `member_id` needs, if the caller may recover them (a read: nothing is written)."""
    org, standing = await standing_in(work.store, org_id, caller.user_id)
    member = await work.store.load_member(org_id, member_id)
    if member is None:
        raise MemberNotFound()
    policy = await work.store.policy_data(org_id, PolicyType.RESET_PASSWORD)
    return check_may_recover(standing, member, policy_data=policy, encrypted_private_key=org.encrypted_private_key)
