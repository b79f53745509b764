// The simulator API's guard: a bearer token, compared in constant time.
import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../lib/errors';

/** Compares through fixed-length digests, so neither the time taken nor an early exit tells how much matched. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export function requireSimToken(token: string): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match || !tokenMatches(match[1]!, token)) {
      res.set('WWW-Authenticate', 'Bearer realm="atwork-sim"');
      next(new AppError(401, 'unauthorized', 'A valid simulator token is required: Authorization: Bearer <token>.'));
      return;
    }
    next();
  };
}
