/**
 * The HTTP load generator (its own process, so that it never shares the server's thread): autocannon with
 * N connections posting comments and toggling endorsements across the plan's proposals. Endorsements are
 * drawn from slots (token, proposal) that are never in flight twice, so every request is a valid command:
 * an error is the server's, not the plan's.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { benchArgs, writeResult } from './lib';

export interface HttpPlan {
  url: string;
  /** Several servers (instances on one log): autocannon spreads the connections over them in turn. */
  urls?: string[];
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  tokens: { token: string; entityId: string }[];
  proposals: { id: string; authorEntityId: string }[];
}

export interface HttpLoadResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

interface Slot {
  token: string;
  proposalId: string;
  endorsed: boolean;
}

const args = benchArgs();
const planFile = args.rest[args.rest.indexOf('--plan') + 1] ?? '';
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as HttpPlan;

const slots: Slot[] = [];
for (const proposal of plan.proposals) {
  const seen = new Set<string>([proposal.authorEntityId]);
  for (const { token, entityId } of plan.tokens) {
    if (seen.has(entityId)) continue;
    seen.add(entityId);
    slots.push({ token, proposalId: proposal.id, endorsed: false });
  }
}
// Shuffled (deterministically) so that neighbouring endorsements go to different proposals: contention on
// one stream would measure retries of version conflicts, not throughput.
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
for (let i = slots.length - 1; i > 0; i -= 1) {
  const j = Math.floor(random() * (i + 1));
  [slots[i], slots[j]] = [slots[j] as Slot, slots[i] as Slot];
}
const idle = [...slots];
let sequence = 0;
const commentBody = JSON.stringify({
  body: 'We support the alert format; could the field list be reviewed after six months of use by all regions?',
});

interface Context {
  slot?: Slot;
}

function setupRequest(request: autocannon.Request, context: Context): autocannon.Request {
  sequence += 1;
  const slot = sequence % 2 === 0 ? idle.shift() : undefined;
  if (slot) {
    context.slot = slot;
    request.path = `/proposals/${slot.proposalId}/endorsements`;
    request.headers = { ...request.headers, authorization: `Bearer ${slot.token}`, 'content-type': 'application/json' };
    if (slot.endorsed) {
      request.method = 'DELETE';
      request.body = undefined;
      delete request.headers['content-type'];
    } else {
      request.method = 'POST';
      request.body = '{}';
    }
    return request;
  }
  context.slot = undefined;
  const proposal = plan.proposals[(sequence * 7) % plan.proposals.length];
  const token = plan.tokens[sequence % plan.tokens.length];
  request.method = 'POST';
  request.path = `/proposals/${proposal?.id}/comments`;
  request.headers = { ...request.headers, authorization: `Bearer ${token?.token}`, 'content-type': 'application/json' };
  request.body = commentBody;
  return request;
}

function onResponse(status: number, _body: string, context: Context): void {
  const slot = context.slot;
  if (!slot) return;
  if (status >= 200 && status < 300) slot.endorsed = !slot.endorsed;
  idle.push(slot);
  context.slot = undefined;
}

async function run(seconds: number) {
  return autocannon({
    url: plan.urls ?? plan.url,
    connections: plan.connections,
    duration: seconds,
    requests: [{ setupRequest: setupRequest as autocannon.Request['setupRequest'], onResponse }],
  } as autocannon.Options);
}

if (plan.warmupSeconds > 0) await run(plan.warmupSeconds);
const result = await run(plan.durationSeconds);
const statusCodes: Record<string, number> = {};
for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
  statusCodes[code] = (stats as { count: number }).count;
const output: HttpLoadResult = {
  requestsPerSecond: result.requests.average,
  requests: result.requests.total,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
  statusCodes,
};
writeResult(args.out, { figures: [], shared: output as unknown as Record<string, number> });
