"""The roster aggregate: a provider and its users, with the rules that span them.

Rules: at least one confirmed (not revoked) Provider Admin remains once the provider is set up; nobody removes or
revokes themselves; confirm (handing over the provider key) only after accept; invites are single-use. Each change
records its event; the handler publishes them with the unit of work.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from mspvault.provider.domain.encstrings import require_rsa
from mspvault.provider.domain.enums import ProviderUserStatus, ProviderUserType
from mspvault.provider.domain.errors import (
    AlreadyProviderUser,
    AlreadyRevoked,
    CannotActOnSelf,
    InvalidInviteToken,
    InviteEmailMismatch,
    InviteNotPending,
    LastProviderAdmin,
    NotRevoked,
    ProviderNotFound,
    ProviderUserNotFound,
    UserNotAccepted,
    UserNotInvited,
)
from mspvault.provider.domain.invite_token import PROVIDER_USER, Invite, is_live_nonce, new_nonce
from mspvault.provider.domain.provider import Provider
from mspvault.shared.contracts.envelope import EventData
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
from mspvault.shared.text import normalize_email

MAX_INVITES = 20

T = TypeVar("T")


@dataclass
class ProviderUser:
    id: uuid.UUID
    provider_id: uuid.UUID
    email: str
    type: ProviderUserType
    status: ProviderUserStatus
    creation_date: datetime
    revision_date: datetime
    user_id: uuid.UUID | None = None
    key: str | None = None  # the provider key wrapped to this user's public key (`4.`), set at confirm or setup
    status_before_revoke: ProviderUserStatus | None = None
    invite_nonce: str | None = None  # the nonce of the one live invite token; None once used

    @property
    def is_active_member(self) -> bool:
        """Confirmed and not revoked: the only state in which a provider user may do anything."""
        return self.status is ProviderUserStatus.CONFIRMED

    @property
    def is_active_admin(self) -> bool:
        return self.is_active_member and self.type is ProviderUserType.PROVIDER_ADMIN


@dataclass(frozen=True)
class BulkResult:
    id: uuid.UUID
    error: str | None = None


@dataclass
class Roster:
    provider: Provider
    users: list[ProviderUser]
    events: list[EventData] = field(default_factory=list)
    removed: list[uuid.UUID] = field(default_factory=list)
    # Accounts whose view of the provider changed; the handler bumps their revision dates.
    affected_users: set[uuid.UUID] = field(default_factory=set)

    # ---- creation -------------------------------------------------------------------------------------------
    @classmethod
    def open(cls, provider: Provider, *, owner_email: str) -> Roster:
        """An operator opens a provider (new, so Pending: `Provider.new`) and invites its first Provider Admin."""
        roster = cls(provider=provider, users=[])
        roster.events.append(
            ProviderCreatedV1(
                provider_id=provider.id,
                name=provider.name,
                type=int(provider.type),
                owner_email=normalize_email(owner_email),
            )
        )
        roster.invite([owner_email], ProviderUserType.PROVIDER_ADMIN, provider.creation_date)
        return roster

    # ---- lookups --------------------------------------------------------------------------------------------
    def user(self, provider_user_id: uuid.UUID) -> ProviderUser:
        for candidate in self.users:
            if candidate.id == provider_user_id:
                return candidate
        raise ProviderUserNotFound()

    def _user_in(
        self, provider_user_id: uuid.UUID, status: ProviderUserStatus, refusal: Callable[[], DomainError]
    ) -> ProviderUser:
        """The user, who must be in `status` for what is asked (else `refusal`)."""
        row = self.user(provider_user_id)
        if row.status is not status:
            raise refusal()
        return row

    def account(self, user_id: uuid.UUID) -> ProviderUser | None:
        """The row an account holds in this provider, whatever its status."""
        return next((u for u in self.users if u.user_id == user_id), None)

    def member(self, user_id: uuid.UUID) -> ProviderUser:
        """The caller as an active member; anyone else may not see the provider at all (404)."""
        row = self.account(user_id)
        if row is None or not row.is_active_member:
            raise ProviderNotFound()
        return row

    def admin(self, user_id: uuid.UUID) -> ProviderUser:
        """The caller as an active Provider Admin.

        A Service User asking for admin-only work gets the same 404 as an outsider (not Bitwarden's 403): the
        admin surface (provider users, provider settings) is not something a Service User may see, and one answer
        for every denial means the response never reveals which role the caller holds.
        """
        row = self.member(user_id)
        if not row.is_active_admin:
            raise ProviderNotFound()
        return row

    def users_with_accounts(self) -> set[uuid.UUID]:
        return {u.user_id for u in self.users if u.user_id is not None}

    # ---- provider profile -----------------------------------------------------------------------------------
    def update_profile(self, *, name: str, business_name: str | None, billing_email: str | None, now: datetime) -> None:
        self.provider.update_profile(name=name, business_name=business_name, billing_email=billing_email, now=now)
        self._provider_updated()

    def complete_setup(
        self,
        *,
        user_id: uuid.UUID,
        key: str,
        name: str,
        business_name: str | None,
        billing_email: str | None,
        now: datetime,
    ) -> ProviderUser:
        """The first admin, having accepted, stores the provider key wrapped to their own public key."""
        row = self.account(user_id)
        if (
            row is None
            or row.type is not ProviderUserType.PROVIDER_ADMIN
            or row.status
            in (
                ProviderUserStatus.REVOKED,
                ProviderUserStatus.INVITED,
            )
        ):
            raise ProviderNotFound()
        require_rsa(key, "key")
        self.provider.complete_setup(name=name, business_name=business_name, billing_email=billing_email, now=now)
        if row.status is not ProviderUserStatus.CONFIRMED:
            self._confirm(row, key, now)
        self._provider_updated()
        return row

    def _provider_updated(self) -> None:
        provider = self.provider
        self.events.append(ProviderUpdatedV1(provider_id=provider.id, name=provider.name, enabled=provider.enabled))
        self.affected_users |= self.users_with_accounts()

    # ---- invitations ----------------------------------------------------------------------------------------
    def invite(self, emails: Iterable[str], type: ProviderUserType, now: datetime) -> list[ProviderUser]:
        """Invite each new address (existing ones are skipped, as Bitwarden does); returns the new rows."""
        wanted = list(dict.fromkeys(normalize_email(email) for email in emails))
        if not wanted:
            raise DomainError("At least one email is required.", field="emails")
        if len(wanted) > MAX_INVITES:
            raise DomainError(f"You can only invite up to {MAX_INVITES} users at a time.", field="emails")
        present = {u.email for u in self.users}
        invited: list[ProviderUser] = []
        for email in wanted:
            if email in present:
                continue
            row = ProviderUser(
                id=uuid.uuid4(),
                provider_id=self.provider.id,
                email=email,
                type=type,
                status=ProviderUserStatus.INVITED,
                creation_date=now,
                revision_date=now,
                invite_nonce=new_nonce(),
            )
            self.users.append(row)
            invited.append(row)
            self._record(ProviderUserInvitedV1, row)
        return invited

    def reinvite(self, provider_user_id: uuid.UUID, now: datetime) -> ProviderUser:
        """A fresh token for a pending invite; the previous link stops working."""
        row = self._user_in(provider_user_id, ProviderUserStatus.INVITED, UserNotInvited)
        row.invite_nonce = new_nonce()
        row.revision_date = now
        return row

    def reinvite_many(self, ids: Sequence[uuid.UUID], now: datetime) -> tuple[list[BulkResult], list[ProviderUser]]:
        results: list[BulkResult] = []
        reissued: list[ProviderUser] = []
        for provider_user_id in dict.fromkeys(ids):
            try:
                reissued.append(self.reinvite(provider_user_id, now))
                results.append(BulkResult(provider_user_id))
            except DomainError:
                results.append(BulkResult(provider_user_id, "User invalid."))
        return results, reissued

    def accept(
        self, provider_user_id: uuid.UUID, claims: Invite, *, user_id: uuid.UUID, email: str, now: datetime
    ) -> ProviderUser:
        if claims.id(PROVIDER_USER) != provider_user_id:
            raise InvalidInviteToken()
        row = self._user_in(provider_user_id, ProviderUserStatus.INVITED, InviteNotPending)
        if not is_live_nonce(claims.nonce, row.invite_nonce):
            raise InvalidInviteToken()
        if normalize_email(claims.email) != row.email or normalize_email(email) != row.email:
            raise InviteEmailMismatch()
        if self.account(user_id) is not None:
            raise AlreadyProviderUser()
        row.status = ProviderUserStatus.ACCEPTED
        row.user_id = user_id
        row.invite_nonce = None  # the token is spent
        row.revision_date = now
        self._record(ProviderUserAcceptedV1, row)
        return row

    # ---- confirmation ---------------------------------------------------------------------------------------
    def confirm(self, provider_user_id: uuid.UUID, key: str, now: datetime) -> ProviderUser:
        row = self.user(provider_user_id)
        if row.status is not ProviderUserStatus.ACCEPTED or row.user_id is None:
            raise UserNotAccepted()
        require_rsa(key, "key")
        self._confirm(row, key, now)
        return row

    def confirm_many(self, keys: Sequence[tuple[uuid.UUID, str]], now: datetime) -> list[BulkResult]:
        return self._each(keys, lambda item: self.confirm(item[0], item[1], now), key_of=lambda item: item[0])

    def _confirm(self, row: ProviderUser, key: str, now: datetime) -> None:
        row.status = ProviderUserStatus.CONFIRMED
        row.key = key
        row.revision_date = now
        self._record(ProviderUserConfirmedV1, row)

    # ---- changes to a member --------------------------------------------------------------------------------
    def change_type(self, provider_user_id: uuid.UUID, type: ProviderUserType, now: datetime) -> ProviderUser:
        row = self.user(provider_user_id)
        if row.type is type:
            return row
        if type is not ProviderUserType.PROVIDER_ADMIN:
            self._keep_an_admin_besides(row)
        row.type = type
        row.revision_date = now
        self._record(ProviderUserUpdatedV1, row)
        return row

    def revoke(self, provider_user_id: uuid.UUID, *, acting_user_id: uuid.UUID, now: datetime) -> ProviderUser:
        row = self.user(provider_user_id)
        if row.user_id == acting_user_id:
            raise CannotActOnSelf("revoke")
        if row.status is ProviderUserStatus.REVOKED:
            raise AlreadyRevoked()
        self._keep_an_admin_besides(row)
        row.status_before_revoke = row.status
        row.status = ProviderUserStatus.REVOKED
        row.revision_date = now
        self._record(ProviderUserRevokedV1, row)
        return row

    def restore(self, provider_user_id: uuid.UUID, now: datetime) -> ProviderUser:
        row = self._user_in(provider_user_id, ProviderUserStatus.REVOKED, NotRevoked)
        row.status = row.status_before_revoke or ProviderUserStatus.INVITED
        row.status_before_revoke = None
        row.revision_date = now
        self._record(ProviderUserRestoredV1, row)
        return row

    def remove(self, provider_user_id: uuid.UUID, *, acting_user_id: uuid.UUID) -> ProviderUser:
        row = self.user(provider_user_id)
        if row.user_id == acting_user_id:
            raise CannotActOnSelf("remove")
        self._keep_an_admin_besides(row)
        self.users.remove(row)
        self.removed.append(row.id)
        self._record(ProviderUserRemovedV1, row)
        return row

    def account_deleted(self, user_id: uuid.UUID) -> bool:
        """The account is gone (identity checked it left no provider without an Admin): its rows go, unchecked.
        Returns whether it had any."""
        rows = [u for u in self.users if u.user_id == user_id]
        for row in rows:
            self.users.remove(row)
            self.removed.append(row.id)
            self._record(ProviderUserRemovedV1, row)
        return bool(rows)

    def remove_many(self, ids: Sequence[uuid.UUID], *, acting_user_id: uuid.UUID) -> list[BulkResult]:
        return self._each(
            list(dict.fromkeys(ids)), lambda pu: self.remove(pu, acting_user_id=acting_user_id), key_of=lambda pu: pu
        )

    # ---- helpers --------------------------------------------------------------------------------------------
    def _keep_an_admin_besides(self, row: ProviderUser) -> None:
        """Refuse a change that would leave a set-up provider without an active Provider Admin."""
        if not row.is_active_admin:
            return
        if not any(u.is_active_admin for u in self.users if u is not row):
            raise LastProviderAdmin()

    @staticmethod
    def _each(
        items: Sequence[T], action: Callable[[T], object], *, key_of: Callable[[T], uuid.UUID]
    ) -> list[BulkResult]:
        results: list[BulkResult] = []
        for item in items:
            try:
                action(item)
                results.append(BulkResult(key_of(item)))
            except DomainError as error:
                results.append(BulkResult(key_of(item), error.message))
        return results

    def _record(self, event: Callable[..., EventData], row: ProviderUser) -> None:
        """Record the event of a change to `row`; the account behind it (if any) sees the provider anew."""
        if row.user_id is not None:
            self.affected_users.add(row.user_id)
        self.events.append(
            event(
                provider_id=self.provider.id,
                provider_user_id=row.id,
                user_id=row.user_id,
                email=row.email,
                type=int(row.type),
            )
        )
