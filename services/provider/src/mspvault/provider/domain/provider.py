"""The Provider (an MSP, reseller or business unit): its profile and lifecycle Pending -> Billable at setup."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from mspvault.provider.domain.enums import ProviderStatus, ProviderType, plan_allowed
from mspvault.provider.domain.errors import ProviderAlreadySetUp


@dataclass
class Provider:
    id: uuid.UUID
    name: str
    type: ProviderType
    status: ProviderStatus
    creation_date: datetime
    revision_date: datetime
    business_name: str | None = None
    billing_email: str | None = None
    enabled: bool = True
    use_events: bool = True
    seat_minimum_teams: int = 0
    seat_minimum_enterprise: int = 0

    @classmethod
    def new(
        cls,
        *,
        name: str,
        type: ProviderType,
        now: datetime,
        seat_minimum_teams: int = 0,
        seat_minimum_enterprise: int = 0,
    ) -> Provider:
        return cls(
            id=uuid.uuid4(),
            name=name,
            type=type,
            status=ProviderStatus.PENDING,
            creation_date=now,
            revision_date=now,
            seat_minimum_teams=seat_minimum_teams,
            seat_minimum_enterprise=seat_minimum_enterprise,
        )

    @property
    def is_pending(self) -> bool:
        return self.status is ProviderStatus.PENDING

    def update_profile(self, *, name: str, business_name: str | None, billing_email: str | None, now: datetime) -> None:
        self.name = name
        self.business_name = business_name
        self.billing_email = billing_email
        self.revision_date = now

    def complete_setup(self, *, name: str, business_name: str | None, billing_email: str | None, now: datetime) -> None:
        if not self.is_pending:
            raise ProviderAlreadySetUp()
        self.update_profile(name=name, business_name=business_name, billing_email=billing_email, now=now)
        # Bitwarden moves MSPs and business units to Billable once billing exists; we have no billing to wait for.
        self.status = ProviderStatus.CREATED if self.type is ProviderType.RESELLER else ProviderStatus.BILLABLE

    def allows_plan(self, plan_type: int) -> bool:
        return plan_allowed(self.type, plan_type)
