/**
 * Reports: the listing (its applied filters and cursor paging: the cursors of the pages visited
 * are kept, so "previous page" goes back without the API paging backwards), the categories and the
 * node options its filters offer, and the report open in the detail page (refreshed while it is
 * open), its photos as object URLs, its grid's boundary and the actions taken on it.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type {
  ActionBody,
  Category,
  ReaderAction,
  Report,
  ReportQuery,
  ReportRead,
  ReportStatus,
  Tier,
  TimelineVerdict,
} from '../api/reports';
import * as reportsApi from '../api/reports';
import { useAuthStore } from './auth';

/** The listing's filters as the page holds them; dates are Beijing calendar days (YYYY-MM-DD). */
export interface ReportFilters {
  status?: ReportStatus;
  tier?: Tier;
  category?: string;
  node?: string;
  overdue?: boolean;
  from?: string;
  to?: string;
}

export const PAGE_SIZE = 20;

/** A Beijing calendar day's first and last instant, as the API's ISO times with an offset. */
export function reportQueryOf(filters: ReportFilters, cursor?: string, limit = PAGE_SIZE): ReportQuery {
  return {
    node: filters.node || undefined,
    status: filters.status,
    tier: filters.tier,
    category: filters.category || undefined,
    overdue: filters.overdue ? 'true' : undefined,
    from: filters.from ? `${filters.from}T00:00:00+08:00` : undefined,
    to: filters.to ? `${filters.to}T23:59:59.999+08:00` : undefined,
    cursor,
    limit: String(limit),
  };
}

/** How far the server's clock is ahead of this browser's (TIME_SCALE demos, test clocks): time left is counted on the server's. */
function offsetOf(serverNow: string): number {
  return Date.parse(serverNow) - Date.now();
}

export interface NodeOption {
  value: string;
  label: string;
  leaf: boolean;
}

const PHOTO_ID = /P[0-9A-F]{20}/;
/** How many pages of a node's children the node filter reads (100 each). */
const MAX_CHILD_PAGES = 10;
const WAKES_TIER: ReadonlySet<ReaderAction> = new Set([
  'accept',
  'resolve',
  'escalate',
  'return',
  'remind',
  'request_extension',
  'decide_extension',
  'suspend',
  'resume',
]);

export const useReportsStore = defineStore('reports', () => {
  // ---- the listing ----
  const filters = ref<ReportFilters>({});
  const items = ref<Report[]>([]);
  /** The cursor each visited page was read with (the first page: none). */
  const cursors = ref<(string | undefined)[]>([undefined]);
  const nextCursor = ref<string | null>(null);
  const listLoading = ref(false);
  const listError = ref<string | null>(null);
  const clockOffsetMs = ref(0);
  let listRequest = 0;

  const page = computed(() => cursors.value.length);
  const hasPrevious = computed(() => cursors.value.length > 1);
  const hasNext = computed(() => nextCursor.value !== null);

  async function loadPage(): Promise<void> {
    const request = ++listRequest;
    listLoading.value = true;
    listError.value = null;
    try {
      const answer = await reportsApi.listReports(reportQueryOf(filters.value, cursors.value.at(-1)));
      // A slower answer to an earlier search must not overwrite a later one.
      if (request !== listRequest) return;
      items.value = answer.items;
      nextCursor.value = answer.nextCursor;
      clockOffsetMs.value = offsetOf(answer.now);
    } catch (error) {
      if (request !== listRequest) return;
      items.value = [];
      nextCursor.value = null;
      listError.value = error instanceof Error ? error.message : String(error);
    } finally {
      if (request === listRequest) listLoading.value = false;
    }
  }

  /** Applies new filters from the first page. */
  async function search(next: ReportFilters): Promise<void> {
    filters.value = { ...next };
    cursors.value = [undefined];
    await loadPage();
  }

  async function nextPage(): Promise<void> {
    if (nextCursor.value === null) return;
    cursors.value = [...cursors.value, nextCursor.value];
    await loadPage();
  }

  async function previousPage(): Promise<void> {
    if (cursors.value.length <= 1) return;
    cursors.value = cursors.value.slice(0, -1);
    await loadPage();
  }

  // ---- what the filters offer ----
  const categories = ref<Category[]>([]);
  let categoriesLoaded: Promise<void> | null = null;

  function loadCategories(): Promise<void> {
    categoriesLoaded ??= reportsApi
      .listCategories()
      .then((answer) => {
        categories.value = answer.items;
      })
      .catch((error: unknown) => {
        categoriesLoaded = null;
        throw error;
      });
    return categoriesLoaded;
  }

  /** A category's name by its code (the code itself until the categories are read). */
  const categoryName = computed(() => {
    const names = new Map(categories.value.map((c) => [c.code, c.name]));
    return (code: string): string => names.get(code) ?? code;
  });

  const childrenCache = new Map<string, NodeOption[]>();
  /** The children of a node in the caller's subtree, for the node filter's cascader. */
  async function nodeOptions(code: string): Promise<NodeOption[]> {
    const cached = childrenCache.get(code);
    if (cached) return cached;
    const options: NodeOption[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < MAX_CHILD_PAGES; pages++) {
      const answer = await reportsApi.nodeChildren(code, cursor);
      for (const child of answer.items) {
        if (child.status === 'retired') continue;
        options.push({ value: child.code, label: child.name, leaf: child.level === 'grid' });
      }
      if (!answer.nextCursor) break;
      cursor = answer.nextCursor;
    }
    childrenCache.set(code, options);
    return options;
  }

  // ---- the report open in the detail page ----
  const current = ref<ReportRead | null>(null);
  /** The open report's hash-chain verdict (null until checked, or when the check could not be made). */
  const chain = ref<TimelineVerdict | null>(null);

  /** Checks the open report's timeline against its hash chain; a failed check shows nothing rather than a false alarm. */
  async function verifyChain(id: string): Promise<void> {
    try {
      const verdict = await reportsApi.verifyTimeline(id);
      if (current.value === null || current.value.report.id === id) chain.value = verdict;
    } catch {
      chain.value = null;
    }
  }
  const detailLoading = ref(false);
  const detailError = ref<string | null>(null);
  const detailClockOffsetMs = ref(0);
  let detailRequest = 0;

  /** Reads a report; `quietly` (a refresh while open) keeps what is shown if the read fails. */
  async function loadReport(id: string, options: { quietly?: boolean } = {}): Promise<void> {
    const request = ++detailRequest;
    if (!options.quietly) {
      detailLoading.value = true;
      detailError.value = null;
      if (current.value?.report.id !== id) current.value = null;
    }
    try {
      const answer = await reportsApi.getReport(id);
      if (request !== detailRequest) return;
      current.value = answer;
      detailError.value = null;
      detailClockOffsetMs.value = offsetOf(answer.now);
    } catch (error) {
      if (request !== detailRequest || options.quietly) return;
      detailError.value = error instanceof Error ? error.message : String(error);
    } finally {
      if (request === detailRequest) detailLoading.value = false;
    }
  }

  /**
   * Acts on the open report as its reader saw it: the tier and assignment travel with the action,
   * so a report that moved on meanwhile answers 409 instead of acting on something else. Throws
   * the API's error (its message already in the reader's language); reads the report again after.
   */
  async function act(
    action: ReaderAction,
    input: { note?: string; public?: boolean; extraHours?: number; approved?: boolean; satisfied?: boolean } = {},
  ): Promise<void> {
    const read = current.value;
    if (!read) throw new Error('no report is open');
    const body: ActionBody = { action };
    const note = input.note?.trim();
    if (note) body.note = note;
    if (input.public && note) body.public = true;
    // 延期 hours, its decision and the 回访 answer go only with the actions they belong to.
    if (action === 'request_extension' && input.extraHours !== undefined) body.extraHours = input.extraHours;
    if (action === 'decide_extension' && input.approved !== undefined) body.approved = input.approved;
    if (action === 'review' && input.satisfied !== undefined) body.satisfied = input.satisfied;
    if (WAKES_TIER.has(action)) {
      body.tier = read.report.tier;
      if (read.report.tierSeq !== undefined) body.tierSeq = read.report.tierSeq;
    }
    await reportsApi.actOnReport(read.report.id, body);
    await loadReport(read.report.id, { quietly: true });
  }

  const photoUrls = ref<Record<string, string>>({});
  const photoFailures = ref<string[]>([]);
  /** Moves on when photos are released: a fetch that lands after that frees its URL at once. */
  let photoGeneration = 0;

  /** Fetches the photos a report cites (with the bearer token) and shows them by object URL. */
  async function loadPhotos(refs: readonly string[]): Promise<void> {
    const ids = new Set(refs.map((photoRef) => PHOTO_ID.exec(photoRef)?.[0]).filter((id): id is string => id !== undefined));
    await Promise.all(
      [...ids].map(async (id) => {
        if (photoUrls.value[id]) return;
        const generation = photoGeneration;
        try {
          const blob = await reportsApi.photoBlob(id);
          const url = URL.createObjectURL(blob);
          if (generation !== photoGeneration) URL.revokeObjectURL(url);
          else photoUrls.value = { ...photoUrls.value, [id]: url };
        } catch {
          if (generation === photoGeneration) photoFailures.value = [...photoFailures.value, id];
        }
      }),
    );
  }

  /** Frees the photos' memory when the page is left. */
  function releasePhotos(): void {
    photoGeneration++;
    for (const url of Object.values(photoUrls.value)) URL.revokeObjectURL(url);
    photoUrls.value = {};
    photoFailures.value = [];
  }

  /**
   * The outer ring ([lng, lat]) of the report's grid, when the reader may read the grid: admins
   * whose scope holds it (the tree answers others 403, which is not worth asking for). Null: the
   * map shows the point alone.
   */
  async function gridBoundary(report: Report): Promise<[number, number][] | null> {
    const user = useAuthStore().user;
    const path = [report.countyCode, report.townshipCode, report.villageCode, report.gridCode];
    const admin = user?.role === 'county_admin' || user?.role === 'township_admin' || user?.role === 'village_admin';
    if (!user || !admin || !path.includes(user.scope)) return null;
    try {
      const view = await reportsApi.getNode(report.gridCode);
      const ring = view.node.boundary?.coordinates?.[0];
      return Array.isArray(ring) ? (ring as [number, number][]) : null;
    } catch {
      return null;
    }
  }

  function closeReport(): void {
    detailRequest++;
    current.value = null;
    chain.value = null;
    detailError.value = null;
    releasePhotos();
  }

  return {
    filters,
    items,
    cursors,
    nextCursor,
    listLoading,
    listError,
    clockOffsetMs,
    page,
    hasPrevious,
    hasNext,
    search,
    nextPage,
    previousPage,
    reload: loadPage,
    categories,
    loadCategories,
    categoryName,
    nodeOptions,
    current,
    chain,
    verifyChain,
    detailLoading,
    detailError,
    detailClockOffsetMs,
    loadReport,
    act,
    photoUrls,
    photoFailures,
    loadPhotos,
    releasePhotos,
    gridBoundary,
    closeReport,
  };
});
