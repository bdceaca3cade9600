import { describe, expect, it } from "vitest";
import {
  bulkActions,
  displayName,
  filterCounts,
  matchesFilter,
  parseEmails,
  searchUsers,
  statusBadge,
  typeLabel,
  type ProviderUserDetails,
} from "./people";

const user = (id: string, status: number, extra: Partial<ProviderUserDetails> = {}): ProviderUserDetails => ({
  id,
  type: 1,
  status,
  email: `${id}@acme.test`,
  name: null,
  ...extra,
});

const roster = [user("alice", 2, { type: 0, name: "Alice Admin" }), user("bob", 1), user("erin", 0), user("frank", 0), user("gus", -1)];

describe("provider people", () => {
  it("counts each status filter and filters by it", () => {
    expect(filterCounts(roster)).toEqual({ all: 5, invited: 2, accepted: 1, revoked: 1 });
    expect(roster.filter((u) => matchesFilter(u, "accepted")).map((u) => u.id)).toEqual(["bob"]);
    expect(roster.filter((u) => matchesFilter(u, "all"))).toHaveLength(5);
  });

  it("labels types and statuses, and names a user by name or else email", () => {
    expect(typeLabel(0)).toBe("Provider admin");
    expect(typeLabel(1)).toBe("Service user");
    expect([statusBadge(0), statusBadge(1), statusBadge(2), statusBadge(-1)]).toEqual(["Invited", "Needs confirmation", null, "Revoked"]);
    expect(displayName(roster[0] as ProviderUserDetails)).toBe("Alice Admin");
    expect(displayName(roster[1] as ProviderUserDetails)).toBe("bob@acme.test");
  });

  it("searches names and emails ignoring case", () => {
    expect(searchUsers(roster, "ADMIN").map((u) => u.id)).toEqual(["alice"]);
    expect(searchUsers(roster, "frank@").map((u) => u.id)).toEqual(["frank"]);
    expect(searchUsers(roster, " ")).toHaveLength(5);
  });

  it("offers reinvite only for invited users, confirm only for accepted ones, remove for any selection", () => {
    expect(bulkActions([])).toEqual({ reinvite: false, confirm: false, remove: false });
    expect(bulkActions([user("erin", 0), user("frank", 0)])).toEqual({ reinvite: true, confirm: false, remove: true });
    expect(bulkActions([user("bob", 1)])).toEqual({ reinvite: false, confirm: true, remove: true });
    expect(bulkActions([user("bob", 1), user("erin", 0)])).toEqual({ reinvite: false, confirm: false, remove: true });
  });

  it("reads the invite list: comma, space or semicolon separated, lower-cased, no duplicates, at most 20", () => {
    expect(parseEmails("Bob@Acme.test, carol@acme.test;bob@acme.test")).toEqual({ ok: true, emails: ["bob@acme.test", "carol@acme.test"] });
    expect(parseEmails("  ")).toEqual({ ok: false, error: "Enter at least one email address." });
    expect(parseEmails("bob@acme.test, nope")).toEqual({ ok: false, error: "Not an email address: nope" });
    const many = Array.from({ length: 21 }, (_, i) => `u${i}@acme.test`).join(",");
    expect(parseEmails(many).ok).toBe(false);
  });
});
