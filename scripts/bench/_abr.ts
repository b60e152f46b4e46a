import BetterSqlite3 from 'better-sqlite3';
import { EventReader as Orig } from './_read_orig';
import { EventReader as New } from '../../src/eventStore/read';
const db = new BetterSqlite3(process.argv[2]!, { readonly: true });
const o = new Orig(db), n = new New(db);
const run = (r: Orig | New) => { const t = performance.now(); let after = 0, c = 0; for (;;) { const p = r.readPage(after, 500); if (!p.length) break; c += p.length; after = p[p.length-1]!.position; } return Math.round(performance.now() - t); };
const a: number[] = [], b: number[] = [];
for (let i = 0; i < 4; i++) { a.push(run(o)); b.push(run(n)); }
console.log('orig ms', a.join(' '), '| raw ms', b.join(' '));
