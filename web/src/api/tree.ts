/** The jurisdiction tree (/api/v1/tree…): nodes, their children page by page, search, changes, the map of a subtree, the CSV export. */
import { api } from './http';
import type { components } from './schema';

type Schemas = components['schemas'];
export type TreeLevel = Schemas['Node']['level'];
export type NodeCounts = Schemas['NodeCounts'];
/** A node as listings show it: no boundary (`hasBoundary` says whether it has one), counts when listed as a child. */
export type NodeSummary = Schemas['NodeSummary'] & { counts?: NodeCounts };
export type NodeView = Schemas['NodeView'];
export type TreeNodeRecord = Schemas['Node'];
export type Contact = NonNullable<Schemas['Node']['contacts']>[number];
export type SubtreeMap = Schemas['SubtreeMap'];
export type MapBoundary = Schemas['MapBoundary'];
export type MapReport = Schemas['MapReport'];
export type MapLevel = 'township' | 'village' | 'grid';
export interface GeoJsonPolygon {
  type: 'Polygon';
  coordinates: number[][][];
}

/** How many children a page asks for: the API's largest page. */
export const CHILDREN_PAGE = 100;

export function getNode(code: string) {
  return api.get('/api/v1/tree/{code}', { path: { code } });
}

export function listChildren(code: string, cursor?: string, limit = CHILDREN_PAGE) {
  return api.get('/api/v1/tree/{code}/children', { path: { code }, query: { cursor, limit: String(limit) } });
}

export function searchTree(q: string, cursor?: string) {
  return api.get('/api/v1/tree', { query: { q, cursor } });
}

export interface NewNode {
  code: string;
  name: string;
  level: TreeLevel;
  parentCode: string;
  boundary?: GeoJsonPolygon;
  contacts?: Contact[];
}

export function createNode(body: NewNode) {
  return api.post('/api/v1/tree', { body });
}

export interface NodeEdit {
  name?: string;
  /** null removes it. */
  boundary?: GeoJsonPolygon | null;
  /** null or [] removes them. */
  contacts?: Contact[] | null;
  /** A new parent moves the node and its subtree. */
  parentCode?: string;
}

export function editNode(code: string, body: NodeEdit) {
  return api.patch('/api/v1/tree/{code}', { path: { code }, body });
}

export function retireNode(code: string, mergeInto?: string) {
  return api.post('/api/v1/tree/{code}/retire', { path: { code }, body: mergeInto ? { mergeInto } : {} });
}

export function getSubtreeMap(code: string, level?: MapLevel) {
  return api.get('/api/v1/tree/{code}/map', { path: { code }, query: { level } });
}

/** The subtree as CSV (the import format), fetched with the bearer like every call, as a file to save. */
export function exportCsv(code: string): Promise<Blob> {
  return api.get('/api/v1/tree/{code}/export.csv', { path: { code }, as: 'blob', headers: { accept: 'text/csv' } }) as Promise<Blob>;
}
