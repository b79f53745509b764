// Structured logs with pino; secrets are censored by key wherever they would appear.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, at the top level or one level down. */
export const SECRET_KEYS = [
  'password', 'confirmPassword', 'newPassword', 'verificationPin', 'verificationWord', 'accessCode',
  'pin', 'word', 'token', 'resetToken', 'sessionId', 'sid', 'cookie', 'authorization', '_csrf', 'csrfToken',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: undefined };
  return destination ? pino(options, destination) : pino(options);
}
