"""Request bodies, camelCase as Bitwarden's clients send them. Shapes are checked here; rules in the domain."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.alias_generators import to_camel

from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.roles import MemberType
from mspvault.organization.service_layer import commands
from mspvault.shared.by_name import dataclass_by_name
from mspvault.shared.text import PlainText

Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=256, pattern=r"^[^@\s]+@[^@\s]+$"), PlainText
]
OrgName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50), PlainText]
GroupName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), PlainText]
EncText = Annotated[str, StringConstraints(min_length=3, max_length=10000)]
ExternalId = Annotated[str, StringConstraints(max_length=300)]
# Id lists: Bitwarden's 500 per bulk request. Access lists (a collection's users, a group's collections) name at most
# every member or collection of an organization, so their bound is wider; the body cap bounds them anyway.
GroupIds = Annotated[list[uuid.UUID], Field(max_length=500)]
Selections = Annotated[list["Selection"], Field(max_length=10_000)]
MemberIds = Annotated[list[uuid.UUID], Field(max_length=10_000)]


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class OrgKeys(ApiModel):
    public_key: Annotated[str, StringConstraints(min_length=1, max_length=10000)]
    encrypted_private_key: EncText


class CreateOrganization(ApiModel):
    name: OrgName
    billing_email: Email
    plan_type: int = Field(default=0, ge=0, le=100)
    key: EncText
    keys: OrgKeys | None = None
    collection_name: EncText | None = None

    def command(self) -> commands.CreateOrganization:
        return dataclass_by_name(
            commands.CreateOrganization,
            self,
            public_key=self.keys.public_key if self.keys else None,
            encrypted_private_key=self.keys.encrypted_private_key if self.keys else None,
        )


class UpdateOrganization(ApiModel):
    """`{name, billingEmail}`: what the web vault's organization settings send (other fields are ignored)."""

    name: OrgName
    billing_email: Email

    def command(self, org_id: uuid.UUID) -> commands.UpdateOrganization:
        return commands.UpdateOrganization(org_id=org_id, name=self.name, billing_email=self.billing_email)


class Selection(ApiModel):
    """`{id, readOnly, hidePasswords, manage}`: one collection grant, to a member, a group, or from either side."""

    id: uuid.UUID
    read_only: bool = False
    hide_passwords: bool = False
    manage: bool = False

    def grant(self) -> tuple[uuid.UUID, Grant]:
        return self.id, Grant(read_only=self.read_only, hide_passwords=self.hide_passwords, manage=self.manage)


def grants(selections: list[Selection] | None) -> tuple[tuple[uuid.UUID, Grant], ...] | None:
    return tuple(s.grant() for s in selections) if selections is not None else None


class Invite(ApiModel):
    emails: list[Email] = Field(min_length=1, max_length=20)
    type: MemberType
    collections: Selections | None = None
    groups: GroupIds | None = None
    permissions: dict[str, Any] | None = None
    access_secrets_manager: bool = False

    def command(self, org_id: uuid.UUID) -> commands.InviteMembers:
        return commands.InviteMembers(org_id, tuple(self.emails), assignment(self))


class UpdateMember(ApiModel):
    type: MemberType
    collections: Selections | None = None
    groups: GroupIds | None = None
    permissions: dict[str, Any] | None = None
    access_secrets_manager: bool | None = None

    def command(self, org_id: uuid.UUID, member_id: uuid.UUID) -> commands.UpdateMember:
        return commands.UpdateMember(org_id, member_id, assignment(self))


def assignment(body: Invite | UpdateMember) -> commands.Assignment:
    return commands.Assignment(
        type=body.type,
        permissions=body.permissions,
        collections=grants(body.collections),
        groups=tuple(body.groups) if body.groups is not None else None,
        access_secrets_manager=body.access_secrets_manager,
    )


class Ids(ApiModel):
    ids: list[uuid.UUID] = Field(min_length=1, max_length=500)


class Accept(ApiModel):
    token: Annotated[str, StringConstraints(min_length=10, max_length=2000)]
    reset_password_key: str | None = Field(default=None, max_length=2000)


class ResetPasswordEnrollment(ApiModel):
    """Bitwarden's `OrganizationUserResetPasswordEnrollmentRequestModel`; no key withdraws. The master-password
    hash is not checked here (identity holds it): the caller's token is the proof, a deliberate difference."""

    reset_password_key: str | None = Field(default=None, max_length=2000)
    master_password_hash: str | None = Field(default=None, max_length=300)


class Confirm(ApiModel):
    key: EncText
    default_user_collection_name: str | None = None


class ConfirmKey(ApiModel):
    id: uuid.UUID
    key: EncText


class BulkConfirm(ApiModel):
    keys: list[ConfirmKey] = Field(min_length=1, max_length=500)


class CollectionBody(ApiModel):
    name: EncText
    external_id: ExternalId | None = None
    users: Selections | None = None
    groups: Selections | None = None

    def create_command(self, org_id: uuid.UUID) -> commands.CreateCollection:
        return commands.CreateCollection(
            org_id, self.name, self.external_id, grants(self.users) or (), grants(self.groups) or ()
        )

    def update_command(self, org_id: uuid.UUID, collection_id: uuid.UUID) -> commands.UpdateCollection:
        return commands.UpdateCollection(
            org_id, collection_id, self.name, self.external_id, grants(self.users), grants(self.groups)
        )


class GroupBody(ApiModel):
    name: GroupName
    external_id: ExternalId | None = None
    collections: Selections | None = None
    users: MemberIds | None = None

    def create_command(self, org_id: uuid.UUID) -> commands.CreateGroup:
        return commands.CreateGroup(
            org_id, self.name, self.external_id, grants(self.collections) or (), tuple(self.users or ())
        )

    def update_command(self, org_id: uuid.UUID, group_id: uuid.UUID) -> commands.UpdateGroup:
        users = tuple(self.users) if self.users is not None else None
        return commands.UpdateGroup(org_id, group_id, self.name, self.external_id, grants(self.collections), users)


class PolicyState(ApiModel):
    enabled: bool
    data: dict[str, Any] | None = None


class PutPolicy(ApiModel):
    """Older clients send `{enabled, data}`; newer ones nest it as `{policy: {enabled, data}, metadata}`."""

    enabled: bool | None = None
    data: dict[str, Any] | None = None
    policy: PolicyState | None = None

    def state(self) -> PolicyState | None:
        if self.policy is not None:
            return self.policy
        if self.enabled is None:
            return None
        return PolicyState(enabled=self.enabled, data=self.data)


class OrganizationApiKeyRequest(ApiModel):
    """Bitwarden's `OrganizationApiKeyRequestModel`; the gateway checks the master-password hash with identity."""

    master_password_hash: str | None = Field(default=None, max_length=300)
    type: int = Field(default=0, ge=0, le=255)
