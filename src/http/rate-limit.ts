// Rate limits on the sign-in forms: a brake on password guessing from one address, before lockout.
import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { AppError } from '../lib/errors';

const WINDOW_MS = 60_000;

export function authRateLimit(limitPerMinute: number): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: limitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new AppError(429, 'too_many_requests', 'Too many attempts from your network. Please wait a minute and try again.'));
    },
  });
}
