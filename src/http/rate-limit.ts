// Rate limits on the sign-in forms: a brake on password guessing from one address, before lockout.
import { MemoryStore, rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { AppContext } from '../context';
import { AppError } from '../lib/errors';

const WINDOW_MS = 60_000;

/** A limiter of the sandbox's sign-in form; its store's sweeping timer stops when the sandbox closes. */
export function authRateLimit(context: AppContext): RequestHandler {
  const store = new MemoryStore();
  context.releases.push(() => store.shutdown());
  return rateLimit({
    store,
    windowMs: WINDOW_MS,
    limit: context.config.authRateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new AppError(429, 'too_many_requests', 'Too many attempts from your network. Please wait a minute and try again.'));
    },
  });
}
