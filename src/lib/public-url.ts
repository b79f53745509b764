// The origins put into links a sandbox writes (e-mails, API answers). The request's own host is used
// only when it is a loopback name or under the configured base domain; any other Host header could
// be forged to point reset links elsewhere, so it falls back to the configured address.
import type { Request } from 'express';
import type { Config } from '../config';
import { DEFAULT_SANDBOX_ID } from './sandbox-id';
import { SandboxHosts } from './sandbox-host';

const LOOPBACK_HOST = /^(localhost|[a-z0-9-]+\.localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d{1,5})?$/i;
const SUBDOMAIN_OF_LOCALHOST = /^[a-z0-9-]+\.localhost(:\d{1,5})?$/i;

/** One SandboxHosts per base domain: configs are made once per process, links many times a second. */
const hostsByDomain = new Map<string | undefined, SandboxHosts>();
function hostsOf(config: Config): SandboxHosts {
  let hosts = hostsByDomain.get(config.baseDomain);
  if (!hosts) hostsByDomain.set(config.baseDomain, (hosts = new SandboxHosts(config.baseDomain)));
  return hosts;
}

function configuredBaseUrl(config: Config): string {
  return `http://${config.host}:${config.port}`;
}

const portSuffixOf = (host: string): string => {
  const port = /:(\d{1,5})$/.exec(host)?.[1];
  return port ? `:${port}` : '';
};

/** Where a sandbox lives when no request says which port it is reached on: the configured one. */
export function configuredSandboxOrigin(config: Config, sandboxId: string): string {
  return sandboxId === DEFAULT_SANDBOX_ID ? configuredBaseUrl(config) : `http://${sandboxId}.localhost:${config.port}`;
}

/**
 * The origin of the sandbox a request addresses, however it addressed it: under the base domain at
 * <id>.<base domain>, else the default sandbox at the request's loopback host and any other at
 * http://<id>.localhost, on the request's port.
 */
export function sandboxOrigin(req: Request, config: Config, sandboxId: string): string {
  const host = req.get('host') ?? '';
  const portSuffix = portSuffixOf(host);
  if (config.baseDomain && hostsOf(config).isUnderBaseDomain(host)) {
    return `${req.protocol}://${sandboxId === DEFAULT_SANDBOX_ID ? '' : `${sandboxId}.`}${config.baseDomain}${portSuffix}`;
  }
  if (!LOOPBACK_HOST.test(host)) return configuredSandboxOrigin(config, sandboxId);
  if (sandboxId !== DEFAULT_SANDBOX_ID) return `${req.protocol}://${sandboxId}.localhost${portSuffix}`;
  // Another sandbox's host name would send the reader to that sandbox.
  return SUBDOMAIN_OF_LOCALHOST.test(host) ? `${req.protocol}://localhost${portSuffix}` : `${req.protocol}://${host}`;
}

/** Where a browser reaches a sandbox: its own host name (<id>.<base domain> or <id>.localhost), on this request's port. */
export function sandboxUrl(req: Request, config: Config, sandboxId: string): string {
  const host = req.get('host') ?? '';
  const domain = config.baseDomain && hostsOf(config).isUnderBaseDomain(host) ? config.baseDomain : 'localhost';
  return `${req.protocol}://${sandboxId}.${domain}${portSuffixOf(host)}`;
}
