"""Commands on accounts: register, set the key pair, set the user-key id, add an operator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from mspvault.identity.adapters.password_hasher import PasswordHashing
from mspvault.identity.adapters.repository import Accounts, Operators
from mspvault.identity.domain.account import Account, KeyPair, validate_email, validate_master_password_hash
from mspvault.identity.domain.kdf import KdfSettings
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.contracts.identity import UserKeysSetV1, UserRegisteredV1
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.errors import NotFoundError


@dataclass(frozen=True)
class RegisterAccount:
    email: str
    name: str | None
    master_password_hash: str
    master_password_hint: str | None
    key: str
    public_key: str | None
    encrypted_private_key: str | None
    kdf: int
    kdf_iterations: int
    kdf_memory: int | None
    kdf_parallelism: int | None


async def register(uow: UnitOfWork, hasher: PasswordHashing, command: RegisterAccount) -> Account:
    kdf = KdfSettings.parse(command.kdf, command.kdf_iterations, command.kdf_memory, command.kdf_parallelism)
    key_pair = None
    if command.public_key is not None or command.encrypted_private_key is not None:
        key_pair = KeyPair.parse(command.public_key or "", command.encrypted_private_key or "")
    account = Account.register(
        email=command.email,
        name=command.name,
        master_password_hint=command.master_password_hint,
        kdf=kdf,
        protected_user_key=command.key,
        key_pair=key_pair,
        now=datetime.now(UTC),
    )
    # Hashed only once everything else is known to be valid; no connection is held while it runs.
    account.set_password_hash(await hasher.hash(validate_master_password_hash(command.master_password_hash)))
    await Accounts(uow.session).add(account)
    actor = Actor(user_id=account.id)
    public_key = key_pair.public_key if key_pair else None
    uow.publish(
        UserRegisteredV1(user_id=account.id, email=account.email, name=account.name, public_key=public_key),
        actor=actor,
    )
    if key_pair is not None:
        uow.publish(UserKeysSetV1(user_id=account.id, public_key=key_pair.public_key), actor=actor)
    await uow.commit()
    return account


async def _load_for_update(accounts: Accounts, user_id: uuid.UUID) -> Account:
    account = await accounts.get(user_id, for_update=True)
    if account is None:
        raise NotFoundError("User not found.")
    return account


async def set_key_pair(uow: UnitOfWork, user_id: uuid.UUID, public_key: str, encrypted_private_key: str) -> Account:
    key_pair = KeyPair.parse(public_key, encrypted_private_key)
    accounts = Accounts(uow.session)
    account = await _load_for_update(accounts, user_id)
    if account.set_key_pair(key_pair, datetime.now(UTC)):
        await accounts.save(account)
        uow.publish(UserKeysSetV1(user_id=account.id, public_key=key_pair.public_key), actor=Actor(user_id=user_id))
        await uow.commit()
    return account


async def set_user_key_id(uow: UnitOfWork, user_id: uuid.UUID, user_key_id: str) -> None:
    accounts = Accounts(uow.session)
    account = await _load_for_update(accounts, user_id)
    account.set_user_key_id(user_key_id, datetime.now(UTC))
    await accounts.save(account)
    await uow.commit()


async def add_operator(uow: UnitOfWork, email: str) -> bool:
    """Returns False when the email already was an operator. The flag reaches tokens at the next login/refresh."""
    added = await Operators(uow.session).add(validate_email(email), datetime.now(UTC))
    await uow.commit()
    return added
