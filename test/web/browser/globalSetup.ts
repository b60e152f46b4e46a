import { hasChromium, SKIP_REASON } from './chromium';

/** One line in the run's output when the browser tests cannot run, instead of one per file. */
export default function setup(): void {
  if (!hasChromium) process.stdout.write(`${SKIP_REASON}\n`);
}
