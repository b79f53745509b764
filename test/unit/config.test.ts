import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      logLevel: 'info',
      trustProxy: false,
      bcryptCost: 12,
    });
    expect(config.rules.sessionIdleMs).toBe(15 * 60_000);
    expect(config.rules.sessionAbsoluteMs).toBe(8 * 3_600_000);
  });

  it('reads PORT, HOST, DATA_DIR, SIM_TOKEN, LOG_LEVEL and TRUST_PROXY', () => {
    const config = loadConfig({
      PORT: '8080', HOST: '0.0.0.0', DATA_DIR: '/tmp/x', SIM_TOKEN: 'a-long-enough-token', LOG_LEVEL: 'warn', TRUST_PROXY: 'loopback',
    });
    expect(config).toMatchObject({
      port: 8080, host: '0.0.0.0', dataDir: '/tmp/x', simToken: 'a-long-enough-token', logLevel: 'warn', trustProxy: 'loopback',
    });
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });

  it('refuses bad values with a message naming each one', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', SIM_TOKEN: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/LOG_LEVEL/);
    }
  });

  it('never lets bcrypt run below cost 4', () => {
    expect(() => loadConfig({ BCRYPT_COST: '3' })).toThrow(ConfigError);
  });
});
