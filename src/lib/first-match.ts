// The simulator's long polls wait the same way: for the first thing that matches, looked for again
// each time `emitter` emits `wake`; undefined at the timeout or when the caller goes away; rejected
// with what an 'interrupted' event carries (the sandbox reset or deleted under the wait).
import type { EventEmitter } from 'node:events';

export function firstMatch<T, Woken extends unknown[] = []>(
  emitter: EventEmitter, wake: string, look: (...woken: Woken) => T | undefined, timeoutMs: number, cancelled?: AbortSignal,
): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      emitter.off(wake, onWake);
      emitter.off('interrupted', onInterrupted);
      cancelled?.removeEventListener('abort', onAbort);
    };
    const finish = (found: T | undefined) => {
      stop();
      resolve(found);
    };
    const onInterrupted = (error: Error) => {
      stop();
      reject(error);
    };
    // Runs in whatever emitted `wake` (another request's work): a failure to look ends this wait, not that work.
    const onWake = (...woken: Woken) => {
      let found: T | undefined;
      try {
        found = look(...woken);
      } catch (error) {
        onInterrupted(error as Error);
        return;
      }
      if (found !== undefined) finish(found);
    };
    const onAbort = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    emitter.on(wake, onWake);
    emitter.on('interrupted', onInterrupted);
    cancelled?.addEventListener('abort', onAbort);
  });
}
