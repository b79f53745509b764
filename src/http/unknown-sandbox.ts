// The answer to a request for a sandbox that does not exist (deleted, closed when idle, or never
// made): a page for a person who followed an old link, JSON for a script.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendErrorAnswer } from './error-answer';

/** A sandbox's own host, `<id>.localhost[:port]`; the default sandbox is on `localhost[:port]`. */
const SANDBOX_HOST = /^[a-z0-9][a-z0-9-]{2,39}\.localhost(:\d{1,5})?$/i;

/**
 * Where the default sandbox is for this request. A sandbox chosen by its host has the default on
 * plain localhost (same port); one chosen by the X-Sim-Sandbox header shares the default's host,
 * which a browser reaches without the header. Only ever a localhost address: a Host header is the
 * client's to forge, so it never names another site in a link.
 */
function defaultSandboxBase(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  const chosenByHeader = typeof req.headers['x-sim-sandbox'] === 'string' && req.headers['x-sim-sandbox'] !== '';
  if (chosenByHeader || !SANDBOX_HOST.test(host)) return '';
  return `//localhost${SANDBOX_HOST.exec(host)![1] ?? ''}`;
}

function requestedSandbox(req: IncomingMessage): string {
  const header = req.headers['x-sim-sandbox'];
  if (typeof header === 'string' && header !== '') return header;
  return (req.headers.host ?? '').split('.')[0] ?? '';
}

export function answerUnknownSandbox(req: IncomingMessage, res: ServerResponse): void {
  const base = defaultSandboxBase(req);
  sendErrorAnswer(req, res, {
    status: 404,
    code: 'unknown_sandbox',
    title: 'No such sandbox',
    message: `There is no sandbox "${requestedSandbox(req)}": it was deleted, closed when idle, or never made.`,
    links: [
      { href: `${base}/`, text: 'Go to the default sandbox' },
      { href: `${base}/sim`, text: 'Open the simulator console' },
    ],
  });
}
