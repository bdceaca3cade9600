// Vault items in plaintext and on the wire (Bitwarden's cipher JSON). Numbers mirror Bitwarden's enums.

import type { VaultKey } from "./keys";

export const CipherType = { Login: 1, SecureNote: 2, Card: 3, Identity: 4, SshKey: 5 } as const;
export type CipherType = (typeof CipherType)[keyof typeof CipherType];

export const CIPHER_TYPE_LABELS: Record<CipherType, string> = {
  1: "Login",
  2: "Secure note",
  3: "Card",
  4: "Identity",
  5: "SSH key",
};

export const FieldType = { Text: 0, Hidden: 1, Boolean: 2, Linked: 3 } as const;
export type FieldType = (typeof FieldType)[keyof typeof FieldType];

/** Login URI match detection; null = the client's default. */
export const URI_MATCH_LABELS: ReadonlyArray<[number | null, string]> = [
  [null, "Default"],
  [0, "Base domain"],
  [1, "Host"],
  [2, "Starts with"],
  [3, "Exact"],
  [4, "Regular expression"],
  [5, "Never"],
];

export interface LoginUri {
  uri: string;
  match: number | null;
}

export interface Login {
  username: string | null;
  password: string | null;
  totp: string | null;
  uris: LoginUri[];
  passwordRevisionDate: string | null;
  autofillOnPageLoad: boolean | null;
}

export interface SecureNote {
  type: number; // Bitwarden has only "generic" (0)
}

export interface Card {
  cardholderName: string | null;
  brand: string | null;
  number: string | null;
  expMonth: string | null;
  expYear: string | null;
  code: string | null;
}

export interface Identity {
  title: string | null;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  address1: string | null;
  address2: string | null;
  address3: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  company: string | null;
  email: string | null;
  phone: string | null;
  ssn: string | null;
  username: string | null;
  passportNumber: string | null;
  licenseNumber: string | null;
}

export interface SshKey {
  privateKey: string | null;
  publicKey: string | null;
  keyFingerprint: string | null;
}

// Every field of these three types is an optional string, and every one is encrypted.
export const CARD_FIELDS = ["cardholderName", "brand", "number", "expMonth", "expYear", "code"] as const;
export const IDENTITY_FIELDS = [
  "title",
  "firstName",
  "middleName",
  "lastName",
  "address1",
  "address2",
  "address3",
  "city",
  "state",
  "postalCode",
  "country",
  "company",
  "email",
  "phone",
  "ssn",
  "username",
  "passportNumber",
  "licenseNumber",
] as const;
export const SSH_KEY_FIELDS = ["privateKey", "publicKey", "keyFingerprint"] as const;

export interface CustomField {
  type: FieldType;
  name: string | null;
  value: string | null;
  linkedId: number | null;
}

export interface PasswordHistoryEntry {
  password: string;
  lastUsedDate: string;
}

/** One type's content; `type` says which. The member names are the wire names. */
export type CipherContent =
  | { type: 1; login: Login }
  | { type: 2; secureNote: SecureNote }
  | { type: 3; card: Card }
  | { type: 4; identity: Identity }
  | { type: 5; sshKey: SshKey };

export interface CipherMeta {
  id: string | null;
  organizationId: string | null;
  folderId: string | null;
  collectionIds: string[];
  name: string;
  notes: string | null;
  favorite: boolean;
  reprompt: number;
  fields: CustomField[];
  passwordHistory: PasswordHistoryEntry[];
  revisionDate: string | null;
  creationDate: string | null;
  deletedDate: string | null;
  /** The caller may edit it (false where a collection grants read-only access). */
  edit: boolean;
  /** The caller may see its secrets (false where a collection hides passwords). */
  viewPassword: boolean;
  /** The item's own key when it has one (portal-ux §4.6); kept so an edit or a move re-wraps it. */
  itemKey: VaultKey | null;
}

export type PlainCipher = CipherMeta & CipherContent;

// --- wire ---------------------------------------------------------------------------------------------------

export type EncString = string;

export interface LoginUriWire {
  uri: EncString | null;
  uriChecksum?: EncString | null;
  match: number | null;
}

export interface LoginWire {
  username: EncString | null;
  password: EncString | null;
  totp: EncString | null;
  uris: LoginUriWire[] | null;
  passwordRevisionDate: string | null;
  autofillOnPageLoad?: boolean | null;
  fido2Credentials?: unknown;
}

export type StringsWire<K extends string> = { [P in K]?: EncString | null };

export interface FieldWire {
  type: number;
  name: EncString | null;
  value: EncString | null;
  linkedId: number | null;
}

export interface PasswordHistoryWire {
  password: EncString;
  lastUsedDate: string;
}

/** `cipherDetails` as the vault service renders it (and /api/sync carries it). */
export interface CipherWire {
  id: string;
  type: number;
  organizationId: string | null;
  folderId: string | null;
  favorite: boolean;
  edit: boolean;
  viewPassword: boolean;
  permissions?: { delete: boolean; restore: boolean } | null;
  name: EncString;
  notes: EncString | null;
  key: EncString | null;
  reprompt: number;
  creationDate: string;
  revisionDate: string;
  deletedDate: string | null;
  collectionIds: string[];
  login: LoginWire | null;
  secureNote: { type: number } | null;
  card: StringsWire<(typeof CARD_FIELDS)[number]> | null;
  identity: StringsWire<(typeof IDENTITY_FIELDS)[number]> | null;
  sshKey: StringsWire<(typeof SSH_KEY_FIELDS)[number]> | null;
  fields: FieldWire[] | null;
  passwordHistory: PasswordHistoryWire[] | null;
}

/** The body of POST /api/ciphers, PUT /api/ciphers/{id}, and `cipher` in /create and /share. */
export interface CipherRequest {
  type: number;
  organizationId: string | null;
  folderId: string | null;
  name: EncString;
  notes: EncString | null;
  favorite: boolean;
  reprompt: number;
  key: EncString | null;
  lastKnownRevisionDate: string | null;
  fields: FieldWire[];
  passwordHistory: PasswordHistoryWire[];
  login?: LoginWire;
  secureNote?: { type: number };
  card?: StringsWire<(typeof CARD_FIELDS)[number]>;
  identity?: StringsWire<(typeof IDENTITY_FIELDS)[number]>;
  sshKey?: StringsWire<(typeof SSH_KEY_FIELDS)[number]>;
  encryptedFor?: string;
}

export interface FolderWire {
  id: string;
  name: EncString;
  revisionDate: string;
}

export interface CollectionWire {
  id: string;
  organizationId: string;
  name: EncString;
  externalId: string | null;
  readOnly?: boolean;
  hidePasswords?: boolean;
  manage?: boolean;
}
