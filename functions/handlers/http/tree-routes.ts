/**
 * /api/v1/tree: the jurisdiction tree for the admins who manage it. Read a node (path, counts,
 * officers, vacancy), list its children, search the caller's subtree, create, edit, move (a new
 * parentCode), retire or merge (撤并). Boundaries travel as GeoJSON Polygons; the rules are the
 * core's (core/tree.ts, core/boundary.ts, core/tree-changes.ts, use-cases/tree.ts).
 */
import * as z from 'zod';
import { MAX_BOUNDARY_POSITIONS, polygonOf } from '#core/boundary.ts';
import { NODE_LEVELS } from '#core/tree.ts';
import { MAX_CONTACTS } from '#core/tree-changes.ts';
import { MAP_LEVELS, MAX_MAP_BOUNDARIES, MAX_MAP_POSITIONS, MAX_MAP_REPORTS } from '#core/tree-map.ts';
import { createNode, editNode, listNodeChildren, readNode, retireNode, searchTree } from '#core/use-cases/tree.ts';
import { mapOfSubtree } from '#core/use-cases/tree-map.ts';
import type { StoredNode, StoredPerson } from '#ports/directory.ts';
import { authenticate, json, parseJsonBody, parseQuery, pathParameter, route } from './http.ts';
import { errorResponses, query, ref } from './openapi-kit.ts';
import type { RouteModule } from './routes.ts';
import { code, pageLimit, singleLine } from './schemas.ts';

const NODE_CODE = /^[A-Za-z0-9_-]{1,40}$/;

/** Shapes only: the core says what is wrong with a ring (holes, not closed, out of range, too many positions). */
const polygon = z
  .strictObject({
    type: z.literal('Polygon'),
    coordinates: z
      .array(z.array(z.array(z.number()).max(3)).max(MAX_BOUNDARY_POSITIONS * 4))
      .max(100)
      .describe('[[[lng, lat], …]]: one closed ring (first = last), at least 4 and at most 5,000 positions, no holes'),
  })
  .describe('a GeoJSON Polygon');

const contacts = z
  .array(
    z.strictObject({
      label: singleLine(40),
      name: singleLine(40).optional(),
      phone: z.string().max(30).describe('a mobile (E.164, or 11 digits) or a landline with its area code (0772-4361234)'),
    }),
  )
  .max(MAX_CONTACTS);

export const createNodeBody = z.strictObject({
  code: z.string().min(1).max(40).describe('county 6 digits; township, village and grid each extend the parent’s by 3'),
  name: singleLine(50),
  level: z.enum(NODE_LEVELS),
  parentCode: code,
  boundary: polygon.optional(),
  contacts: contacts.optional(),
});

export const editNodeBody = z.strictObject({
  name: singleLine(50).optional(),
  boundary: polygon.nullable().optional().describe('a GeoJSON Polygon; null removes the boundary'),
  contacts: contacts.nullable().optional().describe('the published contacts; null or [] removes them'),
  parentCode: code.optional().describe('a new parent of the level above moves the node and its subtree'),
});

export const retireNodeBody = z.strictObject({
  mergeInto: code.optional().describe('an active sibling (same parent, same level) that takes over children, people and open reports'),
});

const childrenQuery = z.strictObject({ cursor: z.string().max(2000).optional(), limit: pageLimit.optional() });
const mapQuery = z.strictObject({ level: z.enum(MAP_LEVELS).optional() });
const searchQuery = z.strictObject({ q: singleLine(50), cursor: z.string().max(2000).optional(), limit: pageLimit.optional() });

/** The node as clients see it: its boundary as a GeoJSON Polygon, its status always spelled out, no bookkeeping. */
export function presentNode(node: StoredNode) {
  const { lastChange: _lastChange, boundary, status, ...visible } = node;
  return { ...visible, status: status ?? 'active', ...(boundary ? { boundary: polygonOf(boundary) } : {}) };
}

/**
 * A node in a listing (children, search): without its boundary, which can hold thousands of
 * positions per node and is read from the node itself; `hasBoundary` says whether it has one.
 */
export function presentNodeSummary(node: StoredNode) {
  const { boundary, ...rest } = presentNode(node);
  return { ...rest, hasBoundary: boundary !== undefined };
}

/** An officer for the admins who manage the node: full phone numbers, since the node API is theirs alone. */
function presentOfficer(person: StoredPerson) {
  const { id, name, phone, role, scope, title, username } = person;
  return { id, name, phone, role, scope, ...(title ? { title } : {}), active: person.active !== false, ...(username ? { username } : {}) };
}

const nodeCode = (event: Parameters<typeof pathParameter>[0]) => pathParameter(event, 'code', NODE_CODE);

/** An empty body is a plain retirement: POST …/retire needs no body to say so. */
const hasBody = (event: { body?: string }) => (event.body ?? '').trim() !== '';

const NODE_ERRORS = errorResponses(400, 401, 403, 404);

export const TREE_ROUTES: RouteModule = {
  routes: [
    {
      method: 'GET',
      path: '/api/v1/tree',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const q = parseQuery(event, searchQuery);
          const page = await searchTree(deps, actor, { q: q.q, cursor: q.cursor, limit: q.limit ?? 50 });
          return json(200, { items: page.items.map(presentNodeSummary), nextCursor: page.nextCursor });
        }),
      doc: {
        summary:
          'Nodes of your own subtree whose name contains q or whose code starts with it; a page may be short and still have a nextCursor',
        tag: 'tree',
        bearer: true,
        query: [
          {
            name: 'q',
            in: 'query',
            required: true,
            schema: { type: 'string', maxLength: 50 },
            description: 'part of a name, or a code prefix',
          },
          query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
          query('limit', { type: 'string', pattern: '^[0-9]{1,3}$' }, '1–100, default 50'),
        ],
        responses: { 200: { description: 'matching nodes', schema: ref('NodePage') }, ...errorResponses(400, 401, 403) },
      },
    },
    {
      method: 'GET',
      path: '/api/v1/tree/{code}',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const view = await readNode(deps, actor, nodeCode(event));
          return json(200, {
            node: presentNode(view.node),
            path: view.path,
            counts: view.counts,
            officers: view.officers.map(presentOfficer),
            vacant: view.vacant,
          });
        }),
      doc: {
        summary: 'A node with its path, counts, officers and vacancy',
        tag: 'tree',
        bearer: true,
        responses: { 200: { description: 'the node', schema: ref('NodeView') }, ...NODE_ERRORS },
      },
    },
    {
      method: 'GET',
      path: '/api/v1/tree/{code}/children',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const code = nodeCode(event);
          const q = parseQuery(event, childrenQuery);
          const page = await listNodeChildren(deps, actor, code, { cursor: q.cursor, limit: q.limit ?? 50 });
          return json(200, {
            items: page.items.map((c) => ({ ...presentNodeSummary(c.node), counts: c.counts })),
            nextCursor: page.nextCursor,
          });
        }),
      doc: {
        summary: 'A node’s children with their counts (retired ones too, by status)',
        tag: 'tree',
        bearer: true,
        query: [
          query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
          query('limit', { type: 'string', pattern: '^[0-9]{1,3}$' }, '1–100, default 50'),
        ],
        responses: {
          200: {
            description: 'a page of children',
            schema: {
              type: 'object',
              required: ['items', 'nextCursor'],
              properties: {
                items: {
                  type: 'array',
                  items: { allOf: [ref('NodeSummary'), { type: 'object', properties: { counts: ref('NodeCounts') } }] },
                },
                nextCursor: { type: ['string', 'null'] },
              },
            },
          },
          ...NODE_ERRORS,
        },
      },
    },
    {
      method: 'GET',
      path: '/api/v1/tree/{code}/map',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const code = nodeCode(event);
          const q = parseQuery(event, mapQuery);
          return json(200, await mapOfSubtree(deps, actor, code, { level: q.level }));
        }),
      doc: {
        summary:
          'The map of a subtree as a GeoJSON FeatureCollection: the boundaries of its grids (or of its nodes at `level`) and its open reports, coloured by what a reader of reports may see',
        tag: 'tree',
        bearer: true,
        query: [
          query(
            'level',
            { type: 'string', enum: [...MAP_LEVELS] },
            'the level whose boundaries are drawn (default grid); not above the node’s own (422 MAP.LEVEL_ABOVE_NODE)',
          ),
        ],
        responses: {
          200: { description: 'the map', schema: ref('SubtreeMap') },
          ...errorResponses(400, 401, 403, 404),
          422: {
            description: `MAP.LEVEL_ABOVE_NODE; MAP.TOO_LARGE: more than ${MAX_MAP_BOUNDARIES} boundaries or ${MAX_MAP_POSITIONS} positions at that level (pick a coarser level or a smaller node; details.limits)`,
            schema: ref('Error'),
          },
        },
      },
    },
    {
      method: 'POST',
      path: '/api/v1/tree',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const body = parseJsonBody(event, createNodeBody);
          return json(201, presentNode(await createNode(deps, actor, body)));
        }),
      doc: {
        summary:
          'Create a node under a parent you manage: its code extends the parent’s (400 NODE.CODE_*), its boundary lies inside the parent’s (422)',
        tag: 'tree',
        bearer: true,
        body: createNodeBody,
        responses: { 201: { description: 'created', schema: ref('Node') }, ...errorResponses(400, 401, 403, 409, 413, 422) },
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/tree/{code}',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const code = nodeCode(event);
          const body = parseJsonBody(event, editNodeBody);
          return json(200, presentNode(await editNode(deps, actor, code, body)));
        }),
      doc: {
        summary:
          'Edit a node’s name, boundary, contacts; a new parentCode moves it and its subtree (codes kept) and re-files its open reports',
        tag: 'tree',
        bearer: true,
        body: editNodeBody,
        responses: {
          200: { description: 'the node as it now is', schema: ref('Node') },
          ...errorResponses(400, 401, 403, 404, 409, 413, 422),
        },
      },
    },
    {
      method: 'POST',
      path: '/api/v1/tree/{code}/retire',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const code = nodeCode(event);
          const body = hasBody(event) ? parseJsonBody(event, retireNodeBody) : {};
          return json(200, presentNode(await retireNode(deps, actor, code, body)));
        }),
      doc: {
        summary:
          'Retire a node (撤销): 409 while it holds open reports or active children, unless merged into an active sibling (撤并), which takes them over',
        tag: 'tree',
        bearer: true,
        body: retireNodeBody,
        responses: { 200: { description: 'the retired node', schema: ref('Node') }, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
  ],
  components: {
    Node: {
      type: 'object',
      required: ['code', 'name', 'level', 'parentCode', 'path', 'status'],
      properties: {
        code: { type: 'string', examples: ['451322201001'] },
        name: { type: 'string' },
        level: { type: 'string', enum: [...NODE_LEVELS] },
        parentCode: { type: ['string', 'null'] },
        path: { type: 'array', items: { type: 'string' }, description: 'codes from the county down to this node' },
        status: { type: 'string', enum: ['active', 'retired'] },
        mergedInto: { type: 'string', description: 'the sibling a retired node was merged into' },
        boundary: {
          type: 'object',
          description: 'a GeoJSON Polygon: one closed ring of [lng, lat]',
          properties: { type: { const: 'Polygon' }, coordinates: { type: 'array' } },
        },
        contacts: {
          type: 'array',
          description: 'published contacts',
          items: {
            type: 'object',
            required: ['label', 'phone'],
            properties: { label: { type: 'string' }, name: { type: 'string' }, phone: { type: 'string' } },
          },
        },
        version: { type: 'integer' },
        createdAt: { type: 'string', format: 'date-time' },
        updatedAt: { type: 'string', format: 'date-time' },
      },
    },
    NodeCounts: {
      type: 'object',
      required: ['children', 'openReports', 'people'],
      properties: {
        children: { type: 'integer', description: 'active direct children' },
        openReports: { type: 'integer', description: 'open reports anywhere in the subtree' },
        people: { type: 'integer', description: 'active people whose scope is this node' },
      },
    },
    NodeView: {
      type: 'object',
      required: ['node', 'path', 'counts', 'officers', 'vacant'],
      properties: {
        node: ref('Node'),
        path: {
          type: 'array',
          items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' }, level: { type: 'string' } } },
        },
        counts: ref('NodeCounts'),
        officers: {
          type: 'array',
          description: 'the node’s active responsible officers (grid worker, village secretary, township centre, county admin)',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              name: { type: 'string' },
              phone: { type: 'string' },
              role: { type: 'string' },
              scope: { type: 'string' },
              title: { type: 'string' },
              active: { type: 'boolean' },
              username: { type: 'string' },
            },
          },
        },
        vacant: { type: 'boolean', description: 'nobody holds the post: reports skip this tier' },
      },
    },
    SubtreeMap: {
      type: 'object',
      description:
        'A GeoJSON FeatureCollection (RFC 7946): boundaries first (the node’s own outline as kind "scope", then its nodes at the level, kind "boundary"), then its open reports, most pressing first (kind "report"; geometry null when a report has no location)',
      required: ['type', 'node', 'level', 'features', 'withoutBoundary', 'withoutLocation', 'reportsTruncated', 'limits'],
      properties: {
        type: { const: 'FeatureCollection' },
        node: {
          type: 'object',
          required: ['code', 'name', 'level'],
          properties: { code: { type: 'string' }, name: { type: 'string' }, level: { type: 'string', enum: [...NODE_LEVELS] } },
        },
        level: { type: 'string', enum: [...NODE_LEVELS] },
        bbox: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4, description: '[west, south, east, north]' },
        features: { type: 'array', items: { oneOf: [ref('MapBoundary'), ref('MapReport')] } },
        withoutBoundary: { type: 'integer', description: 'nodes at the level with no boundary to draw' },
        withoutLocation: { type: 'integer', description: 'open reports listed without a location' },
        reportsTruncated: { type: 'boolean', description: `more open reports exist than the ${MAX_MAP_REPORTS} the map carries` },
        limits: {
          type: 'object',
          required: ['boundaries', 'positions', 'reports'],
          properties: { boundaries: { type: 'integer' }, positions: { type: 'integer' }, reports: { type: 'integer' } },
        },
      },
    },
    MapBoundary: {
      type: 'object',
      required: ['type', 'id', 'geometry', 'properties'],
      properties: {
        type: { const: 'Feature' },
        id: { type: 'string', examples: ['node:451322201001001'] },
        geometry: {
          type: 'object',
          required: ['type', 'coordinates'],
          properties: {
            type: { const: 'Polygon' },
            coordinates: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'number' } } } },
          },
        },
        properties: {
          type: 'object',
          required: ['kind', 'code', 'name', 'level', 'openReports', 'overdueReports'],
          properties: {
            kind: { type: 'string', enum: ['scope', 'boundary'] },
            code: { type: 'string' },
            name: { type: 'string' },
            level: { type: 'string', enum: [...NODE_LEVELS] },
            openReports: { type: 'integer' },
            overdueReports: { type: 'integer' },
          },
        },
      },
    },
    MapReport: {
      type: 'object',
      required: ['type', 'id', 'geometry', 'properties'],
      properties: {
        type: { const: 'Feature' },
        id: { type: 'string', examples: ['report:R0123456789ABCDE'] },
        geometry: {
          oneOf: [
            {
              type: 'object',
              required: ['type', 'coordinates'],
              properties: { type: { const: 'Point' }, coordinates: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } },
            },
            { type: 'null' },
          ],
        },
        properties: {
          type: 'object',
          required: ['kind', 'id', 'title', 'tier', 'status', 'urgency', 'category', 'gridCode', 'overdue'],
          properties: {
            kind: { const: 'report' },
            id: { type: 'string' },
            title: { type: 'string' },
            tier: { type: 'string', enum: ['grid', 'village', 'township', 'department', 'supervision'] },
            status: { type: 'string' },
            urgency: { type: 'string', enum: ['normal', 'urgent', 'emergency'] },
            category: { type: 'string' },
            gridCode: { type: 'string' },
            overdue: { type: 'boolean', description: 'late at some tier and still being handled (超期)' },
          },
        },
      },
    },
    NodePage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: { items: { type: 'array', items: ref('NodeSummary') }, nextCursor: { type: ['string', 'null'] } },
    },
    NodeSummary: {
      description: 'a node in a listing: as Node, without its boundary (read the node for it)',
      allOf: [ref('Node'), { type: 'object', required: ['hasBoundary'], properties: { hasBoundary: { type: 'boolean' } } }],
    },
  },
};
