// Vault items to and from Bitwarden's cipher JSON. Every user-visible string is a type-2 EncString under the
// item's own key if it has one, else the org key (org items) or the user key (personal items); numbers, booleans,
// dates and ids stay in clear (as the Python client and the official clients do).

import type { KeyRing, VaultKey } from "./keys";
import {
  CARD_FIELDS,
  type CipherContent,
  type CipherRequest,
  type CipherWire,
  type CustomField,
  type FieldType,
  IDENTITY_FIELDS,
  type Login,
  type LoginWire,
  type PlainCipher,
  SSH_KEY_FIELDS,
  type StringsWire,
} from "./types";

export class CipherFormatError extends Error {
  override name = "CipherFormatError";
}

// --- encrypt -------------------------------------------------------------------------------------------------

export interface EncryptOptions {
  /** Give an item without a key of its own a fresh one (new items do, as Bitwarden's clients do today). */
  withItemKey?: boolean;
  /** The user the body is encrypted by (the server checks it against the caller). */
  encryptedFor?: string;
}

/** The request body for create, update or share. The owner key follows `plain.organizationId`. */
export async function encryptCipher(
  plain: PlainCipher,
  ring: KeyRing,
  options: EncryptOptions = {},
): Promise<CipherRequest> {
  const ownerKey = await ring.keyFor(plain.organizationId);
  const itemKey = plain.itemKey ?? (options.withItemKey ? await ring.newItemKey() : null);
  const key = itemKey ?? ownerKey;
  const enc = (value: string | null): Promise<string | null> =>
    value === null ? Promise.resolve(null) : key.encryptText(value);
  const [wrappedKey, name, notes, fields, passwordHistory, content] = await Promise.all([
    itemKey ? ownerKey.wrapKey(itemKey) : Promise.resolve(null),
    key.encryptText(plain.name),
    enc(plain.notes),
    Promise.all(
      plain.fields.map(async (field) => ({
        type: field.type,
        name: await enc(field.name),
        value: await enc(field.value),
        linkedId: field.linkedId,
      })),
    ),
    Promise.all(
      plain.passwordHistory.map(async (entry) => ({
        password: await key.encryptText(entry.password),
        lastUsedDate: entry.lastUsedDate,
      })),
    ),
    encryptContent(plain, enc),
  ]);
  const body: CipherRequest = {
    type: plain.type,
    organizationId: plain.organizationId,
    folderId: plain.folderId,
    name,
    notes,
    favorite: plain.favorite,
    reprompt: plain.reprompt,
    key: wrappedKey,
    lastKnownRevisionDate: plain.revisionDate,
    fields,
    passwordHistory,
    ...content,
  };
  if (options.encryptedFor !== undefined) body.encryptedFor = options.encryptedFor;
  return body;
}

type Enc = (value: string | null) => Promise<string | null>;

async function encryptContent(content: CipherContent, enc: Enc): Promise<Partial<CipherRequest>> {
  switch (content.type) {
    case 1:
      return { login: await encryptLogin(content.login, enc) };
    case 2:
      return { secureNote: { type: content.secureNote.type } };
    case 3:
      return { card: await encryptStrings(CARD_FIELDS, content.card, enc) };
    case 4:
      return { identity: await encryptStrings(IDENTITY_FIELDS, content.identity, enc) };
    case 5:
      return { sshKey: await encryptStrings(SSH_KEY_FIELDS, content.sshKey, enc) };
  }
}

async function encryptLogin(login: Login, enc: Enc): Promise<LoginWire> {
  const [username, password, totp, uris] = await Promise.all([
    enc(login.username),
    enc(login.password),
    enc(login.totp),
    Promise.all(
      login.uris.map(async (u) => ({
        uri: await enc(u.uri),
        uriChecksum: await enc(await uriChecksum(u.uri)),
        match: u.match,
      })),
    ),
  ]);
  return {
    username,
    password,
    totp,
    uris,
    passwordRevisionDate: login.passwordRevisionDate,
    autofillOnPageLoad: login.autofillOnPageLoad,
  };
}

async function encryptStrings<K extends string>(
  names: readonly K[],
  source: { [P in K]: string | null },
  enc: Enc,
): Promise<StringsWire<K>> {
  const values = await Promise.all(names.map((name) => enc(source[name])));
  const out: StringsWire<K> = {};
  names.forEach((name, i) => {
    out[name] = values[i] ?? null;
  });
  return out;
}

/** Bitwarden stores base64(SHA-256(uri)) beside each URI so clients can detect a swapped URI. */
export async function uriChecksum(uri: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(uri)));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// --- decrypt -------------------------------------------------------------------------------------------------

/** The key that opens an item's fields: its own key (unwrapped with the owner key) or the owner key. */
export async function fieldKeyOf(wire: Pick<CipherWire, "key" | "organizationId">, ring: KeyRing): Promise<{
  key: VaultKey;
  itemKey: VaultKey | null;
}> {
  const ownerKey = await ring.keyFor(wire.organizationId);
  if (!wire.key) return { key: ownerKey, itemKey: null };
  const itemKey = await ownerKey.unwrapKey(wire.key);
  return { key: itemKey, itemKey };
}

/** A whole item in plaintext (for the view and edit screens). */
export async function decryptCipher(wire: CipherWire, ring: KeyRing, opened?: VaultKey | null): Promise<PlainCipher> {
  const { key, itemKey } = opened !== undefined && opened !== null
    ? { key: opened, itemKey: wire.key ? opened : null }
    : await fieldKeyOf(wire, ring);
  const dec = (value: string | null | undefined): Promise<string | null> =>
    value === null || value === undefined ? Promise.resolve(null) : key.decryptText(value);
  const [name, notes, fields, passwordHistory, content] = await Promise.all([
    dec(wire.name),
    dec(wire.notes),
    Promise.all(
      (wire.fields ?? []).map(
        async (field): Promise<CustomField> => ({
          type: field.type as FieldType,
          name: await dec(field.name),
          value: await dec(field.value),
          linkedId: field.linkedId ?? null,
        }),
      ),
    ),
    Promise.all(
      (wire.passwordHistory ?? []).map(async (entry) => ({
        password: (await dec(entry.password)) ?? "",
        lastUsedDate: entry.lastUsedDate,
      })),
    ),
    decryptContent(wire, dec),
  ]);
  return {
    id: wire.id,
    organizationId: wire.organizationId,
    folderId: wire.folderId,
    collectionIds: [...(wire.collectionIds ?? [])],
    name: name ?? "",
    notes,
    favorite: Boolean(wire.favorite),
    reprompt: wire.reprompt ?? 0,
    fields,
    passwordHistory,
    revisionDate: wire.revisionDate,
    creationDate: wire.creationDate,
    deletedDate: wire.deletedDate,
    edit: wire.edit !== false,
    viewPassword: wire.viewPassword !== false,
    itemKey,
    ...content,
  };
}

type Dec = (value: string | null | undefined) => Promise<string | null>;

async function decryptContent(wire: CipherWire, dec: Dec): Promise<CipherContent> {
  switch (wire.type) {
    case 1: {
      const login = wire.login ?? { username: null, password: null, totp: null, uris: [], passwordRevisionDate: null };
      const [username, password, totp, uris] = await Promise.all([
        dec(login.username),
        dec(login.password),
        dec(login.totp),
        Promise.all(
          (login.uris ?? []).map(async (entry) => {
            const [uri, checksum] = await Promise.all([dec(entry.uri), dec(entry.uriChecksum)]);
            if (checksum !== null && checksum !== (await uriChecksum(uri ?? ""))) {
              throw new CipherFormatError("A login URI does not match its checksum.");
            }
            return { uri: uri ?? "", match: entry.match ?? null };
          }),
        ),
      ]);
      return {
        type: 1,
        login: {
          username,
          password,
          totp,
          uris,
          passwordRevisionDate: login.passwordRevisionDate ?? null,
          autofillOnPageLoad: login.autofillOnPageLoad ?? null,
        },
      };
    }
    case 2:
      return { type: 2, secureNote: { type: wire.secureNote?.type ?? 0 } };
    case 3:
      return { type: 3, card: await decryptStrings(CARD_FIELDS, wire.card, dec) };
    case 4:
      return { type: 4, identity: await decryptStrings(IDENTITY_FIELDS, wire.identity, dec) };
    case 5:
      return { type: 5, sshKey: await decryptStrings(SSH_KEY_FIELDS, wire.sshKey, dec) };
    default:
      throw new CipherFormatError(`Item type ${wire.type} is not supported.`);
  }
}

async function decryptStrings<K extends string>(
  names: readonly K[],
  wire: StringsWire<K> | null,
  dec: Dec,
): Promise<{ [P in K]: string | null }> {
  const values = await Promise.all(names.map((name) => dec(wire?.[name])));
  const out = {} as { [P in K]: string | null };
  names.forEach((name, i) => {
    out[name] = values[i] ?? null;
  });
  return out;
}

// --- new items -----------------------------------------------------------------------------------------------

export function emptyContent(type: CipherContent["type"]): CipherContent {
  const blank = <K extends string>(names: readonly K[]) =>
    Object.fromEntries(names.map((n) => [n, null])) as { [P in K]: null };
  switch (type) {
    case 1:
      return {
        type: 1,
        login: { username: null, password: null, totp: null, uris: [], passwordRevisionDate: null, autofillOnPageLoad: null },
      };
    case 2:
      return { type: 2, secureNote: { type: 0 } };
    case 3:
      return { type: 3, card: blank(CARD_FIELDS) };
    case 4:
      return { type: 4, identity: blank(IDENTITY_FIELDS) };
    case 5:
      return { type: 5, sshKey: blank(SSH_KEY_FIELDS) };
  }
}

export function newCipher(
  type: CipherContent["type"],
  owner: { organizationId?: string | null; folderId?: string | null; collectionIds?: string[] } = {},
): PlainCipher {
  return {
    id: null,
    organizationId: owner.organizationId ?? null,
    folderId: owner.folderId ?? null,
    collectionIds: owner.collectionIds ?? [],
    name: "",
    notes: null,
    favorite: false,
    reprompt: 0,
    fields: [],
    passwordHistory: [],
    revisionDate: null,
    creationDate: null,
    deletedDate: null,
    edit: true,
    viewPassword: true,
    itemKey: null,
    ...emptyContent(type),
  };
}

/** An edit that changed a login's password keeps the old one in the history (newest first, at most 5). */
export function withPasswordHistory(before: PlainCipher | null, after: PlainCipher, now: Date = new Date()): PlainCipher {
  if (before === null || before.type !== 1 || after.type !== 1) return after;
  const old = before.login.password;
  if (old === null || old === "" || old === after.login.password) return after;
  const stamp = now.toISOString();
  return {
    ...after,
    login: { ...after.login, passwordRevisionDate: stamp },
    passwordHistory: [{ password: old, lastUsedDate: stamp }, ...after.passwordHistory].slice(0, 5),
  };
}
