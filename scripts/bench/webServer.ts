/**
 * The web scenario's server, in a process of its own: run in the scenario's process, the server's work on
 * that thread after publishing an event (finishing and answering the command) delayed the plain `ws`
 * client's reading of the frame, which a browser in its own process did not wait for. Posts
 * `{ url, port, tokens }` on its IPC channel when it listens, with a group of 1,000 proposals filled;
 * closes on the message `exit`.
 */
import { delegateMetadata, proposalId, proposalStream, proposalSubmitted } from './domain';
import { dbFile, delegateTokens, startServer, type BenchServer } from './server';
import { LIST_GROUP, LIST_SIZE } from './webPage';

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

const send = process.send?.bind(process);
const dir = process.argv[2];
if (!send || !dir)
  throw new Error("webServer.ts runs as the web scenario's child process: an IPC channel and a scratch directory");
const server = await startServer(dbFile(dir, 'web'));
const tokens = await delegateTokens(server.runtime, 2);
await fillList(server);
process.on('message', (message) => {
  if (message === 'exit') void server.close().then(() => process.exit(0));
});
send({ url: server.url, port: server.port, tokens });
