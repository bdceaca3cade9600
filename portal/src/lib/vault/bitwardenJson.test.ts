import { describe, expect, it } from "vitest";
import { ImportFileError, parseBitwardenJson, toBitwardenJson } from "./bitwardenJson";

const ORG = "3f1c2d4e-0000-4000-8000-000000000001";
const FILE = {
  encrypted: false,
  collections: [
    { id: "c1", organizationId: null, name: "Servers", externalId: null },
    { id: "c2", organizationId: null, name: "Finance", externalId: "fin" },
  ],
  items: [
    {
      type: 1,
      name: "db01",
      notes: "root",
      reprompt: 1,
      fields: [{ name: "port", value: "5432", type: 0, linkedId: null }],
      login: { username: "root", password: "s3cret", totp: null, uris: [{ uri: "https://db01", match: null }] },
      collectionIds: ["c1", "c2", "unknown"],
    },
    { type: 2, name: "note", notes: "text", secureNote: { type: 0 }, collectionIds: [] },
    { type: 3, name: "card", card: { number: "4111", code: "123" }, collectionIds: ["c2"] },
    { type: 4, name: "id", identity: { firstName: "Carol" } },
    { type: 5, name: "key", sshKey: { privateKey: "p", publicKey: "q", keyFingerprint: "f" } },
  ],
};

describe("Bitwarden JSON", () => {
  it("reads all five types with their collections, for the organization imported into", () => {
    const parsed = parseBitwardenJson(JSON.stringify(FILE), ORG);
    expect(parsed.collections.map((c) => [c.name, c.organizationId, c.externalId])).toEqual([
      ["Servers", ORG, null],
      ["Finance", ORG, "fin"],
    ]);
    expect(parsed.items.map((i) => i.plain.type)).toEqual([1, 2, 3, 4, 5]);
    expect(parsed.items.map((i) => i.collections)).toEqual([[0, 1], [], [1], [], []]);
    const [login] = parsed.items;
    expect(login?.plain.organizationId).toBe(ORG);
    expect(login?.plain.reprompt).toBe(1);
    expect(login?.plain.type === 1 && login.plain.login.uris[0]?.uri).toBe("https://db01");
  });

  it("writes back what it read (trashed items left out)", () => {
    const parsed = parseBitwardenJson(JSON.stringify(FILE), ORG);
    const items = parsed.items.map((i, n) => ({ ...i.plain, id: `i${n}`, collectionIds: i.collections.map((c) => parsed.collections[c]?.id ?? "") }));
    items.push({ ...items[1]!, id: "gone", deletedDate: "2026-12-01T00:00:00Z" });
    const written = toBitwardenJson(parsed.collections, items);
    expect(written.items).toHaveLength(5);
    const again = parseBitwardenJson(JSON.stringify(written), ORG);
    expect(again.items.map((i) => ({ ...i.plain }))).toEqual(parsed.items.map((i) => ({ ...i.plain })));
    expect(again.items.map((i) => i.collections)).toEqual(parsed.items.map((i) => i.collections));
  });

  it("refuses what is not an unencrypted export", () => {
    expect(() => parseBitwardenJson("not json", ORG)).toThrow(ImportFileError);
    expect(() => parseBitwardenJson(JSON.stringify({ encrypted: true, items: [] }), ORG)).toThrow(/Encrypted/);
    expect(() => parseBitwardenJson(JSON.stringify({ items: [{ type: 9 }] }), ORG)).toThrow(/unknown type/);
  });
});
