// What every page template can rely on: its CSRF token, flash messages, the signed-in person.
import type { RequestHandler } from 'express';
import { csrfTokenFor } from './csrf';
import { takeFlash } from './sessions';

export const HELP_DESK_PHONE = '800-633-6973';
/** Where a PA whose access is restricted after a fraud alert is sent (a fictional 555 number). */
export const FRAUD_LINE_PHONE = '800-555-0134';

export function pageLocals(): RequestHandler {
  return (req, res, next) => {
    res.locals.csrfToken = csrfTokenFor(req);
    // Taken when a page renders, not before: a request that only redirects leaves them for the next page.
    let flash: ReturnType<typeof takeFlash> | undefined;
    Object.defineProperty(res.locals, 'flash', {
      enumerable: true,
      configurable: true,
      get: () => (flash ??= takeFlash(req)),
    });
    res.locals.currentPath = req.path;
    res.locals.currentUser = req.user ?? null;
    next();
  };
}

/** Locals for every template, including error pages rendered before pageLocals ran. */
export function baseLocals(): RequestHandler {
  return (_req, res, next) => {
    res.locals.helpDeskPhone = HELP_DESK_PHONE;
    res.locals.fraudLinePhone = FRAUD_LINE_PHONE;
    res.locals.flash = [];
    res.locals.currentUser = null;
    res.locals.currentStaff = null;
    next();
  };
}
