import { systemClock } from '../../src/config';
import { openRuntime } from '../../src/runtime';
import { EventStore as Orig } from './_store_orig';
import { EventStore as New } from '../../src/eventStore/store';
import { commentAdded, delegateMetadata, proposalId, proposalStream, proposalSubmitted } from './domain';
import { rmSync } from 'node:fs';
rmSync('/tmp/ab', { recursive: true, force: true });
const sync = (process.env.SYNC ?? 'FULL') as 'FULL';
async function mk(name: string, Ctor: typeof New | typeof Orig) {
  const runtime = await openRuntime({ DATABASE_URL: `/tmp/ab/${name}.sqlite`, SQLITE_SYNCHRONOUS: sync, BUSY_TIMEOUT_MS: 5000 }, systemClock);
  const store = new (Ctor as typeof New)(runtime.db.sqlite, runtime.projections, systemClock);
  const versions: number[] = [];
  for (let p = 0; p < 200; p++) { await store.append({ streamId: proposalStream(proposalId(p)), expectedVersion: 'no-stream', events: [proposalSubmitted(p, 'strategic')], metadata: delegateMetadata('europol', 's') }); versions.push(1); }
  let n = 0;
  return async (ms: number) => { const t = performance.now(); let c = 0;
    while (performance.now() - t < ms) { const p = n % 200; const e = commentAdded(p, 'strategic', n);
      await store.append({ streamId: proposalStream(proposalId(p)), expectedVersion: versions[p]!, events: [e], metadata: delegateMetadata('europol', `b${n}`) }); versions[p]!++; n++; c++; }
    return Math.round(c / (performance.now() - t) * 1000); };
}
const a = await mk('orig', Orig), b = await mk('new', New);
const ra: number[] = [], rb: number[] = [];
for (let i = 0; i < 6; i++) { ra.push(await a(1000)); rb.push(await b(1000)); }
console.log(sync, 'orig', ra.join(' '), '| new', rb.join(' '));
