// The organization info form, checked as the server checks it (names of 1 to 50 characters without control
// characters or line breaks, one email address), so most mistakes are shown before anything is sent.
import { NAME_MAX } from "../../lib/fields";

export { NAME_MAX };
const EMAIL = /^[^@\s]+@[^@\s]+$/;
// C0 and C1 controls, U+2028 and U+2029: the server refuses them in plaintext names (400).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export interface SettingsForm {
  name: string;
  billingEmail: string;
}

export type SettingsErrors = Partial<Record<keyof SettingsForm, string>>;

export function checkSettings(form: SettingsForm): { ok: true; values: SettingsForm } | { ok: false; errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  const name = form.name.trim();
  const billingEmail = form.billingEmail.trim().toLowerCase();
  if (name === "" || name.length > NAME_MAX) errors.name = `Enter a name of 1 to ${NAME_MAX} characters.`;
  else if (CONTROL.test(name)) errors.name = "The name must not contain control characters or line breaks.";
  if (!EMAIL.test(billingEmail) || billingEmail.length > 256) errors.billingEmail = "Enter a billing email address.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, values: { name, billingEmail } };
}

/** The server's per-field 400 messages (`validationErrors`, camelCase keys) on the form's fields. */
export function serverErrors(fieldErrors: Record<string, string[]>): SettingsErrors {
  const errors: SettingsErrors = {};
  for (const key of ["name", "billingEmail"] as const) {
    const messages = fieldErrors[key];
    if (messages && messages.length > 0) errors[key] = messages.join(" ");
  }
  return errors;
}
