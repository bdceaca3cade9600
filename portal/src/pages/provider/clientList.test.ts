import { describe, expect, it } from "vitest";
import { indexClients, pageOf, planLabel, searchClients, toClientRow, type ClientDetails } from "./clientList";

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

describe("search", () => {
  const index = indexClients(["Contoso", "northwind traders", "Fabrikam", "CONTOSO Labs"].map((name, i) => toClientRow(details(i, name))));

  it("sorts by name and matches any part of it, ignoring case and surrounding spaces", () => {
    expect(index.rows.map((row) => row.name)).toEqual(["Contoso", "CONTOSO Labs", "Fabrikam", "northwind traders"]);
    expect(searchClients(index, "  contoso ").map((row) => row.name)).toEqual(["Contoso", "CONTOSO Labs"]);
    expect(searchClients(index, "TRADERS").map((row) => row.name)).toEqual(["northwind traders"]);
    expect(searchClients(index, "nobody")).toEqual([]);
  });

  it("returns every row for an empty query", () => {
    expect(searchClients(index, "")).toBe(index.rows);
  });
});

describe("paging", () => {
  const many = indexClients(Array.from({ length: 10_000 }, (_, n) => toClientRow(details(n))));

  it("shows one page of ten thousand clients and says where it is", () => {
    const page = pageOf(many.rows, 3, 50);
    expect(page.items).toHaveLength(50);
    expect(page).toMatchObject({ page: 3, pageCount: 200, total: 10_000, first: 151, last: 200 });
  });

  it("clamps a page past either end", () => {
    expect(pageOf(many.rows, 999, 50)).toMatchObject({ page: 199, first: 9951, last: 10_000 });
    expect(pageOf(many.rows, -2, 50).page).toBe(0);
    expect(pageOf([], 4, 50)).toMatchObject({ items: [], page: 0, pageCount: 1, total: 0, first: 0, last: 0 });
  });

  it("searches ten thousand names quickly enough to run on every keystroke", () => {
    const started = performance.now();
    for (let i = 0; i < 20; i++) searchClients(many, `client 9${i}`);
    const perSearch = (performance.now() - started) / 20;
    expect(searchClients(many, "client 9999").map((row) => row.name)).toEqual(["Client 9999"]);
    expect(perSearch).toBeLessThan(25); // generous: a shared 2-core machine; typically well under 1 ms
  });
});
