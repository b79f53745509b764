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
    // The store-reuse check keeps every store it sees in a Set of the library's for good (8.7), so a
    // deleted sandbox's stores, timers and counts were never freed. Each store here is made for its
    // one limiter just above: there is no reuse to find.
    validate: { unsharedStore: false },
    windowMs: WINDOW_MS,
    limit: context.config.authRateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new AppError(429, 'too_many_requests', 'Too many attempts from your network. Please wait a minute and try again.'));
    },
  });
}
