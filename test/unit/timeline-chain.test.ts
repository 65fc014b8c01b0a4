import { describe, expect, it } from 'vitest';
import { comment, newReport } from '#core/report.ts';
import { chained, eventHash, GENESIS_HASH, verifyChain } from '#core/timeline-chain.ts';
import { NOW, secondsAfter, worker } from './fixtures.ts';

describe('the timeline hash chain', () => {
  it('chains every event to the one before it, starting from the genesis hash', () => {
    // Prepare
    const first = { seq: 1, at: '2026-11-02T01:00:00.000Z', type: 'reported' };

    // Act
    const hashed = chained(first, null);
    const second = chained({ seq: 2, at: '2026-11-02T01:00:01.000Z', type: 'assigned' }, hashed);

    // Assess
    expect(hashed.hash).toBe(eventHash(first, GENESIS_HASH));
    const secondContent = { seq: 2, at: '2026-11-02T01:00:01.000Z', type: 'assigned' };
    expect(second.hash).toBe(eventHash(secondContent, hashed.hash));
    // Key order does not matter, content does.
    const reordered = { type: 'reported', at: first.at, seq: 1 };
    expect(eventHash(reordered, GENESIS_HASH)).toBe(hashed.hash);
    const changed = { ...first, type: 'closed' };
    expect(eventHash(changed, GENESIS_HASH)).not.toBe(hashed.hash);
  });

  it('holds for the events the core writes, and finds the first changed one', () => {
    // Prepare
    const reported = newReport(
      {
        id: 'R0000000000000A1',
        jurisdiction: { countyCode: '451322', townshipCode: '451322201', villageCode: '451322201001', gridCode: '451322201001001' },
        reporter: worker,
        category: 'infrastructure',
        urgency: 'normal',
        title: '小桥塌陷',
        description: '影响出行',
        location: null,
        photos: [],
        occurredAt: null,
      },
      NOW,
    );

    const noted = comment(reported.report, worker, '已到现场', secondsAfter(NOW, 60));
    const again = comment(noted.report, worker, '已处理', secondsAfter(NOW, 120));
    const events = [reported.event, noted.event, again.event];

    // Act
    const intact = verifyChain(events, again.report.lastEvent);
    const edited = verifyChain(
      events.map((e) => (e.seq === 2 ? { ...e, note: '早已到场' } : e)),
      again.report.lastEvent,
    );
    const missingMiddle = verifyChain([events[0]!, events[2]!], again.report.lastEvent);
    const tailGone = verifyChain(events.slice(0, 2), again.report.lastEvent);

    // Assess
    expect(intact).toEqual({ intact: true, checked: 3, brokenAtSeq: null, unchained: 0 });
    expect(edited).toMatchObject({ intact: false, brokenAtSeq: 2 });
    expect(missingMiddle).toMatchObject({ intact: false, brokenAtSeq: 3 });
    expect(tailGone).toMatchObject({ intact: false, brokenAtSeq: 3 });
    // Events stored before the chain existed come first and are counted, not vouched for.
    const { hash: _h1, ...unhashed } = events[0]!;
    expect(verifyChain([unhashed, ...events.slice(1)], again.report.lastEvent)).toMatchObject({ unchained: 1 });
  });
});
