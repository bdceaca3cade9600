// Field rules the pages check before sending, as the services check them: names of at most 50 characters
// (Bitwarden's limit) without control characters or line breaks, and an email address with a domain part.

export const NAME_MAX = 50;

/** One address: something, "@", a domain with a dot. */
export const EMAIL_ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

// C0 and C1 controls, U+2028 and U+2029: the services refuse them in plaintext names (400), because a name ends up
// in mail headers and logs.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** What is wrong with a (trimmed) name, in a sentence for its field; null when it is fine. `missing` is the
 *  sentence for an empty one, or null where the name may be left out. */
export function nameProblem(name: string, missing: string | null = `Enter a name of 1 to ${NAME_MAX} characters.`): string | null {
  if (name === "") return missing;
  if (name.length > NAME_MAX) return `Use at most ${NAME_MAX} characters.`;
  if (CONTROL.test(name)) return "The name must not contain control characters or line breaks.";
  return null;
}
