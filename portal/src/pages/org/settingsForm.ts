// The organization info form, checked as the server checks it (names of 1 to 50 characters without control
// characters or line breaks, one email address), so most mistakes are shown before anything is sent.
import { EMAIL_ADDRESS, NAME_MAX, nameProblem } from "../../lib/fields";

export { NAME_MAX };

export interface SettingsForm {
  name: string;
  billingEmail: string;
}

export type SettingsErrors = Partial<Record<keyof SettingsForm, string>>;

export function checkSettings(form: SettingsForm): { ok: true; values: SettingsForm } | { ok: false; errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  const name = form.name.trim();
  const billingEmail = form.billingEmail.trim().toLowerCase();
  const nameError = nameProblem(name);
  if (nameError) errors.name = nameError;
  if (!EMAIL_ADDRESS.test(billingEmail) || billingEmail.length > 256) errors.billingEmail = "Enter a billing email address.";
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
