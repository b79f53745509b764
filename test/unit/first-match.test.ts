import { EventEmitter } from 'node:events';
import { firstMatch } from '../../src/lib/first-match';

describe('firstMatch (the long polls\' wait)', () => {
  it('answers the first woken value that matches, and stops listening', async () => {
    const emitter = new EventEmitter();
    const waiting = firstMatch(emitter, 'sent', (n: number) => (n > 1 ? n : undefined), 1_000);
    emitter.emit('sent', 1);
    emitter.emit('sent', 2);
    await expect(waiting).resolves.toBe(2);
    expect(emitter.listenerCount('sent') + emitter.listenerCount('interrupted')).toBe(0);
  });

  it('answers undefined at the timeout or when the caller goes away', async () => {
    const emitter = new EventEmitter();
    await expect(firstMatch(emitter, 'sent', () => undefined, 10)).resolves.toBeUndefined();
    const gone = new AbortController();
    const waiting = firstMatch(emitter, 'sent', () => undefined, 60_000, gone.signal);
    gone.abort();
    await expect(waiting).resolves.toBeUndefined();
    expect(emitter.listenerCount('sent')).toBe(0);
  });

  it('rejects with what interrupts it, and with a failure to look, without throwing into the emitter', async () => {
    const emitter = new EventEmitter();
    const reset = firstMatch(emitter, 'sent', () => undefined, 60_000);
    emitter.emit('interrupted', new Error('sandbox_reset'));
    await expect(reset).rejects.toThrow('sandbox_reset');
    const broken = firstMatch(emitter, 'sent', () => { throw new Error('database closed'); }, 60_000);
    expect(() => emitter.emit('sent')).not.toThrow();
    await expect(broken).rejects.toThrow('database closed');
  });
});
