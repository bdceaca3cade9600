import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { describeEvent, isKnownEventCode, shortId, type AuditEvent, type EventNames } from "./describe";
import { EVENT_TEMPLATES } from "./codes";

const SHARED = fileURLToPath(new URL("../../../../shared/src/mspvault/shared", import.meta.url));

/** The codes the services emit, read from the one Python enum that defines them (wherever in shared/ it lives). */
function emittedCodes(): number[] {
  const files = readdirSync(SHARED, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".py"));
  for (const name of files) {
    const source = readFileSync(join(SHARED, name), "utf8");
    const start = source.search(/^class EventType\(/m);
    if (start < 0) continue;
    const rest = source.slice(start);
    const firstLine = rest.indexOf("\n") + 1;
    const end = rest.slice(firstLine).search(/^\S/m); // the class ends at the next line that is not indented
    const body = end < 0 ? rest : rest.slice(0, firstLine + end);
    return [...body.matchAll(/^\s+[A-Z_0-9]+ = (\d{4})\s*(#.*)?$/gm)].map((match) => Number(match[1]));
  }
  throw new Error(`no EventType enum under ${SHARED}`);
}

const ALICE = "aaaaaaaa-0000-4000-8000-000000000001";
const BOB = "bbbbbbbb-0000-4000-8000-000000000002";
const ORG = "0c0c0c0c-0000-4000-8000-000000000003";
const CIPHER = "c1c1c1c1-0000-4000-8000-000000000004";
const COLLECTION = "c0110000-0000-4000-8000-000000000005";
const MEMBER = "3e3e3e3e-0000-4000-8000-000000000006";
const CAROL = "cccccccc-0000-4000-8000-000000000007";
const PROVIDER = "99999999-0000-4000-8000-000000000008";
const PROVIDER_USER = "5e5e5e5e-0000-4000-8000-000000000009";

const names: EventNames = {
  user: (id) => ({ [ALICE]: "Alice", [BOB]: "Bob", [CAROL]: "Carol" })[id],
  organization: (id) => (id === ORG ? "Contoso" : undefined),
  cipher: (id) => (id === CIPHER ? "Router" : undefined),
  collection: (id) => (id === COLLECTION ? "Servers" : undefined),
  provider: (id) => (id === PROVIDER ? "Acme MSP" : undefined),
};

function event(type: number, fields: Partial<AuditEvent> = {}): AuditEvent {
  return { type, date: "2026-12-01T10:00:00Z", ...fields };
}

describe("event codes", () => {
  it("has a sentence for every code the services emit", () => {
    const codes = emittedCodes();
    expect(codes.length).toBeGreaterThan(20); // the parse found the enum
    expect(codes.filter((code) => !isKnownEventCode(code))).toEqual([]);
  });

  it("covers each block Bitwarden defines for users, items, collections, groups, members, orgs, policies, providers", () => {
    for (const block of [1000, 1100, 1300, 1400, 1500, 1600, 1700, 1800, 1900]) {
      expect(isKnownEventCode(block)).toBe(true);
    }
  });

  it("puts exactly one subject placeholder in each sentence that has a subject", () => {
    for (const [code, template] of EVENT_TEMPLATES) {
      const holes = template.sentence.split("{}").length - 1;
      expect([code, holes]).toEqual([code, template.subject === "none" ? 0 : 1]);
    }
  });
});

describe("describeEvent", () => {
  it("says who created which item in which organization, from which device and address", () => {
    const described = describeEvent(
      event(1100, { actingUserId: BOB, cipherId: CIPHER, organizationId: ORG, deviceType: 9, ipAddress: "203.0.113.7" }),
      names,
    );
    expect(described.text).toBe("Bob created item Router in Contoso, from Chrome at 203.0.113.7.");
    expect(described.device).toBe("Chrome");
    expect(described.organization).toMatchObject({ id: ORG, label: "Contoso", known: true });
    expect(described.action).toEqual(["created item ", { kind: "cipher", id: CIPHER, label: "Router", known: true }]);
  });

  it("names a member by the user behind the membership when the member list does not know them", () => {
    const described = describeEvent(
      event(1501, { actingUserId: BOB, organizationUserId: MEMBER, userId: CAROL, organizationId: ORG, deviceType: 25 }),
      names,
    );
    expect(described.text).toBe("Bob confirmed member Carol in Contoso, from Linux CLI.");
  });

  it("falls back to the first 8 characters of an id nobody can name", () => {
    const described = describeEvent(event(1300, { actingUserId: ALICE, collectionId: COLLECTION, organizationId: ORG }));
    expect(described.text).toBe(`User ${shortId(ALICE)} created collection ${shortId(COLLECTION)} in ${shortId(ORG)}.`);
    expect(described.action[1]).toMatchObject({ kind: "collection", known: false, label: "c0110000" });
  });

  it("describes provider-user and client-organization events without an 'in' clause", () => {
    expect(
      describeEvent(event(1800, { actingUserId: ALICE, providerId: PROVIDER, providerUserId: PROVIDER_USER, userId: BOB }), names).text,
    ).toBe("Alice invited provider user Bob.");
    expect(describeEvent(event(1900, { actingUserId: BOB, providerId: PROVIDER, organizationId: ORG, ipAddress: "::1" }), names).text).toBe(
      "Bob created client organization Contoso, from ::1.",
    );
    expect(describeEvent(event(1902, { actingUserId: ALICE, organizationId: ORG }), names).text).toBe("Alice detached client organization Contoso.");
  });

  it("attributes an unknown actor inside a client to the provider they came through", () => {
    const described = describeEvent(event(1302, { actingUserId: "dddddddd-0000-4000-8000-00000000000a", providerId: PROVIDER, organizationId: ORG, collectionId: COLLECTION }), names);
    expect(described.text).toBe("A user of Acme MSP deleted collection Servers in Contoso.");
  });

  it("describes account events with the user as the actor", () => {
    expect(describeEvent(event(1000, { userId: CAROL, deviceType: 10 }), names).text).toBe("Carol logged in, from Firefox.");
  });

  it("still says something for a code it does not know", () => {
    const described = describeEvent(event(4242, { actingUserId: ALICE, deviceType: 999 }), names);
    expect(described.text).toBe("Alice caused event 4242, from Device type 999.");
    expect(isKnownEventCode(4242)).toBe(false);
  });

  it("keeps the date as a Date", () => {
    expect(describeEvent(event(1000, { userId: ALICE })).date.toISOString()).toBe("2026-12-01T10:00:00.000Z");
  });
});
