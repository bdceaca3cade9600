// The policies the console offers: Bitwarden's PolicyType numbers the organization service accepts, with the
// settings each one carries in `data` (portal-ux §2.4). SSO- and account-recovery-bound ones are left out: the
// system has neither.

export type PolicyField =
  | { kind: "number"; name: string; label: string; min: number; max: number }
  | { kind: "boolean"; name: string; label: string }
  | { kind: "select"; name: string; label: string; options: ReadonlyArray<[string, string]> };

export interface PolicyDefinition {
  type: number;
  name: string;
  description: string;
  fields: readonly PolicyField[];
}

export const POLICIES: readonly PolicyDefinition[] = [
  {
    type: 0,
    name: "Require two-step login",
    description: "Require members to set up two-step login.",
    fields: [],
  },
  {
    type: 1,
    name: "Master password requirements",
    description: "Set requirements for master password strength.",
    fields: [
      { kind: "number", name: "minComplexity", label: "Minimum strength score (0–4)", min: 0, max: 4 },
      { kind: "number", name: "minLength", label: "Minimum length", min: 12, max: 128 },
      { kind: "boolean", name: "requireUpper", label: "Require uppercase (A-Z)" },
      { kind: "boolean", name: "requireLower", label: "Require lowercase (a-z)" },
      { kind: "boolean", name: "requireNumbers", label: "Require numbers (0-9)" },
      { kind: "boolean", name: "requireSpecial", label: "Require special characters (!@#$%^&*)" },
      { kind: "boolean", name: "enforceOnLogin", label: "Require existing members to change weak passwords" },
    ],
  },
  {
    type: 2,
    name: "Password generator",
    description: "Set requirements for the password generator.",
    fields: [
      {
        kind: "select",
        name: "overridePasswordType",
        label: "Default type",
        options: [
          ["", "User preference"],
          ["password", "Password"],
          ["passphrase", "Passphrase"],
        ],
      },
      { kind: "number", name: "minLength", label: "Minimum length", min: 5, max: 128 },
      { kind: "boolean", name: "useUpper", label: "Uppercase (A-Z)" },
      { kind: "boolean", name: "useLower", label: "Lowercase (a-z)" },
      { kind: "boolean", name: "useNumbers", label: "Numbers (0-9)" },
      { kind: "boolean", name: "useSpecial", label: "Special (!@#$%^&*)" },
      { kind: "number", name: "minNumbers", label: "Minimum numbers", min: 0, max: 9 },
      { kind: "number", name: "minSpecial", label: "Minimum special", min: 0, max: 9 },
      { kind: "number", name: "minNumberWords", label: "Minimum words in a passphrase", min: 3, max: 20 },
      { kind: "boolean", name: "capitalize", label: "Capitalize passphrase words" },
      { kind: "boolean", name: "includeNumber", label: "Include a number in passphrases" },
    ],
  },
  {
    type: 3,
    name: "Single organization",
    description: "Restrict members from joining other organizations.",
    fields: [],
  },
  {
    type: 5,
    name: "Remove individual vault",
    description: "Require members to save items to the organization, not their individual vault.",
    fields: [],
  },
  {
    type: 6,
    name: "Remove Send",
    description: "Do not allow members to create or edit Sends.",
    fields: [],
  },
  {
    type: 9,
    name: "Vault timeout",
    description: "Set a maximum vault timeout for members (needs Single organization).",
    fields: [
      { kind: "number", name: "minutes", label: "Maximum timeout (minutes)", min: 1, max: 100000 },
      {
        kind: "select",
        name: "action",
        label: "Timeout action",
        options: [
          ["", "User preference"],
          ["lock", "Lock"],
          ["logOut", "Log out"],
        ],
      },
    ],
  },
  {
    type: 10,
    name: "Remove individual vault export",
    description: "Do not allow members to export their individual vault data.",
    fields: [],
  },
  {
    type: 14,
    name: "Remove unlock with PIN",
    description: "Do not allow members to unlock their account with a PIN.",
    fields: [],
  },
];

export type PolicyData = Record<string, string | number | boolean | null>;

/** The form's values as the API's `data`: empty text and unset selects become null, numbers are numbers. */
export function policyData(definition: PolicyDefinition, values: Record<string, string | boolean>): PolicyData | null {
  if (definition.fields.length === 0) return null;
  const data: PolicyData = {};
  for (const field of definition.fields) {
    const value = values[field.name];
    if (field.kind === "boolean") data[field.name] = value === true;
    else if (field.kind === "number") {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
      data[field.name] = Number.isFinite(n) ? Math.min(field.max, Math.max(field.min, Math.round(n))) : null;
    } else data[field.name] = typeof value === "string" && value !== "" ? value : null;
  }
  return data;
}

export function formValues(definition: PolicyDefinition, data: Record<string, unknown> | null | undefined): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const field of definition.fields) {
    const v = data?.[field.name];
    values[field.name] = field.kind === "boolean" ? v === true : v === null || v === undefined ? "" : String(v);
  }
  return values;
}
