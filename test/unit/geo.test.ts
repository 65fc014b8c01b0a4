import { describe, expect, it } from 'vitest';
import { isUsableBoundary, type LngLat, locationFlags, OUTSIDE_GRID, pointInPolygon } from '#core/geo.ts';
import { demoCounty } from '#local/demo-county.ts';

const SQUARE: LngLat[] = [
  [0, 0],
  [10, 0],
  [10, 10],
  [0, 10],
];
const CLOSED_SQUARE: LngLat[] = [...SQUARE, [0, 0]];

// A "U" opening to the north: the notch (4–6, 5–10) is outside, and a ray from inside the left arm
// passes through the reflex vertices (4, 5) and (6, 5).
const U_SHAPE: LngLat[] = [
  [0, 0],
  [10, 0],
  [10, 10],
  [6, 10],
  [6, 5],
  [4, 5],
  [4, 10],
  [0, 10],
];

describe('pointInPolygon (ray casting)', () => {
  it.each([
    ['the centre', [5, 5], true],
    ['near a corner, inside', [0.001, 9.999], true],
    ['left of it', [-1, 5], false],
    ['right of it', [11, 5], false],
    ['above it', [5, 10.001], false],
    ['diagonally beyond a corner', [11, 11], false],
  ] as const)('places %s of a square correctly', (_name, point, inside) => {
    // Act + Assess
    expect(pointInPolygon(point, SQUARE)).toBe(inside);
    expect(pointInPolygon(point, CLOSED_SQUARE)).toBe(inside);
  });

  it.each([
    ['on the bottom edge', [5, 0]],
    ['on the left edge', [0, 5]],
    ['on the right edge', [10, 3]],
    ['on the top edge', [7, 10]],
    ['on a corner', [0, 0]],
    ['on the opposite corner', [10, 10]],
    ['a hair off an edge (float rounding)', [10 + 1e-12, 5]],
  ] as const)('counts a point %s as inside (a boundary belongs to both grids)', (_name, point) => {
    // Act + Assess
    expect(pointInPolygon(point, SQUARE)).toBe(true);
  });

  it.each([
    ['the left arm', [2, 8], true],
    ['the right arm', [8, 8], true],
    ['the notch', [5, 8], false],
    ['the base, level with the notch floor (ray through two vertices)', [2, 5], true],
    ['left of the shape, level with the notch floor', [-1, 5], false],
    ['the notch floor itself', [5, 5], true],
    ['level with the arm tops, left of the shape', [-1, 10], false],
    ['above the notch', [5, 11], false],
  ] as const)('handles a concave polygon: %s', (_name, point, inside) => {
    // Act + Assess
    expect(pointInPolygon(point, U_SHAPE)).toBe(inside);
  });

  it('does not depend on the winding direction', () => {
    // Prepare
    const reversed = [...U_SHAPE].reverse();

    // Act + Assess
    for (const point of [
      [2, 8],
      [5, 8],
      [2, 5],
      [-1, 5],
    ] as const) {
      expect(pointInPolygon(point, reversed)).toBe(pointInPolygon(point, U_SHAPE));
    }
  });

  it('counts a ray through a single vertex once (a diamond, level with its side corners)', () => {
    // Prepare
    const diamond: LngLat[] = [
      [5, 0],
      [10, 5],
      [5, 10],
      [0, 5],
    ];

    // Act + Assess
    expect(pointInPolygon([5, 5], diamond)).toBe(true);
    expect(pointInPolygon([-1, 5], diamond)).toBe(false);
    expect(pointInPolygon([11, 5], diamond)).toBe(false);
  });

  it.each([
    ['no points', []],
    ['one point', [[0, 0]]],
    [
      'two points',
      [
        [0, 0],
        [1, 1],
      ],
    ],
    [
      'a closed ring of two points',
      [
        [0, 0],
        [1, 1],
        [0, 0],
      ],
    ],
  ] as [string, LngLat[]][])('encloses nothing with %s', (_name, ring) => {
    // Act + Assess
    expect(pointInPolygon([0, 0], ring)).toBe(false);
  });
});

describe('isUsableBoundary', () => {
  it('wants three finite points', () => {
    // Act + Assess
    expect(isUsableBoundary(undefined)).toBe(false);
    expect(isUsableBoundary(SQUARE.slice(0, 2))).toBe(false);
    expect(isUsableBoundary([...SQUARE.slice(0, 2), [Number.NaN, 1]])).toBe(false);
    expect(isUsableBoundary(SQUARE)).toBe(true);
  });
});

describe('locationFlags', () => {
  const grid = { boundary: CLOSED_SQUARE as [number, number][] };

  it('flags a location outside the grid (lat is y, lng is x)', () => {
    // Act + Assess: lng 5 is inside, lat 20 is not.
    expect(locationFlags(grid, { lat: 20, lng: 5 })).toEqual([OUTSIDE_GRID]);
    expect(OUTSIDE_GRID).toBe('outside_grid');
  });

  it('does not flag a location inside or on the boundary', () => {
    // Act + Assess
    expect(locationFlags(grid, { lat: 5, lng: 5 })).toEqual([]);
    expect(locationFlags(grid, { lat: 10, lng: 5 })).toEqual([]);
  });

  it('does not flag without a location or without a usable boundary', () => {
    // Act + Assess
    expect(locationFlags(grid, null)).toEqual([]);
    expect(locationFlags(grid, undefined)).toEqual([]);
    expect(locationFlags({}, { lat: 89, lng: 179 })).toEqual([]);
    expect(locationFlags({ boundary: [[0, 0]] }, { lat: 89, lng: 179 })).toEqual([]);
  });
});

describe('the demo county boundaries', () => {
  const grids = demoCounty().nodes.filter((n) => n.level === 'grid');

  it('gives every demo grid a boundary', () => {
    // Act + Assess
    expect(grids).toHaveLength(18);
    for (const g of grids) expect(isUsableBoundary(g.boundary), g.code).toBe(true);
  });

  it("puts the tests' default location (23.96, 109.69) inside the first grid and no other", () => {
    // Prepare
    const location = { lat: 23.96, lng: 109.69 };

    // Act
    const inside = grids.filter((g) => locationFlags(g, location).length === 0).map((g) => g.code);

    // Assess
    expect(inside).toEqual(['451322201001001']);
  });

  it("puts each grid's centre inside that grid only", () => {
    for (const g of grids) {
      // Prepare
      const ring = g.boundary ?? [];
      const lng = (Math.min(...ring.map((p) => p[0])) + Math.max(...ring.map((p) => p[0]))) / 2;
      const lat = (Math.min(...ring.map((p) => p[1])) + Math.max(...ring.map((p) => p[1]))) / 2;

      // Act
      const containing = grids.filter((other) => locationFlags(other, { lat, lng }).length === 0).map((o) => o.code);

      // Assess
      expect(containing).toEqual([g.code]);
    }
  });

  it('keeps every grid inside its village', () => {
    // Prepare
    const villages = new Map(
      demoCounty()
        .nodes.filter((n) => n.level === 'village')
        .map((v) => [v.code, v]),
    );

    // Act + Assess
    for (const g of grids) {
      const village = villages.get(g.parentCode ?? '');
      for (const [lng, lat] of g.boundary ?? []) expect(locationFlags(village ?? {}, { lat, lng }), g.code).toEqual([]);
    }
  });
});
