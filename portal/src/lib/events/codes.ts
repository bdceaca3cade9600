/**
 * Bitwarden's audit event codes (src/Core/Dirt/Enums/EventType.cs): the same numbers the services store, so the
 * portal and the official clients label an entry alike. Every code our services emit is here (a test reads them
 * from shared/src/mspvault/shared/audit.py), plus the rest of the blocks the web vault knows.
 */

/** What an event is about: decides which id of the entry names its subject. */
export type Subject =
  | "none"
  | "cipher"
  | "collection"
  | "group"
  | "member"
  | "organization"
  | "policy"
  | "providerUser"
  | "clientOrganization";

/** A sentence with one `{}` where the subject goes (none for `subject: "none"`). */
export interface EventTemplate {
  readonly subject: Subject;
  readonly sentence: string;
}

const t = (subject: Subject, sentence: string): EventTemplate => ({ subject, sentence });

export const EVENT_TEMPLATES: ReadonlyMap<number, EventTemplate> = new Map<number, EventTemplate>([
  // ---- user 1000s: the actor's own account
  [1000, t("none", "logged in")],
  [1001, t("none", "changed their account password")],
  [1002, t("none", "enabled or updated two-step login")],
  [1003, t("none", "disabled two-step login")],
  [1004, t("none", "recovered their account from two-step login")],
  [1005, t("none", "failed to log in: incorrect password")],
  [1006, t("none", "failed to log in: incorrect two-step login")],
  [1007, t("none", "exported their vault")],
  [1008, t("none", "updated a temporary password")],
  [1009, t("none", "migrated their key to Key Connector")],
  [1010, t("none", "requested device approval")],
  [1011, t("none", "set a master password after leaving trusted-device encryption")],

  // ---- cipher 1100s: items
  [1100, t("cipher", "created item {}")],
  [1101, t("cipher", "edited item {}")],
  [1102, t("cipher", "permanently deleted item {}")],
  [1103, t("cipher", "added an attachment to item {}")],
  [1104, t("cipher", "deleted an attachment of item {}")],
  [1105, t("cipher", "moved item {} into the organization")],
  [1106, t("cipher", "edited the collections of item {}")],
  [1107, t("cipher", "viewed item {}")],
  [1108, t("cipher", "viewed the password of item {}")],
  [1109, t("cipher", "viewed a hidden field of item {}")],
  [1110, t("cipher", "viewed the security code of item {}")],
  [1111, t("cipher", "copied the password of item {}")],
  [1112, t("cipher", "copied a hidden field of item {}")],
  [1113, t("cipher", "copied the security code of item {}")],
  [1114, t("cipher", "auto-filled item {}")],
  [1115, t("cipher", "sent item {} to the trash")],
  [1116, t("cipher", "restored item {} from the trash")],
  [1117, t("cipher", "viewed the card number of item {}")],
  [1118, t("cipher", "viewed the authenticator key of item {}")],

  // ---- collection 1300s
  [1300, t("collection", "created collection {}")],
  [1301, t("collection", "edited collection {}")],
  [1302, t("collection", "deleted collection {}")],

  // ---- group 1400s
  [1400, t("group", "created group {}")],
  [1401, t("group", "edited group {}")],
  [1402, t("group", "deleted group {}")],

  // ---- organization member 1500s
  [1500, t("member", "invited member {}")],
  [1501, t("member", "confirmed member {}")],
  [1502, t("member", "edited member {}")],
  [1503, t("member", "removed member {}")],
  [1504, t("member", "edited the groups of member {}")],
  [1505, t("member", "unlinked single sign-on for member {}")],
  [1506, t("member", "enrolled member {} in account recovery")],
  [1507, t("member", "withdrew member {} from account recovery")],
  [1508, t("member", "reset the master password of member {}")],
  [1509, t("member", "reset the single sign-on link of member {}")],
  [1510, t("member", "logged in with single sign-on for the first time as member {}")],
  [1511, t("member", "revoked the access of member {}")],
  [1512, t("member", "restored the access of member {}")],
  [1513, t("member", "approved a device for member {}")],
  [1514, t("member", "denied a device for member {}")],
  [1515, t("member", "deleted the account of member {}")],
  [1516, t("member", "left the organization as member {}")],
  [1517, t("member", "automatically confirmed member {}")],
  [1518, t("member", "revoked their own access as member {}")],

  // ---- organization 1600s
  [1600, t("organization", "edited the settings of organization {}")],
  [1601, t("organization", "purged the vault of organization {}")],
  [1602, t("organization", "exported the vault of organization {}")],
  [1603, t("organization", "accessed the vault of organization {} through its provider")],
  [1604, t("organization", "turned on single sign-on for organization {}")],
  [1605, t("organization", "turned off single sign-on for organization {}")],
  [1606, t("organization", "turned on Key Connector for organization {}")],
  [1607, t("organization", "turned off Key Connector for organization {}")],
  [1608, t("organization", "synced the Families sponsorships of organization {}")],

  // ---- policy 1700s
  [1700, t("policy", "changed policy {}")],

  // ---- provider user 1800s (a revoke or a restore is an update: Bitwarden has no code for them)
  [1800, t("providerUser", "invited provider user {}")],
  [1801, t("providerUser", "confirmed provider user {}")],
  [1802, t("providerUser", "changed provider user {}")],
  [1803, t("providerUser", "removed provider user {}")],

  // ---- provider organization 1900s: client organizations
  [1900, t("clientOrganization", "created client organization {}")],
  [1901, t("clientOrganization", "added organization {} as a client")],
  [1902, t("clientOrganization", "detached client organization {}")],
  [1903, t("clientOrganization", "accessed the vault of client organization {}")],
]);

/** Bitwarden's policy types (src/Core/AdminConsole/Enums/PolicyType.cs), for naming a policy when only its type is
 * known to the caller. */
export const POLICY_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "Require two-step login"],
  [1, "Master password requirements"],
  [2, "Password generator"],
  [3, "Single organization"],
  [4, "Require single sign-on"],
  [5, "Enforce organization data ownership"],
  [6, "Remove Send"],
  [7, "Send options"],
  [8, "Account recovery administration"],
  [9, "Vault timeout"],
  [10, "Remove individual vault export"],
  [11, "Activate auto-fill"],
  [12, "Automatic login with SSO"],
  [13, "Remove free Bitwarden Families sponsorship"],
  [14, "Remove unlock with PIN"],
  [15, "Remove item types"],
  [16, "Default URI match detection"],
]);

/** Bitwarden's DeviceType (src/Core/Enums/DeviceType.cs) with its display names. */
export const DEVICE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "Android"],
  [1, "iOS"],
  [2, "Chrome Extension"],
  [3, "Firefox Extension"],
  [4, "Opera Extension"],
  [5, "Edge Extension"],
  [6, "Windows"],
  [7, "macOS"],
  [8, "Linux"],
  [9, "Chrome"],
  [10, "Firefox"],
  [11, "Opera"],
  [12, "Edge"],
  [13, "Internet Explorer"],
  [14, "Unknown Browser"],
  [15, "Android (Amazon)"],
  [16, "Windows (UWP)"],
  [17, "Safari"],
  [18, "Vivaldi"],
  [19, "Vivaldi Extension"],
  [20, "Safari Extension"],
  [21, "SDK"],
  [22, "Server"],
  [23, "Windows CLI"],
  [24, "macOS CLI"],
  [25, "Linux CLI"],
  [26, "DuckDuckGo"],
]);
