import { describe, expect, it } from "vitest";
import { defaultRange, rangeQuery, toLocalInput } from "./range";

describe("event log date range", () => {
  it("defaults to 00:00 thirty days ago through 23:59 today, local time", () => {
    const range = defaultRange(new Date(2026, 11, 2, 14, 30));
    expect(range).toEqual({ start: "2026-11-02T00:00", end: "2026-12-02T23:59" });
  });

  it("sends UTC bounds with an end inclusive to its last millisecond", () => {
    const query = rangeQuery({ start: "2026-11-02T00:00", end: "2026-12-02T23:59" });
    expect(query.ok).toBe(true);
    if (!query.ok) return;
    expect(new Date(query.start).getTime()).toBe(new Date(2026, 10, 2, 0, 0).getTime());
    expect(new Date(query.end).getTime()).toBe(new Date(2026, 11, 2, 23, 59, 59, 999).getTime());
  });

  it("refuses an inverted range, a missing bound and more than 367 days", () => {
    expect(rangeQuery({ start: "2026-12-03T00:00", end: "2026-12-02T23:59" })).toEqual({
      ok: false,
      error: "The start date must be before the end date.",
    });
    expect(rangeQuery({ start: "", end: "2026-12-02T23:59" }).ok).toBe(false);
    expect(rangeQuery({ start: "2025-01-01T00:00", end: "2026-12-02T23:59" }).ok).toBe(false);
  });

  it("formats a Date as a datetime-local value", () => {
    expect(toLocalInput(new Date(2026, 0, 5, 7, 3))).toBe("2026-01-05T07:03");
  });
});
