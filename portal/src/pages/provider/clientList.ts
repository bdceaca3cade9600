/**
 * The clients page's model: the rows, a case-insensitive search and a page of them. A provider may have 10,000
 * clients, so the names are lower-cased once when the list arrives, a search is one pass over those keys, and the
 * table only ever renders one page.
 */

/** The fields of `GET /api/providers/{id}/organizations` rows this page reads. */
export interface ClientDetails {
  id: string;
  organizationId: string;
  organizationName: string;
  plan: string;
  planType: number;
  seats: number;
  occupiedSeats: number;
  userCount: number;
  status: number;
  settings?: string | null;
}

export interface ClientRow {
  /** The provider-organization link's id: what detach and PUT clients/{id} take. */
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly plan: string;
  readonly planType: number;
  readonly seats: number;
  readonly seatsUsed: number;
  readonly status: string;
  readonly providerAccessToItems: boolean;
}

/** Bitwarden's OrganizationStatusType. */
const STATUS_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "Pending"],
  [1, "Created"],
  [2, "Managed"],
]);

/** The plan name without Bitwarden's billing-period suffix: "Teams (Monthly)" shows as "Teams". */
export function planLabel(plan: string): string {
  return plan.replace(/\s*\((Monthly|Annually)\)$/, "");
}

function itemAccess(settings: string | null | undefined): boolean {
  if (!settings) return true;
  try {
    const parsed: unknown = JSON.parse(settings);
    if (typeof parsed === "object" && parsed !== null && "providerAccessToItems" in parsed) {
      return parsed.providerAccessToItems !== false;
    }
  } catch {
    // A settings blob we cannot read leaves the server's default (access on).
  }
  return true;
}

/** `enabled`: whether the organization is enabled, when the caller knows (from the profile); absent means yes. */
export function toClientRow(details: ClientDetails, enabled = true): ClientRow {
  return {
    id: details.id,
    organizationId: details.organizationId,
    name: details.organizationName,
    plan: planLabel(details.plan),
    planType: details.planType,
    seats: details.seats,
    seatsUsed: details.occupiedSeats,
    status: enabled ? (STATUS_NAMES.get(details.status) ?? `Status ${details.status}`) : "Disabled",
    providerAccessToItems: itemAccess(details.settings),
  };
}

export interface ClientIndex {
  /** Sorted by name. */
  readonly rows: readonly ClientRow[];
  /** `rows[i].name` lower-cased, computed once. */
  readonly keys: readonly string[];
}

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

export function indexClients(rows: readonly ClientRow[]): ClientIndex {
  const sorted = [...rows].sort((a, b) => collator.compare(a.name, b.name) || a.id.localeCompare(b.id));
  return { rows: sorted, keys: sorted.map((row) => row.name.toLocaleLowerCase()) };
}

/** The rows whose name contains the query, ignoring case and surrounding spaces; all rows for an empty query. */
export function searchClients(index: ClientIndex, query: string): readonly ClientRow[] {
  const needle = query.trim().toLocaleLowerCase();
  if (needle === "") return index.rows;
  const found: ClientRow[] = [];
  for (let i = 0; i < index.keys.length; i++) {
    if ((index.keys[i] as string).includes(needle)) found.push(index.rows[i] as ClientRow);
  }
  return found;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** 0-based, clamped into range. */
  readonly page: number;
  readonly pageCount: number;
  readonly total: number;
  /** 1-based positions of the first and last item shown (0 and 0 when empty). */
  readonly first: number;
  readonly last: number;
}

export const PAGE_SIZE = 50;

export function pageOf<T>(items: readonly T[], page: number, size: number = PAGE_SIZE): Page<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(0, Math.floor(page)), pageCount - 1);
  const from = current * size;
  const shown = items.slice(from, from + size);
  return {
    items: shown,
    page: current,
    pageCount,
    total: items.length,
    first: shown.length === 0 ? 0 : from + 1,
    last: from + shown.length,
  };
}
