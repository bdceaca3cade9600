import { describe, expect, it } from "vitest";
import { decryptCipher, encryptCipher, newCipher, uriChecksum, withPasswordHistory } from "./cipher";
import { summarize, summarizeAll } from "./summary";
import { FakeKey, FakeRing } from "./testing";
import type { CipherRequest, CipherWire, PlainCipher } from "./types";

const ring = () => new FakeRing({ user: new FakeKey("user"), org1: new FakeKey("org1") });

function asWire(body: CipherRequest, extra: Partial<CipherWire> = {}): CipherWire {
  return {
    id: "c1",
    type: body.type,
    organizationId: body.organizationId,
    folderId: body.folderId,
    favorite: body.favorite,
    edit: true,
    viewPassword: true,
    name: body.name,
    notes: body.notes,
    key: body.key,
    reprompt: body.reprompt,
    creationDate: "2026-01-01T00:00:00Z",
    revisionDate: "2026-01-02T00:00:00Z",
    deletedDate: null,
    collectionIds: [],
    login: body.login ?? null,
    secureNote: body.secureNote ?? null,
    card: body.card ?? null,
    identity: body.identity ?? null,
    sshKey: body.sshKey ?? null,
    fields: body.fields,
    passwordHistory: body.passwordHistory,
    ...extra,
  };
}

function login(): PlainCipher {
  const item = newCipher(1);
  if (item.type !== 1) throw new Error("unreachable");
  return {
    ...item,
    name: "Router",
    notes: "rack 4",
    login: {
      ...item.login,
      username: "admin",
      password: "s3cret",
      totp: "JBSWY3DPEHPK3PXP",
      uris: [{ uri: "https://router.example", match: 3 }],
    },
    fields: [{ type: 1, name: "PIN", value: "1234", linkedId: null }],
  };
}

describe("encryptCipher", () => {
  it("encrypts every user-visible string of a login with the user key, and leaves the rest in clear", async () => {
    const body = await encryptCipher(login(), ring());
    expect(body.key).toBeNull();
    for (const value of [body.name, body.notes, body.login?.username, body.login?.password, body.login?.totp]) {
      expect(value).toMatch(/^2\.user\|/);
    }
    expect(body.login?.uris?.[0]?.match).toBe(3);
    expect(body.login?.uris?.[0]?.uri).toMatch(/^2\.user\|/);
    expect(body.fields[0]).toMatchObject({ type: 1, linkedId: null });
    expect(body.fields[0]?.value).toMatch(/^2\.user\|/);
    expect(body.card).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain("s3cret");
  });

  it("stores base64(SHA-256(uri)) as the URI checksum, encrypted", async () => {
    const body = await encryptCipher(login(), ring());
    const key = new FakeKey("user");
    expect(await key.decryptText(body.login?.uris?.[0]?.uriChecksum ?? "")).toBe(
      // python: base64.b64encode(hashlib.sha256(b"https://router.example").digest())
      await uriChecksum("https://router.example"),
    );
    expect(await uriChecksum("abc")).toBe("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  });

  it("uses the org key for an organization's item", async () => {
    const body = await encryptCipher({ ...login(), organizationId: "org1" }, ring());
    expect(body.name).toMatch(/^2\.org1\|/);
    expect(body.organizationId).toBe("org1");
  });

  it("gives a new item a key of its own, wrapped by the owner key, and encrypts its fields with it", async () => {
    const body = await encryptCipher({ ...login(), organizationId: "org1" }, ring(), { withItemKey: true });
    expect(await new FakeKey("org1").unwrapKey(body.key ?? "")).toEqual(new FakeKey("item1"));
    expect(body.name).toMatch(/^2\.item1\|/);
    expect(body.login?.password).toMatch(/^2\.item1\|/);
  });

  it("re-wraps an item's own key with the org key when the item moves into an organization", async () => {
    const r = ring();
    const personal = await decryptCipher(asWire(await encryptCipher(login(), r, { withItemKey: true })), r);
    const moved = await encryptCipher({ ...personal, organizationId: "org1" }, r);
    expect(await new FakeKey("org1").unwrapKey(moved.key ?? "")).toEqual(new FakeKey("item1"));
    expect(moved.name).toMatch(/^2\.item1\|/);
  });

  it("encrypts every field of a card, an identity and an SSH key", async () => {
    const card = newCipher(3);
    const identity = newCipher(4);
    const ssh = newCipher(5);
    if (card.type !== 3 || identity.type !== 4 || ssh.type !== 5) throw new Error("unreachable");
    card.card = { ...card.card, brand: "Visa", number: "4242424242424242", expMonth: "1", expYear: "2030" };
    identity.identity = { ...identity.identity, firstName: "Carol", ssn: "123" };
    ssh.sshKey = { privateKey: "-----BEGIN", publicKey: "ssh-ed25519 AAA", keyFingerprint: "SHA256:x" };
    const [c, i, s] = await Promise.all([card, identity, ssh].map((p) => encryptCipher({ ...p, name: "x" }, ring())));
    expect(c?.card?.expMonth).toMatch(/^2\.user\|/);
    expect(c?.card?.code).toBeNull();
    expect(Object.keys(i?.identity ?? {})).toHaveLength(18);
    expect(i?.identity?.ssn).toMatch(/^2\.user\|/);
    expect(s?.sshKey?.keyFingerprint).toMatch(/^2\.user\|/);
  });
});

describe("decryptCipher", () => {
  it("round-trips all five types", async () => {
    const r = ring();
    for (const type of [1, 2, 3, 4, 5] as const) {
      const plain = { ...newCipher(type), name: `type ${type}`, notes: "n" };
      const back = await decryptCipher(asWire(await encryptCipher(plain, r, { withItemKey: type % 2 === 0 })), r);
      expect(back.type).toBe(type);
      expect(back.name).toBe(`type ${type}`);
      expect(back.notes).toBe("n");
    }
    const back = await decryptCipher(asWire(await encryptCipher(login(), r)), r);
    expect(back).toMatchObject({
      type: 1,
      login: { username: "admin", password: "s3cret", uris: [{ uri: "https://router.example", match: 3 }] },
      fields: [{ name: "PIN", value: "1234", type: 1 }],
    });
  });

  it("refuses a login whose URI does not match its checksum (a swapped URI)", async () => {
    const r = ring();
    const body = await encryptCipher(login(), r);
    const uris = body.login?.uris ?? [];
    const swapped = { ...body.login!, uris: [{ ...uris[0]!, uri: await new FakeKey("user").encryptText("https://evil.example") }] };
    await expect(decryptCipher(asWire({ ...body, login: swapped }), r)).rejects.toThrow(/checksum/);
  });

  it("reads the caller's access from the wire: read-only and hidden passwords", async () => {
    const r = ring();
    const back = await decryptCipher(asWire(await encryptCipher(login(), r), { edit: false, viewPassword: false }), r);
    expect(back.edit).toBe(false);
    expect(back.viewPassword).toBe(false);
  });
});

describe("withPasswordHistory", () => {
  it("keeps the old password, newest first, at most five", () => {
    const before = login();
    const after = { ...login(), login: { ...(login() as Extract<PlainCipher, { type: 1 }>).login, password: "new" } };
    const now = new Date("2026-03-01T00:00:00Z");
    const next = withPasswordHistory(before, after, now);
    expect(next.passwordHistory).toEqual([{ password: "s3cret", lastUsedDate: "2026-03-01T00:00:00.000Z" }]);
    expect(withPasswordHistory(before, before, now).passwordHistory).toEqual([]);
  });
});

describe("summaries", () => {
  it("decrypt only the name and a subtitle, and mark an item they cannot open", async () => {
    const r = ring();
    const good = asWire(await encryptCipher(login(), r));
    const orphan = asWire(await encryptCipher({ ...login(), organizationId: "org1" }, r), { id: "c2", organizationId: "gone" });
    const [a, b] = [await summarize(good, r), await summarize(orphan, r)];
    expect(a).toMatchObject({ name: "Router", subtitle: "admin", hasTotp: true, broken: false });
    expect(b).toMatchObject({ broken: true, name: "[error: cannot decrypt]" });
  });

  it("summarize thousands in batches, reporting progress, sorted by name", async () => {
    const r = ring();
    const template = await encryptCipher(login(), r);
    const key = new FakeKey("user");
    const wires = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => asWire({ ...template, name: await key.encryptText(`item ${999 - i}`) }, { id: `id${i}` })),
    );
    const seen: number[] = [];
    const all = await summarizeAll(wires, r, { batchSize: 300, onBatch: (done) => seen.push(done.length) });
    expect(seen).toEqual([300, 600, 900, 1000]);
    expect(all[0]?.name).toBe("item 0");
    expect(all[2]?.name).toBe("item 2");
    expect(all[999]?.name).toBe("item 999");
  });
});
