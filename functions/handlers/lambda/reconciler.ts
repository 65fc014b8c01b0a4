/**
 * Lambda entry, on a schedule: resumes every open report whose execution is not running (failed,
 * stopped, or never started), with the same resume input local mode uses at boot.
 */
import { reconcileExecutions } from '#core/use-cases/escalation-steps.ts';
import { lazyAwsDeps } from '#wiring/aws.ts';

const deps = lazyAwsDeps({});

export const handler = async () => {
  const { open, resumed } = await reconcileExecutions(await deps());
  console.log(JSON.stringify({ message: 'reconciled', open, resumed: resumed.length, reportIds: resumed.slice(0, 50) }));
  return { open, resumed: resumed.length };
};
