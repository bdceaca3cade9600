/**
 * The date window of an event-log page, as `<input type="datetime-local">` values (local time, minutes), and the
 * `start`/`end` query the audit endpoints take (UTC ISO). Like Bitwarden's web vault: the last 30 days by default,
 * the end inclusive to the last millisecond of its minute. The server refuses more than 367 days.
 */

export interface DateRange {
  /** "YYYY-MM-DDTHH:mm", local time. */
  readonly start: string;
  readonly end: string;
}

export type RangeQuery = { ok: true; start: string; end: string } | { ok: false; error: string };

const DAY_MS = 86_400_000;
const MAX_DAYS = 367;
const DEFAULT_DAYS = 30;

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** A Date as a datetime-local value (local time). */
export function toLocalInput(moment: Date): string {
  return (
    `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}` +
    `T${pad(moment.getHours())}:${pad(moment.getMinutes())}`
  );
}

export function defaultRange(now: Date = new Date()): DateRange {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate() - DEFAULT_DAYS, 0, 0);
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 23, 59);
  return { start: toLocalInput(start), end: toLocalInput(end) };
}

function parseLocal(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (match === null) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const moment = new Date(year, month - 1, day, hour, minute);
  return Number.isNaN(moment.getTime()) ? null : moment;
}

export function rangeQuery(range: DateRange): RangeQuery {
  const start = parseLocal(range.start);
  const end = parseLocal(range.end);
  if (start === null) return { ok: false, error: "Enter a start date and time." };
  if (end === null) return { ok: false, error: "Enter an end date and time." };
  const inclusiveEnd = new Date(end.getTime() + 59_999);
  if (start.getTime() > inclusiveEnd.getTime()) return { ok: false, error: "The start date must be before the end date." };
  if (inclusiveEnd.getTime() - start.getTime() > MAX_DAYS * DAY_MS) {
    return { ok: false, error: `Choose a range of at most ${MAX_DAYS} days.` };
  }
  return { ok: true, start: start.toISOString(), end: inclusiveEnd.toISOString() };
}
