// The answer to a request for a sandbox that does not exist (deleted, closed when idle, or never
// made): a page for a person who followed an old link, JSON for a script.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxHosts } from '../lib/sandbox-host';
import { sendErrorAnswer } from './error-answer';

/**
 * Where the default sandbox is for this request. A sandbox chosen by its host has the default on
 * the bare name beside it (localhost or the base domain, same port); one chosen by the
 * X-Sim-Sandbox header shares the default's host, which a browser reaches without the header. Only
 * ever a name the simulator knows as its own: a Host header is the client's to forge, so it never
 * names another site in a link.
 */
function defaultSandboxBase(req: IncomingMessage, hosts: SandboxHosts): string {
  const chosenByHeader = typeof req.headers['x-sim-sandbox'] === 'string' && req.headers['x-sim-sandbox'] !== '';
  const beside = chosenByHeader ? undefined : hosts.defaultHostBeside(req.headers.host ?? '');
  return beside === undefined ? '' : `//${beside}`;
}

function requestedSandbox(req: IncomingMessage): string {
  const header = req.headers['x-sim-sandbox'];
  if (typeof header === 'string' && header !== '') return header;
  return (req.headers.host ?? '').split('.')[0] ?? '';
}

export function answerUnknownSandbox(req: IncomingMessage, res: ServerResponse, hosts: SandboxHosts): void {
  const base = defaultSandboxBase(req, hosts);
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
