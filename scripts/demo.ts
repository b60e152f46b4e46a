import { buildApp } from '../src/app';
import { loadConfig, systemClock } from '../src/config';
import { holdsUserEvents } from '../src/dialogue/seed';
import { openRuntime } from '../src/runtime';
import { serviceUrl, signInLink } from '../src/tokens/signInLink';
import { DemoFiller, type Person } from './demo/fill';
import { fail, operatorActor, runCli } from './cli';

/** The five people whose sign-in links are printed, and why each is worth trying. */
const SHOWN: Array<{ key: string; label: string }> = [
  { key: 'ameripol', label: 'delegate of a member entity' },
  { key: 'unodc', label: 'delegate of an observer entity (sees no members-only content)' },
  { key: 'interpol', label: 'delegate of a chair entity (chairs the strategic group)' },
  { key: 'secretariat', label: 'secretariat' },
  { key: 'auditor', label: 'auditor' },
];

runCli('demo', async () => {
  const config = loadConfig();
  if (config.DATABASE_URL === ':memory:')
    fail(
      'demo: DATABASE_URL=:memory: would be lost when the demo exits, with the tokens it prints: give a database file',
    );
  const runtime = await openRuntime(config, systemClock);
  try {
    if (holdsUserEvents(runtime.db.sqlite)) {
      fail(
        `demo: the database ${config.DATABASE_URL} already holds events beyond the reference data; the demo fills only a fresh database`,
      );
    }
    const app = await buildApp({ runtime, config });
    let people: Map<string, Person>;
    try {
      await app.ready();
      people = await new DemoFiller(app, runtime, operatorActor(), (line) => process.stderr.write(`${line}\n`)).fill();
    } finally {
      await app.close();
    }
    process.stderr.write(`demo: ${runtime.store.reader.head().position} events in ${config.DATABASE_URL}\n`);
    const lines = SHOWN.flatMap(({ key, label }) => {
      const person = people.get(key);
      if (!person) return [];
      const who = `${person.role}${person.entityId ? ` of ${person.entityId}` : ''}, "${person.person}"`;
      return [`${label}: ${who}`, `  token: ${person.token}`, `  link:  ${signInLink(config, person.token)}`];
    });
    process.stdout.write(
      [
        'The demo Dialogue is ready. Start the server with `npm start`, then open a link below in a browser',
        '(each signs in as that person; use separate browser windows or profiles to be several at once).',
        `The tokens work with the API too: curl -H "Authorization: Bearer <token>" ${serviceUrl(config, 'groups')}`,
        '',
        ...lines,
        '',
      ].join('\n'),
    );
  } finally {
    await runtime.close();
  }
});
