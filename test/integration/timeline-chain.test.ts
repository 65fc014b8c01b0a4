/**
 * The tamper-evident timeline on the real engines: every event is hash-chained as it is written,
 * and GET /api/v1/reports/{id}/timeline/verify recomputes the chain from what is stored. Editing
 * one stored event in the table, or deleting the last one, is found.
 */
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

let rt: TestRuntime;
let s: ReturnType<typeof scenario>;

beforeAll(async () => {
  rt = await startTestRuntime();
  s = scenario(rt);
});
afterAll(async () => rt?.stop());

const verify = async (id: string, as = 'admin') => rt.http('GET', `/api/v1/reports/${id}/timeline/verify`, { token: await rt.login(as) });
const eventKey = (id: string, seq: number) => ({ PK: `REPORT#${id}`, SK: `EVENT#${String(seq).padStart(6, '0')}` });

/** A report with a few events: reported, assigned, notified, accepted. */
async function acceptedReport(): Promise<string> {
  const id = await s.file();
  await s.untilParked(id, 1);
  expect((await s.act(id, 'worker1', { action: 'accept', note: '马上到现场' })).status).toBe(200);
  await s.until(id, (h) => h.timeline.length === 4);
  return id;
}

describe('the timeline’s hash chain', () => {
  it('holds for a report as the product wrote it, and every event shows its hash', async () => {
    // Prepare
    const id = await acceptedReport();

    // Act
    const verdict = await verify(id);
    const read = await s.history(id);

    // Assess
    expect(verdict.status).toBe(200);
    expect(verdict.body).toEqual({ reportId: id, intact: true, checked: 4, brokenAtSeq: null, unchained: 0 });
    expect(read.timeline.every((e: { hash?: string }) => /^[0-9a-f]{64}$/.test(e.hash ?? ''))).toBe(true);
  });

  it('breaks at the event someone edited in the table, even when its hash field is left as it was', async () => {
    // Prepare
    const id = await acceptedReport();

    // Act: the accept's note is rewritten directly in DynamoDB
    await rt.runtime.container.db.send(
      new UpdateCommand({
        TableName: 'gridwhistle',
        Key: eventKey(id, 4),
        UpdateExpression: 'SET #note = :note',
        ExpressionAttributeNames: { '#note': 'note' },
        ExpressionAttributeValues: { ':note': '早已到场处理' },
      }),
    );
    const verdict = await verify(id);

    // Assess
    expect(verdict.body).toMatchObject({ intact: false, brokenAtSeq: 4 });
  });

  it('breaks when an event in the middle is edited, and after an event that was deleted', async () => {
    // Prepare
    const edited = await acceptedReport();
    const gapped = await acceptedReport();

    // Act
    await rt.runtime.container.db.send(
      new UpdateCommand({
        TableName: 'gridwhistle',
        Key: eventKey(edited, 2),
        UpdateExpression: 'SET #at = :at',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':at': '2026-11-01T00:00:00.000Z' },
      }),
    );
    await rt.runtime.container.db.send(new DeleteCommand({ TableName: 'gridwhistle', Key: eventKey(gapped, 3) }));
    const editedVerdict = await verify(edited);
    const gappedVerdict = await verify(gapped);

    // Assess
    expect(editedVerdict.body).toMatchObject({ intact: false, brokenAtSeq: 2 });
    expect(gappedVerdict.body).toMatchObject({ intact: false, brokenAtSeq: 4 });
  });

  it('answers 404 for an unknown report and 403 to a reader out of scope', async () => {
    // Prepare
    const id = await acceptedReport();

    // Act
    const unknown = await verify('R0123456789ABCDE');
    const outOfScope = await verify(id, 'worker7');

    // Assess
    expect(unknown.status).toBe(404);
    expect(outOfScope.status).toBe(403);
  });
});
