import { describe, expect, it } from "vitest";
import { firstPage, nextPage, pageSpan, planLabel, previousPage, tokenOf, toClientRow, type ClientDetails } from "./clientList";

function details(n: number, name = `Client ${n}`): ClientDetails {
  return {
    id: `link-${n}`,
    organizationId: `org-${n}`,
    organizationName: name,
    plan: n % 2 ? "Teams (Monthly)" : "Enterprise (Monthly)",
    planType: n % 2 ? 17 : 19,
    seats: 10,
    occupiedSeats: n % 10,
    userCount: 1,
    status: 2,
    settings: JSON.stringify({ providerAccessToItems: n % 3 !== 0 }),
  };
}

describe("client rows", () => {
  it("shows seats used and seats, the plan without its billing period, the status and the item-access setting", () => {
    const row = toClientRow(details(3, "Contoso"));
    expect(row).toEqual({
      id: "link-3",
      organizationId: "org-3",
      name: "Contoso",
      plan: "Teams",
      planType: 17,
      seats: 10,
      seatsUsed: 3,
      status: "Managed",
      providerAccessToItems: false,
    });
    expect(toClientRow(details(4), false).status).toBe("Disabled");
  });

  it("reads absent or unreadable settings as the server's default, access on", () => {
    expect(toClientRow({ ...details(3), settings: null }).providerAccessToItems).toBe(true);
    expect(toClientRow({ ...details(3), settings: "{not json" }).providerAccessToItems).toBe(true);
    expect(planLabel("Enterprise (Annually)")).toBe("Enterprise");
  });
});

describe("paging", () => {
  it("says where a page of ten thousand clients sits", () => {
    expect(pageSpan(3, 50, 10_000, 50)).toEqual({ page: 3, pageCount: 200, total: 10_000, first: 151, last: 200 });
    expect(pageSpan(199, 50, 10_000, 50)).toMatchObject({ first: 9951, last: 10_000 });
    expect(pageSpan(0, 1, 1, 50)).toEqual({ page: 0, pageCount: 1, total: 1, first: 1, last: 1 });
    expect(pageSpan(0, 0, 0, 50)).toEqual({ page: 0, pageCount: 1, total: 0, first: 0, last: 0 });
  });

  it("keeps the token that opens each page seen, forwards and back", () => {
    expect(tokenOf(firstPage)).toBeNull();
    const second = nextPage(firstPage, "t1");
    const third = nextPage(second, "t2");
    expect([second.page, tokenOf(second), third.page, tokenOf(third)]).toEqual([1, "t1", 2, "t2"]);
    expect(previousPage(third)).toEqual(second);
    expect(previousPage(previousPage(third))).toEqual({ tokens: [null], page: 0 });
    expect(previousPage(firstPage)).toBe(firstPage);
    expect(nextPage(third, null)).toBe(third); // the last page has no next
    expect(nextPage(previousPage(third), "t2b")).toEqual({ tokens: [null, "t1", "t2b"], page: 2 });
  });
});
