/** `npm start`: the whole product on one machine. */
import { loadConfig } from '#wiring/config.ts';
import { startLocalRuntime } from './runtime.ts';

const config = loadConfig();
const runtime = await startLocalRuntime(config);
console.log(`GridWhistle 网格吹哨 is up at ${runtime.url} (TIME_SCALE=${config.TIME_SCALE}, data in ${config.DATA_DIR})`);
console.log(`  health:   ${runtime.url}/api/health`);
console.log(`  accounts: ${runtime.demoAccounts.join(', ')} — password from GW_DEMO_PASSWORD (default "demo")`);
console.log('            admin = county admin, worker1 = grid worker of the first grid');
console.log(
  `  open311:  ${runtime.url}/open311/v2/discovery.json — api_key for worker1: ${config.GW_DEMO_OPEN311_KEY} (GW_DEMO_OPEN311_KEY)`,
);
if (runtime.resumed > 0) console.log(`  resumed ${runtime.resumed} open report(s) from their stored state`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void runtime.stop().then(() => process.exit(0));
  });
}
