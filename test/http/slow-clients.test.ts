// Slow clients against the real server: a browser's request is never cut off, a trickle is.
import net from 'node:net';
import { CONNECTIONS_CHECK_INTERVAL_MS, HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../../src/http/http-server';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';

jest.setTimeout(120_000);

let server: ServerProcess;
beforeAll(async () => { server = await startServerProcess(); });
afterAll(async () => { await server.cleanUp(); });

interface Trickle {
  /** Milliseconds from the first byte until the server closed the connection. */
  closedAfterMs: number;
  /** What the server answered before closing, if anything. */
  answer: string;
}

/** Sends `opening` at once, then `trickled` a byte at a time, `everyMs` apart, never reaching its end. */
function trickle(port: number, opening: string, trickled: string, everyMs: number, giveUpAfterMs: number): Promise<Trickle> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const head = opening + trickled;
    let sent = opening.length;
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    const started = Date.now();
    const giveUp = setTimeout(() => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(`still connected after ${giveUpAfterMs} ms`));
    }, giveUpAfterMs);
    const sendNext = () => {
      if (sent < head.length && !socket.destroyed) socket.write(head[sent++]!);
      timer = setTimeout(sendNext, everyMs);
    };
    socket.on('connect', () => {
      socket.write(opening);
      sendNext();
    });
    socket.on('data', (chunk: Buffer) => { answer += chunk.toString('utf8'); });
    socket.on('error', () => { /* a reset is a close too */ });
    socket.on('close', () => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      resolve({ closedAfterMs: Date.now() - started, answer });
    });
  });
}

describe('the server with a slow client', () => {
  it('cuts off clients that trickle their request head or body, within seconds rather than minutes', async () => {
    const slack = CONNECTIONS_CHECK_INTERVAL_MS + 2_000;
    const [head, body] = await Promise.all([
      trickle(server.port, 'GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n', `X-Slow: ${'x'.repeat(10_000)}`, 200, HEADERS_TIMEOUT_MS + 30_000),
      trickle(server.port, 'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\n\r\n',
        'x'.repeat(10_000), 200, REQUEST_TIMEOUT_MS + 30_000),
    ]);
    expect(head.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 500);
    expect(head.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + slack);
    expect(body.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 500);
    expect(body.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + slack);
    // Node answers 408 before it closes, unless the answer has already begun.
    for (const { answer } of [head, body]) if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('still serves a request whose head arrives in two pieces a second apart, as over a slow link', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(server.port, '127.0.0.1');
      let received = '';
      socket.on('connect', () => {
        socket.write('GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        setTimeout(() => socket.write('Accept: text/html\r\nConnection: close\r\n\r\n'), 1_000);
      });
      socket.on('data', (chunk: Buffer) => { received += chunk.toString('utf8'); });
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});
