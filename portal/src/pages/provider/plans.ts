/**
 * The plans a client may have, by provider type (Bitwarden's ProviderService.ThrowOnInvalidPlanType, which the
 * provider service also enforces): an MSP offers Teams or Enterprise, monthly; a Business Unit offers Enterprise.
 */
import { EMAIL_ADDRESS, NAME_MAX, nameProblem } from "../../lib/fields";

export interface PlanChoice {
  readonly planType: number;
  readonly label: string;
  readonly description: string;
}

const TEAMS_MONTHLY: PlanChoice = { planType: 17, label: "Teams", description: "For small teams: sharing, collections, groups, event logs." };
const ENTERPRISE_MONTHLY: PlanChoice = {
  planType: 19,
  label: "Enterprise",
  description: "Adds policies, single sign-on, account recovery and custom roles.",
};
const ENTERPRISE_ANNUALLY: PlanChoice = { planType: 20, label: "Enterprise (annually)", description: "Enterprise, billed yearly." };
const TEAMS_ANNUALLY: PlanChoice = { planType: 18, label: "Teams (annually)", description: "Teams, billed yearly." };

const BY_PROVIDER_TYPE: ReadonlyMap<number, readonly PlanChoice[]> = new Map([
  [0, [TEAMS_MONTHLY, ENTERPRISE_MONTHLY]],
  [1, [TEAMS_MONTHLY, TEAMS_ANNUALLY, ENTERPRISE_MONTHLY, ENTERPRISE_ANNUALLY]],
  [2, [ENTERPRISE_MONTHLY, ENTERPRISE_ANNUALLY]],
]);

/** The plan cards "New client" offers; the first is preselected. */
export function clientPlans(providerType: number): readonly PlanChoice[] {
  return BY_PROVIDER_TYPE.get(providerType) ?? BY_PROVIDER_TYPE.get(0) ?? [];
}

export interface NewClientInput {
  name: string;
  ownerEmail: string;
  planType: number;
  seats: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: Partial<Record<keyof NewClientInput, string>> };

export { NAME_MAX };

/** The "New client" form checked as the server will: a name of 1–50 characters, an email, a plan, 1+ seats. */
export function checkNewClient(input: NewClientInput, providerType: number): Checked<{ name: string; ownerEmail: string; planType: number; seats: number }> {
  const errors: Partial<Record<keyof NewClientInput, string>> = {};
  const name = input.name.trim();
  const ownerEmail = input.ownerEmail.trim().toLowerCase();
  const seats = Number(input.seats);
  const nameError = nameProblem(name, "Enter the organization's name.");
  if (nameError) errors.name = nameError;
  if (!EMAIL_ADDRESS.test(ownerEmail)) errors.ownerEmail = "Enter the client owner's email address.";
  if (!clientPlans(providerType).some((plan) => plan.planType === input.planType)) errors.planType = "Choose a plan.";
  if (!Number.isInteger(seats) || seats < 1) errors.seats = "Enter a whole number of seats, at least 1.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { name, ownerEmail, planType: input.planType, seats } };
}

export type ClientChange = { ok: true; name: string; seats: number } | { ok: false; errors: { name?: string; seats?: string } };

/** "Edit client": a name of 1–50 characters and no fewer seats than are in use (Bitwarden's minimum). */
export function checkClientChange(input: { name: string; seats: string }, seatsUsed: number): ClientChange {
  const errors: { name?: string; seats?: string } = {};
  const name = input.name.trim();
  const seats = Number(input.seats);
  const nameError = nameProblem(name, "Enter the organization's name.");
  if (nameError) errors.name = nameError;
  if (!Number.isInteger(seats) || seats < Math.max(1, seatsUsed)) errors.seats = `Enter a whole number of seats, at least ${Math.max(1, seatsUsed)} (the seats in use).`;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, name, seats };
}
