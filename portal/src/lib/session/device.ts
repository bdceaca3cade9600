/** This browser as a Bitwarden device: a random id kept in localStorage (not a secret), a type and a name. */
import type { Device } from "../api/identity";

const DEVICE_ID_KEY = "mspvault.deviceId";

// Bitwarden DeviceType numbers for web browsers.
const BROWSERS: Array<[RegExp, number, string]> = [
  [/Edg\//, 12, "Edge"],
  [/Firefox\//, 10, "Firefox"],
  [/OPR\//, 11, "Opera"],
  [/Chrome\//, 9, "Chrome"],
  [/Safari\//, 17, "Safari"],
];

export function browserDevice(storage: Pick<Storage, "getItem" | "setItem"> | null, userAgent: string): Device {
  let identifier = storage?.getItem(DEVICE_ID_KEY) ?? null;
  if (identifier === null) {
    identifier = crypto.randomUUID();
    storage?.setItem(DEVICE_ID_KEY, identifier);
  }
  const [, type, name] = BROWSERS.find(([pattern]) => pattern.test(userAgent)) ?? [null, 14, "Browser"];
  return { identifier, type, name: `MSPVault portal (${name})` };
}
