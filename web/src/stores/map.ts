/**
 * The map the map page and the node page draw: a node's boundaries at a level and its open reports
 * (GET /api/v1/tree/{code}/map), split into what is drawn and what is listed. The level a map asks
 * for is the one below the node (a county's townships, a township's villages, a village's grids),
 * unless the reader picks another.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { ApiError } from '../api/client';
import type { MapBoundary, MapLevel, MapReport, SubtreeMap, TreeLevel } from '../api/tree';
import * as treeApi from '../api/tree';

/** The level drawn by default for a node of each level. */
export const DEFAULT_MAP_LEVEL: Record<TreeLevel, MapLevel> = { county: 'township', township: 'village', village: 'grid', grid: 'grid' };

/** The levels a node of each level may be drawn at. */
export const MAP_LEVELS_FOR: Record<TreeLevel, MapLevel[]> = {
  county: ['township', 'village', 'grid'],
  township: ['village', 'grid'],
  village: ['grid'],
  grid: ['grid'],
};

const COARSER: Record<MapLevel, MapLevel | null> = { grid: 'village', village: 'township', township: null };

export const useMapStore = defineStore('map', () => {
  const map = shallowRef<SubtreeMap | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** What the last load asked for. */
  const code = ref<string | null>(null);
  const level = ref<MapLevel | null>(null);
  /** The level first asked for, when it held too much to draw and a coarser one was drawn instead. */
  const tooLargeAt = ref<MapLevel | null>(null);
  let generation = 0;

  const boundaries = computed(() => (map.value?.features ?? []).filter((f): f is MapBoundary => f.properties.kind !== 'report'));
  const reports = computed(() => (map.value?.features ?? []).filter((f): f is MapReport => f.properties.kind === 'report'));
  const overdueCount = computed(() => reports.value.filter((r) => r.properties.overdue).length);

  /**
   * Loads a node's map at a level (the API's default, grids, when none is given). With `coarser`,
   * a level that holds too much to draw (MAP.TOO_LARGE) gives way to the next one up, and
   * `tooLargeAt` says so.
   */
  async function load(node: string, at?: MapLevel, options: { coarser?: boolean } = {}): Promise<void> {
    const own = ++generation;
    code.value = node;
    level.value = at ?? null;
    tooLargeAt.value = null;
    loading.value = true;
    error.value = null;
    if (map.value?.node.code !== node) map.value = null;
    try {
      let asked: MapLevel = at ?? 'grid';
      let answer: SubtreeMap | null = null;
      while (!answer) {
        try {
          answer = await treeApi.getSubtreeMap(node, asked);
        } catch (thrown) {
          const next = COARSER[asked];
          if (!options.coarser || !(thrown instanceof ApiError) || thrown.code !== 'MAP.TOO_LARGE' || !next) throw thrown;
          tooLargeAt.value ??= asked;
          asked = next;
        }
      }
      if (own !== generation) return;
      map.value = answer;
      level.value = answer.level as MapLevel;
    } catch (thrown) {
      if (own !== generation) return;
      map.value = null;
      error.value = thrown instanceof Error ? thrown.message : String(thrown);
    } finally {
      if (own === generation) loading.value = false;
    }
  }

  return { map, loading, error, code, level, tooLargeAt, boundaries, reports, overdueCount, load };
});
