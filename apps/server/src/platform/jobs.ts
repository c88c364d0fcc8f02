import type { FastifyBaseLogger } from 'fastify';

/** Runs background jobs on intervals inside the server process; stop() waits for running ones. */
export function createJobRunner(log: FastifyBaseLogger) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  return {
    every(name: string, ms: number, job: () => Promise<unknown>) {
      let busy = false;
      const tick = () => {
        if (busy || stopped) return;
        busy = true;
        const p = job()
          .catch((err: unknown) => log.error({ err, job: name }, 'job failed'))
          .finally(() => {
            busy = false;
            running.delete(p);
          });
        running.add(p);
      };
      const t = setInterval(tick, ms);
      t.unref();
      timers.push(t);
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...running]);
    },
  };
}
