/**
 * Lambda entry, on a schedule: resumes every open report whose execution is not running (failed,
 * stopped, or never started), with the same resume input local mode uses at boot. Overlapping runs
 * are safe without reserved concurrency: each takes the reconciler lease for as long as this
 * invocation may live (its remaining time), and a run that finds it taken does nothing.
 */
import type { Context } from 'aws-lambda';
import { reconcileExecutions } from '#core/use-cases/escalation-steps.ts';
import { catchUpOutcomes, compactOutcomes } from '#core/use-cases/outcomes.ts';
import { lazyAwsDeps } from '#wiring/aws.ts';
import { sfnWorkflow } from '#wiring/aws-workflow.ts';

/** Time kept back at the end of an invocation: the compaction's last page and its mark. */
const COMPACTION_MARGIN_MS = 30_000;

const deps = lazyAwsDeps({ workflow: sfnWorkflow });

export const handler = async (_event: unknown, context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>) => {
  const d = await deps();
  const until = new Date(d.clock.now().getTime() + context.getRemainingTimeInMillis());
  const { open, resumed, skipped } = await reconcileExecutions(d, { holder: context.awsRequestId, until });
  // Outcome counters a crash left behind their report's timeline; each fact counts once however often this runs.
  const outcomesCaughtUp = skipped ? 0 : await catchUpOutcomes(d);
  // Once a day per county: counter items shed the watermarks no replay needs (the dashboard reads them whole).
  // Under the same lease as the catch-up, and stopping short of the invocation's end (the next run goes on).
  const compacted = skipped ? null : await compactOutcomes(d, { until: new Date(until.getTime() - COMPACTION_MARGIN_MS) });
  console.log(
    JSON.stringify({
      message: skipped ? 'reconciler lease held by another run' : 'reconciled',
      open,
      resumed: resumed.length,
      outcomesCaughtUp,
      ...(compacted
        ? { compactedNodes: compacted.nodes, watermarksDropped: compacted.watermarks, compactionFinished: compacted.finished }
        : {}),
      reportIds: resumed.slice(0, 50),
    }),
  );
  return { open, resumed: resumed.length, skipped };
};
