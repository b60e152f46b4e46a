import { systemClock } from '../../src/config';
import { openRuntime } from '../../src/runtime';
import { commentAdded, delegateMetadata, proposalId, proposalStream, proposalSubmitted } from './domain';
import { rmSync } from 'node:fs';
rmSync('/tmp/prof', { recursive: true, force: true });
const runtime = await openRuntime({ DATABASE_URL: '/tmp/prof/ours.sqlite', SQLITE_SYNCHRONOUS: (process.env.SYNC ?? 'FULL') as 'FULL', BUSY_TIMEOUT_MS: 5000 }, systemClock);
const versions: number[] = [];
for (let p = 0; p < 200; p++) { await runtime.store.append({ streamId: proposalStream(proposalId(p)), expectedVersion: 'no-stream', events: [proposalSubmitted(p, 'strategic')], metadata: delegateMetadata('europol', 's') }); versions.push(1); }
const t = performance.now(); let n = 0;
while (performance.now() - t < 5000) { const p = n % 200; const e = commentAdded(p, 'strategic', n);
  await runtime.store.append({ streamId: proposalStream(proposalId(p)), expectedVersion: versions[p]!, events: [e], metadata: delegateMetadata('europol', `b${n}`) }); versions[p]!++; n++; }
console.log(Math.round(n / (performance.now() - t) * 1000), 'events/s');
await runtime.close();
