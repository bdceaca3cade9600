/**
 * Names for the ids event-log entries carry, gathered as the entries arrive: provider users and clients once,
 * then, for the client organizations the entries mention, their members and (decrypted in the browser) their
 * collections. Only organizations that appear are read, a few at a time, so a long log costs no more than it shows.
 */
import { EVENT_TEMPLATES, type AuditEvent, type EventNames } from "../../lib/events";

export interface NameBook {
  readonly users: ReadonlyMap<string, string>;
  readonly providerUsers: ReadonlyMap<string, string>;
  readonly organizations: ReadonlyMap<string, string>;
  readonly members: ReadonlyMap<string, string>;
  readonly collections: ReadonlyMap<string, string>;
}

export const EMPTY_BOOK: NameBook = {
  users: new Map(),
  providerUsers: new Map(),
  organizations: new Map(),
  members: new Map(),
  collections: new Map(),
};

/** At most this many organizations are read per batch of entries. */
export const ORGS_PER_BATCH = 10;

const NAMED_INSIDE = new Set(["member", "collection"]);

/** The client organizations whose members or collections would name something in `events` and that were not
 * read yet (nor are being read), newest first, at most `limit`. */
export function organizationsToRead(events: readonly AuditEvent[], asked: ReadonlySet<string>, book: NameBook, limit = ORGS_PER_BATCH): string[] {
  const wanted: string[] = [];
  for (const event of events) {
    const organizationId = event.organizationId;
    if (!organizationId || asked.has(organizationId) || wanted.includes(organizationId)) continue;
    if (!book.organizations.has(organizationId)) continue; // not (or no longer) a client: its lists are not ours to read
    const subject = EVENT_TEMPLATES.get(event.type)?.subject;
    const actor = event.actingUserId ?? event.userId;
    const unknownActor = actor ? !book.users.has(actor) : false;
    if ((subject !== undefined && NAMED_INSIDE.has(subject)) || unknownActor) wanted.push(organizationId);
    if (wanted.length >= limit) break;
  }
  return wanted;
}

/** A book with more names in it (later names do not replace earlier ones: provider users keep their own). */
export function withNames(book: NameBook, more: Partial<Record<keyof NameBook, Iterable<readonly [string, string]>>>): NameBook {
  const merged = (key: keyof NameBook) => {
    const added = more[key];
    if (added === undefined) return book[key];
    const map = new Map(book[key]);
    for (const [id, name] of added) if (!map.has(id)) map.set(id, name);
    return map;
  };
  return {
    users: merged("users"),
    providerUsers: merged("providerUsers"),
    organizations: merged("organizations"),
    members: merged("members"),
    collections: merged("collections"),
  };
}

export function resolvers(book: NameBook): EventNames {
  return {
    user: (id) => book.users.get(id),
    providerUser: (id) => book.providerUsers.get(id),
    organization: (id) => book.organizations.get(id),
    member: (id) => book.members.get(id),
    collection: (id) => book.collections.get(id),
  };
}
