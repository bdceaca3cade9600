// Folders and collections nest by name only: "Parent/Child" splits on "/", leading and trailing "/" trimmed
// (portal-ux §2.1, §3.1). A parent that does not exist itself becomes a node without an id.

export interface Named {
  id: string;
  name: string;
}

export interface TreeNode<T extends Named> {
  /** The last segment of the name, shown in the tree. */
  label: string;
  /** The whole path, as stored. */
  path: string;
  item: T | null;
  children: TreeNode<T>[];
}

export function pathParts(name: string): string[] {
  return name
    .replace(/^\/+|\/+$/g, "")
    .split("/")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

export function buildTree<T extends Named>(items: readonly T[]): TreeNode<T>[] {
  const roots: TreeNode<T>[] = [];
  const sorted = [...items].sort((a, b) => collator.compare(a.name, b.name));
  for (const item of sorted) {
    const parts = pathParts(item.name);
    if (parts.length === 0) parts.push(item.name);
    let level = roots;
    let node: TreeNode<T> | undefined;
    parts.forEach((part, depth) => {
      const path = parts.slice(0, depth + 1).join("/");
      node = level.find((candidate) => candidate.label === part && candidate.item?.id !== item.id);
      const isLast = depth === parts.length - 1;
      if (node === undefined || (isLast && node.item !== null)) {
        node = { label: part, path, item: null, children: [] };
        level.push(node);
      }
      if (isLast) node.item = item;
      level = node.children;
    });
  }
  sortLevel(roots);
  return roots;
}

function sortLevel<T extends Named>(level: TreeNode<T>[]): void {
  level.sort((a, b) => collator.compare(a.label, b.label));
  for (const node of level) sortLevel(node.children);
}

/** Every item id at this node and below (a virtual parent selects its whole subtree). */
export function idsUnder<T extends Named>(node: TreeNode<T>): string[] {
  const ids: string[] = node.item ? [node.item.id] : [];
  for (const child of node.children) ids.push(...idsUnder(child));
  return ids;
}

/** Depth-first, with the depth, for rendering a tree as an indented list. */
export function flatten<T extends Named>(nodes: readonly TreeNode<T>[], depth = 0): { node: TreeNode<T>; depth: number }[] {
  return nodes.flatMap((node) => [{ node, depth }, ...flatten(node.children, depth + 1)]);
}

/** "Parent/Child" from a parent path and a short name, as the collection dialog saves it. */
export function joinPath(parent: string | null, name: string): string {
  const leaf = name.trim().replace(/^\/+|\/+$/g, "");
  return parent ? `${pathParts(parent).join("/")}/${leaf}` : leaf;
}

/** Split a full name back into (parent path, leaf) for editing. */
export function splitPath(name: string): { parent: string | null; leaf: string } {
  const parts = pathParts(name);
  const leaf = parts.pop() ?? name;
  return { parent: parts.length ? parts.join("/") : null, leaf };
}
