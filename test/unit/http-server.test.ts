// The simulator's HTTP server keeps an idle connection long enough for a client to come back on it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../src/http/http-server';

jest.setTimeout(20_000);

describe('the HTTP server', () => {
  it('answers a kept-alive connection that sat idle for longer than Node\'s default 5 s', async () => {
    const server = createHttpServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () => new Promise<{ status: number; reused: boolean; keepAlive: string | undefined }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket, keepAlive: res.headers['keep-alive'] as string | undefined }));
      });
      req.on('error', reject);
    });
    try {
      const first = await get();
      expect(first.keepAlive).toBe('timeout=65');
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      // The pooled socket is still open, so the request goes out on it and is answered.
      expect(await get()).toEqual({ status: 200, reused: true, keepAlive: 'timeout=65' });
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
