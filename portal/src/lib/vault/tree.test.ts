import { describe, expect, it } from "vitest";
import { buildTree, flatten, idsUnder, joinPath, pathParts, splitPath } from "./tree";

describe("collection and folder trees", () => {
  it("nest on '/', trimming leading and trailing slashes, with virtual parents", () => {
    const tree = buildTree([
      { id: "3", name: "Servers/Linux/Web" },
      { id: "1", name: "Servers" },
      { id: "4", name: "/Clients/" },
      { id: "5", name: "Network/Switches" },
    ]);
    expect(flatten(tree).map(({ node, depth }) => [node.label, depth, node.item?.id ?? null])).toEqual([
      ["Clients", 0, "4"],
      ["Network", 0, null],
      ["Switches", 1, "5"],
      ["Servers", 0, "1"],
      ["Linux", 1, null],
      ["Web", 2, "3"],
    ]);
    const servers = tree.find((n) => n.label === "Servers");
    expect(servers && idsUnder(servers).sort()).toEqual(["1", "3"]);
  });

  it("keeps two collections with the same name apart", () => {
    const tree = buildTree([
      { id: "a", name: "Dup" },
      { id: "b", name: "Dup" },
    ]);
    expect(tree.map((n) => n.item?.id).sort()).toEqual(["a", "b"]);
  });

  it("join and split a parent path and a leaf", () => {
    expect(joinPath("Servers/Linux", "Web")).toBe("Servers/Linux/Web");
    expect(joinPath(null, " Web/ ")).toBe("Web");
    expect(splitPath("Servers/Linux/Web")).toEqual({ parent: "Servers/Linux", leaf: "Web" });
    expect(splitPath("Top")).toEqual({ parent: null, leaf: "Top" });
    expect(pathParts("//a//b/")).toEqual(["a", "b"]);
  });
});
