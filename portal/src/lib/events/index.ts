export { DEVICE_NAMES, EVENT_TEMPLATES, POLICY_NAMES, type EventTemplate, type Subject } from "./codes";
export {
  describeEvent,
  deviceName,
  isKnownEventCode,
  shortId,
  type AuditEvent,
  type DescribedEvent,
  type EventNames,
  type Reference,
  type ReferenceKind,
} from "./describe";
export { defaultRange, rangeQuery, type DateRange, type RangeQuery } from "./range";
