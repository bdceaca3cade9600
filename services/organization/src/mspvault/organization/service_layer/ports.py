"""What the handlers need from the outside world, as protocols; adapters implement them, tests fake them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, TypedDict, Unpack
from urllib.parse import urlencode

from mspvault.organization.domain.access import AccessGraph, Grant
from mspvault.organization.domain.api_key import OrganizationApiKey
from mspvault.organization.domain.collections import Collection, GrantTo, Group
from mspvault.organization.domain.invite_token import InviteTokens
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.policies import OtherMembership, PolicyType
from mspvault.organization.domain.roles import MembershipFacts
from mspvault.shared.audit.entries import AuditEntry
from mspvault.shared.clock import Clock
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.db.users_read_model import UsersReadModel

Kind = Literal["collections", "groups", "members"]


class OrganizationStore(Protocol):
    """The organization's own tables, inside the unit of work's transaction. Never commits."""

    # ---- organizations and the caller's standing ------------------------------------------------------------
    async def load_org(self, org_id: uuid.UUID, *, lock: bool = False) -> Organization | None:
        """`lock` serializes seat-consuming changes of one organization (two invites racing for the last seat)."""
        ...

    async def add_org(self, org: Organization) -> None: ...

    async def add_org_if_new(self, org: Organization) -> bool:
        """False, writing nothing, if an organization with its id exists (a redelivered client creation)."""
        ...

    async def save_org(self, org: Organization) -> None: ...

    async def memberships_of_account(self, user_id: uuid.UUID) -> list[Member]:
        """Every membership row of the account, whatever its status."""
        ...

    async def membership_facts(self, org_id: uuid.UUID, user_id: uuid.UUID) -> MembershipFacts | None:
        """The account's own member row in the organization, whatever its status."""
        ...

    async def is_active_provider_user(self, provider_id: uuid.UUID, user_id: uuid.UUID) -> bool: ...

    # ---- members --------------------------------------------------------------------------------------------
    async def load_member(self, org_id: uuid.UUID, member_id: uuid.UUID) -> Member | None: ...

    async def add_member(self, member: Member) -> None: ...

    async def save_member(self, member: Member) -> None: ...

    async def remove_member(self, member: Member) -> None:
        """Its grants and group memberships go with it."""
        ...

    async def taken_emails(self, org_id: uuid.UUID, emails: Sequence[str]) -> list[str]: ...

    async def occupied_seats(self, org_id: uuid.UUID) -> int: ...

    async def confirmed_owner_count(self, org_id: uuid.UUID, *, excluding: uuid.UUID) -> int: ...

    async def other_memberships(
        self, user_id: uuid.UUID, *, excluding: uuid.UUID | None = None
    ) -> list[OtherMembership]: ...

    async def members_without_two_factor(self, org_id: uuid.UUID) -> list[Member]:
        """Active, non-exempt members whose user has no two-step login (the Require two-step login policy)."""
        ...

    async def memberships_requiring_two_factor(self, user_id: uuid.UUID) -> list[Member]:
        """The user's active, non-exempt memberships in organizations with Require two-step login on."""
        ...

    async def has_two_factor(self, user_id: uuid.UUID) -> bool: ...

    async def members_in_other_orgs(self, org_id: uuid.UUID) -> list[Member]:
        """Non-exempt, active members who also hold an active membership elsewhere (what Single Org revokes)."""
        ...

    async def replace_member_grants(self, member_id: uuid.UUID, grants: Sequence[GrantTo]) -> None: ...

    async def replace_member_groups(self, member_id: uuid.UUID, group_ids: Iterable[uuid.UUID]) -> None: ...

    # ---- collections and groups -----------------------------------------------------------------------------
    async def ids_in_org(self, kind: Kind, org_id: uuid.UUID, ids: set[uuid.UUID]) -> set[uuid.UUID]:
        """Those of `ids` that name a row of `kind` in this organization."""
        ...

    async def count_collections(self, org_id: uuid.UUID) -> int: ...

    async def load_collection(self, org_id: uuid.UUID, collection_id: uuid.UUID) -> Collection | None:
        """The collection without its access lists (`users`/`groups` None)."""
        ...

    async def add_collection(self, collection: Collection) -> None: ...

    async def save_collection(self, collection: Collection) -> None: ...

    async def delete_collection(self, collection: Collection) -> None: ...

    async def load_group(self, org_id: uuid.UUID, group_id: uuid.UUID) -> Group | None: ...

    async def add_group(self, group: Group) -> None: ...

    async def save_group(self, group: Group) -> None: ...

    async def delete_group(self, group: Group) -> None: ...

    async def caller_grant(self, member_id: uuid.UUID, collection_id: uuid.UUID) -> Grant | None:
        """A member's own folded grant on one collection (direct or through groups), if any."""
        ...

    async def collections_of_org(self, org_id: uuid.UUID) -> set[uuid.UUID]: ...

    async def collections_touching_member(self, member_id: uuid.UUID) -> set[uuid.UUID]: ...

    async def collections_touching_group(self, group_id: uuid.UUID) -> set[uuid.UUID]: ...

    async def member_grants(self, member_id: uuid.UUID) -> dict[uuid.UUID, Grant]:
        """A member's direct grants (collection id -> grant), not those through groups."""
        ...

    async def member_groups(self, member_id: uuid.UUID) -> set[uuid.UUID]: ...

    async def group_grants(self, group_id: uuid.UUID) -> dict[uuid.UUID, Grant]: ...

    async def group_member_ids(self, group_id: uuid.UUID) -> set[uuid.UUID]: ...

    async def existing_collections(self, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]: ...

    async def access_graph(self, org_id: uuid.UUID, collection_ids: Sequence[uuid.UUID]) -> AccessGraph: ...

    # ---- policies -------------------------------------------------------------------------------------------
    async def enabled_policies(self, org_id: uuid.UUID) -> set[PolicyType]: ...

    async def policy_data(self, org_id: uuid.UUID, policy_type: PolicyType) -> dict[str, Any] | None:
        """The policy's data when it is on (`{}` without data); None when it is off or was never set."""
        ...

    async def load_api_key(self, org_id: uuid.UUID) -> OrganizationApiKey | None:
        """Locked for update: two rotations serialize."""
        ...

    async def save_api_key(self, key: OrganizationApiKey) -> None: ...

    async def save_policy(
        self, org_id: uuid.UUID, policy_type: PolicyType, *, enabled: bool, data: dict[str, Any] | None, now: datetime
    ) -> uuid.UUID:
        """Creates or updates the organization's policy of that type; returns its id."""
        ...

    # ---- the read model of providers --------------------------------------------------------------------------
    async def remember_provider(self, provider_id: uuid.UUID, name: str) -> None: ...

    # ---- side effects in the same transaction ---------------------------------------------------------------
    async def org_audience(self, org_id: uuid.UUID, provider_id: uuid.UUID | None) -> set[uuid.UUID]:
        """Everyone whose sync may show something of this organization: its members with an account, its
        provider's active users."""
        ...

    async def provider_audience(self, provider_id: uuid.UUID | None) -> set[uuid.UUID]: ...

    async def bump_revisions(self, user_ids: Iterable[uuid.UUID | None]) -> None: ...

    async def queue_mail(self, *, to: str, subject: str, body: str) -> None: ...

    def savepoint(self) -> AbstractAsyncContextManager[object]:
        """A nested transaction: leaving it with an error undoes only what was written inside."""
        ...


class ProviderUserFacts(TypedDict):
    """What a provider's event says of one of its users (`OrganizationReadModels.save_provider_user`); None: the
    event does not say."""

    provider_id: uuid.UUID
    type: int
    user_id: uuid.UUID | None
    status: int | None
    revoked: bool | None
    as_of: datetime  # when the provider recorded the event


class OrganizationReadModels(UsersReadModel, Protocol):
    """This service's copies of other services' data (users; providers and their users), fed by their events.

    Every write is an upsert or delete keyed by the other service's id, so applying an event twice converges.
    """

    async def delete_user(self, user_id: uuid.UUID) -> None: ...

    async def set_two_factor(self, user_id: uuid.UUID, *, enabled: bool, as_of: datetime) -> bool:
        """Keep whether the user has two-step login; False (nothing changed) when a newer event is already applied
        or the user is unknown."""
        ...

    async def save_provider(
        self, provider_id: uuid.UUID, *, name: str, type: int | None = None, enabled: bool | None = None
    ) -> None:
        """Insert or update the provider's name, and its type or enabled flag when given."""
        ...

    async def save_provider_user(
        self, provider_user_id: uuid.UUID, **provider_user: Unpack[ProviderUserFacts]
    ) -> uuid.UUID | None:
        """Insert or update (a row first seen here counts as confirmed, not revoked); returns the account the row
        named before, if any. `None` values leave the stored ones as they are. `as_of`: when the provider recorded
        the event; a row already reflecting a newer one is left as it is (issue 11 #5)."""
        ...

    async def delete_provider_user(
        self, provider_user_id: uuid.UUID, *, provider_id: uuid.UUID, type: int, as_of: datetime
    ) -> uuid.UUID | None:
        """Ends the provider user's access for good (older events replayed later do not bring it back); returns the
        account the row named, if any."""
        ...


class OrganizationAuditLog(Protocol):
    """The audit log's table (Bitwarden events), and the facts its recorders ask of ours."""

    async def add(self, entry: AuditEntry) -> None:
        """Insert once (keyed by the envelope id), in the inbox transaction of the event."""
        ...

    async def add_if_held(self, entry: AuditEntry) -> None:
        """`add`, if its organization is one we hold (one statement: the org's own events are most of the log)."""
        ...

    async def holds_organization(self, org_id: uuid.UUID) -> bool: ...

    async def memberships_of_user(self, user_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """(organization id, member id) of every organization the user has joined (accepted, confirmed, revoked)."""
        ...

    async def policy_id(self, org_id: uuid.UUID, policy_type: int) -> uuid.UUID | None: ...


@dataclass(frozen=True)
class InviteLinks:
    public_url: str

    def accept_url(self, org: Organization, member: Member, token: str) -> str:
        query = urlencode(
            {
                "organizationId": str(org.id),
                "organizationUserId": str(member.id),
                "email": member.email,
                "organizationName": org.name,
                "token": token,
            }
        )
        return f"{self.public_url.rstrip('/')}/#/accept-organization?{query}"


@dataclass
class OrganizationWork:
    """Everything one command or event handler needs: the transaction, the stores bound to it, invite tokens and
    links, the clock."""

    uow: UnitOfWork
    store: OrganizationStore
    read_models: OrganizationReadModels
    audit: OrganizationAuditLog
    tokens: InviteTokens
    links: InviteLinks
    clock: Clock
