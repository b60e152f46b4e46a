import { parseArgs } from 'node:util';
import { nanoid } from 'nanoid';
import { signInLink } from '../src/tokens/signInLink';
import { issueToken, revokeToken, TokenRequestError } from '../src/tokens/tokens';
import { errorMessage, fail, operatorActor, runCli, withRuntime } from './cli';

const USAGE = `usage:
  npm run --silent token -- --role delegate --entity <entityId> --name "<person>"
  npm run --silent token -- --role secretariat|auditor --name "<person>"
  npm run --silent token -- --revoke <tokenId>
prints the new bearer token alone on stdout (its id and a sign-in link for the web page on stderr); only its sha256 is stored.`;

const parseOptions = () =>
  parseArgs({
    options: {
      role: { type: 'string' },
      entity: { type: 'string' },
      name: { type: 'string' },
      revoke: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  }).values;
let args: ReturnType<typeof parseOptions>;
try {
  args = parseOptions();
} catch (error) {
  fail(`${errorMessage(error)}\n${USAGE}`);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

runCli('token', async () => {
  try {
    await withRuntime(async (runtime, config) => {
      if (args.revoke !== undefined) {
        await revokeToken(runtime.store, args.revoke, operatorActor(), `cli-${nanoid(8)}`);
        process.stderr.write(`token ${args.revoke} revoked\n`);
        return;
      }
      if (args.role === undefined || args.name === undefined) fail(`--role and --name are required\n${USAGE}`);
      const { token, tokenId } = await issueToken(
        runtime.store,
        runtime.directory,
        { role: args.role, entityId: args.entity ?? null, person: args.name },
        operatorActor(),
        `cli-${nanoid(8)}`,
      );
      process.stderr.write(
        `token id ${tokenId} (${args.role}${args.entity ? ` for ${args.entity}` : ''}); revoke with --revoke ${tokenId}\n`,
      );
      // On stderr with the id: stdout stays the token alone, which scripts capture.
      process.stderr.write(`sign in: ${signInLink(config, token)}\n`);
      process.stdout.write(`${token}\n`);
    });
  } catch (error) {
    if (error instanceof TokenRequestError) fail(`token: ${error.message}`);
    throw error;
  }
});
