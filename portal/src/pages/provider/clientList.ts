/**
 * The clients page's model: a row per client, and where the page shown sits. A provider may have 10,000 clients,
 * so the server searches and pages them (`GET /api/providers/{id}/organizations?pageSize=&search=&continuationToken=`,
 * keyset pages by name); the page asks for one page at a time and keeps the tokens of the pages it has seen.
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

export const PAGE_SIZE = 50;

/** Where a page the server sent sits among all the matches, for the pager. */
export interface PageSpan {
  /** 0-based. */
  readonly page: number;
  readonly pageCount: number;
  readonly total: number;
  /** 1-based positions of the first and last client shown (0 and 0 when none). */
  readonly first: number;
  readonly last: number;
}

export function pageSpan(page: number, shown: number, total: number, size: number = PAGE_SIZE): PageSpan {
  const from = page * size;
  return {
    page,
    pageCount: Math.max(1, Math.ceil(total / size)),
    total,
    first: shown === 0 ? 0 : from + 1,
    last: from + shown,
  };
}

/**
 * The pages seen so far, as the server pages them (keyset, by name): the token that opens each one. Page 0 opens
 * with none; "next" adds the token the current page ended with; "previous" goes back one. A new search starts over.
 */
export interface PageTrail {
  readonly tokens: readonly (string | null)[];
  readonly page: number;
}

export const firstPage: PageTrail = { tokens: [null], page: 0 };

export function tokenOf(trail: PageTrail): string | null {
  return trail.tokens[trail.page] ?? null;
}

export function nextPage(trail: PageTrail, continuationToken: string | null): PageTrail {
  if (continuationToken === null) return trail;
  return { tokens: [...trail.tokens.slice(0, trail.page + 1), continuationToken], page: trail.page + 1 };
}

export function previousPage(trail: PageTrail): PageTrail {
  return trail.page === 0 ? trail : { tokens: trail.tokens.slice(0, trail.page), page: trail.page - 1 };
}
