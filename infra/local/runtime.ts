/**
 * The embedded runtime behind `npm start`: dynalite persisted under DATA_DIR, the ASL interpreter,
 * the SMS outbox, the demo county, and every open report resumed from its stored state.
 */
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { resumeOpenReports } from '#core/use-cases/escalation-steps.ts';
import { resumeOpenImports } from '#core/use-cases/imports.ts';
import { catchUpOutcomes, compactOutcomes } from '#core/use-cases/outcomes.ts';
import type { Config } from '#wiring/config.ts';
import { buildLocalContainer, type LocalContainer, type LocalContainerOptions } from '#wiring/local.ts';
import { startEmbeddedDynamo } from './embedded-dynamo.ts';
import { seedDemoCountyIfEmpty, seedDemoOpen311Key } from './seed.ts';
import { createLocalServer, type ServerLimits } from './server.ts';

const COMPACTION_INTERVAL_MS = 3_600_000;

export interface LocalRuntime {
  container: LocalContainer;
  server: Server;
  url: string;
  demoAccounts: string[];
  resumed: number;
  stop: () => Promise<void>;
}

export interface RuntimeOptions extends Omit<LocalContainerOptions, 'config' | 'dynamoEndpoint'> {
  webRoot?: string;
  /** The HTTP server's connection limits and timeouts, SERVER_LIMITS unless given. */
  serverLimits?: Partial<ServerLimits>;
  /** Puts something in front of the embedded DynamoDB (a fault test's throttling proxy): given its endpoint, the one to use. */
  dynamoEndpointFor?: (endpoint: string) => Promise<string>;
}

export async function startLocalRuntime(config: Config, options: RuntimeOptions = {}): Promise<LocalRuntime> {
  const log = options.log ?? ((m: string) => console.log(m));
  await mkdir(config.DATA_DIR, { recursive: true });
  // dynalite in a child process, off the event loop of the HTTP server and the workflows; one per
  // data directory (it dies with this process, and an orphan left on the directory is killed first).
  const dynamo = await startEmbeddedDynamo(join(config.DATA_DIR, 'dynamodb'));
  let container: LocalContainer;
  try {
    const dynamoEndpoint = (await options.dynamoEndpointFor?.(dynamo.endpoint)) ?? dynamo.endpoint;
    container = await buildLocalContainer({ ...options, config, log, dynamoEndpoint });
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  const { seeded, usernames } = await seedDemoCountyIfEmpty(container.deps, config.GW_DEMO_PASSWORD);
  await seedDemoOpen311Key(container.deps.apiKeys, config.GW_DEMO_OPEN311_KEY, container.deps.clock.now());
  if (seeded) log('[seed] demo county 象州县 created');

  const consoleConfig = {
    auth: { kind: 'local' },
    ...(config.GW_MAP_TILE_URL ? { tileUrl: config.GW_MAP_TILE_URL, tileAttribution: config.GW_MAP_TILE_ATTRIBUTION ?? '' } : {}),
  };
  const server = createLocalServer(container.deps, {
    webRoot: options.webRoot ?? 'web/dist',
    log,
    limits: options.serverLimits,
    consoleConfig,
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(config.PORT, config.HOST, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  container.listeningAt(`http://${config.HOST}:${port}`);
  // Executions live in memory only: every report that is not closed continues from its stored
  // tier, phase and deadline; deadlines that passed while we were down fire at once.
  const resumed = await resumeOpenReports(container.deps);
  // Import jobs run in memory too: one that was queued or running when the process stopped runs again.
  await resumeOpenImports(container.deps);
  // Outcome counters a crash left behind the timeline (stored, not yet counted) are caught up.
  await catchUpOutcomes(container.deps);
  // The reconciler's nightly compaction of the counter items, hourly here (each county at most once a day).
  const compaction = setInterval(() => {
    compactOutcomes(container.deps).catch((error: unknown) => log(`[outcomes] compaction failed: ${String(error)}`));
  }, COMPACTION_INTERVAL_MS);
  compaction.unref();
  container.markReady();
  return {
    container,
    server,
    url: `http://${config.HOST}:${port}`,
    demoAccounts: usernames,
    resumed,
    stop: async () => {
      clearInterval(compaction);
      container.close();
      await new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections?.();
      await dynamo.stop();
    },
  };
}
