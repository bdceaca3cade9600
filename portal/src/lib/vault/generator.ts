// Password and passphrase generator with Bitwarden's defaults (portal-ux §3.3). Randomness from
// crypto.getRandomValues with rejection sampling, so no character is likelier than another.

export interface PasswordOptions {
  length: number; // 5–128
  uppercase: boolean;
  lowercase: boolean;
  numbers: boolean;
  special: boolean;
  minNumbers: number; // 0–9
  minSpecial: number; // 0–9
  avoidAmbiguous: boolean;
}

export const DEFAULT_PASSWORD_OPTIONS: PasswordOptions = {
  length: 14,
  uppercase: true,
  lowercase: true,
  numbers: true,
  special: false,
  minNumbers: 1,
  minSpecial: 0,
  avoidAmbiguous: false,
};

export const LIMITS = { length: [5, 128], minNumbers: [0, 9], minSpecial: [0, 9], words: [3, 20] } as const;

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const SPECIAL = "!@#$%^&*";
const AMBIGUOUS = /[IOl01]/g;

export type RandomInt = (below: number) => number;

/** A uniform integer in [0, below). */
export const secureRandomInt: RandomInt = (below) => {
  if (below <= 0 || below > 2 ** 32) throw new RangeError("below must be in 1..2^32");
  const limit = Math.floor(2 ** 32 / below) * below;
  const buffer = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buffer);
    const value = buffer[0] ?? 0;
    if (value < limit) return value % below;
  }
};

function clamp(value: number, [min, max]: readonly [number, number]): number {
  return Math.min(max, Math.max(min, Math.round(Number.isFinite(value) ? value : min)));
}

/** Options as the generator will use them: ranges clamped, at least one set on, minimums within the length. */
export function normalizePasswordOptions(options: PasswordOptions): PasswordOptions {
  const o = { ...options };
  o.length = clamp(o.length, LIMITS.length);
  o.minNumbers = o.numbers ? clamp(o.minNumbers, LIMITS.minNumbers) : 0;
  o.minSpecial = o.special ? clamp(o.minSpecial, LIMITS.minSpecial) : 0;
  if (!o.uppercase && !o.lowercase && !o.numbers && !o.special) o.lowercase = true;
  const required = (o.uppercase ? 1 : 0) + (o.lowercase ? 1 : 0) + o.minNumbers + o.minSpecial;
  o.length = Math.max(o.length, required);
  return o;
}

export function generatePassword(options: PasswordOptions = DEFAULT_PASSWORD_OPTIONS, random: RandomInt = secureRandomInt): string {
  const o = normalizePasswordOptions(options);
  const strip = (set: string) => (o.avoidAmbiguous ? set.replace(AMBIGUOUS, "") : set);
  const sets = { upper: strip(UPPER), lower: strip(LOWER), digits: strip(DIGITS), special: SPECIAL };
  let all = "";
  const required: string[] = [];
  if (o.uppercase) {
    all += sets.upper;
    required.push(sets.upper);
  }
  if (o.lowercase) {
    all += sets.lower;
    required.push(sets.lower);
  }
  if (o.numbers) {
    all += sets.digits;
    for (let i = 0; i < Math.max(1, o.minNumbers); i++) required.push(sets.digits);
  }
  if (o.special) {
    all += sets.special;
    for (let i = 0; i < Math.max(1, o.minSpecial); i++) required.push(sets.special);
  }
  const positions = [...required];
  while (positions.length < o.length) positions.push(all);
  shuffle(positions, random);
  return positions.map((set) => set[random(set.length)]).join("");
}

export function shuffle<T>(items: T[], random: RandomInt = secureRandomInt): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export interface PassphraseOptions {
  words: number; // default 6
  separator: string; // one character, default "-"
  capitalize: boolean;
  includeNumber: boolean;
}

export const DEFAULT_PASSPHRASE_OPTIONS: PassphraseOptions = {
  words: 6,
  separator: "-",
  capitalize: false,
  includeNumber: false,
};

export function generatePassphrase(
  wordList: readonly string[],
  options: PassphraseOptions = DEFAULT_PASSPHRASE_OPTIONS,
  random: RandomInt = secureRandomInt,
): string {
  if (wordList.length === 0) throw new Error("The word list is empty.");
  const count = clamp(options.words, LIMITS.words);
  const words = Array.from({ length: count }, () => wordList[random(wordList.length)] ?? "");
  const shaped = options.capitalize ? words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)) : words;
  if (options.includeNumber) {
    const at = random(shaped.length);
    shaped[at] = `${shaped[at]}${random(10)}`;
  }
  return shaped.join(options.separator.slice(0, 1));
}
