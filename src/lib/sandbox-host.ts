// The host names that address a sandbox: <id>.localhost on any port, and, when the simulator is
// given a base domain (SIM_BASE_DOMAIN), <id>.<base domain>; the bare names are the default sandbox.
const SANDBOX_ID_PART = '([a-z0-9][a-z0-9-]{2,39})';
const PORT_PART = '(?::\\d{1,5})?';

const escapeForRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class SandboxHosts {
  /** Groups: the id, the domain it is under, the port suffix. */
  private readonly sandboxHost: RegExp;
  private readonly underBaseDomain: RegExp | undefined;

  constructor(readonly baseDomain: string | undefined) {
    const domains = ['localhost', ...(baseDomain ? [escapeForRegExp(baseDomain)] : [])].join('|');
    this.sandboxHost = new RegExp(`^${SANDBOX_ID_PART}\\.(${domains})(${PORT_PART})$`, 'i');
    this.underBaseDomain = baseDomain ? new RegExp(`^(?:[a-z0-9-]+\\.)?${escapeForRegExp(baseDomain)}${PORT_PART}$`, 'i') : undefined;
  }

  /** The sandbox id a Host header names, lower case, or undefined for any other host. */
  idOf(host: string): string | undefined {
    return this.sandboxHost.exec(host)?.[1]?.toLowerCase();
  }

  /** The default sandbox's host beside a sandbox's own host (<id>.localhost:3000 → localhost:3000), or undefined for any other host. */
  defaultHostBeside(host: string): string | undefined {
    const match = this.sandboxHost.exec(host);
    return match ? `${match[2]!.toLowerCase()}${match[3] ?? ''}` : undefined;
  }

  /** The base domain itself or a name under it, any port: a host the simulator was told is its own. */
  isUnderBaseDomain(host: string): boolean {
    return this.underBaseDomain?.test(host) ?? false;
  }
}
