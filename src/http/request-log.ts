// One structured log line per request. Only the method, a redacted path and figures are logged:
// never a body, a query string, a cookie or a header that could carry a secret.
import type { RequestHandler } from 'express';
import type { Logger } from '../lib/logger';

/** Path segments that are secrets themselves (single-use links). */
const SECRET_PATH_SEGMENTS = [/^(\/reset-password\/)[^/?]+/];

export function redactPath(path: string): string {
  return SECRET_PATH_SEGMENTS.reduce((redacted, pattern) => redacted.replace(pattern, '$1[redacted]'), path);
}

export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    // Below info, request lines are never written: spare every request the listener and the clock.
    if (!logger.isLevelEnabled('info')) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = redactPath(req.originalUrl.split('?')[0] ?? '');
      logger.info({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
