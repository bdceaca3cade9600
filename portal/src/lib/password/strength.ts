/**
 * A small master-password strength estimate for the meter on the create-account page (zxcvbn would cost
 * ~400 KB of the first load). It estimates guessing entropy from length and character variety, then takes off
 * for what attackers try first: common passwords, repeats, sequences, keyboard rows, and the user's own email
 * or name. Score 0–4 like zxcvbn's; the account needs at least 12 characters whatever the score.
 */
export const MIN_MASTER_PASSWORD_LENGTH = 12;

export type Strength = { score: 0 | 1 | 2 | 3 | 4; label: string; warnings: string[] };

const LABELS = ["Very weak", "Weak", "Fair", "Good", "Strong"] as const;

// A few of the most common passwords and words (lower case); a match anywhere costs heavily.
const COMMON = [
  "password", "passw0rd", "123456", "qwerty", "letmein", "welcome", "admin", "iloveyou", "monkey", "dragon",
  "football", "baseball", "master", "shadow", "sunshine", "princess", "trustno1", "secret", "abc123", "login",
  "bitwarden", "mspvault", "vault", "changeme", "summer", "winter", "spring", "autumn",
];
const SEQUENCES = ["abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

function poolSize(password: string): number {
  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/[0-9]/.test(password)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(password)) pool += 33;
  return pool;
}

/** Characters that add little: runs of one character and ascending/descending sequences of 3+. */
function predictableCharacters(lower: string): number {
  let predictable = 0;
  for (let i = 2; i < lower.length; i++) {
    const a = lower.charCodeAt(i - 2);
    const b = lower.charCodeAt(i - 1);
    const c = lower.charCodeAt(i);
    if (a === b && b === c) predictable++;
    else if (b - a === c - b && Math.abs(b - a) === 1) predictable++;
  }
  for (const row of SEQUENCES) {
    for (let i = 0; i + 4 <= row.length; i++) if (lower.includes(row.slice(i, i + 4))) predictable += 2;
  }
  return predictable;
}

export function passwordStrength(password: string, userInputs: readonly string[] = []): Strength {
  const warnings: string[] = [];
  if (password.length === 0) return { score: 0, label: LABELS[0], warnings };
  const lower = password.toLowerCase();
  let effectiveLength = Math.max(0, password.length - predictableCharacters(lower));
  for (const word of COMMON) {
    if (lower.includes(word)) {
      effectiveLength -= word.length - 1;
      warnings.push("Avoid common passwords and words.");
      break;
    }
  }
  const personal = userInputs
    .flatMap((input) => input.toLowerCase().split(/[^a-z0-9]+/))
    .filter((part) => part.length >= 3);
  if (personal.some((part) => lower.includes(part))) {
    effectiveLength -= 4;
    warnings.push("Avoid your name or email address.");
  }
  if (password.length < MIN_MASTER_PASSWORD_LENGTH) warnings.push(`Use at least ${MIN_MASTER_PASSWORD_LENGTH} characters.`);
  const bits = Math.max(0, effectiveLength) * Math.log2(Math.max(poolSize(password), 2));
  const score = bits < 28 ? 0 : bits < 40 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  return { score, label: LABELS[score], warnings: [...new Set(warnings)] };
}
