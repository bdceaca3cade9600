"""Account recovery (admin password reset): an Owner/Admin with the permission, or a provider user of a client
organization, sets an enrolled member's new master password. Whether the caller may is the organization service's
answer (asked as the caller); the new key material was made on the admin's client from the org private key; the
member's security stamp rotates and every session of theirs ends (sessions.end_sessions)."""

from __future__ import annotations

import uuid

from mspvault.identity.domain.account import Account, validate_master_password_hash
from mspvault.identity.domain.account_recovery import RecoveryTarget
from mspvault.identity.service_layer.commands import RecoverAccount
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.identity.service_layer.sessions import end_sessions
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.identity import AccountRecoveredV1
from mspvault.shared.errors import NotFoundError
from mspvault.shared.observability.origin import acting


class MemberNotFound(NotFoundError, message="User not found."): ...


async def _target(
    work: IdentityWork, bearer: str, org_id: uuid.UUID, member_id: uuid.UUID
) -> tuple[RecoveryTarget, Account]:
    target = await work.organizations.recovery_target(bearer, org_id, member_id)
    account = await work.lookup.by_id(target.user_id) if target else None
    if target is None or account is None:
        raise MemberNotFound()
    return target, account


async def details(
    work: IdentityWork, bearer: str, org_id: uuid.UUID, member_id: uuid.UUID
) -> tuple[RecoveryTarget, Account]:
    """`GET …/reset-password-details`: the member's KDF settings beside the keys the admin's client opens."""
    return await _target(work, bearer, org_id, member_id)


async def recover(work: IdentityWork, caller: Principal, bearer: str, command: RecoverAccount) -> uuid.UUID:
    """Returns the recovered user's id."""
    target, _ = await _target(work, bearer, command.org_id, command.member_id)
    new_hash = await work.hasher.hash(validate_master_password_hash(command.new_master_password_hash))
    account = await work.accounts.get(target.user_id, for_update=True)
    if account is None:
        raise MemberNotFound()
    account.recover(password_hash=new_hash, protected_user_key=command.key, now=work.clock())
    await work.accounts.save(account)
    actor = acting(caller.user_id)
    await end_sessions(work, account, "account_recovery", actor=actor)
    work.uow.publish(
        AccountRecoveredV1(
            user_id=account.id, organization_id=command.org_id, organization_user_id=target.organization_user_id
        ),
        actor=actor,
    )
    await work.uow.commit()
    return account.id
