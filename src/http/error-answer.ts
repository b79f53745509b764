// An error answered outside the app's error handler (before a sandbox's app, or by an injected
// fault): a small HTML page for a browser, { error: { code, message } } for scripts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import accepts from 'accepts';
import { escapeHtml } from '../lib/html';

export interface ErrorAnswer {
  status: number;
  /** Stable and machine-readable: scripts and tests assert on it. */
  code: string;
  title: string;
  message: string;
  /** Where a person can go from here. */
  links?: Array<{ href: string; text: string }>;
}

/**
 * The page stands alone (it may be served for a host with no sandbox behind it, where nothing else
 * loads), so it allows nothing at all to load or run.
 */
const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * Whether the client would rather have HTML than JSON: a browser says so in its Accept header.
 * JSON comes first, so a script that sends no Accept, or `*\/*`, keeps getting JSON; the simulator
 * API always answers JSON.
 */
export function prefersHtml(req: IncomingMessage): boolean {
  if ((req.url ?? '').startsWith('/sim/api')) return false;
  return accepts(req).type(['json', 'html']) === 'html';
}

export function sendErrorAnswer(req: IncomingMessage, res: ServerResponse, answer: ErrorAnswer): void {
  res.statusCode = answer.status;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Vary', 'Accept');
  if (!prefersHtml(req)) {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: { code: answer.code, message: answer.message } }));
    return;
  }
  for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  const links = (answer.links ?? [])
    .map((link) => `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></li>`).join('\n');
  res.end(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(answer.title)} – @Work Portal Simulator</title>
</head>
<body>
<main>
<h1>${escapeHtml(answer.title)}</h1>
<p role="alert" data-testid="error-message" data-error-code="${escapeHtml(answer.code)}">${escapeHtml(answer.message)}</p>
${links ? `<ul>\n${links}\n</ul>\n` : ''}</main>
</body>
</html>
`);
}
