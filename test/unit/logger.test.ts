import { Writable } from 'node:stream';
import { createLogger } from '../../src/lib/logger';
import { redactPath } from '../../src/http/request-log';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(chunk.toString()); cb(); } });
  return { logger: createLogger('info', sink), lines };
}

describe('logger', () => {
  it('censors secrets by key, at the top level and one level down', () => {
    const { logger, lines } = capture();
    logger.info({
      password: 'Hunter2-Hunter2', verificationPin: '4821', verificationWord: 'hammock', accessCode: 'AC-123',
      body: { password: 'Nested-Secret-9', _csrf: 'csrf-value' }, sessionId: 'sid-value', userId: 'globex.primary',
    }, 'something happened');
    const line = lines.join('');
    for (const secret of ['Hunter2-Hunter2', '4821', 'hammock', 'AC-123', 'Nested-Secret-9', 'csrf-value', 'sid-value']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('globex.primary');
    expect(line).toContain('[redacted]');
  });

  it('redacts single-use tokens in paths', () => {
    expect(redactPath('/reset-password/abc123XYZ')).toBe('/reset-password/[redacted]');
    expect(redactPath('/login')).toBe('/login');
  });
});
