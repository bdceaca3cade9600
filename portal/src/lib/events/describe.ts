/**
 * Audit entries as sentences a person reads: who did what to which item, member or collection, where, and from
 * which device and address. Pure: names come from resolvers the page passes in (decrypted collection and item
 * names, member lists), so the provider's and the organizations' event-log pages share one wording.
 */
import { DEVICE_NAMES, EVENT_TEMPLATES, type Subject } from "./codes";

/** The fields of Bitwarden's EventResponseModel this module reads (the API's type is assignable to it). */
export interface AuditEvent {
  type: number;
  date: string;
  actingUserId?: string | null;
  userId?: string | null;
  organizationId?: string | null;
  providerId?: string | null;
  cipherId?: string | null;
  collectionId?: string | null;
  groupId?: string | null;
  policyId?: string | null;
  organizationUserId?: string | null;
  providerUserId?: string | null;
  providerOrganizationId?: string | null;
  installationId?: string | null;
  systemUser?: number | null;
  deviceType?: number | null;
  ipAddress?: string | null;
}

type Resolve = (id: string) => string | undefined;

/** How to name the ids an entry carries; each is optional and may answer undefined (then the short id shows). */
export interface EventNames {
  user?: Resolve;
  member?: Resolve;
  providerUser?: Resolve;
  provider?: Resolve;
  organization?: Resolve;
  cipher?: Resolve;
  collection?: Resolve;
  group?: Resolve;
  policy?: Resolve;
}

export type ReferenceKind = Subject | "user" | "provider";

/** Something the sentence names; `known` is false when only the short id could be shown. */
export interface Reference {
  readonly kind: ReferenceKind;
  readonly id: string | null;
  readonly label: string;
  readonly known: boolean;
}

export interface DescribedEvent {
  readonly code: number;
  readonly date: Date;
  readonly actor: Reference;
  /** The action, starting lower-case: text pieces and the subject it names. */
  readonly action: ReadonlyArray<string | Reference>;
  /** The organization it happened in, for entries about something inside one (items, members, …). */
  readonly organization: Reference | null;
  /** The device type's display name, or null when the entry has none. */
  readonly device: string | null;
  readonly ipAddress: string | null;
  /** The whole sentence, e.g. "Bob created item Router in Contoso, from Chrome at 203.0.113.7." */
  readonly text: string;
}

const SHORT_ID = 8;

/** Bitwarden's convention: an id nobody can name shows as its first 8 characters. */
export function shortId(id: string): string {
  return id.slice(0, SHORT_ID);
}

export function deviceName(deviceType: number | null | undefined): string | null {
  if (deviceType === null || deviceType === undefined) return null;
  return DEVICE_NAMES.get(deviceType) ?? `Device type ${deviceType}`;
}

function reference(kind: ReferenceKind, id: string | null | undefined, ...resolvers: Array<[Resolve | undefined, string | null | undefined]>): Reference {
  for (const [resolve, key] of resolvers) {
    if (resolve === undefined || key === null || key === undefined) continue;
    const label = resolve(key);
    if (label !== undefined && label !== "") return { kind, id: id ?? null, label, known: true };
  }
  if (id === null || id === undefined) return { kind, id: null, label: "unknown", known: false };
  return { kind, id, label: shortId(id), known: false };
}

function actorOf(event: AuditEvent, names: EventNames): Reference {
  const userId = event.actingUserId ?? event.userId ?? null;
  if (userId !== null) {
    const named = reference("user", userId, [names.user, userId]);
    if (named.known) return named;
    // A provider user acting inside a client is no member there: name the provider they came through.
    if (event.providerId && event.organizationId) {
      const provider = reference("provider", event.providerId, [names.provider, event.providerId]);
      if (provider.known) return { kind: "user", id: userId, label: `a user of ${provider.label}`, known: true };
    }
    return { kind: "user", id: userId, label: `user ${shortId(userId)}`, known: false };
  }
  if (event.installationId) return { kind: "user", id: null, label: `installation ${shortId(event.installationId)}`, known: false };
  if (event.systemUser !== null && event.systemUser !== undefined) return { kind: "user", id: null, label: "the system", known: true };
  return { kind: "user", id: null, label: "an unknown user", known: false };
}

function subjectOf(subject: Subject, event: AuditEvent, names: EventNames): Reference | null {
  switch (subject) {
    case "none":
      return null;
    case "cipher":
      return reference("cipher", event.cipherId, [names.cipher, event.cipherId]);
    case "collection":
      return reference("collection", event.collectionId, [names.collection, event.collectionId]);
    case "group":
      return reference("group", event.groupId, [names.group, event.groupId]);
    case "policy":
      return reference("policy", event.policyId, [names.policy, event.policyId]);
    case "member":
      return reference("member", event.organizationUserId, [names.member, event.organizationUserId], [names.user, event.userId]);
    case "providerUser":
      return reference("providerUser", event.providerUserId, [names.providerUser, event.providerUserId], [names.user, event.userId]);
    case "organization":
    case "clientOrganization":
      return reference(subject, event.organizationId, [names.organization, event.organizationId]);
  }
}

function actionOf(sentence: string, subject: Reference | null): Array<string | Reference> {
  if (subject === null) return [sentence];
  const at = sentence.indexOf("{}");
  const parts: Array<string | Reference> = [sentence.slice(0, at), subject, sentence.slice(at + 2)];
  return parts.filter((part) => part !== "");
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function originText(device: string | null, ip: string | null): string {
  if (device !== null && ip !== null) return `, from ${device} at ${ip}`;
  if (device !== null) return `, from ${device}`;
  if (ip !== null) return `, from ${ip}`;
  return "";
}

export function describeEvent(event: AuditEvent, names: EventNames = {}): DescribedEvent {
  const template = EVENT_TEMPLATES.get(event.type);
  const actor = actorOf(event, names);
  const subject = template ? subjectOf(template.subject, event, names) : null;
  const action = template ? actionOf(template.sentence, subject) : [`caused event ${event.type}`];
  const inside = template !== undefined && !["none", "organization", "clientOrganization"].includes(template.subject);
  const organization =
    inside && event.organizationId ? reference("organization", event.organizationId, [names.organization, event.organizationId]) : null;
  const device = deviceName(event.deviceType);
  const ipAddress = event.ipAddress ?? null;
  const actionText = action.map((part) => (typeof part === "string" ? part : part.label)).join("");
  const where = organization ? ` in ${organization.label}` : "";
  return {
    code: event.type,
    date: new Date(event.date),
    actor,
    action,
    organization,
    device,
    ipAddress,
    text: `${capitalized(actor.label)} ${actionText}${where}${originText(device, ipAddress)}.`,
  };
}

/** Whether the portal has a sentence for this code (unknown codes still get a generic one). */
export function isKnownEventCode(code: number): boolean {
  return EVENT_TEMPLATES.has(code);
}
