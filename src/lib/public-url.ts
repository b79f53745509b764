// The base URL put into e-mailed links. The request's own host is used only when it is a loopback
// name (so a sandbox at <id>.localhost gets links to itself); any other Host header could be forged
// to point reset links elsewhere, so it falls back to the configured address.
import type { Request } from 'express';
import type { Config } from '../config';

const LOOPBACK_HOST = /^(localhost|[a-z0-9-]+\.localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d{1,5})?$/i;

export function configuredBaseUrl(config: Config): string {
  return `http://${config.host}:${config.port}`;
}

export function publicBaseUrl(req: Request, config: Config): string {
  const host = req.get('host') ?? '';
  return LOOPBACK_HOST.test(host) ? `${req.protocol}://${host}` : configuredBaseUrl(config);
}
