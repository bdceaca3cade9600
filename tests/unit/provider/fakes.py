"""In-memory stand-ins for the provider's ports, so handlers are tested without PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Unpack

from mspvault.provider.domain.client import ClientLink, KnownOrganization
from mspvault.provider.domain.enums import ProviderUserStatus
from mspvault.provider.domain.errors import ClientNotFound, ProviderNotFound
from mspvault.provider.domain.invite_token import invite_tokens
from mspvault.provider.domain.roster import Roster
from mspvault.provider.service_layer.ports import InviteLinks, MemberFacts, ProviderWork
from mspvault.shared.audit.entries import AuditEntry
from mspvault.shared.clock import FixedClock
from mspvault.shared.testing.fakes import FakeUnitOfWork
from tests.unit.provider.provider_builders import NOW

OWNER, CONFIRMED = 0, 2


@dataclass
class FakeProviderStore:
    rosters: dict[uuid.UUID, Roster] = field(default_factory=dict)
    clients: dict[uuid.UUID, ClientLink] = field(default_factory=dict)
    organizations: dict[uuid.UUID, KnownOrganization] = field(default_factory=dict)
    members: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    mails: list[dict[str, str]] = field(default_factory=list)
    bumped: set[uuid.UUID] = field(default_factory=set)

    async def add_roster(self, roster: Roster) -> None:
        self.rosters[roster.provider.id] = roster

    async def load_roster(self, provider_id: uuid.UUID, *, lock: bool = False) -> Roster:
        if provider_id not in self.rosters:
            raise ProviderNotFound()
        return self.rosters[provider_id]

    async def save_roster(self, roster: Roster) -> None:
        self.rosters[roster.provider.id] = roster

    async def add_client(self, link: ClientLink) -> None:
        self.clients[link.id] = link

    async def load_client(self, provider_id: uuid.UUID, link_id: uuid.UUID) -> ClientLink:
        link = self.clients.get(link_id)
        if link is None or link.provider_id != provider_id:
            raise ClientNotFound()
        return link

    async def save_client(self, link: ClientLink) -> None:
        self.clients[link.id] = link

    async def delete_client(self, link: ClientLink) -> None:
        self.clients.pop(link.id, None)

    async def client_of_organization(self, organization_id: uuid.UUID) -> ClientLink | None:
        return next((link for link in self.clients.values() if link.organization_id == organization_id), None)

    async def providers_of_account(self, user_id: uuid.UUID) -> list[uuid.UUID]:
        return [pid for pid, roster in self.rosters.items() if user_id in roster.users_with_accounts()]

    async def provider_accounts(self, provider_id: uuid.UUID) -> list[uuid.UUID]:
        roster = self.rosters.get(provider_id)
        return sorted(roster.users_with_accounts()) if roster else []

    async def known_organization(self, organization_id: uuid.UUID) -> KnownOrganization | None:
        return self.organizations.get(organization_id)

    async def is_confirmed_owner(self, organization_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        return any(
            m["organization_id"] == organization_id
            and m["user_id"] == user_id
            and (m["type"], m["status"]) == (OWNER, CONFIRMED)
            for m in self.members.values()
        )

    async def has_confirmed_owner(self, organization_id: uuid.UUID) -> bool:
        return any(
            m["organization_id"] == organization_id and (m["type"], m["status"]) == (OWNER, CONFIRMED)
            for m in self.members.values()
        )

    async def queue_mail(self, *, to: str, subject: str, body: str) -> None:
        self.mails.append({"to": to, "subject": subject, "body": body})

    async def bump_revisions(self, user_ids: Iterable[uuid.UUID], now: datetime) -> None:
        self.bumped |= set(user_ids)


@dataclass
class FakeReadModels:
    """The read models as dicts; members are shared with the store, which answers ownership from them."""

    members: dict[uuid.UUID, dict[str, Any]]
    users: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    organizations: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    client_names: dict[uuid.UUID, tuple[uuid.UUID, str]] = field(default_factory=dict)  # org id -> (provider, name)
    security_stamps: dict[uuid.UUID, tuple[str, datetime]] = field(default_factory=dict)

    async def register_user(self, user_id: uuid.UUID, *, email: str, name: str | None, public_key: str | None) -> None:
        await self.save_user(user_id, email=email, name=name)
        if public_key is not None:
            self.users[user_id]["public_key"] = public_key

    async def save_user(self, user_id: uuid.UUID, *, email: str, name: str | None) -> None:
        self.users.setdefault(user_id, {}).update(email=email, name=name)

    async def set_user_key(self, user_id: uuid.UUID, public_key: str) -> None:
        self.users.setdefault(user_id, {})["public_key"] = public_key

    async def delete_user(self, user_id: uuid.UUID) -> None:
        self.users.pop(user_id, None)

    async def save_organization(
        self, organization_id: uuid.UUID, *, name: str, provider_id: uuid.UUID | None, plan_type: int, seats: int | None
    ) -> None:
        self.organizations[organization_id] = {
            "name": name,
            "provider_id": provider_id,
            "plan_type": plan_type,
            "seats": seats,
            "enabled": True,
        }

    async def update_organization(
        self, organization_id: uuid.UUID, *, name: str, enabled: bool, provider_id: uuid.UUID | None
    ) -> None:
        if organization_id in self.organizations:
            self.organizations[organization_id].update(name=name, enabled=enabled, provider_id=provider_id)

    async def rename_client(self, organization_id: uuid.UUID, name: str, now: datetime) -> uuid.UUID | None:
        known = self.client_names.get(organization_id)
        if known is None or known[1] == name:
            return None
        self.client_names[organization_id] = (known[0], name)
        return known[0]

    async def delete_organization(self, organization_id: uuid.UUID) -> None:
        self.organizations.pop(organization_id, None)
        for member_id in [m for m, row in self.members.items() if row["organization_id"] == organization_id]:
            del self.members[member_id]

    async def save_member(self, member_id: uuid.UUID, **member: Unpack[MemberFacts]) -> None:
        known = self.members.get(member_id)
        if known is not None and known["source_at"] > member["as_of"]:
            return
        self.members[member_id] = {
            "organization_id": member["organization_id"],
            "user_id": member["user_id"] if member["user_id"] is not None else (known or {}).get("user_id"),
            "type": member["type"],
            "status": member["status"],
            "source_at": member["as_of"],
        }

    async def delete_member(
        self, member_id: uuid.UUID, *, organization_id: uuid.UUID, type: int, as_of: datetime
    ) -> None:
        known = self.members.get(member_id)
        if known is not None and known["source_at"] > as_of:
            return
        self.members[member_id] = {
            "organization_id": organization_id,
            "user_id": None,
            "type": type,
            "status": -1,
            "source_at": as_of,
        }


@dataclass
class FakeAuditLog:
    """Entries as recorded, with the client log they went to; the rules the SQL adapter applies in one statement,
    applied here over the store's rosters, links and members."""

    store: FakeProviderStore
    entries: list[tuple[AuditEntry, uuid.UUID | None]] = field(default_factory=list)

    async def record_provider_event(self, entry: AuditEntry, *, client_link: bool) -> None:
        if entry.provider_id not in self.store.rosters:
            return
        if not client_link:
            self._add(entry, client_provider_id=None)
            return
        link_id = await self._link_id(entry.provider_id, entry.organization_id)
        self._add(replace(entry, provider_organization_id=link_id), client_provider_id=entry.provider_id)

    async def record_client_event(self, entry: AuditEntry, *, attribute: bool) -> None:
        assert entry.organization_id is not None
        link = await self.store.client_of_organization(entry.organization_id)
        client_of = link.provider_id if link else None
        if attribute:
            acts = client_of is not None and self._acts_for(client_of, entry.organization_id, entry.acting_user_id)
            entry = replace(entry, provider_id=client_of if acts else None)
        if client_of is None and entry.provider_id not in self.store.rosters:
            return
        self._add(entry, client_provider_id=client_of)

    def _add(self, entry: AuditEntry, *, client_provider_id: uuid.UUID | None) -> None:
        if all(recorded.id != entry.id for recorded, _ in self.entries):
            self.entries.append((entry, client_provider_id))

    async def _link_id(self, provider_id: uuid.UUID, organization_id: uuid.UUID | None) -> uuid.UUID | None:
        link = None if organization_id is None else await self.store.client_of_organization(organization_id)
        if link is not None and link.provider_id == provider_id:
            return link.id
        earlier = [
            e.provider_organization_id
            for e, _ in self.entries
            if (e.provider_id, e.organization_id) == (provider_id, organization_id)
        ]
        return next((found for found in reversed(earlier) if found is not None), None)

    def _acts_for(self, provider_id: uuid.UUID, organization_id: uuid.UUID, user_id: uuid.UUID | None) -> bool:
        roster = self.store.rosters.get(provider_id)
        active = roster is not None and any(
            u.user_id == user_id and u.status is ProviderUserStatus.CONFIRMED for u in roster.users
        )
        owner = any(
            (m["organization_id"], m["user_id"], m["type"], m["status"]) == (organization_id, user_id, OWNER, CONFIRMED)
            for m in self.store.members.values()
        )
        return active and not owner


@dataclass
class FakeProviderWorld:
    """One `ProviderWork` over fakes, and the fakes themselves for assertions."""

    store: FakeProviderStore = field(default_factory=FakeProviderStore)
    uow: FakeUnitOfWork = field(default_factory=FakeUnitOfWork)
    clock: FixedClock = field(default_factory=lambda: FixedClock(NOW))
    read_models: FakeReadModels = field(init=False)
    audit: FakeAuditLog = field(init=False)

    def __post_init__(self) -> None:
        self.read_models = FakeReadModels(members=self.store.members)
        self.audit = FakeAuditLog(self.store)

    def work(self) -> ProviderWork:
        return ProviderWork(
            uow=self.uow,  # type: ignore[arg-type]
            store=self.store,
            read_models=self.read_models,
            audit=self.audit,
            tokens=invite_tokens("unit-test-invite-secret"),
            links=InviteLinks("https://vault.test"),
            clock=self.clock,
        )
