// The HTTP server the simulator listens with: Node's, with limits on how slowly a client may send.
import http from 'node:http';

/**
 * A browser sends a request's head in one go, milliseconds after connecting; 10 s covers a
 * congested mobile link many times over. A client still sending its head after that is trickling
 * bytes to hold a connection (Node waits 60 s by default).
 */
export const HEADERS_TIMEOUT_MS = 10_000;
/**
 * The whole request, body included. The largest body taken is 64 kB of JSON (16 kB for forms),
 * under 7 s even at 10 kB/s; Node's default lets a trickling body hold a connection for 300 s.
 * Only the receiving is timed: a long poll that waits before it answers is not cut off.
 */
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * How often Node looks for requests past those limits. Its default, 30 s, would let a trickling
 * client hold on for up to 40 s rather than 10; a pass over the open connections each second is cheap.
 */
export const CONNECTIONS_CHECK_INTERVAL_MS = 1_000;

/**
 * How long a kept-alive connection may sit idle between requests. Node's 5 s races with clients that
 * keep a pool of idle sockets and do not read the Keep-Alive hint, as test runners' API clients do: a
 * client busy for a moment (writing a trace) sends its next request on a socket the server has just
 * closed and gets ECONNRESET. The usual remedy is a server that keeps idle sockets longer than its
 * clients do; a minute covers a test between its setup and teardown calls. An idle socket costs a
 * file descriptor; shutdown closes idle ones at once.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createHttpServer(listener: http.RequestListener): http.Server {
  const server = http.createServer({
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS,
  }, listener);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return server;
}
