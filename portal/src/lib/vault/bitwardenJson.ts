// Bitwarden's unencrypted JSON export of an organization ({encrypted: false, collections, items}), both ways: what
// `bw export --organizationid … --format json` writes and `bw import bitwardenjson` reads. Pure: plain items in,
// plain items out; encryption and decryption stay with cipher.ts and the caller's keys.

import { emptyContent } from "./cipher";
import {
  CARD_FIELDS,
  type CipherContent,
  type CustomField,
  type FieldType,
  IDENTITY_FIELDS,
  type PlainCipher,
  SSH_KEY_FIELDS,
} from "./types";

export interface ExportCollection {
  id: string;
  organizationId: string | null;
  name: string;
  externalId: string | null;
}

type Json = Record<string, unknown>;

export interface OrganizationExport {
  encrypted: false;
  collections: ExportCollection[];
  items: Json[];
}

/** The file the CLI writes: trashed items are left out, collections by id, one object per item. */
export function toBitwardenJson(collections: ExportCollection[], items: PlainCipher[]): OrganizationExport {
  return {
    encrypted: false,
    collections: collections.map((c) => ({ id: c.id, organizationId: c.organizationId, name: c.name, externalId: c.externalId })),
    items: items.filter((item) => item.deletedDate === null).map(exportItem),
  };
}

function exportItem(item: PlainCipher): Json {
  const out: Json = {
    id: item.id,
    organizationId: item.organizationId,
    folderId: null,
    type: item.type,
    reprompt: item.reprompt,
    name: item.name,
    notes: item.notes,
    favorite: item.favorite,
    fields: item.fields.map((f) => ({ name: f.name, value: f.value, type: f.type, linkedId: f.linkedId })),
    collectionIds: [...item.collectionIds],
  };
  switch (item.type) {
    case 1:
      out.login = {
        uris: item.login.uris.map((u) => ({ match: u.match, uri: u.uri })),
        username: item.login.username,
        password: item.login.password,
        totp: item.login.totp,
      };
      break;
    case 2:
      out.secureNote = { type: item.secureNote.type };
      break;
    case 3:
      out.card = { ...item.card };
      break;
    case 4:
      out.identity = { ...item.identity };
      break;
    case 5:
      out.sshKey = { ...item.sshKey };
      break;
  }
  return out;
}

export class ImportFileError extends Error {
  override name = "ImportFileError";
}

export interface ParsedImport {
  collections: ExportCollection[];
  /** Items for `organizationId`, each with the indexes of its collections in `collections`. */
  items: Array<{ plain: PlainCipher; collections: number[] }>;
}

/** Read a Bitwarden JSON export (unencrypted) for import into `organizationId`. */
export function parseBitwardenJson(text: string, organizationId: string): ParsedImport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ImportFileError("The file is not JSON.");
  }
  if (!isObject(data) || !Array.isArray(data.items)) throw new ImportFileError("The file is not a Bitwarden JSON export.");
  if (data.encrypted === true) throw new ImportFileError("Encrypted exports cannot be imported here; export without a password.");
  const collections: ExportCollection[] = (Array.isArray(data.collections) ? data.collections : []).filter(isObject).map((c, i) => ({
    id: str(c.id) ?? `new-${i}`,
    organizationId,
    name: str(c.name) ?? `Collection ${i + 1}`,
    externalId: str(c.externalId),
  }));
  const indexOf = new Map(collections.map((c, i) => [c.id, i]));
  const items = data.items.map((raw, n) => {
    if (!isObject(raw)) throw new ImportFileError(`Item ${n + 1} is not an object.`);
    const plain = importItem(raw, organizationId, n);
    const wanted = Array.isArray(raw.collectionIds) ? raw.collectionIds : [];
    const placed = wanted.map((id) => indexOf.get(String(id))).filter((i): i is number => i !== undefined);
    return { plain, collections: [...new Set(placed)] };
  });
  return { collections, items };
}

function importItem(raw: Json, organizationId: string, n: number): PlainCipher {
  const type = raw.type;
  if (type !== 1 && type !== 2 && type !== 3 && type !== 4 && type !== 5) {
    throw new ImportFileError(`Item ${n + 1} has an unknown type (${String(type)}).`);
  }
  const content: CipherContent = emptyContent(type);
  const sub = (name: string): Json => (isObject(raw[name]) ? (raw[name] as Json) : {});
  switch (content.type) {
    case 1: {
      const login = sub("login");
      content.login.username = str(login.username);
      content.login.password = str(login.password);
      content.login.totp = str(login.totp);
      content.login.uris = (Array.isArray(login.uris) ? login.uris : [])
        .filter(isObject)
        .map((u) => ({ uri: str(u.uri) ?? "", match: typeof u.match === "number" ? u.match : null }));
      break;
    }
    case 2:
      content.secureNote.type = 0;
      break;
    case 3:
      for (const field of CARD_FIELDS) content.card[field] = str(sub("card")[field]);
      break;
    case 4:
      for (const field of IDENTITY_FIELDS) content.identity[field] = str(sub("identity")[field]);
      break;
    case 5:
      for (const field of SSH_KEY_FIELDS) content.sshKey[field] = str(sub("sshKey")[field]);
      break;
  }
  const fields: CustomField[] = (Array.isArray(raw.fields) ? raw.fields : []).filter(isObject).map((f) => ({
    type: (typeof f.type === "number" ? f.type : 0) as FieldType,
    name: str(f.name),
    value: str(f.value),
    linkedId: typeof f.linkedId === "number" ? f.linkedId : null,
  }));
  return {
    id: null,
    organizationId,
    folderId: null,
    collectionIds: [],
    name: str(raw.name) ?? "--",
    notes: str(raw.notes),
    favorite: false,
    reprompt: raw.reprompt === 1 ? 1 : 0,
    fields,
    passwordHistory: [],
    revisionDate: null,
    creationDate: null,
    deletedDate: null,
    edit: true,
    viewPassword: true,
    itemKey: null,
    ...content,
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : value === null || value === undefined ? null : String(value);
}
