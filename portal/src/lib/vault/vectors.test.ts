// Items encrypted by the Python client (scripts/make_cipher_vectors.py) open here, field for field; items made
// here open with real keys and carry the same wire members the Python client sends.
import { describe, expect, it } from "vitest";
import { SymmetricKey, fromBase64 } from "../crypto";
import { decryptCipher, encryptCipher } from "./cipher";
import { CryptoVaultKey } from "./keyring";
import type { KeyRing, VaultKey } from "./keys";
import { summarize } from "./summary";
import type { CipherWire } from "./types";
import vectors from "./vectors.json";

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), camelKeys(v)]));
  }
  return value;
}

function ring(): KeyRing {
  const user = new CryptoVaultKey(SymmetricKey.fromBytes(fromBase64(vectors.userKey, "user key")));
  const org = new CryptoVaultKey(SymmetricKey.fromBytes(fromBase64(vectors.orgKey, "org key")));
  return {
    keyFor: async (organizationId): Promise<VaultKey> => (organizationId === null ? user : org),
    newItemKey: async () => new CryptoVaultKey(SymmetricKey.generate()),
  };
}

const CONTENT = { 1: "login", 2: "secureNote", 3: "card", 4: "identity", 5: "sshKey" } as const;

describe("items made by the Python client", () => {
  it("decrypt field for field, with and without an item key", async () => {
    for (const { wire, plain } of vectors.ciphers) {
      const expected = camelKeys(plain) as Record<string, unknown> & { content: Record<string, unknown> };
      const item = await decryptCipher(wire as unknown as CipherWire, ring());
      expect(item.name).toBe(expected.name);
      expect(item.notes).toBe(expected.notes);
      expect(item.organizationId).toBe(expected.organizationId);
      expect(item.fields).toEqual(expected.fields);
      expect(item.passwordHistory).toEqual(expected.passwordHistory);
      expect(item.itemKey !== null).toBe(wire.key !== null);
      const content = (item as unknown as Record<string, unknown>)[CONTENT[item.type]];
      const { noteType, ...rest } = expected.content as { noteType?: number };
      expect(content).toEqual(item.type === 2 ? { type: noteType } : rest);
    }
  });

  it("list by name and subtitle", async () => {
    const [login, , card] = await Promise.all(vectors.ciphers.map((c) => summarize(c.wire as unknown as CipherWire, ring())));
    expect(login).toMatchObject({ name: "Router ✓", subtitle: "admin", broken: false, hasTotp: true });
    expect(card).toMatchObject({ name: "Company card", subtitle: "Visa, *4242" });
  });
});

describe("items made here", () => {
  it("round-trip through real keys, with an item key, and send what the Python client sends", async () => {
    const r = ring();
    for (const { wire } of vectors.ciphers) {
      const item = await decryptCipher(wire as unknown as CipherWire, r);
      const body = await encryptCipher({ ...item, itemKey: null }, r, { withItemKey: true });
      expect(Object.keys(body).sort()).toEqual(
        Object.keys(wire)
          .filter((k) => !["id", "collectionIds", "edit", "viewPassword", "creationDate", "revisionDate", "deletedDate"].includes(k))
          .filter((k) => (wire as Record<string, unknown>)[k] !== null || !Object.values(CONTENT).includes(k as never))
          .sort(),
      );
      const back = await decryptCipher({ ...(wire as unknown as CipherWire), ...body } as CipherWire, r);
      expect({ ...back, itemKey: null }).toEqual({ ...item, itemKey: null });
    }
  });
});
