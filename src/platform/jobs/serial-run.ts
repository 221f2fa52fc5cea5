/**
 * The kind of an error, safe to log: its code or class name, never its message, which may quote
 * the row (an address) it failed on.
 * @example log.error({ error: errorKind(error) }, 'survey invitations failed')
 */
export function errorKind(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown';
}

/**
 * A batched background job that runs once at a time in this process: a call during a run waits
 * for it, then runs again (other instances are kept apart by the job's own cursor in the
 * database). `start` runs it in the background after an action; `drain` waits for it (at
 * shutdown, and in tests).
 * @example const notices = serialRun(sendAll, (kind) => warn('notices stopped', { error: kind }));
 */
export function serialRun(job: () => Promise<number>, onBackgroundError: (kind: string) => void) {
  let running: Promise<number> | null = null;

  async function run(): Promise<number> {
    while (running) await running.catch(() => 0);
    running = job();
    try {
      return await running;
    } finally {
      running = null;
    }
  }

  return {
    run,
    start: (): void => {
      void run().catch((error: unknown) => onBackgroundError(errorKind(error)));
    },
    drain: async (): Promise<void> => {
      while (running) await running.catch(() => 0);
    },
  };
}
