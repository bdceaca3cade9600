import { describe, expect, it } from "vitest";
import { describeEvent } from "../../lib/events";
import { EMPTY_BOOK, organizationsToRead, resolvers, withNames } from "./eventNames";

const CONTOSO = "0c0c0c0c-0000-4000-8000-000000000001";
const FABRIKAM = "0f0f0f0f-0000-4000-8000-000000000002";
const STRANGER = "05050505-0000-4000-8000-000000000003";
const ALICE = "aaaaaaaa-0000-4000-8000-000000000004";
const CAROL = "cccccccc-0000-4000-8000-000000000005";
const MEMBER = "3e3e3e3e-0000-4000-8000-000000000006";
const COLLECTION = "c0110000-0000-4000-8000-000000000007";

const book = withNames(EMPTY_BOOK, {
  users: [[ALICE, "Alice"]],
  organizations: [
    [CONTOSO, "Contoso"],
    [FABRIKAM, "Fabrikam"],
  ],
});
const at = "2026-12-01T10:00:00Z";

describe("event-log names", () => {
  it("reads the clients whose members or collections an entry names, once, and never a non-client", () => {
    const events = [
      { type: 1500, date: at, actingUserId: ALICE, organizationId: CONTOSO, organizationUserId: MEMBER },
      { type: 1300, date: at, actingUserId: ALICE, organizationId: CONTOSO, collectionId: COLLECTION },
      { type: 1600, date: at, actingUserId: ALICE, organizationId: FABRIKAM },
      { type: 1300, date: at, actingUserId: ALICE, organizationId: STRANGER, collectionId: COLLECTION },
    ];
    expect(organizationsToRead(events, new Set(), book)).toEqual([CONTOSO]);
    expect(organizationsToRead(events, new Set([CONTOSO]), book)).toEqual([]);
  });

  it("reads a client to name an actor nobody on the provider knows", () => {
    const events = [{ type: 1100, date: at, actingUserId: CAROL, organizationId: FABRIKAM, cipherId: COLLECTION }];
    expect(organizationsToRead(events, new Set(), book)).toEqual([FABRIKAM]);
  });

  it("stops at the batch limit", () => {
    const many = withNames(EMPTY_BOOK, { organizations: Array.from({ length: 30 }, (_, i) => [`org-${i}`, `Client ${i}`] as const) });
    const events = Array.from({ length: 30 }, (_, i) => ({ type: 1302, date: at, organizationId: `org-${i}`, collectionId: COLLECTION }));
    expect(organizationsToRead(events, new Set(), many, 10)).toHaveLength(10);
  });

  it("names members, their users and collections once read, keeping the names it had", () => {
    const read = withNames(book, {
      members: [[MEMBER, "carol@contoso.example"]],
      users: [
        [CAROL, "Carol"],
        [ALICE, "Alice (as a member)"],
      ],
      collections: [[COLLECTION, "Servers"]],
    });
    const names = resolvers(read);
    expect(describeEvent({ type: 1500, date: at, actingUserId: ALICE, organizationId: CONTOSO, organizationUserId: MEMBER }, names).text).toBe(
      "Alice invited member carol@contoso.example in Contoso.",
    );
    expect(describeEvent({ type: 1302, date: at, actingUserId: CAROL, organizationId: CONTOSO, collectionId: COLLECTION }, names).text).toBe(
      "Carol deleted collection Servers in Contoso.",
    );
  });
});
