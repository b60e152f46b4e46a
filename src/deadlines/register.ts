import type { FastifyInstance } from 'fastify';
import type { SigningKey } from '../audit/signing';
import type { Config } from '../config';
import { overdueDeadline } from '../actionItems/deadline';
import { silenceDeadline } from '../editions/declaration/deadline';
import { consultationDeadline } from '../proposals/deadline';
import type { Runtime } from '../runtime';
import type { SomeDeadlineKind } from './kind';
import { Scheduler } from './scheduler';

declare module 'fastify' {
  interface FastifyInstance {
    /** Fires the deadlines of the log as they pass (see src/deadlines/scheduler.ts). */
    scheduler: Scheduler;
  }
}

/** Every kind of deadline the server fires; `key` signs adopted declarations. */
export function deadlineKinds(runtime: Runtime, key: SigningKey): SomeDeadlineKind[] {
  return [
    consultationDeadline(runtime.proposals),
    overdueDeadline(runtime.actionItems),
    silenceDeadline(runtime.declarations, key),
  ];
}

/** The server's scheduler: started once the app is ready (unless turned off), stopped before it closes. */
export function registerScheduler(app: FastifyInstance, runtime: Runtime, config: Config, key: SigningKey): void {
  const scheduler = new Scheduler(
    runtime.commands,
    deadlineKinds(runtime, key),
    runtime.clock,
    config.SCHEDULER_INTERVAL_MS,
    app.log,
  );
  app.decorate('scheduler', scheduler);
  if (config.SCHEDULER_INTERVAL_MS > 0) app.addHook('onReady', async () => scheduler.start());
  app.addHook('onClose', async () => scheduler.stop());
}
