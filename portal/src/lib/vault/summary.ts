// The list view needs only each item's name and one subtitle, so a vault of thousands opens fast: those are
// decrypted in batches (yielding between them), the rest only when an item is opened.

import { fieldKeyOf } from "./cipher";
import type { KeyRing, VaultKey } from "./keys";
import type { CipherType, CipherWire } from "./types";

export interface ItemSummary {
  id: string;
  type: CipherType;
  organizationId: string | null;
  folderId: string | null;
  collectionIds: string[];
  favorite: boolean;
  deleted: boolean;
  edit: boolean;
  viewPassword: boolean;
  name: string;
  subtitle: string;
  hasTotp: boolean;
  /** The key that opens this item's fields (kept so opening it does not unwrap its key again). */
  key: VaultKey | null;
  /** Decryption failed: the row says so instead of a name. */
  broken: boolean;
  wire: CipherWire;
}

export const UNDECRYPTABLE = "[error: cannot decrypt]";

export async function summarize(wire: CipherWire, ring: KeyRing): Promise<ItemSummary> {
  const base = {
    id: wire.id,
    type: wire.type as CipherType,
    organizationId: wire.organizationId,
    folderId: wire.folderId,
    collectionIds: wire.collectionIds ?? [],
    favorite: Boolean(wire.favorite),
    deleted: wire.deletedDate !== null && wire.deletedDate !== undefined,
    edit: wire.edit !== false,
    viewPassword: wire.viewPassword !== false,
    hasTotp: wire.type === 1 && Boolean(wire.login?.totp),
    wire,
  };
  try {
    const { key } = await fieldKeyOf(wire, ring);
    const dec = (v: string | null | undefined) => (v ? key.decryptText(v) : Promise.resolve(null));
    const [name, subtitle] = await Promise.all([dec(wire.name), subtitleOf(wire, dec)]);
    return { ...base, name: name ?? "", subtitle, key, broken: false };
  } catch {
    return { ...base, name: UNDECRYPTABLE, subtitle: "", key: null, broken: true };
  }
}

async function subtitleOf(wire: CipherWire, dec: (v: string | null | undefined) => Promise<string | null>): Promise<string> {
  switch (wire.type) {
    case 1:
      return (await dec(wire.login?.username)) ?? "";
    case 3: {
      const [brand, number] = await Promise.all([dec(wire.card?.brand), dec(wire.card?.number)]);
      return cardSubtitle(brand, number);
    }
    case 4: {
      const [first, last] = await Promise.all([dec(wire.identity?.firstName), dec(wire.identity?.lastName)]);
      return [first, last].filter(Boolean).join(" ");
    }
    case 5:
      return (await dec(wire.sshKey?.keyFingerprint)) ?? "";
    default:
      return "";
  }
}

/** "Visa, *4242", as Bitwarden shows a card. */
export function cardSubtitle(brand: string | null, number: string | null): string {
  const tail = number && number.length >= 4 ? `*${number.slice(-4)}` : "";
  return [brand, tail].filter(Boolean).join(", ");
}

/**
 * Summaries of every item, `batchSize` at a time; `onBatch` sees the growing list so the page can show the first
 * rows while the rest decrypt. Resolves with all of them, sorted by name.
 */
export async function summarizeAll(
  wires: readonly CipherWire[],
  ring: KeyRing,
  options: { batchSize?: number; onBatch?: (done: ItemSummary[]) => void; signal?: AbortSignal } = {},
): Promise<ItemSummary[]> {
  const batchSize = options.batchSize ?? 250;
  const done: ItemSummary[] = [];
  for (let start = 0; start < wires.length; start += batchSize) {
    if (options.signal?.aborted) break;
    const batch = await Promise.all(wires.slice(start, start + batchSize).map((w) => summarize(w, ring)));
    done.push(...batch);
    options.onBatch?.(sortByName([...done]));
    // Let the browser paint and handle input between batches.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return sortByName(done);
}

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

export function sortByName<T extends { name: string; id: string }>(items: T[]): T[] {
  return items.sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
