/**
 * The jurisdiction tree as the grid page shows it: the caller's subtree (the root is their scope
 * node), loaded lazily — expanding a node loads its children a page at a time — and flattened into
 * the rows a virtual list draws. A prefecture has 21,544 grids, so the nodes live in a plain Map
 * (not deep-reactive: 20,000 proxies cost more than the rows they feed) and one revision counter
 * tells Vue when the flattened rows must be rebuilt. Also the node page's node (path, counts,
 * officers) and the changes made from it, each followed by a reload of what it touched.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { NewNode, NodeEdit, NodeSummary, NodeView } from '../api/tree';
import * as treeApi from '../api/tree';

interface Children {
  codes: string[];
  nextCursor: string | null;
  /** The last page failed: the "more" row offers to try again. */
  failed: boolean;
}

interface RowBase {
  key: string;
  depth: number;
  /** Position among its siblings, from 1 (aria-posinset). */
  posinset: number;
  /** Siblings in all, -1 while more pages are to come (aria-setsize). */
  setsize: number;
}

export interface TreeNodeRow extends RowBase {
  kind: 'node';
  code: string;
  node: NodeSummary;
  parentCode: string | null;
  expandable: boolean;
  expanded: boolean;
  loading: boolean;
}

/** The row after a page of children with more to come (or whose next page failed). */
export interface TreeMoreRow extends RowBase {
  kind: 'more';
  parentCode: string;
  loading: boolean;
  failed: boolean;
}

export type TreeRow = TreeNodeRow | TreeMoreRow;

/** A listing's summary of a node read whole (the node page's view): the boundary is left to the node page. */
function summaryOf(view: NodeView): NodeSummary {
  const { boundary, ...node } = view.node;
  return { ...node, hasBoundary: boundary !== undefined, counts: view.counts };
}

/** How many search results to gather before showing them (a page of the search may be short). */
const SEARCH_TARGET = 20;
const SEARCH_ROUNDS = 5;

export const useTreeStore = defineStore('tree', () => {
  const nodes = new Map<string, NodeSummary>();
  const children = new Map<string, Children>();
  const inFlight = new Map<string, Promise<void>>();
  const expanded = new Set<string>();
  /** Bumped on every change to the maps above: the rows depend on it alone. */
  const revision = ref(0);
  const touch = () => {
    revision.value++;
  };

  const rootCode = ref<string | null>(null);
  const rootError = ref<string | null>(null);
  const activeCode = ref<string | null>(null);
  /** Bumped when the tree should scroll its active row into view (a search result revealed). */
  const revealed = ref(0);

  const rows = computed<TreeRow[]>(() => {
    void revision.value;
    const out: TreeRow[] = [];
    const root = rootCode.value;
    if (!root || !nodes.has(root)) return out;
    const visit = (code: string, parentCode: string | null, depth: number, posinset: number, setsize: number) => {
      const node = nodes.get(code);
      if (!node) return;
      const kids = children.get(code);
      const isOpen = expanded.has(code);
      out.push({
        kind: 'node',
        key: code,
        code,
        node,
        parentCode,
        depth,
        posinset,
        setsize,
        expandable: node.level !== 'grid' && (node.counts?.children ?? 1) + (kids?.codes.length ?? 0) > 0,
        expanded: isOpen,
        loading: inFlight.has(code) && !kids,
      });
      if (!isOpen || !kids) return;
      const size = kids.nextCursor ? -1 : kids.codes.length;
      kids.codes.forEach((child, i) => {
        visit(child, code, depth + 1, i + 1, size);
      });
      if (kids.nextCursor || kids.failed) {
        out.push({
          kind: 'more',
          key: `${code}/more`,
          parentCode: code,
          depth: depth + 1,
          posinset: kids.codes.length + 1,
          setsize: size,
          loading: inFlight.has(code),
          failed: kids.failed,
        });
      }
    };
    visit(root, null, 0, 1, 1);
    return out;
  });

  function nodeOf(code: string): NodeSummary | undefined {
    void revision.value;
    return nodes.get(code);
  }

  function isExpanded(code: string): boolean {
    void revision.value;
    return expanded.has(code);
  }

  /** Loads the next page of a node's children (the first, if none is loaded). One load per node at a time. */
  function loadMore(code: string): Promise<void> {
    const running = inFlight.get(code);
    if (running) return running;
    const known = children.get(code);
    if (known && !known.nextCursor && !known.failed) return Promise.resolve();
    const load = (async () => {
      try {
        const page = await treeApi.listChildren(code, known?.nextCursor ?? undefined);
        const current = children.get(code) ?? { codes: [], nextCursor: null, failed: false };
        const seen = new Set(current.codes);
        for (const item of page.items) {
          nodes.set(item.code, item);
          if (!seen.has(item.code)) current.codes.push(item.code);
        }
        children.set(code, { codes: current.codes, nextCursor: page.nextCursor, failed: false });
      } catch (error) {
        const current = children.get(code) ?? { codes: [], nextCursor: null, failed: false };
        children.set(code, { ...current, failed: true });
        throw error;
      } finally {
        inFlight.delete(code);
        touch();
      }
    })();
    inFlight.set(code, load);
    touch();
    return load;
  }

  async function expand(code: string): Promise<void> {
    const node = nodes.get(code);
    if (!node || node.level === 'grid') return;
    expanded.add(code);
    touch();
    if (!children.has(code)) await loadMore(code);
  }

  function collapse(code: string): void {
    expanded.delete(code);
    touch();
  }

  function toggle(code: string): Promise<void> {
    if (expanded.has(code)) {
      collapse(code);
      return Promise.resolve();
    }
    return expand(code);
  }

  /** Shows the subtree of the caller's scope, its first level open. Again for the same scope: keeps what is loaded. */
  async function start(scope: string): Promise<void> {
    if (rootCode.value === scope && nodes.has(scope)) return;
    nodes.clear();
    children.clear();
    expanded.clear();
    rootCode.value = scope;
    rootError.value = null;
    activeCode.value = scope;
    touch();
    try {
      const view = await treeApi.getNode(scope);
      nodes.set(scope, summaryOf(view));
      touch();
      await expand(scope);
    } catch (error) {
      rootError.value = error instanceof Error ? error.message : String(error);
    }
  }

  /** Opens the path down to a node (loading the pages of children it needs) and makes it the active row. */
  async function reveal(target: Pick<NodeSummary, 'code' | 'path'>): Promise<void> {
    const root = rootCode.value;
    const from = root ? target.path.indexOf(root) : -1;
    if (from < 0) return;
    for (let i = from; i < target.path.length - 1; i++) {
      const parent = target.path[i] as string;
      const child = target.path[i + 1] as string;
      expanded.add(parent);
      touch();
      if (!children.has(parent)) await loadMore(parent);
      while (!children.get(parent)?.codes.includes(child) && children.get(parent)?.nextCursor) await loadMore(parent);
    }
    activeCode.value = target.code;
    revealed.value++;
  }

  // ---- search ----
  const searchResults = shallowRef<NodeSummary[]>([]);
  const searching = ref(false);
  const searchedFor = ref('');

  async function search(q: string): Promise<NodeSummary[]> {
    const text = q.trim();
    searchedFor.value = text;
    if (!text) {
      searchResults.value = [];
      return [];
    }
    searching.value = true;
    try {
      const found: NodeSummary[] = [];
      let cursor: string | undefined;
      for (let round = 0; round < SEARCH_ROUNDS && found.length < SEARCH_TARGET; round++) {
        const page = await treeApi.searchTree(text, cursor);
        found.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      // A later search may have started meanwhile: only the latest one's answer stays.
      if (searchedFor.value === text) searchResults.value = found;
      return found;
    } finally {
      searching.value = false;
    }
  }

  // ---- the node page ----
  const current = shallowRef<NodeView | null>(null);
  const currentLoading = ref(false);
  const currentError = ref<string | null>(null);

  async function openNode(code: string): Promise<void> {
    currentLoading.value = true;
    currentError.value = null;
    if (current.value?.node.code !== code) current.value = null;
    try {
      const view = await treeApi.getNode(code);
      current.value = view;
      nodes.set(code, { ...(nodes.get(code) ?? {}), ...summaryOf(view) });
      activeCode.value = code;
      touch();
    } catch (error) {
      currentError.value = error instanceof Error ? error.message : String(error);
    } finally {
      currentLoading.value = false;
    }
  }

  /** Reads a node again (its counts) and, if its children were loaded, their first page again. */
  async function refreshNode(code: string): Promise<void> {
    const view = await treeApi.getNode(code);
    nodes.set(code, summaryOf(view));
    if (current.value?.node.code === code) current.value = view;
    const hadChildren = children.delete(code);
    touch();
    if (hadChildren || expanded.has(code)) await loadMore(code);
  }

  /** Everything loaded, read again (after an import, which may touch any node): the open nodes stay open. */
  async function reloadAll(): Promise<void> {
    const root = rootCode.value;
    if (!root) return;
    const open = [...expanded].filter((code) => nodes.has(code));
    children.clear();
    touch();
    const view = await treeApi.getNode(root);
    nodes.set(root, summaryOf(view));
    touch();
    const byDepth = new Map<number, string[]>();
    for (const code of open) {
      const depth = nodes.get(code)?.path.length ?? 0;
      byDepth.set(depth, [...(byDepth.get(depth) ?? []), code]);
    }
    for (const depth of [...byDepth.keys()].sort((a, b) => a - b)) {
      // A node whose parent's first page no longer lists it is left closed.
      await Promise.all((byDepth.get(depth) ?? []).filter((code) => nodes.has(code)).map((code) => loadMore(code).catch(() => undefined)));
    }
    if (current.value) await openNode(current.value.node.code);
  }

  async function createChild(body: NewNode) {
    const created = await treeApi.createNode(body);
    await refreshNode(body.parentCode);
    expanded.add(body.parentCode);
    touch();
    return created;
  }

  /** Edits a node; a new parentCode moves it, and both parents are read again. */
  async function edit(code: string, changes: NodeEdit) {
    const before = nodes.get(code) ?? current.value?.node;
    const saved = await treeApi.editNode(code, changes);
    const oldParent = before?.parentCode ?? null;
    const moved = changes.parentCode !== undefined && changes.parentCode !== oldParent;
    if (moved) {
      if (oldParent && nodes.has(oldParent)) await refreshNode(oldParent).catch(() => undefined);
      if (changes.parentCode && nodes.has(changes.parentCode)) await refreshNode(changes.parentCode).catch(() => undefined);
    }
    if (current.value?.node.code === code) await openNode(code);
    else if (nodes.has(code)) await refreshNode(code).catch(() => undefined);
    return saved;
  }

  /** Retires a node, or merges it into a sibling; its parent (and the sibling) are read again. */
  async function retire(code: string, mergeInto?: string) {
    const parent = nodes.get(code)?.parentCode ?? current.value?.node.parentCode ?? null;
    const saved = await treeApi.retireNode(code, mergeInto);
    if (parent && nodes.has(parent)) await refreshNode(parent).catch(() => undefined);
    if (mergeInto && nodes.has(mergeInto)) await refreshNode(mergeInto).catch(() => undefined);
    if (current.value?.node.code === code) await openNode(code);
    return saved;
  }

  function exportCsv(code: string): Promise<Blob> {
    return treeApi.exportCsv(code);
  }

  /** The children of a node, a page at a time, for pickers (a new parent, a sibling to merge into). */
  function listChildrenPage(code: string, cursor?: string) {
    return treeApi.listChildren(code, cursor);
  }

  function setActive(code: string | null): void {
    activeCode.value = code;
  }

  return {
    rootCode,
    rootError,
    rows,
    activeCode,
    revealed,
    nodeOf,
    isExpanded,
    start,
    expand,
    collapse,
    toggle,
    loadMore,
    reveal,
    setActive,
    searchResults,
    searching,
    searchedFor,
    search,
    current,
    currentLoading,
    currentError,
    openNode,
    refreshNode,
    reloadAll,
    createChild,
    edit,
    retire,
    exportCsv,
    listChildrenPage,
  };
});
