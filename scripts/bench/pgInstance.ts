/**
 * One instance of the service on a PostgreSQL log, in a process of its own (the instances scenario runs one
 * or two of them on one database, as two servers would). With `setup` it issues the delegate tokens and
 * submits the proposals the load and the fan-out use. Posts `{ url, port, tokens, proposals }` on its IPC
 * channel when it listens; closes on the message `exit`; answers `cpu` with its busiest second's CPU and
 * `batches` with its group commits so far by path (one round trip at its replica's head, or locked).
 */
import { delegateTokens, startServer, submitProposals } from './server';

export interface InstanceReady {
  url: string;
  port: number;
  tokens: { token: string; entityId: string }[];
  proposals: { id: string; authorEntityId: string }[];
}

const TOKENS = 100;
const PROPOSALS = 200;

const send = process.send?.bind(process);
const [databaseUrl, setup] = process.argv.slice(2);
if (!send || !databaseUrl) throw new Error('pgInstance.ts runs as a scenario child process: an IPC channel and a URL');
const server = await startServer(databaseUrl);
const tokens = setup === 'setup' ? await delegateTokens(server.runtime, TOKENS) : [];
const proposals = setup === 'setup' ? await submitProposals(server.url, tokens, PROPOSALS) : [];
// This process's CPU per second; `cpu` answers the busiest second since the last `cpu` (100 = one core).
let last = process.cpuUsage();
let peak = 0;
setInterval(() => {
  const used = process.cpuUsage(last);
  last = process.cpuUsage();
  peak = Math.max(peak, (used.user + used.system) / 10_000);
}, 1000).unref();
process.on('message', (message) => {
  if (message === 'exit') void server.close().then(() => process.exit(0));
  if (message === 'cpu') {
    send({ cpuPeakPercent: Math.round(peak) });
    peak = 0;
  }
  if (message === 'batches') send({ ...(server.runtime.store.remote?.batches ?? { head: 0, locked: 0 }) });
});
const ready: InstanceReady = { url: server.url, port: server.port, tokens, proposals };
send(ready);
