/**
 * The provider's key flows, all in the browser (portal-ux §4.4, §4.5): what "New client", "Add existing
 * organization" and "Confirm" send. Nothing here leaves the browser unwrapped: the org key goes out under the
 * provider key (type 2), the provider key under the confirmed user's public key (type 4).
 */
import { SymmetricKey, fingerprintPhrase, makeOrganizationKeys, wrapKeyForMember } from "../../lib/crypto";

/** The name Bitwarden's web vault gives a new client's first collection. */
export const DEFAULT_COLLECTION_NAME = "Default collection";

export interface NewClientForm {
  name: string;
  ownerEmail: string;
  planType: number;
  seats: number;
}

/** The body of `POST /api/providers/{id}/clients`. */
export interface CreateClientBody extends NewClientForm {
  key: string;
  keyPair: { publicKey: string; encryptedPrivateKey: string };
  collectionName: string;
}

/** A new client's keys, made here: the org key and its RSA pair (private half under the org key), the default
 * collection's name under the org key, and the org key under the provider key. The creator's own copy of the org
 * key is not made: provider users reach it through the provider key. */
export async function newClientBody(form: NewClientForm, providerKey: SymmetricKey): Promise<CreateClientBody> {
  const org = await makeOrganizationKeys();
  return {
    ...form,
    key: await org.orgKey.wrapWith(providerKey),
    keyPair: { publicKey: org.publicKey, encryptedPrivateKey: org.encryptedPrivateKey },
    collectionName: await org.orgKey.encryptString(DEFAULT_COLLECTION_NAME),
  };
}

/** "Add existing organization": the org key the admin holds as a member, wrapped with the provider key. */
export function existingClientKey(orgKey: SymmetricKey, providerKey: SymmetricKey): Promise<string> {
  return orgKey.wrapWith(providerKey);
}

export interface ConfirmationDraft {
  /** The provider user's id (what `confirm` takes). */
  id: string;
  userId: string;
  /** Five words the admin compares with the user before the key is handed over. */
  fingerprint: string;
  /** The provider key under the user's public key (type 4). */
  key: string;
}

/** Everything a confirmation needs, from `POST …/users/public-keys` rows: the key to send and the phrase to check. */
export async function draftConfirmation(
  row: { id: string; userId: string; key: string },
  providerKey: SymmetricKey,
): Promise<ConfirmationDraft> {
  const [fingerprint, key] = await Promise.all([fingerprintPhrase(row.userId, row.key), wrapKeyForMember(providerKey, row.key)]);
  return { id: row.id, userId: row.userId, fingerprint, key };
}
