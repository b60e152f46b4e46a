/**
 * The web scenario's server, in a process of its own: run in the scenario's process, its synchronous work
 * after publishing an event (the 201's similar proposals, the search index) held back the measuring `ws`
 * client's reads, which a browser in its own process did not wait for. Posts `{ url, port, tokens }` on its
 * IPC channel when it listens, with a group of 1,000 proposals filled; closes on the message `exit`.
 */
import { delegateMetadata, proposalId, proposalStream, proposalSubmitted } from './domain';
import { dbFile, delegateTokens, startServer, type BenchServer } from './server';

export const LIST_SIZE = 1000;
export const LIST_GROUP = 'operational';

/** The list's proposals, appended through the store as real events (the projection lists them). */
async function fillList(server: BenchServer): Promise<void> {
  for (let index = 0; index < LIST_SIZE; index += 1) {
    const event = proposalSubmitted(index, LIST_GROUP);
    // Fixed width, so that no title is a prefix of another.
    event.data.title = `Shared alert format for cross-border notices, draft ${String(index).padStart(4, '0')}`;
    await server.runtime.store.append({
      streamId: proposalStream(proposalId(index)),
      expectedVersion: 'no-stream',
      events: [event],
      metadata: delegateMetadata(event.data.authorEntityId, `bench-web-${index}`),
    });
  }
}

if (process.send) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: webServer.ts <scratch dir>');
  const server = await startServer(dbFile(dir, 'web'));
  const tokens = await delegateTokens(server.runtime, 2);
  await fillList(server);
  process.on('message', (message) => {
    if (message === 'exit') void server.close().then(() => process.exit(0));
  });
  process.send({ url: server.url, port: server.port, tokens });
}
