/**
 * The embedded DynamoDB (dynalite) in a process of its own, forked by embedded-dynamo.ts: its
 * request parsing, expression evaluation and LevelDB work no longer share the event loop of the
 * HTTP server and the workflows.
 *
 *   argv[2]: the directory dynalite keeps its data in (DATA_DIR/dynamodb); omitted: in memory.
 *
 * It listens on 127.0.0.1 on a free port and sends `{ port }` over IPC. It lives exactly as long as
 * its parent: when the IPC channel closes (the parent exited, cleanly or by `kill -9`) it closes
 * dynalite and exits, because a second dynalite on the same directory would fail on its first
 * request. Ctrl-C reaches the whole process group: this process ignores SIGINT and waits for its
 * parent to stop it (`{ stop: true }` or SIGTERM), so requests in flight while the server shuts
 * down still get their answers.
 */
import type { AddressInfo } from 'node:net';
import dynalite from './atomic-dynalite.ts';

const path = process.argv[2];
const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0 });

let closing = false;
function closeAndExit(code: number): void {
  if (closing) return;
  closing = true;
  // A wedged close must not keep an orphan on the directory.
  setTimeout(() => process.exit(code), 5_000).unref();
  server.close(() => process.exit(code));
}

if (!process.send) {
  console.error('dynamo-process: start it with fork() (it reports its port over IPC)');
  process.exit(2);
}
process.on('disconnect', () => closeAndExit(0));
process.on('message', (message: { stop?: boolean }) => {
  if (message?.stop) closeAndExit(0);
});
process.on('SIGTERM', () => closeAndExit(0));
process.on('SIGINT', () => undefined);

server.once('error', (error: Error) => {
  console.error(`dynamo-process: ${error.message}`);
  process.exit(1);
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
