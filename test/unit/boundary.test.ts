import { describe, expect, it } from 'vitest';
import { boundaryExcludesChild, boundaryFromGeoJson, boundaryOutsideParent, MAX_BOUNDARY_POSITIONS, polygonOf } from '#core/boundary.ts';

const SQUARE: [number, number][] = [
  [109.6, 23.9],
  [109.8, 23.9],
  [109.8, 24.1],
  [109.6, 24.1],
  [109.6, 23.9],
];
const INNER: [number, number][] = [
  [109.65, 23.95],
  [109.7, 23.95],
  [109.7, 24.0],
  [109.65, 24.0],
  [109.65, 23.95],
];
const polygon = (...rings: unknown[]) => ({ type: 'Polygon', coordinates: rings });

describe('boundaryFromGeoJson', () => {
  it('takes a closed ring and keeps it as the node’s [lng, lat] ring', () => {
    // Act
    const parsed = boundaryFromGeoJson(polygon(SQUARE));

    // Assess
    expect(parsed).toEqual({ ring: SQUARE });
  });

  it('round-trips through polygonOf', () => {
    // Act
    const parsed = boundaryFromGeoJson(polygonOf(SQUARE));

    // Assess
    expect(parsed).toEqual({ ring: SQUARE });
  });

  it.each([
    ['not a Polygon', { type: 'MultiPolygon', coordinates: [[SQUARE]] }, 'NODE.BOUNDARY_NOT_POLYGON'],
    ['no coordinates', { type: 'Polygon' }, 'NODE.BOUNDARY_NOT_POLYGON'],
    ['null', null, 'NODE.BOUNDARY_NOT_POLYGON'],
    ['a hole', polygon(SQUARE, INNER), 'NODE.BOUNDARY_HOLES'],
    ['no ring', polygon(), 'NODE.BOUNDARY_TOO_FEW'],
    ['three positions', polygon(SQUARE.slice(0, 2).concat([SQUARE[0] as [number, number]])), 'NODE.BOUNDARY_TOO_FEW'],
    ['a ring left open', polygon(SQUARE.slice(0, 4)), 'NODE.BOUNDARY_NOT_CLOSED'],
    [
      'a latitude beyond 90',
      polygon([
        [0, 0],
        [1, 95],
        [1, 0],
        [0, 0],
      ]),
      'NODE.BOUNDARY_POSITION',
    ],
    [
      'a longitude beyond 180',
      polygon([
        [0, 0],
        [181, 1],
        [1, 0],
        [0, 0],
      ]),
      'NODE.BOUNDARY_POSITION',
    ],
    [
      'an infinite coordinate',
      polygon([
        [0, 0],
        [Number.POSITIVE_INFINITY, 1],
        [1, 0],
        [0, 0],
      ]),
      'NODE.BOUNDARY_POSITION',
    ],
    [
      'a position with altitude',
      polygon([
        [0, 0, 5],
        [0, 1],
        [1, 0],
        [0, 0],
      ]),
      'NODE.BOUNDARY_POSITION',
    ],
    [
      'a text coordinate',
      polygon([
        [0, 0],
        ['1', 1],
        [1, 0],
        [0, 0],
      ]),
      'NODE.BOUNDARY_POSITION',
    ],
    [
      'points on one line',
      polygon([
        [0, 0],
        [1, 1],
        [2, 2],
        [0, 0],
      ]),
      'NODE.BOUNDARY_NO_AREA',
    ],
  ])('refuses %s with a reason', (_case, value, code) => {
    // Act
    const parsed = boundaryFromGeoJson(value);

    // Assess
    expect(parsed).toMatchObject({ problem: { code } });
    expect('problem' in parsed && parsed.problem.message).toMatch(/[\u4e00-\u9fff].*\(.+\)/);
  });

  it('refuses a ring over the limit before reading its positions, saying how many it got', () => {
    // Prepare
    const ring = Array.from({ length: MAX_BOUNDARY_POSITIONS + 1 }, (_, i) => [Math.cos(i), Math.sin(i)]);

    // Act
    const parsed = boundaryFromGeoJson(polygon(ring));

    // Assess
    expect(parsed).toMatchObject({ problem: { code: 'NODE.BOUNDARY_TOO_LARGE' } });
    expect('problem' in parsed && parsed.problem.message).toContain(String(MAX_BOUNDARY_POSITIONS + 1));
  });

  it('takes a ring of exactly the limit', () => {
    // Prepare
    const open = Array.from({ length: MAX_BOUNDARY_POSITIONS - 1 }, (_, i) => {
      const angle = (2 * Math.PI * i) / (MAX_BOUNDARY_POSITIONS - 1);
      return [109.7 + 0.1 * Math.cos(angle), 24 + 0.1 * Math.sin(angle)];
    });

    // Act
    const parsed = boundaryFromGeoJson(polygon([...open, open[0]]));

    // Assess
    expect('ring' in parsed && parsed.ring.length).toBe(MAX_BOUNDARY_POSITIONS);
  });
});

describe('boundaryOutsideParent', () => {
  const parent = { code: '451322201', name: '百丈乡', boundary: SQUARE };

  it('lets a ring inside the parent’s boundary through, edges and vertices included', () => {
    // Act + Assess
    expect(boundaryOutsideParent(INNER, parent)).toBeNull();
    expect(boundaryOutsideParent(SQUARE, parent)).toBeNull();
  });

  it('names the first vertex outside the parent and the parent', () => {
    // Prepare
    const straying: [number, number][] = [
      [109.65, 23.95],
      [109.9, 23.95],
      [109.7, 24.0],
      [109.65, 23.95],
    ];

    // Act
    const problem = boundaryOutsideParent(straying, parent);

    // Assess
    expect(problem?.code).toBe('NODE.BOUNDARY_OUTSIDE_PARENT');
    expect(problem?.message).toContain('第2个坐标点[109.9, 23.95]');
    expect(problem?.message).toContain('百丈乡（451322201）');
  });

  it('puts no constraint where the parent has no boundary', () => {
    // Act + Assess
    expect(
      boundaryOutsideParent(
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
        { code: 'x', name: 'x' },
      ),
    ).toBeNull();
  });
});

describe('boundaryExcludesChild', () => {
  it('refuses a boundary that would leave a child partly outside, naming the child', () => {
    // Act
    const problem = boundaryExcludesChild(INNER, [
      { code: '451322201001', name: '那沙村', boundary: INNER },
      { code: '451322201002', name: '百丈村', boundary: SQUARE },
    ]);

    // Assess
    expect(problem?.code).toBe('NODE.BOUNDARY_EXCLUDES_CHILD');
    expect(problem?.message).toContain('百丈村（451322201002）');
  });

  it('lets a boundary that holds every child (and children without boundaries) through', () => {
    // Act + Assess
    expect(
      boundaryExcludesChild(SQUARE, [
        { code: 'a', name: 'a', boundary: INNER },
        { code: 'b', name: 'b' },
      ]),
    ).toBeNull();
  });
});
