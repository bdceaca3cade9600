"""Session control: change the master password or the KDF, log out everywhere, delete the account.

Each needs the current master-password hash (a wrong one: 400 "Invalid password.", as Bitwarden) and each ends
every session of the account: the security stamp rotates (access tokens carrying the old one are refused by every
service within about a second, `mspvault.shared.auth.stamps`) and every refresh token is revoked in the same
transaction. The slow password hashes run before any row is locked.
"""

from __future__ import annotations

from mspvault.identity.domain.account import (
    Account,
    InvalidMasterPassword,
    validate_master_password_hash,
)
from mspvault.identity.domain.kdf import KdfSettings
from mspvault.identity.service_layer.commands import (
    ChangeKdf,
    ChangeMasterPassword,
    DeleteAccount,
    LogOutEverywhere,
    UpdateTempPassword,
)
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.shared.auth.principal import Principal
from mspvault.shared.auth.stamps import DELETED
from mspvault.shared.contracts.envelope import Actor, EventData
from mspvault.shared.contracts.identity import (
    MasterPasswordChangedV1,
    SecurityStampRotatedV1,
    TempPasswordUpdatedV1,
    UserDeletedV1,
)
from mspvault.shared.errors import DomainError, NotFoundError
from mspvault.shared.observability.origin import acting


class SoleOwner(DomainError):
    """Bitwarden's refusal: an organization or provider would be left without an Owner."""

    def __init__(self, one: str, many: str) -> None:
        super().__init__(
            f"Cannot delete this user because it is the only owner of at least one {one}. "
            f"Please delete these {many} or upgrade another user."
        )


async def _verified(work: IdentityWork, caller: Principal, master_password_hash: str) -> Account:
    """The caller's account, once the hash proves they know its master password."""
    account = await work.lookup.by_id(caller.user_id)
    if account is None:
        raise NotFoundError("User not found.")
    if not master_password_hash or not await work.hasher.verify(account.password_hash, master_password_hash):
        raise InvalidMasterPassword()
    return account


async def _locked(work: IdentityWork, verified: Account) -> Account:
    """The account locked for the change, refused if its password changed since it was verified."""
    account = await work.accounts.get(verified.id, for_update=True)
    if account is None:
        raise NotFoundError("User not found.")
    if account.password_hash != verified.password_hash:
        raise InvalidMasterPassword()
    return account


async def end_sessions(work: IdentityWork, account: Account, reason: str, actor: Actor | None = None) -> None:
    """After `account.rotate_security_stamp`: revoke its refresh tokens, record the stamp, say so to the services
    (the actor is the account's owner unless said: an admin recovering it)."""
    now = work.clock()
    await work.refresh_tokens.revoke_all(account.id, now)
    await work.stamps.record(account.id, account.security_stamp, now)
    work.uow.publish(
        SecurityStampRotatedV1(
            user_id=account.id, security_stamp=account.security_stamp, rotated_at=now, reason=reason
        ),
        actor=actor or acting(account.id),
    )


async def _new_password_hash(work: IdentityWork, client_hash: str) -> str:
    """The server's hash of the client's new master-password hash (slow: run it before any row is locked)."""
    return await work.hasher.hash(validate_master_password_hash(client_hash))


async def _save_ending_sessions(work: IdentityWork, account: Account, reason: str, *announced: EventData) -> None:
    """After a change that rotated the account's stamp: save it, end its sessions, publish what changed, commit."""
    await work.accounts.save(account)
    await end_sessions(work, account, reason)
    for event in announced:
        work.uow.publish(event, actor=acting(account.id))
    await work.uow.commit()


async def change_master_password(work: IdentityWork, caller: Principal, command: ChangeMasterPassword) -> None:
    verified = await _verified(work, caller, command.master_password_hash)
    new_hash = await _new_password_hash(work, command.new_master_password_hash)
    account = await _locked(work, verified)
    hint, now = command.master_password_hint, work.clock()
    account.change_master_password(
        password_hash=new_hash, protected_user_key=command.key, master_password_hint=hint, now=now
    )
    await _save_ending_sessions(work, account, "password", MasterPasswordChangedV1(user_id=account.id))


async def update_temp_password(work: IdentityWork, caller: Principal, command: UpdateTempPassword) -> None:
    """`PUT /api/accounts/update-temp-password`: refused (400) unless an admin recovered the account; clears the
    flag, and ends every session (the client logs in again with the new password)."""
    new_hash = await _new_password_hash(work, command.new_master_password_hash)
    account = await work.accounts.get(caller.user_id, for_update=True)
    if account is None:
        raise NotFoundError("User not found.")
    hint, now = command.master_password_hint, work.clock()
    account.update_temp_password(
        password_hash=new_hash, protected_user_key=command.key, master_password_hint=hint, now=now
    )
    await _save_ending_sessions(work, account, "password", TempPasswordUpdatedV1(user_id=account.id))


async def change_kdf(work: IdentityWork, caller: Principal, command: ChangeKdf) -> None:
    kdf = KdfSettings.parse(command.kdf, command.kdf_iterations, command.kdf_memory, command.kdf_parallelism)
    verified = await _verified(work, caller, command.master_password_hash)
    new_hash = await _new_password_hash(work, command.new_master_password_hash)
    account = await _locked(work, verified)
    account.change_kdf(kdf=kdf, password_hash=new_hash, protected_user_key=command.key, now=work.clock())
    await _save_ending_sessions(work, account, "kdf")


async def log_out_everywhere(work: IdentityWork, caller: Principal, command: LogOutEverywhere) -> None:
    verified = await _verified(work, caller, command.master_password_hash)
    account = await _locked(work, verified)
    account.rotate_security_stamp(work.clock())
    await _save_ending_sessions(work, account, "logout")


async def delete_account(work: IdentityWork, caller: Principal, command: DeleteAccount) -> None:
    """The account goes, with its devices and refresh tokens; `UserDeletedV1` tells the services to remove its
    memberships and personal items. The stamp becomes `DELETED`, so its tokens stop everywhere at once."""
    verified = await _verified(work, caller, command.master_password_hash)
    organizations, providers = await work.organizations.sole_ownership(command.bearer)
    if organizations:
        raise SoleOwner("organization", "organizations")
    if providers:
        raise SoleOwner("provider", "providers")
    account = await _locked(work, verified)
    now = work.clock()
    await work.accounts.delete(account.id)
    account.security_stamp = DELETED
    await work.stamps.record(account.id, DELETED, now)
    actor = acting(account.id)
    work.uow.publish(
        SecurityStampRotatedV1(user_id=account.id, security_stamp=DELETED, rotated_at=now, reason="deleted"),
        actor=actor,
    )
    work.uow.publish(UserDeletedV1(user_id=account.id), actor=actor)
    await work.uow.commit()
