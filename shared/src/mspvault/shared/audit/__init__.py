"""Audit logs as Bitwarden shows them.

Each service keeps its own audit table, fed by the domain events it consumes (its own topic included), so an entry
is never lost (outbox) nor written twice (inbox, and the envelope id as primary key).

- `codes`: Bitwarden's event type codes and which event becomes which;
- `entries`: the entry an envelope becomes (pure);
- `storage`: the table's columns, insert once, rows back to entries;
- `paging`: the date window, keyset pages and the query parameters of a log;
- `responses`: the API models (`EventResponse`, `EventListResponse`);
- `recording`: chaining a recorder after an existing handler (older handler style).
Who acted from where is `mspvault.shared.observability.origin` (set by middleware for every request).

The names below are re-exported so `from mspvault.shared.audit import X` keeps working.
"""

from mspvault.shared.audit.codes import (
    CODES,
    IDENTITY_CODES,
    ORGANIZATION_CODES,
    PROVIDER_CODES,
    VAULT_CODES,
    EventType,
)
from mspvault.shared.audit.entries import AuditEntry, entry_for
from mspvault.shared.audit.paging import (
    DEFAULT_DAYS,
    MAX_RANGE,
    PAGE_SIZE,
    Cursor,
    InvalidContinuationToken,
    LogQuery,
    LogQueryParams,
    Page,
    RangeTooLarge,
    Window,
    log_query,
    read_page,
    window,
)
from mspvault.shared.audit.recording import also_record
from mspvault.shared.audit.responses import EventListResponse, EventResponse
from mspvault.shared.audit.storage import audit_columns, entry_from_row, store_entry
from mspvault.shared.observability.origin import RequestOrigin, acting, origin_of

__all__ = [
    "CODES",
    "DEFAULT_DAYS",
    "IDENTITY_CODES",
    "MAX_RANGE",
    "ORGANIZATION_CODES",
    "PAGE_SIZE",
    "PROVIDER_CODES",
    "VAULT_CODES",
    "AuditEntry",
    "Cursor",
    "EventListResponse",
    "EventResponse",
    "EventType",
    "InvalidContinuationToken",
    "LogQuery",
    "LogQueryParams",
    "Page",
    "RangeTooLarge",
    "RequestOrigin",
    "Window",
    "acting",
    "also_record",
    "audit_columns",
    "entry_for",
    "entry_from_row",
    "log_query",
    "origin_of",
    "read_page",
    "store_entry",
    "window",
]
