// The balancer's configuration: the checked-in example is what the generator makes from the command
// line the README gives, and the generator refuses what HAProxy would misread.
import fs from 'node:fs';
import path from 'node:path';
import { balancerOptionsFrom, haproxyConfig } from '../../deploy/haproxy-config';

/** The command line README.md gives for deploy/haproxy.cfg. */
const EXAMPLE_ARGS = ['--bind', ':8080', '--shard', '10.0.0.11:3000', '--shard', '10.0.0.12:3000',
  '--tls-bind', ':8443', '--tls-certificate', '/etc/haproxy/simulator.pem', '--base-domain', 'sim.example.com'];

describe('the HAProxy configuration', () => {
  it('checked in as deploy/haproxy.cfg is the generator\'s output for the README\'s command line', () => {
    const checkedIn = fs.readFileSync(path.join(__dirname, '../../deploy/haproxy.cfg'), 'utf8');
    expect(checkedIn).toBe(haproxyConfig(balancerOptionsFrom(EXAMPLE_ARGS)));
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(`haproxy-config.js ${EXAMPLE_ARGS.join(' ')}`);
  });

  it('hashes ids modulo the number of shards, one backend each in SHARD_INDEX order', () => {
    const text = haproxyConfig({ bind: '127.0.0.1:3000', shards: ['127.0.0.1:3001', '127.0.0.1:3002', '127.0.0.1:3003'] });
    expect(text).toContain('var(txn.sandbox),crc32,mod(3)');
    expect(text).toMatch(/backend shard0\n {4}server shard0 127\.0\.0\.1:3001\n/);
    expect(text).toMatch(/backend shard2\n {4}server shard2 127\.0\.0\.1:3003\n/);
    expect(text).not.toContain('ssl crt');
    expect(text).not.toMatch(/sim\\\.example/);
  });

  it('refuses addresses that are not host:port, no shards, or half a TLS setting', () => {
    expect(() => haproxyConfig({ bind: '127.0.0.1:3000', shards: [] })).toThrow(/between 1 and 64/);
    expect(() => haproxyConfig({ bind: '127.0.0.1:3000', shards: ['10.0.0.1:3000 backup'] })).toThrow(/host:port/);
    expect(() => balancerOptionsFrom(['--bind', ':80', '--tls-bind', ':443'])).toThrow(/go together/);
    expect(() => balancerOptionsFrom(['--shard', '10.0.0.1:3000'])).toThrow(/--bind/);
    expect(() => balancerOptionsFrom(['--bind', ':80', '--weight', '2'])).toThrow(/Unknown option/);
  });
});
