/**
 * Where a report was filed, on the real local engines: the demo county's grids have boundary
 * polygons, and a report whose location lies outside its grid is accepted but flagged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_GRID, newKey, reportBody, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => rt?.stop());

async function file(overrides: Record<string, unknown>) {
  return rt.http('POST', '/api/v1/reports', {
    token: await rt.login('worker1'),
    headers: { 'idempotency-key': newKey('where') },
    body: reportBody(overrides),
  });
}

async function reportedEvent(id: string) {
  const res = await rt.http('GET', `/api/v1/reports/${id}`, { token: await rt.login('village1') });
  expect(res.status).toBe(200);
  return { report: res.body.report, reported: res.body.timeline.find((e: { type: string }) => e.type === 'reported') };
}

describe('reports and their grid boundary', () => {
  it('has a boundary polygon on the first demo grid', async () => {
    // Act
    const grid = await rt.runtime.container.directory.getNode(FIRST_GRID);

    // Assess
    expect(grid?.boundary?.length).toBeGreaterThanOrEqual(4);
  });

  it('does not flag a report filed inside its grid', async () => {
    // Act
    const res = await file({ location: { lat: 23.96, lng: 109.69 } });
    const { report, reported } = await reportedEvent(res.body.id);

    // Assess
    expect(res.status).toBe(201);
    expect(res.body.flags).toEqual([]);
    expect(report.flags).toEqual([]);
    expect(reported.data?.flags).toBeUndefined();
  });

  it('accepts a report filed outside its grid (in 石龙镇, 6 km north) but flags it, in the report and the timeline', async () => {
    // Act
    const res = await file({ location: { lat: 24.02, lng: 109.7, address: '石龙镇石龙社区' } });
    const { report, reported } = await reportedEvent(res.body.id);
    const listed = await rt.http('GET', `/api/v1/reports?node=${FIRST_GRID}`, { token: await rt.login('worker1') });

    // Assess
    expect(res.status).toBe(201);
    expect(res.body.flags).toEqual(['outside_grid']);
    expect(report.flags).toEqual(['outside_grid']);
    expect(reported.data).toEqual({ flags: ['outside_grid'] });
    expect(listed.body.items.find((r: { id: string }) => r.id === res.body.id)?.flags).toEqual(['outside_grid']);
  });

  it('flags a report in the neighbouring grid of the same village', async () => {
    // Act: 109.70 E is in 那沙村's second strip (109.695–109.710)
    const res = await file({ location: { lat: 23.96, lng: 109.7 } });

    // Assess
    expect(res.status).toBe(201);
    expect(res.body.flags).toEqual(['outside_grid']);
  });

  it('does not flag a report on the grid boundary line itself', async () => {
    // Act: the western edge of the first grid
    const res = await file({ location: { lat: 23.96, lng: 109.68 } });

    // Assess
    expect(res.status).toBe(201);
    expect(res.body.flags).toEqual([]);
  });

  it('does not flag a report without a location', async () => {
    // Act
    const res = await file({ location: undefined });

    // Assess
    expect(res.status).toBe(201);
    expect(res.body.location).toBeNull();
    expect(res.body.flags).toEqual([]);
  });

  it('never lets the client set flags, and still checks lat/lng ranges (400, nothing stored)', async () => {
    // Act
    const forged = await file({ flags: [] });
    const north = await file({ location: { lat: 91, lng: 109.69 } });
    const east = await file({ location: { lat: 23.96, lng: 180.5 } });

    // Assess
    expect(forged.status).toBe(400);
    expect(north.status).toBe(400);
    expect(east.status).toBe(400);
  });
});
