import { describe, expect, it } from "vitest";
import { applyFilters, type Filterable, selectionLabel } from "./filters";

const item = (over: Partial<Filterable>): Filterable => ({
  type: 1,
  organizationId: null,
  folderId: null,
  collectionIds: [],
  favorite: false,
  deleted: false,
  name: "x",
  subtitle: "",
  ...over,
});

const items = [
  item({ name: "Personal login" }),
  item({ name: "Fav card", type: 3, favorite: true, folderId: "f1" }),
  item({ name: "Org server", organizationId: "o1", collectionIds: ["c1"], subtitle: "root" }),
  item({ name: "Trashed", deleted: true, organizationId: "o1", collectionIds: ["c1"] }),
];
const names = (found: Filterable[]) => found.map((i) => i.name);

describe("vault filters", () => {
  it("show everything but the trash under All items, and only the trash under Trash", () => {
    expect(names(applyFilters(items, "all", { kind: "all" }, ""))).toEqual(["Personal login", "Fav card", "Org server"]);
    expect(names(applyFilters(items, "all", { kind: "trash" }, ""))).toEqual(["Trashed"]);
  });

  it("filter by owner, favorites, type, folder and collection", () => {
    expect(names(applyFilters(items, "personal", { kind: "all" }, ""))).toEqual(["Personal login", "Fav card"]);
    expect(names(applyFilters(items, "o1", { kind: "all" }, ""))).toEqual(["Org server"]);
    expect(names(applyFilters(items, "all", { kind: "favorites" }, ""))).toEqual(["Fav card"]);
    expect(names(applyFilters(items, "all", { kind: "type", type: 3 }, ""))).toEqual(["Fav card"]);
    expect(names(applyFilters(items, "all", { kind: "folder", folderId: null }, ""))).toEqual(["Personal login", "Org server"]);
    expect(names(applyFilters(items, "all", { kind: "folder", folderId: "f1" }, ""))).toEqual(["Fav card"]);
    expect(names(applyFilters(items, "all", { kind: "collection", collectionIds: ["c1"], label: "S" }, ""))).toEqual(["Org server"]);
  });

  it("search names and subtitles, case-insensitively", () => {
    expect(names(applyFilters(items, "all", { kind: "all" }, "ROOT"))).toEqual(["Org server"]);
    expect(names(applyFilters(items, "all", { kind: "all" }, "card"))).toEqual(["Fav card"]);
  });

  it("name a folder selection by the folder's name, the word Folder only while the name is unknown", () => {
    const folders = new Map([["f1", "Work/Servers"]]);
    expect(selectionLabel({ kind: "folder", folderId: "f1" }, (id) => folders.get(id))).toBe("Work/Servers");
    expect(selectionLabel({ kind: "folder", folderId: "gone" }, (id) => folders.get(id))).toBe("Folder");
    expect(selectionLabel({ kind: "folder", folderId: null }, (id) => folders.get(id))).toBe("No folder");
  });
});
