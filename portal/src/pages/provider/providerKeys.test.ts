import { describe, expect, it } from "vitest";
import { PrivateKey, SymmetricKey, fingerprintPhrase, generateKeyPair, publicKeyOf, unwrapSymmetricKey } from "../../lib/crypto";
import { DEFAULT_COLLECTION_NAME, draftConfirmation, existingClientKey, newClientBody } from "./providerKeys";

describe("provider key flows", () => {
  it("makes a new client whose org key only the provider key opens, with a sound key pair and collection name", async () => {
    const providerKey = SymmetricKey.generate();
    const form = { name: "Contoso", ownerEmail: "owner@contoso.test", planType: 19, seats: 5 };
    const body = await newClientBody(form, providerKey);

    expect(body).toMatchObject(form);
    expect(body.key.startsWith("2.")).toBe(true);
    expect(body.keyPair.encryptedPrivateKey.startsWith("2.")).toBe(true);
    const orgKey = await unwrapSymmetricKey(body.key, { wrappingKey: providerKey });
    const privateKey = await PrivateKey.fromPkcs8(await orgKey.decrypt(body.keyPair.encryptedPrivateKey));
    expect(await publicKeyOf(privateKey.toPkcs8())).toBe(body.keyPair.publicKey);
    expect(await orgKey.decryptString(body.collectionName)).toBe(DEFAULT_COLLECTION_NAME);
    await expect(unwrapSymmetricKey(body.key, { wrappingKey: SymmetricKey.generate() })).rejects.toThrow();
    expect(JSON.stringify(body)).not.toContain("Default collection");
  });

  it("wraps an existing organization's key with the provider key", async () => {
    const providerKey = SymmetricKey.generate();
    const orgKey = SymmetricKey.generate();
    const wrapped = await existingClientKey(orgKey, providerKey);
    expect((await unwrapSymmetricKey(wrapped, { wrappingKey: providerKey })).toBytes()).toEqual(orgKey.toBytes());
  });

  it("hands the provider key to a user's public key (type 4) with the fingerprint phrase of that key", async () => {
    const providerKey = SymmetricKey.generate();
    const bob = await generateKeyPair();
    const userId = "bbbbbbbb-0000-4000-8000-000000000002";
    const draft = await draftConfirmation({ id: "pu-1", userId, key: bob.publicKey }, providerKey);

    expect(draft.id).toBe("pu-1");
    expect(draft.key.startsWith("4.")).toBe(true);
    expect((await unwrapSymmetricKey(draft.key, { privateKey: bob.privateKey })).toBytes()).toEqual(providerKey.toBytes());
    expect(draft.fingerprint).toBe(await fingerprintPhrase(userId, bob.publicKey));
    expect(draft.fingerprint.split("-")).toHaveLength(5);
  });
});
