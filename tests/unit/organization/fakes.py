"""In-memory fakes of the organization service's ports, and a world to run its handlers in (no database, no broker).

`FakeStore` keeps the same facts as the tables (grants per collection and member or group, group members, policies,
active provider users) and answers the `OrganizationStore` protocol from them.
"""

from __future__ import annotations

import contextlib
import copy
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Unpack

from mspvault.organization.domain.access import AccessGraph, AccessMember, Grant, fold
from mspvault.organization.domain.api_key import OrganizationApiKey
from mspvault.organization.domain.collections import Collection, GrantTo, Group
from mspvault.organization.domain.invite_token import invite_tokens
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.policies import EXEMPT_TYPES, OtherMembership, PolicyType
from mspvault.organization.domain.roles import MembershipFacts, MemberStatus, MemberType, Permissions
from mspvault.organization.service_layer.ports import (
    InviteLinks,
    Kind,
    OrganizationAuditLog,
    OrganizationReadModels,
    OrganizationStore,
    OrganizationWork,
    ProviderUserFacts,
)
from mspvault.shared.audit.entries import AuditEntry
from mspvault.shared.auth.principal import Principal
from mspvault.shared.testing.fakes import FakeUnitOfWork
from mspvault.shared.testing.samples import FIXED_ENC_STRING

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SYM = FIXED_ENC_STRING
RSA = "4.cnNhLWNpcGhlcnRleHQ="
ACTIVE = (MemberStatus.ACCEPTED, MemberStatus.CONFIRMED)


class FakeUow(FakeUnitOfWork):
    def types(self) -> list[str]:
        return [event.event_type for event, _ in self.published]


@dataclass
class FakeStore:
    orgs: dict[uuid.UUID, Organization] = field(default_factory=dict)
    members: dict[uuid.UUID, Member] = field(default_factory=dict)
    collections: dict[uuid.UUID, Collection] = field(default_factory=dict)
    groups: dict[uuid.UUID, Group] = field(default_factory=dict)
    # (collection id, member id) / (collection id, group id) -> grant
    collection_users: dict[tuple[uuid.UUID, uuid.UUID], Grant] = field(default_factory=dict)
    collection_groups: dict[tuple[uuid.UUID, uuid.UUID], Grant] = field(default_factory=dict)
    group_members: set[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=set)  # (group id, member id)
    # (org id, policy type) -> (policy id, enabled, data)
    policies: dict[tuple[uuid.UUID, PolicyType], tuple[uuid.UUID, bool, Any]] = field(default_factory=dict)
    provider_users: set[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=set)  # active (provider, user)
    providers: dict[uuid.UUID, str] = field(default_factory=dict)
    bumped: set[uuid.UUID] = field(default_factory=set)
    mails: list[dict[str, str]] = field(default_factory=list)
    # The users read model's two-step login facts, shared with FakeReadModels: user id -> (enabled, as of).
    two_factor: dict[uuid.UUID, tuple[bool, datetime]] = field(default_factory=dict)
    api_keys: dict[uuid.UUID, OrganizationApiKey] = field(default_factory=dict)

    # ---- organizations and the caller's standing ------------------------------------------------------------
    async def load_org(self, org_id: uuid.UUID, *, lock: bool = False) -> Organization | None:
        org = self.orgs.get(org_id)
        return replace(org, events=[]) if org else None

    async def add_org(self, org: Organization) -> None:
        self.orgs[org.id] = replace(org, events=[])

    async def add_org_if_new(self, org: Organization) -> bool:
        if org.id in self.orgs:
            return False
        await self.add_org(org)
        return True

    async def save_org(self, org: Organization) -> None:
        self.orgs[org.id] = replace(org, events=[])

    async def memberships_of_account(self, user_id: uuid.UUID) -> list[Member]:
        return [replace(m, events=[]) for m in self.members.values() if m.user_id == user_id]

    async def membership_facts(self, org_id: uuid.UUID, user_id: uuid.UUID) -> MembershipFacts | None:
        found = next((m for m in self.members.values() if m.organization_id == org_id and m.user_id == user_id), None)
        return found.facts if found else None

    async def is_active_provider_user(self, provider_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        return (provider_id, user_id) in self.provider_users

    # ---- members --------------------------------------------------------------------------------------------
    async def load_member(self, org_id: uuid.UUID, member_id: uuid.UUID) -> Member | None:
        member = self.members.get(member_id)
        return replace(member, events=[]) if member and member.organization_id == org_id else None

    async def add_member(self, member: Member) -> None:
        self.members[member.id] = replace(member, events=[])

    async def save_member(self, member: Member) -> None:
        self.members[member.id] = replace(member, events=[])

    async def remove_member(self, member: Member) -> None:
        del self.members[member.id]
        self.collection_users = {k: g for k, g in self.collection_users.items() if k[1] != member.id}
        self.group_members = {(g, m) for g, m in self.group_members if m != member.id}

    async def taken_emails(self, org_id: uuid.UUID, emails: Sequence[str]) -> list[str]:
        return [m.email for m in self._of_org(org_id) if m.email in emails]

    async def occupied_seats(self, org_id: uuid.UUID) -> int:
        return sum(1 for m in self._of_org(org_id) if m.occupies_seat)

    async def confirmed_owner_count(self, org_id: uuid.UUID, *, excluding: uuid.UUID) -> int:
        return sum(
            1
            for m in self._of_org(org_id)
            if m.type == MemberType.OWNER and m.status == MemberStatus.CONFIRMED and m.id != excluding
        )

    async def other_memberships(
        self, user_id: uuid.UUID, *, excluding: uuid.UUID | None = None
    ) -> list[OtherMembership]:
        return [
            OtherMembership(m.organization_id, m.type, m.status, self._single_org(m.organization_id))
            for m in self.members.values()
            if m.user_id == user_id and m.organization_id != excluding
        ]

    async def load_api_key(self, org_id: uuid.UUID) -> OrganizationApiKey | None:
        key = self.api_keys.get(org_id)
        return replace(key, events=[]) if key else None

    async def save_api_key(self, key: OrganizationApiKey) -> None:
        self.api_keys[key.organization_id] = replace(key, events=[])

    async def members_without_two_factor(self, org_id: uuid.UUID) -> list[Member]:
        return [
            replace(m, events=[])
            for m in self._of_org(org_id)
            if m.type not in EXEMPT_TYPES
            and m.status in ACTIVE
            and not (m.user_id is not None and await self.has_two_factor(m.user_id))
        ]

    async def memberships_requiring_two_factor(self, user_id: uuid.UUID) -> list[Member]:
        def requires(org_id: uuid.UUID) -> bool:
            policy = self.policies.get((org_id, PolicyType.TWO_FACTOR_AUTHENTICATION))
            return bool(policy and policy[1])

        return [
            replace(m, events=[])
            for m in self.members.values()
            if m.user_id == user_id
            and m.type not in EXEMPT_TYPES
            and m.status in ACTIVE
            and requires(m.organization_id)
        ]

    async def has_two_factor(self, user_id: uuid.UUID) -> bool:
        return self.two_factor.get(user_id, (False, NOW))[0]

    async def members_in_other_orgs(self, org_id: uuid.UUID) -> list[Member]:
        def elsewhere(member: Member) -> bool:
            return any(
                o.user_id == member.user_id and o.organization_id != org_id and o.status in ACTIVE
                for o in self.members.values()
            )

        return [
            replace(m, events=[])
            for m in self._of_org(org_id)
            if m.type not in EXEMPT_TYPES and m.status in ACTIVE and elsewhere(m)
        ]

    async def replace_member_grants(self, member_id: uuid.UUID, grants: Sequence[GrantTo]) -> None:
        self.collection_users = {k: g for k, g in self.collection_users.items() if k[1] != member_id}
        self.collection_users |= {(cid, member_id): grant for cid, grant in grants}

    async def replace_member_groups(self, member_id: uuid.UUID, group_ids: Iterable[uuid.UUID]) -> None:
        self.group_members = {(g, m) for g, m in self.group_members if m != member_id}
        self.group_members |= {(gid, member_id) for gid in group_ids}

    # ---- collections and groups -----------------------------------------------------------------------------
    async def ids_in_org(self, kind: Kind, org_id: uuid.UUID, ids: set[uuid.UUID]) -> set[uuid.UUID]:
        tables: dict[str, dict[uuid.UUID, Any]] = {
            "collections": self.collections,
            "groups": self.groups,
            "members": self.members,
        }
        rows = tables[kind]
        return {i for i in ids if i in rows and rows[i].organization_id == org_id}

    async def count_collections(self, org_id: uuid.UUID) -> int:
        return sum(1 for c in self.collections.values() if c.organization_id == org_id)

    async def load_collection(self, org_id: uuid.UUID, collection_id: uuid.UUID) -> Collection | None:
        found = self.collections.get(collection_id)
        if found is None or found.organization_id != org_id:
            return None
        return replace(found, users=None, groups=None, events=[])

    async def add_collection(self, collection: Collection) -> None:
        await self.save_collection(collection)

    async def save_collection(self, collection: Collection) -> None:
        self.collections[collection.id] = replace(collection, users=None, groups=None, events=[])
        if collection.users is not None:
            self.collection_users = {k: g for k, g in self.collection_users.items() if k[0] != collection.id}
            self.collection_users |= {(collection.id, mid): g for mid, g in collection.users}
        if collection.groups is not None:
            self.collection_groups = {k: g for k, g in self.collection_groups.items() if k[0] != collection.id}
            self.collection_groups |= {(collection.id, gid): g for gid, g in collection.groups}

    async def delete_collection(self, collection: Collection) -> None:
        del self.collections[collection.id]
        self.collection_users = {k: g for k, g in self.collection_users.items() if k[0] != collection.id}
        self.collection_groups = {k: g for k, g in self.collection_groups.items() if k[0] != collection.id}

    async def load_group(self, org_id: uuid.UUID, group_id: uuid.UUID) -> Group | None:
        found = self.groups.get(group_id)
        if found is None or found.organization_id != org_id:
            return None
        return replace(found, collections=None, member_ids=None, renamed=False)

    async def add_group(self, group: Group) -> None:
        await self.save_group(group)

    async def save_group(self, group: Group) -> None:
        self.groups[group.id] = replace(group, collections=None, member_ids=None, renamed=False)
        if group.collections is not None:
            self.collection_groups = {k: g for k, g in self.collection_groups.items() if k[1] != group.id}
            self.collection_groups |= {(cid, group.id): g for cid, g in group.collections}
        if group.member_ids is not None:
            self.group_members = {(g, m) for g, m in self.group_members if g != group.id}
            self.group_members |= {(group.id, mid) for mid in group.member_ids}

    async def delete_group(self, group: Group) -> None:
        del self.groups[group.id]
        self.collection_groups = {k: g for k, g in self.collection_groups.items() if k[1] != group.id}
        self.group_members = {(g, m) for g, m in self.group_members if g != group.id}

    async def caller_grant(self, member_id: uuid.UUID, collection_id: uuid.UUID) -> Grant | None:
        grants = [g for (cid, mid), g in self.collection_users.items() if (cid, mid) == (collection_id, member_id)]
        grants += [
            g
            for (cid, gid), g in self.collection_groups.items()
            if cid == collection_id and (gid, member_id) in self.group_members
        ]
        return fold(grants)

    async def collections_of_org(self, org_id: uuid.UUID) -> set[uuid.UUID]:
        return {c.id for c in self.collections.values() if c.organization_id == org_id}

    async def collections_touching_member(self, member_id: uuid.UUID) -> set[uuid.UUID]:
        direct = {cid for cid, mid in self.collection_users if mid == member_id}
        groups = {gid for gid, mid in self.group_members if mid == member_id}
        return direct | {cid for cid, gid in self.collection_groups if gid in groups}

    async def collections_touching_group(self, group_id: uuid.UUID) -> set[uuid.UUID]:
        return {cid for cid, gid in self.collection_groups if gid == group_id}

    async def member_grants(self, member_id: uuid.UUID) -> dict[uuid.UUID, Grant]:
        return {cid: g for (cid, mid), g in self.collection_users.items() if mid == member_id}

    async def member_groups(self, member_id: uuid.UUID) -> set[uuid.UUID]:
        return {gid for gid, mid in self.group_members if mid == member_id}

    async def group_grants(self, group_id: uuid.UUID) -> dict[uuid.UUID, Grant]:
        return {cid: g for (cid, gid), g in self.collection_groups.items() if gid == group_id}

    async def group_member_ids(self, group_id: uuid.UUID) -> set[uuid.UUID]:
        return {mid for gid, mid in self.group_members if gid == group_id}

    async def existing_collections(self, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        return {i for i in ids if i in self.collections}

    async def access_graph(self, org_id: uuid.UUID, collection_ids: Sequence[uuid.UUID]) -> AccessGraph:
        wanted = set(collection_ids)
        by_group = {k: g for k, g in self.collection_groups.items() if k[0] in wanted}
        group_ids = {gid for _, gid in by_group}
        return AccessGraph(
            members={m.id: AccessMember(m.id, m.user_id, m.type, m.status) for m in self._of_org(org_id)},
            direct={k: g for k, g in self.collection_users.items() if k[0] in wanted},
            by_group=by_group,
            group_members={
                gid: frozenset(m for g, m in self.group_members if g == gid)
                for gid in group_ids
                if any(g == gid for g, _ in self.group_members)
            },
        )

    # ---- policies -------------------------------------------------------------------------------------------
    async def enabled_policies(self, org_id: uuid.UUID) -> set[PolicyType]:
        return {t for (o, t), (_, enabled, _) in self.policies.items() if o == org_id and enabled}

    async def policy_data(self, org_id: uuid.UUID, policy_type: PolicyType) -> dict[str, Any] | None:
        found = self.policies.get((org_id, policy_type))
        return dict(found[2] or {}) if found and found[1] else None

    async def save_policy(
        self, org_id: uuid.UUID, policy_type: PolicyType, *, enabled: bool, data: dict[str, Any] | None, now: datetime
    ) -> uuid.UUID:
        policy_id = self.policies.get((org_id, policy_type), (uuid.uuid4(), False, None))[0]
        self.policies[(org_id, policy_type)] = (policy_id, enabled, data)
        return policy_id

    # ---- read model and side effects ------------------------------------------------------------------------
    async def remember_provider(self, provider_id: uuid.UUID, name: str) -> None:
        self.providers[provider_id] = name

    async def org_audience(self, org_id: uuid.UUID, provider_id: uuid.UUID | None) -> set[uuid.UUID]:
        own = {m.user_id for m in self._of_org(org_id) if m.user_id is not None}
        return own | await self.provider_audience(provider_id)

    async def provider_audience(self, provider_id: uuid.UUID | None) -> set[uuid.UUID]:
        return {u for p, u in self.provider_users if p == provider_id}

    async def bump_revisions(self, user_ids: Iterable[uuid.UUID | None]) -> None:
        self.bumped |= {u for u in user_ids if u is not None}

    async def queue_mail(self, *, to: str, subject: str, body: str) -> None:
        self.mails.append({"to": to, "subject": subject, "body": body})

    @contextlib.asynccontextmanager
    async def savepoint(self) -> AsyncIterator[object]:
        saved = copy.deepcopy(self.__dict__)
        try:
            yield self
        except BaseException:
            self.__dict__.update(saved)
            raise

    # ---- helpers --------------------------------------------------------------------------------------------
    def _of_org(self, org_id: uuid.UUID) -> list[Member]:
        return [m for m in self.members.values() if m.organization_id == org_id]

    def _single_org(self, org_id: uuid.UUID) -> bool:
        policy = self.policies.get((org_id, PolicyType.SINGLE_ORG))
        return bool(policy and policy[1])


@dataclass
class FakeReadModels:
    store: FakeStore | None = None  # where the two-step login facts land (the real users table is shared too)
    users: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    providers: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    provider_users: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    security_stamps: dict[uuid.UUID, tuple[str, datetime]] = field(default_factory=dict)

    async def register_user(self, user_id: uuid.UUID, *, email: str, name: str | None, public_key: str | None) -> None:
        self.users[user_id] = {"email": email, "name": name, "public_key": public_key}

    async def save_user(self, user_id: uuid.UUID, *, email: str, name: str | None) -> None:
        self.users[user_id] = self.users.get(user_id, {"public_key": None}) | {"email": email, "name": name}

    async def set_user_key(self, user_id: uuid.UUID, public_key: str) -> None:
        if user_id in self.users:
            self.users[user_id]["public_key"] = public_key

    async def delete_user(self, user_id: uuid.UUID) -> None:
        self.users.pop(user_id, None)

    async def set_two_factor(self, user_id: uuid.UUID, *, enabled: bool, as_of: datetime) -> bool:
        if self.store is None or user_id not in self.users:
            return False
        known = self.store.two_factor.get(user_id)
        if known is not None and known[1] > as_of:
            return False
        self.store.two_factor[user_id] = (enabled, as_of)
        return True

    async def save_provider(
        self, provider_id: uuid.UUID, *, name: str, type: int | None = None, enabled: bool | None = None
    ) -> None:
        row = self.providers.setdefault(provider_id, {"type": 0, "enabled": True})
        row["name"] = name
        row.update({k: v for k, v in {"type": type, "enabled": enabled}.items() if v is not None})

    async def save_provider_user(
        self, provider_user_id: uuid.UUID, **facts: Unpack[ProviderUserFacts]
    ) -> uuid.UUID | None:
        row = self.provider_users.get(provider_user_id)
        before = row["user_id"] if row else None
        if row is not None and row["source_at"] > facts["as_of"]:
            return before
        row = row or {"status": int(MemberStatus.CONFIRMED), "revoked": False, "user_id": None}
        row.update({"provider_id": facts["provider_id"], "type": facts["type"], "source_at": facts["as_of"]})
        row.update({k: v for k, v in facts.items() if k in ("user_id", "status", "revoked") and v is not None})
        self.provider_users[provider_user_id] = row
        return before

    async def delete_provider_user(
        self, provider_user_id: uuid.UUID, *, provider_id: uuid.UUID, type: int, as_of: datetime
    ) -> uuid.UUID | None:
        row = self.provider_users.get(provider_user_id)
        before = row["user_id"] if row else None
        if row is None or row["source_at"] <= as_of:
            row = row or {"provider_id": provider_id, "type": type, "user_id": None}
            row.update({"status": int(MemberStatus.REVOKED), "revoked": True, "source_at": as_of})
            self.provider_users[provider_user_id] = row
        return before


@dataclass
class FakeAuditLog:
    store: FakeStore
    entries: list[AuditEntry] = field(default_factory=list)

    async def add(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    async def add_if_held(self, entry: AuditEntry) -> None:
        if entry.organization_id in self.store.orgs:
            await self.add(entry)

    async def holds_organization(self, org_id: uuid.UUID) -> bool:
        return org_id in self.store.orgs

    async def memberships_of_user(self, user_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
        return [
            (m.organization_id, m.id)
            for m in self.store.members.values()
            if m.user_id == user_id and m.status != MemberStatus.INVITED
        ]

    async def policy_id(self, org_id: uuid.UUID, policy_type: int) -> uuid.UUID | None:
        found = self.store.policies.get((org_id, PolicyType(policy_type)))
        return found[0] if found else None


def _conforms(store: FakeStore, read_models: FakeReadModels, audit: FakeAuditLog) -> None:
    """mypy checks here that the fakes keep up with the protocols."""
    _: tuple[OrganizationStore, OrganizationReadModels, OrganizationAuditLog] = (store, read_models, audit)


def principal(name: str) -> Principal:
    user_id = uuid.uuid4()
    return Principal(user_id=user_id, email=f"{name}@example.test")


@dataclass
class World:
    """An organization with an Owner, in a fake store; `join` adds confirmed members."""

    store: FakeStore
    uow: FakeUow
    org: Organization
    owner: Principal
    owner_member: Member
    read_models: FakeReadModels = field(default_factory=FakeReadModels)
    audit: FakeAuditLog | None = None

    def work(self) -> OrganizationWork:
        if self.audit is None:
            self.audit = FakeAuditLog(self.store)
        return OrganizationWork(
            uow=self.uow,  # type: ignore[arg-type]
            store=self.store,
            read_models=self.read_models,
            audit=self.audit,
            tokens=invite_tokens("unit-test-secret-unit-test-secret"),
            links=InviteLinks("https://vault.test"),
            clock=lambda: NOW,
        )

    def join(
        self,
        name: str,
        member_type: MemberType = MemberType.USER,
        *,
        status: MemberStatus = MemberStatus.CONFIRMED,
        permissions: dict[str, bool] | None = None,
    ) -> tuple[Principal, Member]:
        who = principal(name)
        member = Member(
            id=uuid.uuid4(),
            organization_id=self.org.id,
            email=who.email,
            type=member_type,
            status=status,
            user_id=who.user_id,
            key=RSA if status == MemberStatus.CONFIRMED else None,
            permissions=Permissions.from_json(permissions).to_json() if member_type == MemberType.CUSTOM else None,
        )
        self.store.members[member.id] = member
        return who, member

    def collection(self, users: Sequence[GrantTo] = (), groups: Sequence[GrantTo] = ()) -> Collection:
        collection = Collection(uuid.uuid4(), self.org.id, SYM, users=list(users), groups=list(groups))
        self.store.collections[collection.id] = replace(collection, users=None, groups=None)
        self.store.collection_users |= {(collection.id, mid): g for mid, g in users}
        self.store.collection_groups |= {(collection.id, gid): g for gid, g in groups}
        return collection

    def group(self, member_ids: Sequence[uuid.UUID] = (), collections: Sequence[GrantTo] = ()) -> Group:
        group = Group(uuid.uuid4(), self.org.id, "Team")
        self.store.groups[group.id] = group
        self.store.group_members |= {(group.id, mid) for mid in member_ids}
        self.store.collection_groups |= {(cid, group.id): g for cid, g in collections}
        return group

    def linked_to_provider(self) -> tuple[uuid.UUID, Principal]:
        """Make the organization a provider's client; returns the provider and one of its active users."""
        provider_id = uuid.uuid4()
        self.store.orgs[self.org.id] = self.org = replace(self.org, provider_id=provider_id)
        who = principal("provider-user")
        self.store.provider_users.add((provider_id, who.user_id))
        return provider_id, who


def world(*, seats: int | None = None, max_collections: int | None = None) -> World:
    org = Organization(
        id=uuid.uuid4(),
        name="Fabrikam",
        billing_email="billing@fabrikam.test",
        plan_type=20,
        seats=seats,
        max_collections=max_collections,
    )
    store = FakeStore(orgs={org.id: org})
    owner = principal("olga")
    owner_member = Member(
        id=uuid.uuid4(),
        organization_id=org.id,
        email=owner.email,
        type=MemberType.OWNER,
        status=MemberStatus.CONFIRMED,
        user_id=owner.user_id,
        key=RSA,
    )
    store.members[owner_member.id] = owner_member
    return World(
        store=store, uow=FakeUow(), org=org, owner=owner, owner_member=owner_member, read_models=FakeReadModels(store)
    )
