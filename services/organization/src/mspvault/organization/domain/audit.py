"""Who may read an organization's event log (Bitwarden's `AccessEventLogs`).

Owners and Admins, Custom members granted `accessEventLogs`, and the users of the provider the organization is a
client of (their standing comes through the link, Service Users included). Everyone else gets 404, not 403.
"""

from __future__ import annotations

from mspvault.organization.domain.roles import MemberType, Standing


def may_read_event_logs(standing: Standing) -> bool:
    if standing.via_provider or standing.role in (MemberType.OWNER, MemberType.ADMIN):
        return True
    return standing.role == MemberType.CUSTOM and "accessEventLogs" in standing.permissions
